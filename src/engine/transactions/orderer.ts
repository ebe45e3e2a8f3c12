/**
 * The ordering service, as the embedded peer needs it: per channel, the transactions submitted for
 * commit are cut into blocks and each block is committed on every peer of the channel, in order.
 * Fabric's orderer cuts a block by size or when its BatchTimeout expires; here a block is cut as
 * soon as the previous one is committed, holding everything that queued meanwhile: one block per
 * transaction when idle, several under load, and nothing ever waits for a timer.
 */
import type { CommitRequest, CommitResult } from '../ledger/blockPlan';
import type { BlockCommitted } from '../ledger/worldState';

/** A peer's ledger of one channel, as the orderer delivers to it. */
export interface BlockCommitter {
  commitBlock(requests: readonly CommitRequest[]): Promise<BlockCommitted>;
}

interface Submission {
  readonly request: CommitRequest;
  readonly resolve: (result: CommitResult) => void;
  readonly reject: (err: Error) => void;
}

interface ChannelQueue {
  pending: Submission[];
  /** A block of this channel is being cut or committed. */
  busy: boolean;
}

export class Orderer {
  private readonly channels = new Map<string, ChannelQueue>();

  /** `committers(channel)`: the ledgers a block of that channel goes to (every peer joined to it). */
  constructor(private readonly committers: (channel: string) => readonly BlockCommitter[]) {}

  /** Orders one transaction; resolves with its outcome once its block is committed everywhere. */
  submit(channel: string, request: CommitRequest): Promise<CommitResult> {
    let queue = this.channels.get(channel);
    if (!queue) {
      queue = { pending: [], busy: false };
      this.channels.set(channel, queue);
    }
    const q = queue;
    return new Promise((resolve, reject) => {
      q.pending.push({ request, resolve, reject });
      if (q.busy) return;
      q.busy = true;
      // Cut at the end of the event loop's current I/O phase, so every transaction whose chaincode
      // answered in the messages read in it joins this block.
      setImmediate(() => void this.cutBlocks(channel, q));
    });
  }

  private async cutBlocks(channel: string, queue: ChannelQueue): Promise<void> {
    while (queue.pending.length > 0) {
      const block = queue.pending;
      queue.pending = [];
      const requests = block.map((s) => s.request);
      try {
        const committed = await Promise.all(this.committers(channel).map((c) => c.commitBlock(requests)));
        if (committed.length === 0) throw new Error(`no peer has joined channel ${channel}`);
        // Every peer validated the same block against the same state; the first one's outcome is the block's.
        committed[0].results.forEach((result, i) => block[i].resolve(result));
      } catch (err) {
        for (const s of block) s.reject(err as Error);
      }
    }
    queue.busy = false;
  }
}
