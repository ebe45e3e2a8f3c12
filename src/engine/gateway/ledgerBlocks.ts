/**
 * Where the Gateway's block readers (Deliver, ChaincodeEvents, qscc) find a channel's blocks: its
 * ledger's block store, for a channel this peer has joined.
 */
import type { Peer } from '../peer/peer';
import type { BlockSource, BlockSources } from './blockSource';

export function ledgerBlocks(peer: Peer): BlockSources {
  return (channel) => {
    const ledger = peer.ledgers().find((l) => l.channel === channel);
    // INTERIM: ChannelLedger does not keep its blocks yet (the block store is being wired in);
    // until it has a `blocks` store, none are served.
    return (ledger as { readonly blocks?: BlockSource } | undefined)?.blocks;
  };
}
