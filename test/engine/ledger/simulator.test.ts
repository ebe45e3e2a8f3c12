import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TxSimulator } from '../../../src/engine/ledger/simulator';
import { WorldState } from '../../../src/engine/ledger/worldState';
import { commit, meta, NS, put, record, tempDir, text, tx } from './ledgerTestKit';

const CC = NS.chaincode;

async function withState(fn: (ws: WorldState) => Promise<void>): Promise<void> {
  const { dir, cleanup } = tempDir('sim');
  const ws = await WorldState.open(dir, { durability: 'process' });
  try {
    await fn(ws);
  } finally {
    await ws.close();
    cleanup();
  }
}

describe('TxSimulator', () => {
  test('reads come from committed state and never see the transaction’s own writes', async () => {
    await withState(async (ws) => {
      await commit(ws, tx('t1', [put('a', 'committed'), put('p', 'secret', 'coll')]));
      const sim = new TxSimulator(ws, NS.channel, 'tx0');
      sim.putState(CC, '', 'a', Buffer.from('mine'));
      sim.putState(CC, '', 'new', Buffer.from('mine'));
      sim.putState(CC, 'coll', 'p', Buffer.from('mine'));
      sim.delState(CC, '', 'a');
      assert.equal(text(sim.getState(CC, 'a')), 'committed');
      assert.equal(sim.getState(CC, 'new'), undefined);
      assert.equal(text(sim.getPrivateData(CC, 'coll', 'p')), 'secret');
      assert.deepEqual(
        sim.getStateRange(CC, '', '', '').rows.map((r) => r.key),
        ['a'],
      );
      assert.equal(text(ws.getState(NS, 'a')?.value), 'committed', 'simulation does not touch state');
    });
  });

  test('the read set records the version first seen, null for absent keys, rows of ranges and queries too', async () => {
    await withState(async (ws) => {
      await commit(ws, tx('t1', [put('a', '{"n":1}'), put('b', '{"n":2}')]));
      await commit(ws, tx('t2', [put('b', '{"n":3}'), put('p', 'x', 'coll')]));
      const sim = new TxSimulator(ws, NS.channel, 'tx0');
      sim.getState(CC, 'a');
      sim.getState(CC, 'missing');
      sim.getPrivateDataHash(CC, 'coll', 'p');
      sim.getStateRange(CC, '', 'a', 'c');
      sim.getQueryResult(CC, '', '{"selector":{"n":{"$gt":0}}}');
      const reads = sim.readWriteSet().reads.map((r) => [r.collection, r.key, r.version && r.version.blockNum]);
      assert.deepEqual(reads, [
        ['', 'a', 1],
        ['', 'missing', null],
        ['coll', 'p', 2],
        ['', 'b', 2],
      ]);
      assert.ok(sim.readWriteSet().reads.every((r) => r.channel === NS.channel && r.chaincode === CC));
    });
  });

  test('first read wins: a later read of a changed key keeps the first version, so the commit conflicts', async () => {
    await withState(async (ws) => {
      await commit(ws, tx('t1', [put('k', 'v1')]));
      const sim = new TxSimulator(ws, NS.channel, 'tx0');
      assert.equal(text(sim.getState(CC, 'k')), 'v1');
      await commit(ws, tx('t2', [put('k', 'v2')]));
      assert.equal(text(sim.getState(CC, 'k')), 'v2', 'reads always see committed state');
      sim.putState(CC, '', 'k', Buffer.from('v3'));
      assert.deepEqual(sim.readWriteSet().reads[0].version, { blockNum: 1, txNum: 0 });
      const rwset = sim.readWriteSet();
      const result = await commit(ws, { txId: 't3', timestamp: 1, rwset, record: record('t3', rwset) });
      assert.equal(result.validation, 'MVCC_READ_CONFLICT');
      assert.equal(text(ws.getState(NS, 'k')?.value), 'v2');
    });
  });

  test('writes: the last write to a key wins, an empty value is a delete, purge and metadata are kept', async () => {
    await withState(async (ws) => {
      const sim = new TxSimulator(ws, NS.channel, 'tx0');
      sim.putState(CC, '', 'k', Buffer.from('1'));
      sim.putState(CC, '', 'k', Buffer.from('2'));
      sim.putState(CC, '', 'empty', Buffer.alloc(0));
      sim.purgePrivateData(CC, 'coll', 'p');
      sim.putStateMetadata(CC, '', 'k', 'VALIDATION_PARAMETER', Buffer.from('policy'));
      const { writes, metadataWrites } = sim.readWriteSet();
      assert.deepEqual(
        writes.map((w) => [w.collection, w.key, w.value && w.value.toString(), w.purge ?? false]),
        [
          ['', 'k', '2', false],
          ['', 'empty', null, false],
          ['coll', 'p', null, true],
        ],
      );
      assert.deepEqual(
        metadataWrites.map((m) => [m.key, m.metakey, m.value.toString()]),
        [['k', 'VALIDATION_PARAMETER', 'policy']],
      );
    });
  });

  test('metadata reads return the committed metadata and record a read', async () => {
    await withState(async (ws) => {
      await commit(ws, tx('t1', [put('k', 'v')], { metadataWrites: [meta('k', 'VALIDATION_PARAMETER', 'p1')] }));
      const sim = new TxSimulator(ws, NS.channel, 'tx0');
      assert.equal(text(sim.getStateMetadata(CC, '', 'k').VALIDATION_PARAMETER), 'p1');
      assert.deepEqual(sim.getStateMetadata(CC, '', 'none'), {});
      assert.deepEqual(
        sim.readWriteSet().reads.map((r) => r.key),
        ['k', 'none'],
      );
    });
  });

  test('invalid requests throw clear errors', async () => {
    await withState(async (ws) => {
      const sim = new TxSimulator(ws, NS.channel, 'tx9');
      assert.throws(() => sim.putState(CC, '', 'bad\uD800key', Buffer.from('v')), /not a valid UTF-8 string/);
      assert.throws(() => sim.purgePrivateData(CC, '', 'k'), /collection name is required/);
      assert.throws(() => sim.getPrivateData(CC, '', 'k'), /collection name is required/);
      assert.throws(() => sim.putStateMetadata(CC, '', 'k', '', Buffer.from('v')), /metakey/);
      assert.throws(() => sim.getQueryResult(CC, '', '{"selector": 5}'), /^Error: invalid query: selector must be a JSON object|invalid query/);
      assert.deepEqual(sim.readWriteSet().writes, []);
    });
  });

  test('like Fabric, private-data queries and paginated queries do not mix with writes, in its words (tx_simulator.go, "unsuppored" verbatim)', async () => {
    await withState(async (ws) => {
      const writer = new TxSimulator(ws, NS.channel, 'tx1');
      writer.putState(CC, '', 'k', Buffer.from('v'));
      assert.throws(() => writer.getStateRange(CC, 'coll', '', ''), {
        message: 'txid [tx1]: unsuppored transaction. Queries on pvt data is supported only in a read-only transaction',
      });
      assert.throws(() => writer.getQueryResult(CC, 'coll', '{"selector":{}}'), { message: /^txid \[tx1\]: unsuppored transaction\. Queries on pvt data/ });
      assert.throws(() => writer.getStateRange(CC, '', '', '', { pageSize: 5 }), {
        message: 'txid [tx1]: unsuppored transaction. Paginated queries are supported only in a read-only transaction',
      });
      assert.throws(() => writer.getStateRange(CC, '', '', '', { bookmark: 'k' }), { message: /^txid \[tx1\]: unsuppored transaction\. Paginated queries/ });
      assert.equal(writer.getStateRange(CC, '', '', '').rows.length, 0, 'unpaginated public ranges are fine');

      const reader = new TxSimulator(ws, NS.channel, 'tx2');
      reader.getQueryResult(CC, 'coll', '{"selector":{}}');
      assert.throws(() => reader.putState(CC, '', 'k', Buffer.from('v')), {
        message: 'txid [tx2]: unsuppored transaction. Transaction has already performed queries on pvt data. Writes are not allowed',
      });
      const pager = new TxSimulator(ws, NS.channel, 'tx3');
      pager.getStateRange(CC, '', '', '', { pageSize: 1 });
      assert.throws(() => pager.delState(CC, '', 'k'), {
        message: 'txid [tx3]: unsuppored transaction. Transaction has already performed a paginated query. Writes are not allowed',
      });
    });
  });

  test('an empty key is a key, as in Fabric on LevelDB (its ValidateKeyValue checks nothing): put, get, delete, range, and it survives a reopen', async () => {
    const { dir, cleanup } = tempDir('sim-empty-key');
    try {
      let ws = await WorldState.open(dir, { durability: 'process' });
      const writer = new TxSimulator(ws, NS.channel, 'tx1');
      writer.putState(CC, '', '', Buffer.from('nameless'));
      writer.putState(CC, '', 'a', Buffer.from('A'));
      writer.putState(CC, 'coll', '', Buffer.from('private'));
      let rwset = writer.readWriteSet();
      assert.deepEqual((await commit(ws, { txId: 'tx1', timestamp: 1, rwset, record: record('tx1', rwset) })).validation, 'VALID');
      await ws.close();
      ws = await WorldState.open(dir, { durability: 'process' });
      const reader = new TxSimulator(ws, NS.channel, 'tx2');
      assert.equal(text(reader.getState(CC, '')), 'nameless');
      assert.equal(text(reader.getPrivateData(CC, 'coll', '')), 'private');
      // A raw range from '' includes the empty key; the shims start an empty start key at "\x01" instead.
      assert.deepEqual(
        reader.getStateRange(CC, '', '', '').rows.map((r) => r.key),
        ['', 'a'],
      );
      assert.deepEqual(
        reader.getStateRange(CC, '', '\x01', '').rows.map((r) => r.key),
        ['a'],
      );
      assert.deepEqual(
        reader.getHistory(CC, '').map((h) => h.txId),
        ['tx1'],
      );
      const deleter = new TxSimulator(ws, NS.channel, 'tx3');
      deleter.delState(CC, '', '');
      rwset = deleter.readWriteSet();
      await commit(ws, { txId: 'tx3', timestamp: 2, rwset, record: record('tx3', rwset) });
      assert.equal(new TxSimulator(ws, NS.channel, 'tx4').getState(CC, ''), undefined);
      await ws.close();
    } finally {
      cleanup();
    }
  });

  test('a simulated transaction commits end to end, including history', async () => {
    await withState(async (ws) => {
      const sim = new TxSimulator(ws, NS.channel, 'tx0');
      sim.getState(CC, 'asset1');
      sim.putState(CC, '', 'asset1', Buffer.from('{"owner":"alice"}'));
      const rwset = sim.readWriteSet();
      const result = await commit(ws, { txId: 'tx1', timestamp: 42, rwset, record: record('tx1', rwset) });
      assert.deepEqual(result, { validation: 'VALID', blockNum: 1, txNum: 0 });
      const sim2 = new TxSimulator(ws, NS.channel, 'tx0');
      assert.equal(text(sim2.getState(CC, 'asset1')), '{"owner":"alice"}');
      assert.deepEqual(
        sim2.getHistory(CC, 'asset1').map((h) => [h.txId, h.timestamp]),
        [['tx1', 42]],
      );
    });
  });
});
