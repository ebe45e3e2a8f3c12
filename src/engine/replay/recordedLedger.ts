/**
 * A peer data directory as a recording: its channels' ledgers opened for their transaction records
 * (the sequence a replay re-runs) and their world state (what a replay should reproduce), and the
 * preparation of the fresh data directory a sequence is replayed onto.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ChannelLedger } from '../ledger/channelLedger';
import type { TransactionRecord } from '../ledger/types';
import type { WorldState } from '../ledger/worldState';

/** Which recorded transactions make the sequence. */
export type SequenceScope =
  /** Those ordered into blocks: what built the ledger's state. */
  | 'committed'
  /** Every recorded one, evaluations and failed invokes too (a failure can be the bug). */
  | 'all';

/** The records no longer reach back to the first block, so replaying them cannot rebuild the state. */
export class IncompleteRecordsError extends Error {
  override readonly name = 'IncompleteRecordsError';
}

/** The data directory a sequence is replayed onto already holds a ledger. */
export class NotFreshError extends Error {
  override readonly name = 'NotFreshError';
}

export class RecordedLedger {
  private constructor(
    readonly dataDir: string,
    private readonly ledgers: ReadonlyMap<string, ChannelLedger>,
  ) {}

  /** Opens every channel ledger under a peer data directory (each is locked until close). */
  static async open(dataDir: string): Promise<RecordedLedger> {
    const root = path.join(dataDir, 'ledgers');
    let channels: string[];
    try {
      channels = (await fs.promises.readdir(root, { withFileTypes: true }))
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      channels = [];
    }
    if (channels.length === 0) throw new IncompleteRecordsError(`${dataDir} holds no ledger (no ${root}): point at the data directory the transactions were recorded in`);
    const ledgers = new Map<string, ChannelLedger>();
    try {
      for (const channel of channels) ledgers.set(channel, await ChannelLedger.open(dataDir, channel));
    } catch (err) {
      await Promise.all([...ledgers.values()].map((l) => l.close()));
      throw err;
    }
    return new RecordedLedger(dataDir, ledgers);
  }

  get channels(): string[] {
    return [...this.ledgers.keys()];
  }

  state(channel: string): WorldState {
    const ledger = this.ledgers.get(channel);
    if (!ledger) throw new IncompleteRecordsError(`${this.dataDir} has no ledger for channel ${channel}; it has ${this.channels.join(', ')}`);
    return ledger.state;
  }

  /** The channel's recorded transactions in the order they ended (committed ones in block order). */
  sequence(channel: string, scope: SequenceScope): TransactionRecord[] {
    return recordedSequence(this.state(channel), scope);
  }

  close(): Promise<void> {
    return Promise.all([...this.ledgers.values()].map((l) => l.close())).then(() => undefined);
  }
}

/**
 * A ledger's records, oldest first. Records are kept in the order they ended, committed ones as
 * their blocks applied them (block, then index), so that order is one the ledger went through. The
 * records are bounded (the newest 10,000): every block must still have its records, or replaying
 * would start from a state the ledger never had.
 */
export function recordedSequence(state: Pick<WorldState, 'transactions' | 'height'>, scope: SequenceScope): TransactionRecord[] {
  const oldestFirst = state.transactions().reverse();
  const blocks = new Set(oldestFirst.map((r) => r.blockNum));
  for (let b = 1; b <= state.height; b++) {
    if (!blocks.has(b)) {
      throw new IncompleteRecordsError(
        `the transaction records no longer hold block ${b} of ${state.height} (the ledger keeps the newest 10,000 records), so a replay could not rebuild its state`,
      );
    }
  }
  return scope === 'all' ? oldestFirst : oldestFirst.filter((r) => r.blockNum !== null);
}

/**
 * Makes `dataDir` ready to receive a replay: it must hold no ledger yet, and it gets the recorded
 * directory's client identity, so the chaincode sees the same creator certificate as it did then.
 */
export async function prepareFreshDataDir(recordedDataDir: string, dataDir: string): Promise<void> {
  if (path.resolve(recordedDataDir) === path.resolve(dataDir)) throw new NotFreshError(`the replay needs a data directory of its own, not the recorded one (${dataDir})`);
  for (const ledgers of [path.join(dataDir, 'ledgers'), path.join(dataDir, 'peers')]) {
    if (fs.existsSync(ledgers) && fs.readdirSync(ledgers).length > 0) {
      throw new NotFreshError(`${dataDir} already holds a ledger (${ledgers}): replay onto a new or empty directory`);
    }
  }
  // The organisations' crypto: the same CAs, so the same client certificate.
  const from = path.join(recordedDataDir, 'organizations');
  const to = path.join(dataDir, 'organizations');
  if (!fs.existsSync(from) || fs.existsSync(to)) return;
  await fs.promises.mkdir(dataDir, { recursive: true });
  await fs.promises.cp(from, to, { recursive: true });
}
