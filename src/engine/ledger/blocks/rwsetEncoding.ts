/**
 * The ledger's read-write set as Fabric encodes it in a transaction (ChaincodeAction.results) and
 * beside it (the private write sets), ported from Fabric's rwsetutil (core/ledger/kvledger/txmgmt/
 * rwsetutil/rwset_builder.go `RWSetBuilder.GetTxSimulationResults`, rwset_proto_util.go):
 *
 * - One NsReadWriteSet per namespace (chaincode), namespaces sorted; in each, reads, writes and
 *   metadata writes sorted by key, range queries in execution order, then one
 *   CollectionHashedReadWriteSet per private collection, sorted by name. Sorting is Go's string
 *   order: UTF-8 bytes, which is code point order (keyOrder.ts `compareKeys`).
 * - A read carries the version {block_num, tx_num} it saw; a key that did not exist has no version.
 * - A write of null or of an empty value is a delete (`is_delete`, no value).
 * - A metadata write holds all entries of the key, sorted by name (the entries replace the key's
 *   metadata; the peer writes one entry, VALIDATION_PARAMETER, so per-metakey writes group losslessly).
 * - Private collections: on chain, hashes only (key_hash = SHA-256(key), value_hash = SHA-256(value),
 *   none for a delete; a purge is a delete with `is_purge`), hashed entries sorted by their plain
 *   key; reads become hashed reads with their version. Off chain, the TxPvtReadWriteSet holds the
 *   plaintext writes and, for a metadata write, only the key. `pvt_rwset_hash` = SHA-256 of the
 *   collection's private KVRWSet bytes; a collection with only reads has no private set and no hash.
 *
 * Entries of other channels are left out: a cross-channel call is a query whose reads Fabric does
 * not record.
 */
import { createHash } from 'crypto';
import { codecs } from '../../wire/codec';
import type * as M from '../../wire/messages';
import { compareKeys } from '../keyOrder';
import type { MetadataWrite, ReadEntry, ReadWriteSet, Version, WriteEntry } from '../types';

/** A range query over public state, for phantom-read checks (Fabric's RangeQueryInfo with raw reads). */
export interface RangeQueryRecord {
  readonly chaincode: string;
  readonly startKey: string;
  /** The last key the chaincode read, or the query's end when it read to the end. */
  readonly endKey: string;
  readonly itrExhausted: boolean;
  readonly reads: readonly { readonly key: string; readonly version: Version | null }[];
}

/** Our read-write set, optionally with the range queries that Fabric keeps apart from the reads. */
export interface FabricReadWriteSet extends ReadWriteSet {
  readonly rangeQueries?: readonly RangeQueryRecord[];
}

/** Fabric's TxSimulationResults: the bytes of TxReadWriteSet and, with private writes, TxPvtReadWriteSet. */
export interface SimulationResults {
  /** ChaincodeAction.results: public data and the hashes of private data. */
  readonly publicBytes: Buffer;
  /** Private plaintext writes; null when the transaction wrote no private data. */
  readonly privateBytes: Buffer | null;
}

export class MalformedReadWriteSetError extends Error {
  constructor(what: string, options?: { cause?: unknown }) {
    super(`malformed read-write set: ${what}`, options);
    this.name = 'MalformedReadWriteSetError';
  }
}

export function sha256(data: Uint8Array | string): Buffer {
  return createHash('sha256').update(data).digest();
}

