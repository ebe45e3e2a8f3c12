/**
 * Turns queued commit requests into blocks: Fabric's MVCC validation (every read must still see
 * the committed version) done in queue order, where each transaction also sees the writes of the
 * valid transactions queued before it in the same batch. Also the log entry shape of a commit.
 */
import { CommittedState, groupByKey, targetId, type BlockWrites } from './committedState';
import type { ReadWriteSet, TransactionRecord, ValidationCode, Version } from './types';

export interface CommitRequest {
  readonly txId: string;
  /** Epoch milliseconds; becomes the history entries' timestamp. */
  readonly timestamp: number;
  readonly rwset: ReadWriteSet;
  readonly record: Omit<TransactionRecord, 'validation' | 'blockNum'>;
  /** MVCC-check the read set (default true). */
  readonly validateReads?: boolean;
}

export interface CommitResult {
  readonly validation: ValidationCode;
  /** The new block; null when nothing was applied (a conflict, or a transaction without writes). */
  readonly blockNum: number | null;
}

export interface PlannedCommit {
  readonly result: CommitResult;
  readonly record: TransactionRecord;
  /** Present when the transaction changes state and so must reach the disk before it is applied. */
  readonly block?: BlockWrites;
}

/** What the log stores for one transaction. */
export type LogEntry =
  | {
      readonly t: 'commit';
      readonly blockNum: number;
      readonly txId: string;
      readonly timestamp: number;
      readonly record: TransactionRecord;
      /** Only when they differ from record.rwset (normally they are the same object: stored once). */
      readonly rwset?: ReadWriteSet;
    }
  | { readonly t: 'record'; readonly record: TransactionRecord };

export function planBatch(state: CommittedState, requests: readonly CommitRequest[]): PlannedCommit[] {
  // Versions as they will be once the earlier valid transactions of this batch are applied.
  const pending = new Map<string, Version | null>();
  const versionNow = (channel: string, chaincode: string, collection: string, key: string): Version | null => {
    const id = targetId(channel, chaincode, collection, key);
    return pending.has(id) ? (pending.get(id) ?? null) : state.versionOf({ channel, chaincode }, collection, key);
  };
  let height = state.height;
  return requests.map((request) => {
    const { reads, writes, metadataWrites } = request.rwset;
    const valid =
      request.validateReads === false ||
      reads.every((r) => sameVersion(versionNow(r.channel, r.chaincode, r.collection, r.key), r.version));
    const changesState = writes.length > 0 || metadataWrites.length > 0;
    if (!valid || !changesState) {
      const validation: ValidationCode = valid ? 'VALID' : 'MVCC_READ_CONFLICT';
      return { result: { validation, blockNum: null }, record: { ...request.record, validation, blockNum: null } };
    }
    const blockNum = ++height;
    for (const change of groupByKey(request.rwset)) {
      const { ns, collection, key } = change;
      const before = versionNow(ns.channel, ns.chaincode, collection, key);
      pending.set(
        targetId(ns.channel, ns.chaincode, collection, key),
        CommittedState.versionAfter(change.write, change.metadata !== undefined, before, blockNum),
      );
    }
    const block: BlockWrites = { blockNum, txId: request.txId, timestamp: request.timestamp, writes, metadataWrites };
    return { result: { validation: 'VALID', blockNum }, record: { ...request.record, validation: 'VALID', blockNum }, block };
  });
}

export function logEntryOf(planned: PlannedCommit, request: CommitRequest): LogEntry {
  if (!planned.block) return { t: 'record', record: planned.record };
  const { blockNum, txId, timestamp } = planned.block;
  const rwset = request.rwset === request.record.rwset ? undefined : request.rwset;
  return { t: 'commit', blockNum, txId, timestamp, record: planned.record, rwset };
}

/** The block a logged commit applies (on replay). */
export function blockOf(entry: Extract<LogEntry, { t: 'commit' }>): BlockWrites {
  const rwset = entry.rwset ?? entry.record.rwset;
  return { blockNum: entry.blockNum, txId: entry.txId, timestamp: entry.timestamp, writes: rwset.writes, metadataWrites: rwset.metadataWrites };
}

function sameVersion(a: Version | null, b: Version | null): boolean {
  if (a === null || b === null) return a === b;
  return a.blockNum === b.blockNum && a.txNum === b.txNum;
}
