/**
 * The committed world state held in memory: key spaces per namespace and collection, per-key
 * history and the chain height. It answers every read synchronously and applies committed blocks;
 * it knows nothing about files (WorldState persists blocks before applying them here).
 */
import { createHash } from 'crypto';
import { KeySpace, rangePage } from './keySpace';
import { parseMangoQuery, runMangoQuery } from './mango';
import type { HistoryEntry, MetadataWrite, Namespace, QueryOptions, QueryPage, StateEntry, StateReader, Version, WriteEntry } from './types';

/** The part of a committed transaction that changes state. */
export interface BlockWrites {
  readonly blockNum: number;
  /** The transaction's index in its block. */
  readonly txNum: number;
  readonly txId: string;
  readonly timestamp: number;
  readonly writes: readonly WriteEntry[];
  readonly metadataWrites: readonly MetadataWrite[];
}

/** A private key (or, `hashed`, a key hash) that blockToLive removes from the state. */
export interface ExpiredKey {
  readonly channel: string;
  readonly chaincode: string;
  readonly collection: string;
  readonly key: string;
  readonly hashed?: true;
}

/** A collection's blockToLive (0: its values never expire). */
export type BlockToLive = (chaincode: string, collection: string) => number;

/** A point-in-time view for a snapshot, captured synchronously and encoded later. */
export interface StateView {
  readonly height: number;
  /** `hashed`: a collection's hash entries (keys and values are SHA-256 hashes, keys in hex). */
  readonly spaces: readonly { ns: Namespace; collection: string; hashed?: true; entries: StateEntry[] }[];
  /** History arrays only ever grow, so (array, length) pins their content at capture time. */
  readonly histories: readonly { ns: Namespace; key: string; list: readonly HistoryEntry[]; length: number }[];
}

interface NamespaceState {
  readonly ns: Namespace;
  readonly public: KeySpace;
  readonly collections: Map<string, KeySpace>;
  /**
   * Hash entries of collections this peer's org is not a member of (Fabric's `<ns>$$h<coll>`):
   * hex SHA-256 of the key → SHA-256 of the value, with version and metadata. A member peer keeps
   * the plaintext in `collections` and derives the hashes from it.
   */
  readonly hashedCollections: Map<string, KeySpace>;
  /** Oldest first; public keys only (Fabric keeps no history for private data). */
  readonly history: Map<string, HistoryEntry[]>;
}

const EMPTY_METADATA: Readonly<Record<string, Buffer>> = Object.freeze({});
const EMPTY_VALUE = Buffer.alloc(0);

export class CommittedState implements StateReader {
  private readonly namespaces = new Map<string, NamespaceState>();
  private readonly hashes = new WeakMap<Buffer, Buffer>();
  height = 0;

  constructor(private readonly totalQueryLimit: number) {}

  getState(ns: Namespace, key: string): StateEntry | undefined {
    return this.space(ns, '')?.get(key);
  }

  getPrivateData(ns: Namespace, collection: string, key: string): StateEntry | undefined {
    return collection === '' ? undefined : this.space(ns, collection)?.get(key);
  }

  getPrivateDataHash(ns: Namespace, collection: string, key: string): Buffer | undefined {
    return this.getPrivateDataHashEntry(ns, collection, key)?.value;
  }

  getPrivateDataHashEntry(ns: Namespace, collection: string, key: string): StateEntry | undefined {
    if (collection === '') return undefined;
    const entry = this.getPrivateData(ns, collection, key);
    if (!entry) return this.hashedEntry(ns, collection, keyHashOf(key));
    let hash = this.hashes.get(entry.value);
    if (!hash) {
      hash = createHash('sha256').update(entry.value).digest();
      this.hashes.set(entry.value, hash);
    }
    return { ...entry, value: hash };
  }

  /**
   * Makes a collection hash-only on this peer: plaintext it holds (a ledger written before peers
   * outside a collection kept only hashes) becomes hash entries. A peer gets hashed writes only for
   * collections its org is not a member of, so the block planner and apply call this for them.
   */
  keepOnlyHashes(ns: Namespace, collection: string): void {
    const n = this.namespaces.get(nsId(ns));
    const plain = n?.collections.get(collection);
    if (!n || !plain) return;
    n.collections.delete(collection);
    const hashed = this.spaceToWrite(n, collection, true);
    for (const entry of plain.scan('', '')) {
      const key = keyHashOf(entry.key);
      // A hash entry already there was written after the plaintext was (hashed writes came later).
      if (!hashed.get(key)) hashed.put({ ...entry, key, value: createHash('sha256').update(entry.value).digest() });
    }
  }

  /** A hash entry a non-member peer keeps, by the hex SHA-256 of the key. */
  hashedEntry(ns: Namespace, collection: string, keyHash: string): StateEntry | undefined {
    return this.namespaces.get(nsId(ns))?.hashedCollections.get(collection)?.get(keyHash);
  }

  getStateRange(ns: Namespace, collection: string, startKey: string, endKey: string, options?: QueryOptions): QueryPage<StateEntry> {
    return rangePage(this.space(ns, collection), startKey, endKey, options, this.totalQueryLimit);
  }