/** Encodes a transaction's read-write set on `channel` as Fabric's rwsetutil does. */
export function encodeSimulationResults(channel: string, rwset: FabricReadWriteSet): SimulationResults {
  const namespaces = new Map<string, NamespaceParts>();
  const nsParts = (chaincode: string): NamespaceParts => {
    let parts = namespaces.get(chaincode);
    if (!parts) namespaces.set(chaincode, (parts = { reads: new Map(), writes: new Map(), metadata: new Map(), ranges: [], collections: new Map() }));
    return parts;
  };
  const collParts = (chaincode: string, collection: string): CollectionParts => {
    const ns = nsParts(chaincode);
    let parts = ns.collections.get(collection);
    if (!parts) ns.collections.set(collection, (parts = { reads: new Map(), writes: new Map(), metadata: new Map() }));
    return parts;
  };

  for (const read of rwset.reads.filter((r) => r.channel === channel)) {
    (read.collection === '' ? nsParts(read.chaincode) : collParts(read.chaincode, read.collection)).reads.set(read.key, read);
  }
  for (const write of rwset.writes.filter((w) => w.channel === channel)) {
    (write.collection === '' ? nsParts(write.chaincode) : collParts(write.chaincode, write.collection)).writes.set(write.key, write);
  }
  for (const write of rwset.metadataWrites.filter((w) => w.channel === channel)) {
    const target = write.collection === '' ? nsParts(write.chaincode) : collParts(write.chaincode, write.collection);
    const entries = target.metadata.get(write.key) ?? new Map<string, Buffer>();
    target.metadata.set(write.key, entries.set(write.metakey, write.value));
  }
  for (const range of rwset.rangeQueries ?? []) nsParts(range.chaincode).ranges.push(range);

  const privateNamespaces: M.NsPvtReadWriteSet[] = [];
  const publicNamespaces: M.NsReadWriteSet[] = [];
  for (const chaincode of sortedKeys(namespaces)) {
    const ns = namespaces.get(chaincode) as NamespaceParts;
    const hashed: M.CollectionHashedReadWriteSet[] = [];
    const privateCollections: M.CollectionPvtReadWriteSet[] = [];
    for (const name of sortedKeys(ns.collections)) {
      const coll = ns.collections.get(name) as CollectionParts;
      let pvtHash: Buffer = Buffer.alloc(0);
      if (coll.writes.size > 0 || coll.metadata.size > 0) {
        const privateSet = codecs.KVRWSet.encode({
          writes: sortedValues(coll.writes).map(kvWrite),
          metadata_writes: sortedKeys(coll.metadata).map((key) => ({ key })),
        });
        privateCollections.push({ collection_name: name, rwset: privateSet });
        pvtHash = sha256(privateSet);
      }
      const hashedSet = codecs.HashedRWSet.encode({
        hashed_reads: sortedValues(coll.reads).map((r) => ({ key_hash: sha256(r.key), version: kvVersion(r.version) })),
        hashed_writes: sortedValues(coll.writes).map(kvWriteHash),
        metadata_writes: sortedKeys(coll.metadata).map((key) => ({ key_hash: sha256(key), entries: metadataEntries(coll.metadata.get(key)) })),
      });
      hashed.push({ collection_name: name, hashed_rwset: hashedSet, pvt_rwset_hash: pvtHash });
    }
    const publicSet = codecs.KVRWSet.encode({
      reads: sortedValues(ns.reads).map((r) => ({ key: r.key, version: kvVersion(r.version) })),
      range_queries_info: ns.ranges.map(rangeQueryInfo),
      writes: sortedValues(ns.writes).map(kvWrite),
      metadata_writes: sortedKeys(ns.metadata).map((key) => ({ key, entries: metadataEntries(ns.metadata.get(key)) })),
    });
    publicNamespaces.push({ namespace: chaincode, rwset: publicSet, collection_hashed_rwset: hashed });
    if (privateCollections.length > 0) privateNamespaces.push({ namespace: chaincode, collection_pvt_rwset: privateCollections });
  }
  return {
    publicBytes: codecs.TxReadWriteSet.encode({ ns_rwset: publicNamespaces }),
    privateBytes: privateNamespaces.length > 0 ? codecs.TxPvtReadWriteSet.encode({ ns_pvt_rwset: privateNamespaces }) : null,
  };
}

/**
 * Reads a TxReadWriteSet (and the matching TxPvtReadWriteSet, when given) back into our form.
 * Public reads, writes, metadata writes and range queries come back whole. Private writes and
 * metadata writes need the private set (the block has only hashes); private reads cannot come back
 * (only their key hashes are on chain) and are left out.
 */
