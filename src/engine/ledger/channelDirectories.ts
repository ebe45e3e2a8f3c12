/**
 * Where the network's data directory keeps each peer's data (`peers/<peer0.domain>/`), and a peer's
 * data directory each channel's ledger (`ledgers/<channel>/`). Light on purpose (no ledger code):
 * the editor lists the channels on disk while no peer runs, without opening them.
 */
import * as fs from 'fs';
import * as path from 'path';
import { orgSpec } from '../msp/orgSpec';

/** The data directory of the peer of organisation `mspId` in a network's data directory. */
export function peerDataDir(networkDataDir: string, mspId: string): string {
  return path.join(networkDataDir, 'peers', `peer0.${orgSpec(mspId).domain}`);
}

export function channelLedgerDir(peerDataDir: string, channel: string): string {
  return path.join(peerDataDir, 'ledgers', channel);
}

/** The channels with a ledger under `peerDataDir`, sorted; none when it holds no ledger yet. */
export function ledgerChannels(peerDataDir: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(path.join(peerDataDir, 'ledgers'), { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(channelLedgerDir(peerDataDir, e.name), 'state')))
    .map((e) => e.name)
    .sort();
}