  getQueryResult(ns: Namespace, collection: string, query: string, options?: QueryOptions): QueryPage<StateEntry> {
    const parsed = parseMangoQuery(query);
    const space = this.space(ns, collection);
    const rows = space ? space.scan('', '') : [];
    return runMangoQuery(parsed, rows, { ...options, totalQueryLimit: this.totalQueryLimit });
  }

  getHistory(ns: Namespace, key: string): readonly HistoryEntry[] {
    const list = this.namespaces.get(nsId(ns))?.history.get(key);
    return list ? list.slice().reverse() : [];
  }

  /** The committed version of a key, null when absent (the MVCC check compares against this). */
  versionOf(ns: Namespace, collection: string, key: string, hashed?: boolean): Version | null {
    return (hashed ? this.hashedEntry(ns, collection, key) : this.space(ns, collection)?.get(key))?.version ?? null;
  }

  /** Namespaces holding any state or history, sorted by channel then chaincode. */
  namespaceList(): Namespace[] {
    const out: Namespace[] = [];
    for (const n of this.namespaces.values()) {
      const hasData = n.public.size > 0 || n.history.size > 0 || [...n.collections.values(), ...n.hashedCollections.values()].some((c) => c.size > 0);
      if (hasData) out.push(n.ns);
    }
    return out.sort((a, b) => compareStrings(a.channel, b.channel) || compareStrings(a.chaincode, b.chaincode));
  }

  /** Private collections of a namespace that hold keys. */
  collectionList(ns: Namespace): string[] {
    const n = this.namespaces.get(nsId(ns));
    if (!n) return [];
    return [...n.collections]
      .filter(([, space]) => space.size > 0)
      .map(([name]) => name)
      .sort(compareStrings);
  }

  /** Entries in key order starting with `prefix`, at most `limit`. */
  entries(ns: Namespace, collection: string, options: { prefix?: string; limit?: number } = {}): StateEntry[] {
    const space = this.space(ns, collection);
    if (!space) return [];
    const prefix = options.prefix ?? '';
    const limit = options.limit ?? Infinity;
    const out: StateEntry[] = [];
    for (const entry of space.scan(prefix, '')) {
      if (out.length >= limit || !entry.key.startsWith(prefix)) break;
      out.push(entry);
    }
    return out;
  }

  /**
   * Applies one valid transaction of block `blockNum` at index `txNum`, following Fabric's txops preparation: a value
   * write keeps the key's metadata unless the transaction also wrote metadata; a metadata-only write
   * to a missing key is ignored; deletes and purges drop the key and its metadata.
   */
  apply(block: BlockWrites): void {
    const version: Version = { blockNum: block.blockNum, txNum: block.txNum };
    for (const change of groupByKey(block)) {
      const { ns, collection, key, write, metadata } = change;
      const n = this.namespace(ns);
      if (change.hashed) this.keepOnlyHashes(ns, collection);
      // A member again (its org joined the collection): the plaintext supersedes the hash entry.
      else if (write) n.hashedCollections.get(collection)?.remove(keyHashOf(key));
      const space = this.spaceToWrite(n, collection, change.hashed);
      if (write) {
        const removes = write.value === null || write.value.length === 0 || write.purge === true;
        if (removes) {
          space.remove(key);
        } else {
          const kept = metadata ?? space.get(key)?.metadata ?? EMPTY_METADATA;
          space.put({ key, value: write.value, version, metadata: kept });
        }
        if (collection === '') {
          const value = removes ? EMPTY_VALUE : write.value;
          getOrCreate(n.history, key, () => []).push({ txId: block.txId, value, timestamp: block.timestamp, isDelete: removes, version });
        }
      } else if (metadata) {
        const existing = space.get(key);
        if (existing) space.put({ ...existing, version, metadata });
      }
    }
  }

  /**
   * The private keys block `blockNum` purges (Fabric's pvtstatepurgemgmt): those last written in a
   * block N with N + blockToLive + 1 ≤ blockNum, plaintext and hash entries alike. ≤ rather than =:
   * a block committed without blockToLive (a catch-up) or a ledger from before purges leaves
   * expired keys behind, and the next block takes them.
   */
  expiredAt(blockNum: number, blockToLive: BlockToLive): ExpiredKey[] {
    const expired: ExpiredKey[] = [];
    for (const n of this.namespaces.values()) {
      for (const [spaces, hashed] of [
        [n.collections, false],
        [n.hashedCollections, true],
      ] as const) {
        for (const [collection, space] of spaces) {
          const btl = blockToLive(n.ns.chaincode, collection);
          if (btl <= 0 || space.size === 0) continue;
          for (const key of space.keysWrittenThrough(blockNum - btl - 1)) expired.push({ ...n.ns, collection, key, ...(hashed ? { hashed } : {}) });
        }
      }
    }
    return expired;
  }

