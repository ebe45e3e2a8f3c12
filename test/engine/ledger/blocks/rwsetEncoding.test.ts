/**
 * The read-write set encoding against Fabric's rules (core/ledger/kvledger/txmgmt/rwsetutil
 * rwset_builder.go, rwset_proto_util.go): a hand-assembled golden encoding, an expected encoding
 * built step by step with fabric-protos' own classes, fabric-protos decoding our bytes, and round
 * trips of random read-write sets.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'crypto';
import * as fc from 'fast-check';
import { decodeReadWriteSet, encodeSimulationResults, MalformedReadWriteSetError, type FabricReadWriteSet } from '../../../../src/engine/ledger/blocks/rwsetEncoding';
import type { MetadataWrite, ReadEntry, Version, WriteEntry } from '../../../../src/engine/ledger/types';

/* eslint-disable @typescript-eslint/no-explicit-any -- fabric-protos' google-protobuf classes, reached untyped */
const FP: any = require('@hyperledger/fabric-protos');
const { TxReadWriteSet, NsReadWriteSet, CollectionHashedReadWriteSet, TxPvtReadWriteSet, NsPvtReadWriteSet, CollectionPvtReadWriteSet } = FP.ledger.rwset;
const {
  KVRWSet,
  KVRead,
  KVWrite,
  KVMetadataWrite,
  KVMetadataEntry,
  HashedRWSet,
  KVReadHash,
  KVWriteHash,
  KVMetadataWriteHash,
  Version: KVVersion,
  RangeQueryInfo,
  QueryReads,
} = FP.ledger.rwset.kvrwset;

const CH = 'mychannel';
const sha = (x: string | Uint8Array): Buffer => createHash('sha256').update(x).digest();
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const v = (blockNum: number, txNum: number): Version => ({ blockNum, txNum });
const read = (chaincode: string, collection: string, key: string, version: Version | null, channel = CH): ReadEntry => ({ channel, chaincode, collection, key, version });
const write = (chaincode: string, collection: string, key: string, value: string | null, purge?: boolean): WriteEntry => ({
  channel: CH,
  chaincode,
  collection,
  key,
  value: value === null ? null : Buffer.from(value),
  ...(purge ? { purge } : {}),
});
const meta = (chaincode: string, collection: string, key: string, metakey: string, value: string): MetadataWrite => ({
  channel: CH,
  chaincode,
  collection,
  key,
  metakey,
  value: Buffer.from(value),
});

function theirVersion(version: Version | null): unknown {
  if (!version) return undefined;
  const out = new KVVersion();
  out.setBlockNum(version.blockNum);
  out.setTxNum(version.txNum);
  return out;
}

