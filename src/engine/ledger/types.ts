/**
 * The ledger's vocabulary: namespaces, versions, read/write sets and transaction records.
 * The world state (./worldState.ts) stores committed data; a simulator (./simulator.ts) runs one
 * transaction against it and produces the read/write set that a commit applies atomically.
 */

/** A chaincode's namespace on a channel. Private collections live under a namespace too. */
export interface Namespace {
  readonly channel: string;
  readonly chaincode: string;
}

/** Fabric's key version: the height (block, tx) of the transaction that last wrote the key. */
export interface Version {
  readonly blockNum: number;
  readonly txNum: number;
}

/** A committed key with its value, version and key-level metadata (e.g. VALIDATION_PARAMETER). */
export interface StateEntry {
  readonly key: string;
  readonly value: Buffer;
  readonly version: Version;
  readonly metadata: Readonly<Record<string, Buffer>>;
}

/** One committed change of a key, newest first in history answers (Fabric's KeyModification). */
export interface HistoryEntry {
  readonly txId: string;
  readonly value: Buffer;
  /** The transaction's timestamp, epoch milliseconds. */
  readonly timestamp: number;
  readonly isDelete: boolean;
  /**
   * Where the change committed (its block and index there), so replay can serve the value a read
   * saw at a version. Null for changes loaded from a snapshot an older release wrote, which kept no
   * versions in history.
   */
  readonly version: Version | null;
}

/** What a transaction read: the key and the version it saw (null = key absent). */
export interface ReadEntry {
  readonly channel: string;
  readonly chaincode: string;
  /** Empty for public state. */
  readonly collection: string;
  readonly key: string;
  readonly version: Version | null;
  /** The key is the hex SHA-256 of a private key: see WriteEntry.hashed. */
  readonly hashed?: true;
}

/** What a transaction wrote. `value: null` is a delete; `purge` removes private data and its history. */
export interface WriteEntry {
  readonly channel: string;
  readonly chaincode: string;
  readonly collection: string;
  readonly key: string;
  readonly value: Buffer | null;
  readonly purge?: boolean;
  /**
   * A private write as a peer outside the collection keeps it (Fabric's `<ns>$$h<coll>`): `key` is
   * the hex SHA-256 of the key and `value` the SHA-256 of the value (null for a delete).
   */
  readonly hashed?: true;
}

/** A key-level metadata write (PUT_STATE_METADATA). */
export interface MetadataWrite {
  readonly channel: string;
  readonly chaincode: string;
  readonly collection: string;
  readonly key: string;
  readonly metakey: string;
  readonly value: Buffer;
  /** The key is the hex SHA-256 of a private key: see WriteEntry.hashed. */
  readonly hashed?: true;
}

export interface ReadWriteSet {
  readonly reads: readonly ReadEntry[];
  readonly writes: readonly WriteEntry[];
  readonly metadataWrites: readonly MetadataWrite[];
}

export interface ChaincodeEventRecord {
  readonly chaincodeId: string;
  readonly txId: string;
  readonly eventName: string;
  readonly payload: Buffer;
}

/**
 * How a transaction ended, in Fabric's TxValidationCode names (peer/transaction.proto) where Fabric
 * has one: VALID, MVCC_READ_CONFLICT, ENDORSEMENT_POLICY_FAILURE; NOT_VALIDATED for an evaluation,
 * which is never submitted. NOT_COMMITTED is ours: the transaction failed before it could be
 * submitted (the chaincode returned an error, timed out, or its stream ended).
 */
export type ValidationCode = 'VALID' | 'MVCC_READ_CONFLICT' | 'ENDORSEMENT_POLICY_FAILURE' | 'NOT_VALIDATED' | 'NOT_COMMITTED';

/** Everything kept about one invocation (the editor's Transactions view reads these). */
export interface TransactionRecord {
  readonly txId: string;
  readonly channel: string;
  readonly chaincode: string;
  /** args[0] as text, the function name by convention. */
  readonly fn: string;
  /** args[1..] as text (binary args are shown base64 with a `base64:` prefix). */
  readonly args: readonly string[];
  readonly kind: 'init' | 'invoke' | 'query';
  /** Creator MSP id and certificate subject, as the chaincode saw them. */
  readonly creator: { readonly mspId: string; readonly subject: string };
  readonly startedAt: number;
  /**
   * The channel's height when the chaincode ran: the blocks it could read (replay serves the state
   * as of then). Absent in records an older release wrote.
   */
  readonly height?: number;
  readonly durationMs: number;
  /** Chaincode response status (200 OK, 500 error…); 0 when the chaincode never answered. */
  readonly status: number;
  readonly message: string;
  readonly payload: Buffer;
  readonly validation: ValidationCode;
  readonly rwset: ReadWriteSet;
  readonly event: ChaincodeEventRecord | null;
  /** Set once committed: the block number the commit got. */
  readonly blockNum: number | null;
}

/** A page of a query: rows plus the bookmark to continue from ('' when there are no more). */
export interface QueryPage<T> {
  readonly rows: readonly T[];
  readonly bookmark: string;
}

/** Range/rich-query options shared by public and private queries. pageSize 0 = unpaginated. */
export interface QueryOptions {
  readonly pageSize?: number;
  readonly bookmark?: string;
}

/**
 * Read access to committed state, the part of the world state a simulator needs. All reads are
 * synchronous (the state is indexed in memory) so the shim-request hot path never waits on I/O.
 */
export interface StateReader {
  getState(ns: Namespace, key: string): StateEntry | undefined;
  getPrivateData(ns: Namespace, collection: string, key: string): StateEntry | undefined;
  /** SHA-256 of the committed private value, or undefined when absent. */
  getPrivateDataHash(ns: Namespace, collection: string, key: string): Buffer | undefined;
  /**
   * The private key's hash entry, which every peer of the channel keeps, member of the collection or
   * not (Fabric's `<ns>$$h<coll>`): value = SHA-256 of the value, with its version and metadata.
   */
  getPrivateDataHashEntry(ns: Namespace, collection: string, key: string): StateEntry | undefined;
  /** Keys in [startKey, endKey) in byte order; endKey '' = unbounded. collection '' = public state. */
  getStateRange(ns: Namespace, collection: string, startKey: string, endKey: string, options?: QueryOptions): QueryPage<StateEntry>;
  /** A CouchDB Mango query (JSON string) over the JSON values of the namespace/collection. */
  getQueryResult(ns: Namespace, collection: string, query: string, options?: QueryOptions): QueryPage<StateEntry>;
  /** Newest first. */
  getHistory(ns: Namespace, key: string): readonly HistoryEntry[];
}