  /** Removes expired private keys (see expiredAt). */
  purge(keys: readonly ExpiredKey[]): void {
    for (const k of keys) this.namespaces.get(nsId(k))?.[k.hashed ? 'hashedCollections' : 'collections'].get(k.collection)?.remove(k.key);
  }

  /** Whether applying these writes changes a key's version, and to what (for in-batch MVCC). */
  static versionAfter(write: WriteEntry | undefined, hasMetadata: boolean, before: Version | null, at: Version): Version | null {
    if (write) {
      const removes = write.value === null || write.value.length === 0 || write.purge === true;
      return removes ? null : at;
    }
    return hasMetadata && before ? at : before;
  }

  captureView(): StateView {
    const spaces: { ns: Namespace; collection: string; hashed?: true; entries: StateEntry[] }[] = [];
    const histories: { ns: Namespace; key: string; list: readonly HistoryEntry[]; length: number }[] = [];
    for (const n of this.namespaces.values()) {
      spaces.push({ ns: n.ns, collection: '', entries: [...n.public.scan('', '')] });
      for (const [collection, space] of n.collections) spaces.push({ ns: n.ns, collection, entries: [...space.scan('', '')] });
      for (const [collection, space] of n.hashedCollections) spaces.push({ ns: n.ns, collection, hashed: true, entries: [...space.scan('', '')] });
      for (const [key, list] of n.history) histories.push({ ns: n.ns, key, list, length: list.length });
    }
    return { height: this.height, spaces, histories };
  }

  /** Loads snapshot content (entries of one key space, in any order). */
  loadEntries(ns: Namespace, collection: string, entries: Iterable<StateEntry>, hashed?: boolean): void {
    const space = this.spaceToWrite(this.namespace(ns), collection, hashed);
    for (const entry of entries) space.put(entry);
  }

  loadHistory(ns: Namespace, key: string, list: HistoryEntry[]): void {
    getOrCreate(this.namespace(ns).history, key, () => []).push(...list);
  }

  /** Every public key of a namespace that was ever written (history is kept for each), in no order. */
  historyKeys(ns: Namespace): string[] {
    const n = this.namespaces.get(nsId(ns));
    return n ? [...n.history.keys()] : [];
  }

  private space(ns: Namespace, collection: string): KeySpace | undefined {
    const n = this.namespaces.get(nsId(ns));
    if (!n) return undefined;
    return collection === '' ? n.public : n.collections.get(collection);
  }

  private spaceToWrite(n: NamespaceState, collection: string, hashed: boolean | undefined): KeySpace {
    if (collection === '') return n.public;
    return getOrCreate(hashed ? n.hashedCollections : n.collections, collection, () => new KeySpace({ indexBlocks: true }));
  }

  private namespace(ns: Namespace): NamespaceState {
    return getOrCreate(this.namespaces, nsId(ns), () => ({
      ns: { channel: ns.channel, chaincode: ns.chaincode },
      public: new KeySpace(),
      collections: new Map(),
      hashedCollections: new Map(),
      history: new Map(),
    }));
  }
}

interface KeyChange {
  readonly ns: Namespace;
  readonly collection: string;
  readonly key: string;
  readonly hashed?: true;
  write?: WriteEntry;
  metadata?: Record<string, Buffer>;
}

/**
 * Folds a transaction's writes per key: the last value write wins and metadata writes to one key
 * merge into the map that replaces the key's metadata (Fabric replaces it as a whole). An empty
 * metadata value removes that metakey.
 */
export function groupByKey(tx: { writes: readonly WriteEntry[]; metadataWrites: readonly MetadataWrite[] }): KeyChange[] {
  const changes = new Map<string, KeyChange>();
  const changeFor = (t: { channel: string; chaincode: string; collection: string; key: string; hashed?: true }): KeyChange =>
    getOrCreate(changes, targetId(t.channel, t.chaincode, t.collection, t.key, t.hashed), () => ({
      ns: { channel: t.channel, chaincode: t.chaincode },
      collection: t.collection,
      key: t.key,
      ...(t.hashed ? { hashed: t.hashed } : {}),
    }));
  for (const w of tx.writes) changeFor(w).write = w;
  for (const m of tx.metadataWrites) {
    const change = changeFor(m);
    const metadata = { ...change.metadata };
    if (m.value.length === 0) delete metadata[m.metakey];
    else metadata[m.metakey] = m.value;
    change.metadata = metadata;
  }
  return [...changes.values()];
}

export function nsId(ns: Namespace): string {
  return `${ns.channel}\u0000${ns.chaincode}`;
}

/** Identifies one key of one key space (channel and chaincode names hold no NUL); `hashed`: a hash entry's key. */
export function targetId(channel: string, chaincode: string, collection: string, key: string, hashed?: boolean): string {
  return `${channel}\u0000${chaincode}\u0000${collection}\u0000${hashed ? 'h' : 'p'}${key}`;
}

/** The hex SHA-256 of a private key: how a hash entry is keyed. */
export function keyHashOf(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

function getOrCreate<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let v = map.get(key);
  if (v === undefined) {
    v = create();
    map.set(key, v);
  }
  return v;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
