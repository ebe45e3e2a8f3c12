/**
 * keptBy: a transaction as a peer outside a collection keeps it (hashes of that collection's keys
 * and values, no private write set beside the block), committed into a real world state: MVCC and
 * reads work on the hash entries, snapshots keep them, and a ledger written before peers kept only
 * hashes (plaintext of a collection the peer is not in) goes on working and loses the plaintext.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { encodeSimulationResults } from '../../../src/engine/ledger/blocks/rwsetEncoding';
import type { ReadEntry } from '../../../src/engine/ledger/types';
import { WorldState } from '../../../src/engine/ledger/worldState';
import { keptBy } from '../../../src/engine/privateData/keptPrivateData';
import { commit, NS, put, reopenFromSnapshot, tempDir, text, tx } from '../ledger/ledgerTestKit';

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
const outsideColl = (_chaincode: string, collection: string): boolean => collection !== 'coll';
const read = (key: string, version: { blockNum: number; txNum: number } | null, collection = 'coll'): ReadEntry => ({ ...NS, collection, key, version });

function filesContaining(dir: string, needle: string): string[] {
  return fs.readdirSync(dir).filter((f) => fs.readFileSync(path.join(dir, f)).includes(Buffer.from(needle)));
}

describe('keptBy: what a peer outside a collection keeps', () => {
  test("hashes the collection's reads, writes and metadata writes, in the record too, and drops its private write set", () => {
    const request = tx('t1', [put('k', 'SECRET-VALUE', 'coll'), put('m', 'mine', 'other'), put('pub', 'v')], {
      reads: [read('k', null)],
      metadataWrites: [{ ...NS, collection: 'coll', key: 'k', metakey: 'VALIDATION_PARAMETER', value: Buffer.from('p') }],
    });
    const privateData = encodeSimulationResults(NS.channel, request.rwset).privateBytes!;
    const kept = keptBy({ ...request, privateData }, outsideColl);
    assert.deepEqual(
      kept.rwset.writes.map((w) => [w.collection, w.key, w.value?.toString('hex'), w.hashed]),
      [
        ['coll', sha256('k'), sha256('SECRET-VALUE'), true],
        ['other', 'm', Buffer.from('mine').toString('hex'), undefined],
        ['', 'pub', Buffer.from('v').toString('hex'), undefined],
      ],
    );
    assert.deepEqual(kept.rwset.reads, [{ ...read(sha256('k'), null), hashed: true }]);
    assert.equal(kept.rwset.metadataWrites[0].key, sha256('k'));
    assert.equal(kept.record.rwset, kept.rwset, 'the record keeps the same (hashed) write set');
    assert.ok(kept.privateData && !kept.privateData.includes(Buffer.from('SECRET-VALUE')) && kept.privateData.includes(Buffer.from('mine')), 'only "other" stays beside the block');
    assert.equal(
      keptBy(request, () => true),
      request,
      'a member keeps the request as it is',
    );
  });

  test('a hash-only state validates, reads and snapshots hash entries; the plaintext is in none of its files', async () => {
    const { dir, cleanup } = tempDir('hashes');
    try {
      let ws = await WorldState.open(dir, { compactAfterBytes: 2048 });
      assert.equal((await commit(ws, keptBy(tx('t1', [put('k', 'SECRET-VALUE', 'coll')], { reads: [read('k', null)] }), outsideColl))).validation, 'VALID');
      assert.equal(ws.getPrivateData(NS, 'coll', 'k'), undefined, 'no plaintext');
      assert.equal(ws.getPrivateDataHash(NS, 'coll', 'k')?.toString('hex'), sha256('SECRET-VALUE'));
      assert.deepEqual(ws.getPrivateDataHashEntry(NS, 'coll', 'k')?.version, { blockNum: 1, txNum: 0 });
      // A stale read of the key conflicts, a current one passes: MVCC runs on the hash entries.
      assert.equal((await commit(ws, keptBy(tx('t2', [put('k', 'x', 'coll')], { reads: [read('k', null)] }), outsideColl))).validation, 'MVCC_READ_CONFLICT');
      ws = await reopenFromSnapshot(ws, dir);
      assert.equal(ws.getPrivateDataHash(NS, 'coll', 'k')?.toString('hex'), sha256('SECRET-VALUE'), 'the hash entry is in the snapshot');
      const current = read('k', { blockNum: 1, txNum: 0 });
      assert.equal((await commit(ws, keptBy(tx('t3', [put('k', null, 'coll')], { reads: [current] }), outsideColl))).validation, 'VALID');
      assert.equal(ws.getPrivateDataHashEntry(NS, 'coll', 'k'), undefined, 'a delete removes the hash entry');
      await ws.close();
      assert.deepEqual(filesContaining(dir, 'SECRET-VALUE'), []);
    } finally {
      cleanup();
    }
  });

  test('a ledger from before hash-only storage: its plaintext turns into hash entries at the first hashed write', async () => {
    const { dir, cleanup } = tempDir('legacy');
    try {
      // As every peer stored private data before: the plaintext of a collection this peer is not in.
      let ws = await WorldState.open(dir, { compactAfterBytes: 2048 });
      await commit(ws, tx('old', [put('k', 'OLD-SECRET', 'coll'), put('j', 'OLD-OTHER', 'coll')]));
      await ws.close();
      ws = await WorldState.open(dir, { compactAfterBytes: 2048 });
      assert.equal(ws.getPrivateDataHash(NS, 'coll', 'j')?.toString('hex'), sha256('OLD-OTHER'), 'old entries keep working');
      // A hashed transaction reading the old version of k validates against the old entry.
      const kept = keptBy(tx('new', [put('k', 'NEW-SECRET', 'coll')], { reads: [read('k', { blockNum: 1, txNum: 0 })] }), outsideColl);
      assert.equal((await commit(ws, kept)).validation, 'VALID');
      assert.equal(ws.getPrivateDataHash(NS, 'coll', 'k')?.toString('hex'), sha256('NEW-SECRET'));
      assert.equal(ws.getPrivateDataHash(NS, 'coll', 'j')?.toString('hex'), sha256('OLD-OTHER'), 'the other old key became a hash entry');
      assert.equal(ws.getPrivateData(NS, 'coll', 'j'), undefined, 'its plaintext is gone from memory');
      assert.deepEqual(ws.collections(NS), [], 'no plaintext collection left');
      // The snapshot that replaces the old logs holds hash entries (the old transaction's record,
      // kept among the recent records, still has its write set as it was).
      ws = await reopenFromSnapshot(ws, dir);
      assert.equal(ws.getPrivateDataHash(NS, 'coll', 'j')?.toString('hex'), sha256('OLD-OTHER'));
      assert.equal(text(ws.getPrivateData(NS, 'coll', 'j')?.value), undefined);
      await ws.close();
    } finally {
      cleanup();
    }
  });
});
