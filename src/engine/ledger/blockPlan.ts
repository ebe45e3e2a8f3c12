/**
 * Turns a block's transactions into what the world state applies, as Fabric's committer does:
 * every transaction is in the block at its index (its txNum), valid or not; MVCC validation (every
 * read must still see the committed version) runs in block order, where each transaction also sees
 * the writes of the valid transactions before it in the same block. Also the log entry of a block.
 */
import { CommittedState, groupByKey, targetId, type BlockToLive, type BlockWrites, type ExpiredKey } from './committedState';
import type { ReadWriteSet, TransactionRecord, ValidationCode, Version } from './types';

export interface CommitRequest {
  readonly txId: string;
  /** Epoch milliseconds; becomes the history entries' timestamp. */
  readonly timestamp: number;
  readonly rwset: ReadWriteSet;
  readonly record: Omit<TransactionRecord, 'validation' | 'blockNum'>;
  /** The transaction as the block carries it (a serialized common.Envelope), for the block store. */
  readonly envelope?: Buffer;
  /** Its private writes as Fabric's TxPvtReadWriteSet, kept beside the block (never in it). */
  readonly privateData?: Buffer;
  /**
   * A verdict reached before MVCC (e.g. ENDORSEMENT_POLICY_FAILURE, as Fabric's validator decides
   * before the committer): the transaction stays in its block, marked, and changes nothing.
   */
  readonly validation?: ValidationCode;
  /** MVCC-check the read set (default true). */
  readonly validateReads?: boolean;
  /** Fabric's endorsement validation (VSCC), run before MVCC against the state before this transaction. */
  readonly endorsements?: EndorsementValidator;
}

/**
 * Checks a transaction's endorsements against the policies that govern what it writes: key-level
 * policies (VALIDATION_PARAMETER metadata, as committed before this transaction) and its chaincode's
 * endorsement policy. `keyMetadata` answers for a key of the transaction's channel.
 */
export interface EndorsementValidator {
  validate(
    rwset: ReadWriteSet,
    keyMetadata: (chaincode: string, collection: string, key: string) => Readonly<Record<string, Buffer>> | undefined,
  ): 'VALID' | 'ENDORSEMENT_POLICY_FAILURE';
}

export interface CommitResult {
  readonly validation: ValidationCode;
  /** The block the transaction is in. */
  readonly blockNum: number;
  /** Its index in the block. */
  readonly txNum: number;
}

export interface PlannedCommit {
  readonly result: CommitResult;
  readonly record: TransactionRecord;
  /** Present when the transaction is valid and changes state. */
  readonly writes?: BlockWrites;
}

export interface PlannedBlock {
  readonly blockNum: number;
  readonly commits: readonly PlannedCommit[];
  /** Private keys whose blockToLive ends with this block, removed after its writes. */
  readonly purged: readonly ExpiredKey[];
}

/** A transaction as the log keeps it; applied on replay when its record says VALID. */
export interface LoggedTransaction {
  readonly txNum: number;
  readonly txId: string;
  readonly timestamp: number;
  readonly record: TransactionRecord;
  /** Only when it differs from record.rwset (normally the same object: stored once). */
  readonly rwset?: ReadWriteSet;
}

/** What the log stores: a committed block, or the record of a transaction that was never submitted. */
export type LogEntry =
  | { readonly t: 'block'; readonly blockNum: number; readonly txs: readonly LoggedTransaction[]; readonly purged?: readonly ExpiredKey[] }
  | { readonly t: 'record'; readonly record: TransactionRecord };