describe('read-write set encoding (Fabric rwsetutil)', () => {
  test('golden: one read of an absent key and one write, assembled byte by byte', () => {
    const { publicBytes, privateBytes } = encodeSimulationResults(CH, { reads: [read('cc', '', 'k', null)], writes: [write('cc', '', 'k', 'v')], metadataWrites: [] });
    // KVRWSet{reads:[KVRead{key:"k"}] (no version: absent), writes:[KVWrite{key:"k", value:"v"}]}
    const kvrwset = '0a03' + '0a016b' + '1a06' + '0a016b' + '1a0176';
    // NsReadWriteSet{namespace:"cc", rwset}; TxReadWriteSet{data_model: KV (0, not written), ns_rwset:[…]}
    const ns = '0a026363' + '120d' + kvrwset;
    assert.equal(hex(publicBytes), '1213' + ns);
    assert.equal(privateBytes, null);
  });

  test('golden: a read at version {0, 0} keeps an empty Version message (presence), a delete has no value', () => {
    const { publicBytes } = encodeSimulationResults(CH, {
      reads: [read('cc', '', 'k', v(0, 0))],
      writes: [write('cc', '', 'd', null), write('cc', '', 'e', '')],
      metadataWrites: [],
    });
    const kvrwset = '0a05' + '0a016b' + '1200' + '1a05' + '0a0164' + '1001' + '1a05' + '0a0165' + '1001';
    assert.equal(
      hex(publicBytes),
      '12' + (4 + 2 + kvrwset.length / 2).toString(16).padStart(2, '0') + '0a026363' + '12' + (kvrwset.length / 2).toString(16).padStart(2, '0') + kvrwset,
    );
  });

  // Everything at once, in an order the builder must fix: namespaces, keys and collections unsorted,
  // public and private reads, writes, deletes, a purge, metadata writes, a range query, another channel.
  const everything: FabricReadWriteSet = {
    reads: [
      read('zeta', '', 'b', v(4, 1)),
      read('alpha', '', 'y', null),
      read('alpha', '', 'x', v(2, 0)),
      read('alpha', 'coll1', 'secret', v(3, 2)),
      read('alpha', '', 'other-channel', v(9, 9), 'otherchannel'),
    ],
    writes: [
      write('zeta', '', 'b', 'B'),
      write('alpha', '', 'x', 'X2'),
      write('alpha', '', 'gone', null),
      write('alpha', 'coll2', 'p2', 'P2'),
      write('alpha', 'coll1', 'secret', 'S2'),
      write('alpha', 'coll1', 'old', null),
      write('alpha', 'coll1', 'purged', null, true),
    ],
    metadataWrites: [meta('alpha', '', 'x', 'VALIDATION_PARAMETER', 'policy-x'), meta('alpha', 'coll1', 'secret', 'VALIDATION_PARAMETER', 'policy-s')],
    rangeQueries: [{ chaincode: 'zeta', startKey: 'a', endKey: 'c', itrExhausted: true, reads: [{ key: 'b', version: v(4, 1) }] }],
  };

  /** The expected encoding, built with fabric-protos' classes following rwset_builder.go step by step. */
  function expectedEverything(): { pub: Uint8Array; pvt: Uint8Array } {
    const kvRead = (key: string, version: Version | null): unknown => {
      const r = new KVRead();
      r.setKey(key);
      if (version) r.setVersion(theirVersion(version));
      return r;
    };
    const kvWrite = (key: string, value: string | null): unknown => {
      const w = new KVWrite();
      w.setKey(key);
      if (value === null) w.setIsDelete(true);
      else w.setValue(Buffer.from(value));
      return w;
    };
    const entry = (name: string, value: string): unknown => {
      const e = new KVMetadataEntry();
      e.setName(name);
      e.setValue(Buffer.from(value));
      return e;
    };
    // Private sets first: their hashes go into the public set (GetTxSimulationResults).
    const coll1Pvt = new KVRWSet();
    coll1Pvt.setWritesList([kvWrite('old', null), kvWrite('purged', null), kvWrite('secret', 'S2')]);
    const pvtMeta = new KVMetadataWrite();
    pvtMeta.setKey('secret'); // only the key: the entries go to the hashed set
    coll1Pvt.setMetadataWritesList([pvtMeta]);
    const coll2Pvt = new KVRWSet();
    coll2Pvt.setWritesList([kvWrite('p2', 'P2')]);
    const pvtColl = (name: string, set: any): unknown => {
      const c = new CollectionPvtReadWriteSet();
      c.setCollectionName(name);
      c.setRwset(set.serializeBinary());
      return c;
    };
    const nsPvt = new NsPvtReadWriteSet();
    nsPvt.setNamespace('alpha');
    nsPvt.setCollectionPvtRwsetList([pvtColl('coll1', coll1Pvt), pvtColl('coll2', coll2Pvt)]);
    const pvt = new TxPvtReadWriteSet();
    pvt.setNsPvtRwsetList([nsPvt]);

    const hashWrite = (key: string, value: string | null, purge = false): unknown => {
      const w = new KVWriteHash();
      w.setKeyHash(sha(key));
      if (value === null) {
        w.setIsDelete(true);
        w.setIsPurge(purge);
      } else w.setValueHash(sha(value));
      return w;
    };
    const coll1Hashed = new HashedRWSet();
    const readHash = new KVReadHash();
    readHash.setKeyHash(sha('secret'));
    readHash.setVersion(theirVersion(v(3, 2)));
    coll1Hashed.setHashedReadsList([readHash]);
    // Sorted by plain key (old < purged < secret), not by hash.
    coll1Hashed.setHashedWritesList([hashWrite('old', null), hashWrite('purged', null, true), hashWrite('secret', 'S2')]);
    const metaHash = new KVMetadataWriteHash();
    metaHash.setKeyHash(sha('secret'));
    metaHash.setEntriesList([entry('VALIDATION_PARAMETER', 'policy-s')]);
    coll1Hashed.setMetadataWritesList([metaHash]);
    const coll2Hashed = new HashedRWSet();
    coll2Hashed.setHashedWritesList([hashWrite('p2', 'P2')]);
    const hashedColl = (name: string, set: any, pvtSet: any): unknown => {
      const c = new CollectionHashedReadWriteSet();
      c.setCollectionName(name);
      c.setHashedRwset(set.serializeBinary());
      c.setPvtRwsetHash(sha(pvtSet.serializeBinary()));
      return c;
    };

    const alpha = new KVRWSet();
    alpha.setReadsList([kvRead('x', v(2, 0)), kvRead('y', null)]);
    alpha.setWritesList([kvWrite('gone', null), kvWrite('x', 'X2')]);
    const alphaMeta = new KVMetadataWrite();
    alphaMeta.setKey('x');
    alphaMeta.setEntriesList([entry('VALIDATION_PARAMETER', 'policy-x')]);
    alpha.setMetadataWritesList([alphaMeta]);
    const nsAlpha = new NsReadWriteSet();
    nsAlpha.setNamespace('alpha');
    nsAlpha.setRwset(alpha.serializeBinary());
    nsAlpha.setCollectionHashedRwsetList([hashedColl('coll1', coll1Hashed, coll1Pvt), hashedColl('coll2', coll2Hashed, coll2Pvt)]);

    const zeta = new KVRWSet();
    zeta.setReadsList([kvRead('b', v(4, 1))]);
    const range = new RangeQueryInfo();
    range.setStartKey('a');
    range.setEndKey('c');
    range.setItrExhausted(true);
    const rawReads = new QueryReads();
    rawReads.setKvReadsList([kvRead('b', v(4, 1))]);
    range.setRawReads(rawReads);
    zeta.setRangeQueriesInfoList([range]);
    zeta.setWritesList([kvWrite('b', 'B')]);
    const nsZeta = new NsReadWriteSet();
    nsZeta.setNamespace('zeta');
    nsZeta.setRwset(zeta.serializeBinary());

    const pub = new TxReadWriteSet();
    pub.setDataModel(TxReadWriteSet.DataModel.KV);
    pub.setNsRwsetList([nsAlpha, nsZeta]);
    return { pub: pub.serializeBinary(), pvt: pvt.serializeBinary() };
  }

  test('public, hashed and private sets are byte-identical to the ones built with fabric-protos by Fabric’s rules', () => {
    const { publicBytes, privateBytes } = encodeSimulationResults(CH, everything);
    const expected = expectedEverything();
    assert.equal(hex(publicBytes), hex(expected.pub));
    assert.ok(privateBytes);
    assert.equal(hex(privateBytes), hex(expected.pvt));
  });

  test('fabric-protos decodes our bytes: sorted namespaces and keys, versions, hashes, pvt_rwset_hash', () => {
    const { publicBytes, privateBytes } = encodeSimulationResults(CH, everything);
    const tx = TxReadWriteSet.deserializeBinary(publicBytes);
    assert.deepEqual(
      tx.getNsRwsetList().map((n: any) => n.getNamespace()),
      ['alpha', 'zeta'],
    );
    const alpha = KVRWSet.deserializeBinary(tx.getNsRwsetList()[0].getRwset_asU8());
    assert.deepEqual(
      alpha.getReadsList().map((r: any) => [r.getKey(), r.hasVersion() ? [r.getVersion().getBlockNum(), r.getVersion().getTxNum()] : null]),
      [
        ['x', [2, 0]],
        ['y', null],
      ],
    );
    assert.deepEqual(
      alpha.getWritesList().map((w: any) => [w.getKey(), w.getIsDelete(), Buffer.from(w.getValue_asU8()).toString()]),
      [
        ['gone', true, ''],
        ['x', false, 'X2'],
      ],
    );
    const colls = tx.getNsRwsetList()[0].getCollectionHashedRwsetList();
    assert.deepEqual(
      colls.map((c: any) => c.getCollectionName()),
      ['coll1', 'coll2'],
    );
    const pvt = TxPvtReadWriteSet.deserializeBinary(privateBytes);
    const pvtColl1 = pvt.getNsPvtRwsetList()[0].getCollectionPvtRwsetList()[0];
    assert.deepEqual(Buffer.from(colls[0].getPvtRwsetHash_asU8()), sha(pvtColl1.getRwset_asU8()), 'pvt_rwset_hash = SHA-256(private KVRWSet bytes)');
    const hashed = HashedRWSet.deserializeBinary(colls[0].getHashedRwset_asU8());
    const purged = hashed.getHashedWritesList()[1];
    assert.deepEqual([Buffer.from(purged.getKeyHash_asU8()), purged.getIsDelete(), purged.getIsPurge(), purged.getValueHash_asU8().length], [sha('purged'), true, true, 0]);
    assert.equal(tx.getNsRwsetList()[1].getCollectionHashedRwsetList().length, 0);
  });

  test('keys sort by UTF-8 bytes as Go does, not by UTF-16 code units', () => {
    const keys = ['\u{10000}', '\uFFFD', 'a', '\u00e9'];
    const { publicBytes } = encodeSimulationResults(CH, { reads: keys.map((k) => read('cc', '', k, null)), writes: [], metadataWrites: [] });
    const ns = TxReadWriteSet.deserializeBinary(publicBytes).getNsRwsetList()[0];
    const got = KVRWSet.deserializeBinary(ns.getRwset_asU8())
      .getReadsList()
      .map((r: any) => r.getKey());
    assert.deepEqual(
      got,
      [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))),
    );
    assert.deepEqual(got, ['a', '\u00e9', '\uFFFD', '\u{10000}']);
  });

  test('a collection with only reads has hashed reads but no private set and no pvt_rwset_hash', () => {
    const { publicBytes, privateBytes } = encodeSimulationResults(CH, { reads: [read('cc', 'c', 'k', v(1, 0))], writes: [], metadataWrites: [] });
    assert.equal(privateBytes, null);
    const ns = TxReadWriteSet.deserializeBinary(publicBytes).getNsRwsetList()[0];
    assert.equal(ns.getRwset_asU8().length, 0, 'an empty public KVRWSet marshals to no bytes');
    const coll = ns.getCollectionHashedRwsetList()[0];
    assert.equal(coll.getPvtRwsetHash_asU8().length, 0);
    assert.equal(HashedRWSet.deserializeBinary(coll.getHashedRwset_asU8()).getHashedReadsList().length, 1);
  });

  test('decode: public data and (with the private set) private writes come back; private reads cannot', () => {
    const { publicBytes, privateBytes } = encodeSimulationResults(CH, everything);
    const decoded = decodeReadWriteSet(CH, publicBytes, privateBytes);
    const publicOnly = decodeReadWriteSet(CH, publicBytes);
    const expectedWrites = everything.writes.map((w) => (w.value !== null && w.value.length === 0 ? { ...w, value: null } : w));
    const byTarget = (a: { chaincode: string; collection: string; key: string }, b: typeof a): number =>
      JSON.stringify([a.chaincode, a.collection, a.key]).localeCompare(JSON.stringify([b.chaincode, b.collection, b.key]));
    assert.deepEqual([...decoded.writes].sort(byTarget), [...expectedWrites].sort(byTarget));
    assert.deepEqual([...decoded.metadataWrites].sort(byTarget), [...everything.metadataWrites].sort(byTarget));
    assert.deepEqual([...decoded.reads].sort(byTarget), everything.reads.filter((r) => r.collection === '' && r.channel === CH).sort(byTarget));
    assert.deepEqual(decoded.rangeQueries, everything.rangeQueries);
    assert.deepEqual(
      publicOnly.writes.filter((w) => w.collection !== ''),
      [],
    );
    assert.deepEqual([...publicOnly.writes].sort(byTarget), expectedWrites.filter((w) => w.collection === '').sort(byTarget));
  });

  test('malformed bytes throw MalformedReadWriteSetError naming the part', () => {
    assert.throws(
      () => decodeReadWriteSet(CH, Buffer.from([0x12, 0x05, 0x0a])),
      (e: Error) => e instanceof MalformedReadWriteSetError && /TxReadWriteSet/.test(e.message),
    );
    const badNs = new NsReadWriteSet();
    badNs.setNamespace('cc');
    badNs.setRwset(Buffer.from([0x0a, 0x09, 0x01]));
    const tx = new TxReadWriteSet();
    tx.setNsRwsetList([badNs]);
    assert.throws(
      () => decodeReadWriteSet(CH, tx.serializeBinary()),
      (e: Error) => e instanceof MalformedReadWriteSetError && /KVRWSet of namespace cc/.test(e.message) && e.cause instanceof Error,
    );
  });

  test('random read-write sets: encoding is order-independent and decodes back to the same public data', () => {
    const key = fc.string({ minLength: 1, maxLength: 6, unit: 'grapheme' });
    const chaincode = fc.constantFrom('a', 'b', '\u00e9t\u00e9');
    const collection = fc.constantFrom('', '', 'c1', 'c2');
    const version = fc.option(fc.record({ blockNum: fc.nat(1000), txNum: fc.nat(50) }), { nil: null });
    const value = fc.option(
      fc.uint8Array({ maxLength: 8 }).map((b) => Buffer.from(b)),
      { nil: null },
    );
    const rwset = fc.record({
      reads: fc.uniqueArray(fc.record({ channel: fc.constant(CH), chaincode, collection, key, version }), {
        selector: (r) => JSON.stringify([r.chaincode, r.collection, r.key]),
        maxLength: 8,
      }),
      writes: fc.uniqueArray(fc.record({ channel: fc.constant(CH), chaincode, collection, key, value }), {
        selector: (w) => JSON.stringify([w.chaincode, w.collection, w.key]),
        maxLength: 8,
      }),
      metadataWrites: fc.uniqueArray(
        fc.record({ channel: fc.constant(CH), chaincode, collection, key, metakey: fc.constantFrom('VALIDATION_PARAMETER', 'X'), value: value.map((x) => x ?? Buffer.alloc(0)) }),
        {
          selector: (m) => JSON.stringify([m.chaincode, m.collection, m.key, m.metakey]),
          maxLength: 4,
        },
      ),
    });
    fc.assert(
      fc.property(rwset, fc.nat(), (set, seed) => {
        const encoded = encodeSimulationResults(CH, set);
        const shuffled = { reads: shuffle(set.reads, seed), writes: shuffle(set.writes, seed + 1), metadataWrites: shuffle(set.metadataWrites, seed + 2) };
        const again = encodeSimulationResults(CH, shuffled);
        assert.equal(hex(again.publicBytes), hex(encoded.publicBytes));
        assert.equal(again.privateBytes && hex(again.privateBytes), encoded.privateBytes && hex(encoded.privateBytes));
        const decoded = decodeReadWriteSet(CH, encoded.publicBytes, encoded.privateBytes);
        const canon = (xs: readonly object[]): string[] =>
          xs.map((x) => JSON.stringify(x, (_k, val) => (val?.type === 'Buffer' ? Buffer.from(val.data).toString('hex') : val))).sort();
        assert.deepEqual(canon(decoded.reads), canon(set.reads.filter((r) => r.collection === '')));
        assert.deepEqual(canon(decoded.writes), canon(set.writes.map((w) => (w.value?.length === 0 ? { ...w, value: null } : w))));
        assert.deepEqual(canon(decoded.metadataWrites), canon(set.metadataWrites));
        // Re-encoding the decoded private and public data gives the same bytes where no private read was lost.
        if (!set.reads.some((r) => r.collection !== '')) {
          const reencoded = encodeSimulationResults(CH, decoded);
          assert.equal(hex(reencoded.publicBytes), hex(encoded.publicBytes));
        }
      }),
      { numRuns: 300, seed: 0x1ed9e5 },
    );
  });
});

function shuffle<T>(xs: readonly T[], seed: number): T[] {
  const out = [...xs];
  let s = seed || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
