/**
 * Simulates one transaction against committed state, as Fabric's TxSimulator does: reads come from
 * committed state only (never the transaction's own writes) and are recorded with the version they
 * saw; writes are collected into the read/write set the commit applies. Invalid requests throw an
 * Error whose message the handler sends back to the shim as an ERROR.
 */
import type { HistoryEntry, MetadataWrite, Namespace, QueryOptions, QueryPage, ReadEntry, ReadWriteSet, StateEntry, StateReader, Version, WriteEntry } from './types';

/**
 * What the endorsing peer enforces on private data (privateData/collectionRules.ts): the collection
 * exists and the creator may read or write it, this peer holds its plaintext or only its hashes, and
 * values past their blockToLive are gone. Each check throws with Fabric's words.
 */
export interface CollectionGuard {
  checkRead(chaincode: string, collection: string): void;
  checkWrite(chaincode: string, collection: string): void;
  checkHash(chaincode: string, collection: string): void;
  peerStores(chaincode: string, collection: string): boolean;
  expired(chaincode: string, collection: string, version: Version): boolean;
}

export class TxSimulator {
  private readonly reads = new Map<string, ReadEntry>();
  private readonly writes = new Map<string, WriteEntry>();
  private readonly metadataWrites = new Map<string, MetadataWrite>();
  // Fabric refuses to mix writes with private-data queries or paginated queries in one transaction
  // (their results cannot be re-validated at commit); we keep that so chaincode behaves the same.
  private writePerformed = false;
  private privateQueryPerformed = false;
  private paginatedQueryPerformed = false;

  /** `txId` labels the restriction errors, as Fabric's txSimulator does. */
  constructor(
    private readonly state: StateReader,
    readonly channel: string,
    private readonly txId: string,
    /** Absent: private data is not restricted (a chaincode nobody defined, replay). */
    private readonly collections?: CollectionGuard,
  ) {}

  getState(chaincode: string, key: string): Buffer | undefined {
    return this.read(chaincode, '', key)?.value;
  }

  /**
   * Fabric's query_executor.go: the hash entry (on every peer) gives the version read; the plaintext
   * must be there at that version. A peer of an org outside the collection keeps only the hash (one
   * whose data predates hash-only storage may hold the plaintext: it is refused there all the same).
   */
  getPrivateData(chaincode: string, collection: string, key: string): Buffer | undefined {
    requireCollection(collection, 'read private data');
    this.collections?.checkRead(chaincode, collection);
    const ns = this.ns(chaincode);
    const hashEntry = this.live(ns, collection, this.hashEntry(ns, collection, key));
    if (!hashEntry) return undefined;
    const entry = this.state.getPrivateData(ns, collection, key);
    const stored = entry !== undefined && sameVersion(entry.version, hashEntry.version) && (this.collections?.peerStores(chaincode, collection) ?? true);
    if (!stored) {
      throw new Error(
        `private data matching public hash version is not available. Public hash version = {BlockNum: ${hashEntry.version.blockNum}, TxNum: ${hashEntry.version.txNum}}, Private data version = <nil>`,
      );
    }
    return entry.value;
  }

  getPrivateDataHash(chaincode: string, collection: string, key: string): Buffer | undefined {
    requireCollection(collection, 'read a private data hash');
    this.collections?.checkHash(chaincode, collection);
    const ns = this.ns(chaincode);
    return this.live(ns, collection, this.hashEntry(ns, collection, key))?.value;
  }

  /** The key's metadata (e.g. VALIDATION_PARAMETER); collection '' = public state. */
  getStateMetadata(chaincode: string, collection: string, key: string): Record<string, Buffer> {
    if (collection === '') return { ...this.read(chaincode, '', key)?.metadata };
    this.collections?.checkRead(chaincode, collection);
    // Private metadata is kept with the hash entry, on every peer.
    const ns = this.ns(chaincode);
    return { ...this.live(ns, collection, this.hashEntry(ns, collection, key))?.metadata };
  }

  /** Writes a key; an empty value is a delete, as Fabric's rwsetutil treats it. */
  putState(chaincode: string, collection: string, key: string, value: Buffer): void {
    this.checkWrite(key, chaincode, collection);
    this.addWrite({ channel: this.channel, chaincode, collection, key, value: value.length === 0 ? null : value });
  }

  delState(chaincode: string, collection: string, key: string): void {
    this.checkWrite(key, chaincode, collection);
    this.addWrite({ channel: this.channel, chaincode, collection, key, value: null });
  }

  /** Removes private data and its hash for good (Fabric 2.5's PurgePrivateData). */
  purgePrivateData(chaincode: string, collection: string, key: string): void {
    requireCollection(collection, 'purge private data');
    this.checkWrite(key, chaincode, collection);
    this.addWrite({ channel: this.channel, chaincode, collection, key, value: null, purge: true });
  }

  putStateMetadata(chaincode: string, collection: string, key: string, metakey: string, value: Buffer): void {
    this.checkWrite(key, chaincode, collection);
    if (metakey === '') throw new Error('a metadata key (metakey) must not be empty');
    const write: MetadataWrite = { channel: this.channel, chaincode, collection, key, metakey, value };
    this.metadataWrites.set(JSON.stringify([chaincode, collection, key, metakey]), write);
  }

