/**
 * Where the Gateway's block readers (Deliver, ChaincodeEvents, qscc) find a channel's blocks: its
 * ledger's block store, for a channel this peer has joined.
 */
import type { Peer } from '../peer/peer';
import type { BlockSources } from './blockSource';

export function ledgerBlocks(peer: Peer): BlockSources {
  return (channel) => peer.ledgers().find((l) => l.channel === channel)?.blocks;
}
