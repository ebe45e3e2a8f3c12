/**
 * The most recent transaction records (the editor's Transactions view), bounded so that a long
 * session does not grow without limit. Recording a txId again replaces the older record (and
 * counts as the newest).
 */
import type { TransactionRecord } from './types';

export interface TransactionFilter {
  readonly channel?: string;
  readonly chaincode?: string;
  readonly limit?: number;
}

/** One add: its own identity, so a record added twice is listed once, as the newest. */
interface Entry {
  readonly record: TransactionRecord;
}

export class TransactionRecords {
  private readonly byId = new Map<string, Entry>();
  /**
   * Entries oldest first, from `head` on; an entry no longer in `byId` under its txId (the txId
   * was recorded again since) is stale and skipped. A queue rather than the Map's own order:
   * evicting the oldest entry of a Map (`keys().next()`) scans every deleted slot before it, a cost
   * every record would pay once the bound is reached.
   */
  private queue: Entry[] = [];
  private head = 0;

  constructor(private readonly max: number) {}

  add(record: TransactionRecord): void {
    const entry: Entry = { record };
    this.byId.set(record.txId, entry);
    this.queue.push(entry);
    while (this.byId.size > this.max && this.head < this.queue.length) {
      const oldest = this.queue[this.head++];
      if (this.isCurrent(oldest)) this.byId.delete(oldest.record.txId);
    }
    // Drop the evicted and stale front once it is most of the array.
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }

  get(txId: string): TransactionRecord | undefined {
    return this.byId.get(txId)?.record;
  }

  /** Newest first. */
  list(filter: TransactionFilter = {}): TransactionRecord[] {
    const limit = filter.limit ?? Infinity;
    const out: TransactionRecord[] = [];
    for (let i = this.queue.length - 1; i >= this.head && out.length < limit; i--) {
      const entry = this.queue[i];
      if (!this.isCurrent(entry)) continue;
      const r = entry.record;
      if (filter.channel !== undefined && r.channel !== filter.channel) continue;
      if (filter.chaincode !== undefined && r.chaincode !== filter.chaincode) continue;
      out.push(r);
    }
    return out;
  }

  /** Oldest first, for snapshots. */
  all(): TransactionRecord[] {
    const out: TransactionRecord[] = [];
    for (let i = this.head; i < this.queue.length; i++) if (this.isCurrent(this.queue[i])) out.push(this.queue[i].record);
    return out;
  }

  private isCurrent(entry: Entry): boolean {
    return this.byId.get(entry.record.txId) === entry;
  }
}