/**
 * `hashesWithoutPrivateData`: a collection with no private write set here (a peer outside it keeps
 * none) yields its hashed writes (`hashed`: key and value hashes), as that peer's state applies them.
 */
export function decodeReadWriteSet(
  channel: string,
  publicBytes: Uint8Array,
  privateBytes?: Uint8Array | null,
  options: { hashesWithoutPrivateData?: boolean } = {},
): FabricReadWriteSet {
  const reads: ReadEntry[] = [];
  const writes: WriteEntry[] = [];
  const metadataWrites: MetadataWrite[] = [];
  const rangeQueries: RangeQueryRecord[] = [];
  const tx = decodeOrThrow('TxReadWriteSet', () => codecs.TxReadWriteSet.decode(publicBytes));
  const hashedByCollection = new Map<string, M.HashedRWSet>();
  for (const ns of tx.ns_rwset ?? []) {
    const chaincode = ns.namespace ?? '';
    const kv = decodeOrThrow(`KVRWSet of namespace ${chaincode}`, () => codecs.KVRWSet.decode(ns.rwset ?? new Uint8Array()));
    for (const r of kv.reads) reads.push({ channel, chaincode, collection: '', key: r.key ?? '', version: versionOf(r.version) });
    for (const w of kv.writes) writes.push(writeEntry(channel, chaincode, '', w));
    for (const m of kv.metadata_writes) metadataWrites.push(...metadataEntriesOf(channel, chaincode, '', m.key ?? '', m.entries));
    for (const q of kv.range_queries_info) {
      rangeQueries.push({
        chaincode,
        startKey: q.start_key ?? '',
        endKey: q.end_key ?? '',
        itrExhausted: q.itr_exhausted ?? false,
        reads: (q.raw_reads?.kv_reads ?? []).map((r) => ({ key: r.key ?? '', version: versionOf(r.version) })),
      });
    }
    for (const coll of ns.collection_hashed_rwset ?? []) {
      const what = `HashedRWSet of ${chaincode}/${coll.collection_name}`;
      hashedByCollection.set(
        JSON.stringify([chaincode, coll.collection_name]),
        decodeOrThrow(what, () => codecs.HashedRWSet.decode(coll.hashed_rwset ?? new Uint8Array())),
      );
    }
  }
  if (privateBytes) {
    const pvt = decodeOrThrow('TxPvtReadWriteSet', () => codecs.TxPvtReadWriteSet.decode(privateBytes));
    for (const ns of pvt.ns_pvt_rwset) {
      const chaincode = ns.namespace ?? '';
      for (const coll of ns.collection_pvt_rwset ?? []) {
        const collection = coll.collection_name ?? '';
        const kv = decodeOrThrow(`private KVRWSet of ${chaincode}/${collection}`, () => codecs.KVRWSet.decode(coll.rwset ?? new Uint8Array()));
        const hashed = hashedByCollection.get(JSON.stringify([chaincode, collection]));
        hashedByCollection.delete(JSON.stringify([chaincode, collection]));
        const byKeyHash = <T extends { key_hash?: Uint8Array }>(items: readonly T[] | undefined, key: string): T | undefined => {
          const hash = sha256(key);
          return items?.find((i) => i.key_hash !== undefined && hash.equals(i.key_hash));
        };
        for (const w of kv.writes) {
          const purge = byKeyHash(hashed?.hashed_writes, w.key ?? '')?.is_purge === true;
          writes.push({ ...writeEntry(channel, chaincode, collection, w), ...(purge ? { purge } : {}) });
        }
        for (const m of kv.metadata_writes) {
          const key = m.key ?? '';
          metadataWrites.push(...metadataEntriesOf(channel, chaincode, collection, key, byKeyHash(hashed?.metadata_writes, key)?.entries));
        }
      }
    }
  }
  if (options.hashesWithoutPrivateData) {
    for (const [id, hashed] of hashedByCollection) {
      const [chaincode, collection] = JSON.parse(id) as [string, string];
      const target = (keyHash: Uint8Array | undefined) => ({ channel, chaincode, collection, key: Buffer.from(keyHash ?? []).toString('hex'), hashed: true as const });
      for (const w of hashed.hashed_writes ?? []) {
        const value = w.is_delete || !w.value_hash?.length ? null : Buffer.from(w.value_hash);
        writes.push({ ...target(w.key_hash), value, ...(w.is_purge ? { purge: true } : {}) });
      }
      for (const m of hashed.metadata_writes ?? []) {
        for (const e of m.entries ?? []) metadataWrites.push({ ...target(m.key_hash), metakey: e.name ?? '', value: Buffer.from(e.value ?? new Uint8Array()) });
      }
    }
  }
  return rangeQueries.length > 0 ? { reads, writes, metadataWrites, rangeQueries } : { reads, writes, metadataWrites };
}