  /** Keys in [startKey, endKey) of public state or a collection; every row returned is recorded as read. */
  getStateRange(chaincode: string, collection: string, startKey: string, endKey: string, options?: QueryOptions): QueryPage<StateEntry> {
    this.checkQuery(chaincode, collection, options);
    const ns = this.ns(chaincode);
    const page = this.privateRows(ns, collection, this.state.getStateRange(ns, collection, startKey, endKey, options));
    for (const row of page.rows) this.recordRead(ns, collection, row.key, row);
    return page;
  }

  /** A Mango query; every row returned is recorded as read. */
  getQueryResult(chaincode: string, collection: string, query: string, options?: QueryOptions): QueryPage<StateEntry> {
    this.checkQuery(chaincode, collection, options);
    const ns = this.ns(chaincode);
    const page = this.privateRows(ns, collection, this.state.getQueryResult(ns, collection, query, options));
    for (const row of page.rows) this.recordRead(ns, collection, row.key, row);
    return page;
  }

  /** Newest first. History reads are not validated at commit, so they are not recorded. */
  getHistory(chaincode: string, key: string): readonly HistoryEntry[] {
    return this.state.getHistory(this.ns(chaincode), key);
  }

  readWriteSet(): ReadWriteSet {
    return { reads: [...this.reads.values()], writes: [...this.writes.values()], metadataWrites: [...this.metadataWrites.values()] };
  }

  private read(chaincode: string, collection: '', key: string): StateEntry | undefined {
    const ns = this.ns(chaincode);
    const entry = this.state.getState(ns, key);
    this.recordRead(ns, collection, key, entry);
    return entry;
  }

  /**
   * A private key's hash entry, recorded as read (Fabric records a hashed read for every private
   * read). An expired one still in the state keeps its committed version in the read set (see live).
   */
  private hashEntry(ns: Namespace, collection: string, key: string): StateEntry | undefined {
    const entry = this.state.getPrivateDataHashEntry(ns, collection, key);
    this.recordRead(ns, collection, key, entry);
    return entry;
  }

  /**
   * A private entry, or undefined once its collection's blockToLive has passed. The commit that ends
   * it purges it; a ledger from before purges (or a block committed without blockToLive) may still
   * hold it until the next block, and reads record its version meanwhile.
   */
  private live(ns: Namespace, collection: string, entry: StateEntry | undefined): StateEntry | undefined {
    return entry && this.collections?.expired(ns.chaincode, collection, entry.version) ? undefined : entry;
  }

  /** A query's private rows as this peer has them: none without the plaintext, none past their blockToLive. */
  private privateRows(ns: Namespace, collection: string, page: QueryPage<StateEntry>): QueryPage<StateEntry> {
    if (collection === '' || !this.collections) return page;
    if (!this.collections.peerStores(ns.chaincode, collection)) return { rows: [], bookmark: '' };
    return { ...page, rows: page.rows.filter((row) => this.live(ns, collection, row)) };
  }

  /** The first read of a key wins: it is the version the transaction's logic depended on. */
  private recordRead(ns: Namespace, collection: string, key: string, entry: StateEntry | undefined): void {
    const id = JSON.stringify([ns.chaincode, collection, key]);
    if (this.reads.has(id)) return;
    this.reads.set(id, { channel: ns.channel, chaincode: ns.chaincode, collection, key, version: entry?.version ?? null });
  }

  private addWrite(write: WriteEntry): void {
    this.writes.set(JSON.stringify([write.chaincode, write.collection, write.key]), write);
  }

  /**
   * Fabric's txSimulator.checkWritePrecondition. An empty key is accepted: the LevelDB state
   * database's ValidateKeyValue checks nothing (the Go and Java shims refuse it themselves).
   */
  private checkWrite(key: string, chaincode: string, collection: string): void {
    if (collection !== '') this.collections?.checkWrite(chaincode, collection);
    if (hasLoneSurrogate(key)) throw new Error(`key ${JSON.stringify(key)} is not a valid UTF-8 string`);
    if (this.privateQueryPerformed) throw this.unsupported('Transaction has already performed queries on pvt data. Writes are not allowed');
    if (this.paginatedQueryPerformed) throw this.unsupported('Transaction has already performed a paginated query. Writes are not allowed');
    this.writePerformed = true;
  }

  private checkQuery(chaincode: string, collection: string, options: QueryOptions | undefined): void {
    if (collection !== '') {
      this.collections?.checkRead(chaincode, collection);
      if (this.writePerformed) throw this.unsupported('Queries on pvt data is supported only in a read-only transaction');
      this.privateQueryPerformed = true;
    }
    if ((options?.pageSize ?? 0) > 0 || (options?.bookmark ?? '') !== '') {
      if (this.writePerformed) throw this.unsupported('Paginated queries are supported only in a read-only transaction');
      this.paginatedQueryPerformed = true;
    }
  }

  /** Fabric's wording, misspelling included (core/ledger/kvledger/txmgmt/txmgr/tx_simulator.go). */
  private unsupported(detail: string): Error {
    return new Error(`txid [${this.txId}]: unsuppored transaction. ${detail}`);
  }

  private ns(chaincode: string): Namespace {
    return { channel: this.channel, chaincode };
  }
}

function sameVersion(a: Version, b: Version): boolean {
  return a.blockNum === b.blockNum && a.txNum === b.txNum;
}

function requireCollection(collection: string, action: string): void {
  if (collection === '') throw new Error(`a collection name is required to ${action}`);
}

function hasLoneSurrogate(s: string): boolean {
  return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
}