/** `blockToLive`: the collections' (absent: nothing expires with this block). */
export function planBlock(state: CommittedState, blockNum: number, requests: readonly CommitRequest[], blockToLive?: BlockToLive): PlannedBlock {
  // Versions as they will be once the earlier valid transactions of this block are applied.
  const pending = new Map<string, Version | null>();
  const versionNow = (channel: string, chaincode: string, collection: string, key: string, hashed?: true): Version | null => {
    const id = targetId(channel, chaincode, collection, key, hashed);
    return pending.has(id) ? (pending.get(id) ?? null) : state.versionOf({ channel, chaincode }, collection, key, hashed);
  };
  // Keys whose metadata (a key-level policy) a valid earlier transaction of this block changed.
  const metadataChanged = new Set<string>();
  // A peer outside a collection validates its hashed writes: their keys are key hashes.
  const metadataOf = (channel: string) => (chaincode: string, collection: string, key: string) =>
    (collection === ''
      ? state.getState({ channel, chaincode }, key)
      : (state.getPrivateData({ channel, chaincode }, collection, key) ?? state.hashedEntry({ channel, chaincode }, collection, key))
    )?.metadata;
  const commits = requests.map((request, txNum): PlannedCommit => {
    const { reads, writes, metadataWrites } = request.rwset;
    // Hashed entries are validated against hash entries, which plaintext from an older ledger becomes.
    for (const e of [...reads, ...writes, ...metadataWrites]) if (e.hashed) state.keepOnlyHashes({ channel: e.channel, chaincode: e.chaincode }, e.collection);
    const validation: ValidationCode =
      request.validation ??
      endorsementVerdict(request, metadataChanged, metadataOf) ??
      (request.validateReads === false || reads.every((r) => sameVersion(versionNow(r.channel, r.chaincode, r.collection, r.key, r.hashed), r.version))
        ? 'VALID'
        : 'MVCC_READ_CONFLICT');
    const result: CommitResult = { validation, blockNum, txNum };
    const record: TransactionRecord = { ...request.record, validation, blockNum };
    if (validation !== 'VALID' || (writes.length === 0 && metadataWrites.length === 0)) return { result, record };
    for (const m of metadataWrites) metadataChanged.add(targetId(m.channel, m.chaincode, m.collection, m.key, m.hashed));
    for (const change of groupByKey(request.rwset)) {
      const { ns, collection, key, hashed } = change;
      const before = versionNow(ns.channel, ns.chaincode, collection, key, hashed);
      pending.set(
        targetId(ns.channel, ns.chaincode, collection, key, hashed),
        CommittedState.versionAfter(change.write, change.metadata !== undefined, before, { blockNum, txNum }),
      );
    }
    return { result, record, writes: { blockNum, txNum, txId: request.txId, timestamp: request.timestamp, writes, metadataWrites } };
  });
  // A key this block writes again (or deletes) is not purged: its clock restarts (purge_mgr.go).
  const purged = blockToLive ? state.expiredAt(blockNum, blockToLive).filter((k) => !pending.has(targetId(k.channel, k.chaincode, k.collection, k.key, k.hashed))) : [];
  return { blockNum, commits, purged };
}

export function logEntryOf(planned: PlannedBlock, requests: readonly CommitRequest[]): LogEntry {
  return {
    t: 'block',
    blockNum: planned.blockNum,
    ...(planned.purged.length > 0 ? { purged: planned.purged } : {}),
    txs: planned.commits.map((c, txNum) => {
      const request = requests[txNum];
      const rwset = request.rwset === request.record.rwset ? undefined : request.rwset;
      return { txNum, txId: request.txId, timestamp: request.timestamp, record: c.record, ...(rwset ? { rwset } : {}) };
    }),
  };
}

/** The writes a logged valid transaction applies (on replay). */
export function writesOf(blockNum: number, tx: LoggedTransaction): BlockWrites {
  const rwset = tx.rwset ?? tx.record.rwset;
  return { blockNum, txNum: tx.txNum, txId: tx.txId, timestamp: tx.timestamp, writes: rwset.writes, metadataWrites: rwset.metadataWrites };
}

/**
 * The endorsement policy verdict, or undefined when it passed (MVCC decides then). A transaction
 * writing a key whose key-level policy an earlier valid transaction of the same block changed fails,
 * as Fabric's validator refuses it ("validation parameters for key … have been changed in
 * transaction … of block …"): the policy it was endorsed against is no longer the key's.
 */
function endorsementVerdict(
  request: CommitRequest,
  metadataChanged: ReadonlySet<string>,
  metadataOf: (channel: string) => (chaincode: string, collection: string, key: string) => Readonly<Record<string, Buffer>> | undefined,
): ValidationCode | undefined {
  if (!request.endorsements) return undefined;
  const { writes, metadataWrites } = request.rwset;
  if ([...writes, ...metadataWrites].some((w) => metadataChanged.has(targetId(w.channel, w.chaincode, w.collection, w.key, w.hashed)))) return 'ENDORSEMENT_POLICY_FAILURE';
  const channel = writes[0]?.channel ?? metadataWrites[0]?.channel ?? request.rwset.reads[0]?.channel ?? request.record.channel;
  const verdict = request.endorsements.validate(request.rwset, metadataOf(channel));
  return verdict === 'VALID' ? undefined : verdict;
}

function sameVersion(a: Version | null, b: Version | null): boolean {
  if (a === null || b === null) return a === b;
  return a.blockNum === b.blockNum && a.txNum === b.txNum;
}