// ---- helpers ----

interface CollectionParts {
  readonly reads: Map<string, ReadEntry>;
  readonly writes: Map<string, WriteEntry>;
  readonly metadata: Map<string, Map<string, Buffer>>;
}

interface NamespaceParts extends CollectionParts {
  readonly ranges: RangeQueryRecord[];
  readonly collections: Map<string, CollectionParts>;
}

function sortedKeys<V>(map: ReadonlyMap<string, V>): string[] {
  return [...map.keys()].sort(compareKeys);
}

function sortedValues<V>(map: ReadonlyMap<string, V>): V[] {
  return sortedKeys(map).map((k) => map.get(k) as V);
}

function isDelete(write: WriteEntry): boolean {
  return write.value === null || write.value.length === 0;
}

function kvWrite(write: WriteEntry): Partial<M.KVWrite> {
  return isDelete(write) ? { key: write.key, is_delete: true } : { key: write.key, value: write.value as Buffer };
}

function kvWriteHash(write: WriteEntry): Partial<M.KVWriteHash> {
  if (!isDelete(write)) return { key_hash: sha256(write.key), value_hash: sha256(write.value as Buffer) };
  return { key_hash: sha256(write.key), is_delete: true, is_purge: write.purge === true };
}

function kvVersion(version: Version | null): Partial<M.KVVersion> | null {
  return version ? { block_num: version.blockNum, tx_num: version.txNum } : null;
}

function metadataEntries(entries: ReadonlyMap<string, Buffer> | undefined): Partial<M.KVMetadataEntry>[] {
  return entries ? sortedKeys(entries).map((name) => ({ name, value: entries.get(name) })) : [];
}

function rangeQueryInfo(range: RangeQueryRecord): Partial<M.RangeQueryInfo> {
  return {
    start_key: range.startKey,
    end_key: range.endKey,
    itr_exhausted: range.itrExhausted,
    raw_reads: { kv_reads: range.reads.map((r) => ({ key: r.key, version: kvVersion(r.version) })) },
  };
}

function versionOf(version: Partial<M.KVVersion> | null | undefined): Version | null {
  if (!version) return null;
  return { blockNum: Number(version.block_num ?? 0), txNum: Number(version.tx_num ?? 0) };
}

function writeEntry(channel: string, chaincode: string, collection: string, w: Partial<M.KVWrite>): WriteEntry {
  const value = w.is_delete || !w.value || w.value.length === 0 ? null : Buffer.from(w.value);
  return { channel, chaincode, collection, key: w.key ?? '', value };
}

function metadataEntriesOf(channel: string, chaincode: string, collection: string, key: string, entries: readonly Partial<M.KVMetadataEntry>[] | undefined): MetadataWrite[] {
  return (entries ?? []).map((e) => ({ channel, chaincode, collection, key, metakey: e.name ?? '', value: Buffer.from(e.value ?? new Uint8Array()) }));
}

function decodeOrThrow<T>(what: string, decode: () => T): T {
  try {
    return decode();
  } catch (err) {
    throw new MalformedReadWriteSetError(`${what} does not decode (${(err as Error).message})`, { cause: err });
  }
}
