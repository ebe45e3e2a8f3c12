/**
 * The most recent transaction records (the editor's Transactions view), bounded so that a long
 * session does not grow without limit. Recording a txId again replaces the older record.
 */
import type { TransactionRecord } from './types';

export interface TransactionFilter {
  readonly channel?: string;
  readonly chaincode?: string;
  readonly limit?: number;
}

export class TransactionRecords {
  /** Insertion order is age order: the first entry is the oldest. */
  private readonly byId = new Map<string, TransactionRecord>();

  constructor(private readonly max: number) {}

  add(record: TransactionRecord): void {
    this.byId.delete(record.txId);
    this.byId.set(record.txId, record);
    if (this.byId.size > this.max) {
      const oldest = this.byId.keys().next();
      if (!oldest.done) this.byId.delete(oldest.value);
    }
  }

  get(txId: string): TransactionRecord | undefined {
    return this.byId.get(txId);
  }

  /** Newest first. */
  list(filter: TransactionFilter = {}): TransactionRecord[] {
    const all = [...this.byId.values()];
    const limit = filter.limit ?? Infinity;
    const out: TransactionRecord[] = [];
    for (let i = all.length - 1; i >= 0 && out.length < limit; i--) {
      const r = all[i];
      if (filter.channel !== undefined && r.channel !== filter.channel) continue;
      if (filter.chaincode !== undefined && r.chaincode !== filter.chaincode) continue;
      out.push(r);
    }
    return out;
  }

  /** Oldest first, for snapshots. */
  all(): TransactionRecord[] {
    return [...this.byId.values()];
  }
}
