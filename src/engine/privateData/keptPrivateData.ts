/**
 * What a peer keeps of a transaction's private data (Fabric's privacyenabledstate db.go and the
 * private data store): the plaintext of the collections its org is a member of, and for the others
 * only the hashes (`<ns>$$h<coll>`: key hash → value hash, version, metadata). Each peer's ledger
 * gets a transaction as keptBy makes it, so a peer outside a collection never writes its plaintext
 * to its files (the state's log and snapshots, the private data beside its blocks, the records).
 */
import { createHash } from 'crypto';
import type { CommitRequest } from '../ledger/blockPlan';
import { keyHashOf } from '../ledger/committedState';
import type { MetadataWrite, ReadEntry, ReadWriteSet, WriteEntry } from '../ledger/types';
import { codecs } from '../wire/codec';

/** Whether the peer keeps the plaintext of a chaincode's collection. */
export type KeepsCollection = (chaincode: string, collection: string) => boolean;

/** The transaction as the peer keeps it; the request itself when it keeps everything it has. */
export function keptBy(request: CommitRequest, keeps: KeepsCollection): CommitRequest {
  const rwset = keptReadWriteSet(request.rwset, keeps);
  const recordRwset = request.record.rwset === request.rwset ? rwset : keptReadWriteSet(request.record.rwset, keeps);
  const privateData = request.privateData && (eligiblePrivateData(request.privateData, keeps) ?? undefined);
  if (rwset === request.rwset && recordRwset === request.record.rwset && privateData === request.privateData) return request;
  const { privateData: _all, ...rest } = request;
  return { ...rest, rwset, record: { ...request.record, rwset: recordRwset }, ...(privateData ? { privateData } : {}) };
}

/** A read/write set with the private keys and values of collections the peer does not keep hashed. */
export function keptReadWriteSet<T extends ReadWriteSet>(rwset: T, keeps: KeepsCollection): T {
  const foreign = (e: { chaincode: string; collection: string; hashed?: true }): boolean => e.collection !== '' && !e.hashed && !keeps(e.chaincode, e.collection);
  if (![...rwset.reads, ...rwset.writes, ...rwset.metadataWrites].some(foreign)) return rwset;
  return {
    ...rwset,
    reads: rwset.reads.map((r): ReadEntry => (foreign(r) ? { ...r, key: keyHashOf(r.key), hashed: true } : r)),
    writes: rwset.writes.map((w): WriteEntry => (foreign(w) ? hashedWrite(w) : w)),
    metadataWrites: rwset.metadataWrites.map((m): MetadataWrite => (foreign(m) ? { ...m, key: keyHashOf(m.key), hashed: true } : m)),
  };
}

/** Fabric's KVWriteHash: the value's hash, none for a delete (an empty value is a delete). */
function hashedWrite(w: WriteEntry): WriteEntry {
  const value = w.value === null || w.value.length === 0 ? null : createHash('sha256').update(w.value).digest();
  return { ...w, key: keyHashOf(w.key), value, hashed: true };
}

/** A TxPvtReadWriteSet with only the collections `eligible` allows; null when none is left. */
export function eligiblePrivateData(bytes: Buffer, eligible: (namespace: string, collection: string) => boolean): Buffer | null {
  const pvt = codecs.TxPvtReadWriteSet.decode(bytes);
  const all = pvt.ns_pvt_rwset ?? [];
  const filtered = all.map((ns) => ({ ...ns, collection_pvt_rwset: (ns.collection_pvt_rwset ?? []).filter((c) => eligible(ns.namespace ?? '', c.collection_name ?? '')) }));
  const namespaces = filtered.filter((ns) => ns.collection_pvt_rwset.length > 0);
  if (namespaces.length === 0) return null;
  // Nothing withheld: the bytes as stored, not a re-encoding.
  const withheld = filtered.some((ns, i) => ns.collection_pvt_rwset.length < (all[i].collection_pvt_rwset ?? []).length);
  return withheld ? codecs.TxPvtReadWriteSet.encode({ data_model: pvt.data_model, ns_pvt_rwset: namespaces }) : bytes;
}
