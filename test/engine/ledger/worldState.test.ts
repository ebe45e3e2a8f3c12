import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { logPath } from '../../../src/engine/ledger/ledgerFiles';
import { LogFile } from '../../../src/engine/ledger/logFile';
import { WorldState } from '../../../src/engine/ledger/worldState';
import { commit, meta, NS, put, record, tempDir, text, tx } from './ledgerTestKit';

async function withState<T>(fn: (ws: WorldState, dir: string) => Promise<T>, options = {}): Promise<T> {
  const { dir, cleanup } = tempDir();
  const ws = await WorldState.open(dir, options);
  try {
    return await fn(ws, dir);
  } finally {
    await ws.close();
    cleanup();
  }
}

describe('WorldState persistence', () => {
  test('state, versions, history, private data, metadata and records survive a reopen', async () => {
    const { dir, cleanup } = tempDir();
    try {
      let ws = await WorldState.open(dir);
      assert.equal(ws.height, 0);
      await commit(ws, tx('t1', [put('a', '1'), put('p', 'secret', 'coll')], { metadataWrites: [meta('a', 'VALIDATION_PARAMETER', 'policy')] }));
      await commit(ws, tx('t2', [put('a', '2'), put('b', 'x')]));
      await commit(ws, tx('t3', [put('b', null)]));
      ws.recordTransaction({ ...record('q1', { reads: [], writes: [], metadataWrites: [] }), kind: 'query', validation: 'VALID', blockNum: null });
      await ws.close();

      ws = await WorldState.open(dir);
      assert.equal(ws.height, 3);
      const a = ws.getState(NS, 'a');
      assert.equal(text(a?.value), '2');
      assert.deepEqual(a?.version, { blockNum: 2, txNum: 0 });
      assert.equal(text(a?.metadata.VALIDATION_PARAMETER), 'policy', 'a value-only write keeps metadata');
      assert.equal(ws.getState(NS, 'b'), undefined);
      assert.equal(text(ws.getPrivateData(NS, 'coll', 'p')?.value), 'secret');
      assert.equal(ws.getPrivateDataHash(NS, 'coll', 'p')?.toString('hex'), '2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b');
      assert.deepEqual(
        ws.getHistory(NS, 'b').map((h) => [h.txId, h.isDelete]),
        [
          ['t3', true],
          ['t2', false],
        ],
      );
      assert.deepEqual(
        ws.transactions().map((r) => r.txId),
        ['q1', 't3', 't2', 't1'],
      );
      assert.equal(ws.getTransaction('t2')?.blockNum, 2);
      assert.equal(ws.getTransaction('t2')?.validation, 'VALID');
      assert.equal(text(ws.getTransaction('t1')?.rwset.writes[0].value ?? undefined), '1');
      await commit(ws, tx('t4', [put('c', 'after reopen')]));
      assert.equal(ws.height, 4);
      await ws.close();
    } finally {
      cleanup();
    }
  });

  test('a second open of the same directory is refused while the first is open', async () => {
    await withState(async (_ws, dir) => {
      await assert.rejects(WorldState.open(dir), /already open in process/);
    });
  });

  test('a torn tail (a crash mid-write) is cut on open and later commits follow the intact records', async () => {
    const { dir, cleanup } = tempDir();
    try {
      let ws = await WorldState.open(dir);
      await commit(ws, tx('t1', [put('k', 'one')]));
      await commit(ws, tx('t2', [put('k', 'two')]));
      await ws.close();
      const log = fs.readdirSync(dir).filter((f) => f.startsWith('log-'));
      assert.equal(log.length, 1);
      const file = path.join(dir, log[0]);
      const intact = fs.statSync(file).size;
      // The start of a real record: its length says more bytes than follow.
      fs.appendFileSync(file, fs.readFileSync(file).subarray(0, 40));
      ws = await WorldState.open(dir);
      assert.equal(text(ws.getState(NS, 'k')?.value), 'two');
      assert.equal(fs.statSync(file).size, intact);
      await commit(ws, tx('t3', [put('k', 'three')]));
      await ws.close();
      // Garbage with a plausible length but a bad checksum.
      fs.appendFileSync(file, Buffer.from([8, 0, 0, 0, 1, 2, 3, 4, 9, 9, 9, 9, 9, 9, 9, 9]));
      ws = await WorldState.open(dir);
      assert.equal(text(ws.getState(NS, 'k')?.value), 'three');
      assert.equal(ws.height, 3);
      await ws.close();
    } finally {
      cleanup();
    }
  });

  test("zeros after a log's last record are preallocated space, not a torn tail: a later log still replays", async () => {
    // The state a crash leaves between switching to a new log generation and trimming the old one.
    const { dir, cleanup } = tempDir();
    try {
      let ws = await WorldState.open(dir);
      await commit(ws, tx('t1', [put('k', 'one')]));
      await ws.close();
      const [name] = fs.readdirSync(dir).filter((f) => f.startsWith('log-'));
      const file = path.join(dir, name);
      const first = fs.readFileSync(file);
      ws = await WorldState.open(dir);
      await commit(ws, tx('t2', [put('k', 'two')]));
      await ws.close();
      const second = fs.readFileSync(file).subarray(first.length);
      const gen = Number(/(\d+)/.exec(name)?.[1]);
      assert.equal(file, logPath(dir, gen));
      fs.writeFileSync(file, Buffer.concat([first, Buffer.alloc(1 << 20)]));
      fs.writeFileSync(logPath(dir, gen + 1), second);
      ws = await WorldState.open(dir);
      assert.equal(ws.height, 2);
      assert.equal(text(ws.getState(NS, 'k')?.value), 'two');
      await commit(ws, tx('t3', [put('k', 'three')]));
      await ws.close();
      ws = await WorldState.open(dir);
      assert.equal(ws.height, 3);
      assert.equal(text(ws.getState(NS, 'k')?.value), 'three');
      await ws.close();
    } finally {
      cleanup();
    }
  });

  test('compaction writes a snapshot, drops old logs and reopens to the same state', async () => {
    const { dir, cleanup } = tempDir();
    try {
      let ws = await WorldState.open(dir, { compactAfterBytes: 4096 });
      for (let i = 0; i < 200; i++) await commit(ws, tx(`t${i}`, [put(`key${i % 17}`, `v${i}`), put('p', `s${i}`, 'coll')]));
      ws.recordTransaction({ ...record('failed', { reads: [], writes: [], metadataWrites: [] }), status: 500, validation: 'NOT_COMMITTED', blockNum: null });
      await ws.close();
      const files = fs.readdirSync(dir).sort();
      const snapshots = files.filter((f) => f.startsWith('snapshot-'));
      assert.equal(snapshots.length, 1, `one snapshot, got ${files.join(' ')}`);
      assert.ok(files.filter((f) => f.startsWith('log-')).length <= 2, files.join(' '));
      assert.ok(!files.some((f) => f.endsWith('.tmp')));

      ws = await WorldState.open(dir, { compactAfterBytes: 4096 });
      assert.equal(ws.height, 200);
      assert.equal(text(ws.getState(NS, 'key16')?.value), 'v186');
      assert.equal(text(ws.getPrivateData(NS, 'coll', 'p')?.value), 's199');
      assert.equal(ws.getHistory(NS, 'key0').length, 12);
      assert.equal(text(ws.getHistory(NS, 'key0')[0].value), 'v187');
      assert.equal(ws.transactions({ limit: 1 })[0].txId, 'failed');
      assert.equal(ws.getTransaction('t0')?.blockNum, 1);
      await ws.close();
    } finally {
      cleanup();
    }
  });
});

describe('WorldState queries', () => {
  test('ranges follow byte order with composite keys, partial keys and the \\u{10FFFF} bound', async () => {
    await withState(async (ws) => {
      const ck = (...parts: string[]): string => `\u0000${parts.join('\u0000')}\u0000`;
      const keys = [
        ck('color~name', 'blue', 'car1'),
        ck('color~name', 'blue', 'car2'),
        ck('color~name', 'red', 'car3'),
        ck('color~name', 'blue\uFFFD'),
        ck('color~name', 'blue', '\u{1F600}'),
        'simple1',
        'simple2',
        '\u{10FFFF}tail',
      ];
      await commit(
        ws,
        tx(
          't1',
          keys.map((k) => put(k, 'v')),
        ),
      );
      const prefix = ck('color~name', 'blue');
      const partial = ws.getStateRange(NS, '', prefix, `${prefix}\u{10FFFF}`).rows.map((r) => r.key);
      assert.deepEqual(partial, [ck('color~name', 'blue', 'car1'), ck('color~name', 'blue', 'car2'), ck('color~name', 'blue', '\u{1F600}')]);
      const all = ws.getStateRange(NS, '', ck('color~name'), `${ck('color~name')}\u{10FFFF}`).rows.map((r) => r.key);
      assert.equal(all.length, 5, 'U+FFFD sorts below U+10FFFF (UTF-8 order, not UTF-16)');
      // Shims start a plain range at \x01 to skip composite keys.
      assert.deepEqual(
        ws.getStateRange(NS, '', '\u0001', '').rows.map((r) => r.key),
        ['simple1', 'simple2', '\u{10FFFF}tail'],
      );
      assert.deepEqual(
        ws.getStateRange(NS, '', 'simple1', 'simple2').rows.map((r) => r.key),
        ['simple1'],
      );
      assert.deepEqual(ws.getStateRange(NS, '', 'z', 'a').rows, []);
      assert.deepEqual(ws.getStateRange({ channel: 'other', chaincode: 'basic' }, '', '', '').rows, []);
    });
  });

  test('pagination returns pages with bookmarks; totalQueryLimit caps unpaginated results', async () => {
    await withState(
      async (ws) => {
        const keys = Array.from({ length: 25 }, (_, i) => `k${String(i).padStart(2, '0')}`);
        await commit(
          ws,
          tx(
            't1',
            keys.map((k) => put(k, k)),
          ),
        );
        const pages: string[][] = [];
        let bookmark = '';
        do {
          const page = ws.getStateRange(NS, '', 'k', 'l', { pageSize: 10, bookmark });
          pages.push(page.rows.map((r) => r.key));
          bookmark = page.bookmark;
        } while (bookmark !== '');
        assert.deepEqual(
          pages.map((p) => p.length),
          [10, 10, 5],
        );
        assert.deepEqual(pages.flat(), keys);
        const capped = ws.getStateRange(NS, '', '', '');
        assert.equal(capped.rows.length, 20);
        assert.equal(capped.bookmark, 'k20');
      },
      { totalQueryLimit: 20 },
    );
  });

  test('history is newest first and includes deletes with their timestamps', async () => {
    await withState(async (ws) => {
      await commit(ws, tx('t1', [put('h', 'one')], { timestamp: 1000 }));
      await commit(ws, tx('t2', [put('h', 'two')], { timestamp: 2000 }));
      await commit(ws, tx('t3', [put('h', null)], { timestamp: 3000 }));
      await commit(ws, tx('t4', [put('h', 'four')], { timestamp: 4000 }));
      const h = ws.getHistory(NS, 'h');
      assert.deepEqual(
        h.map((e) => [e.txId, text(e.value), e.timestamp, e.isDelete]),
        [
          ['t4', 'four', 4000, false],
          ['t3', '', 3000, true],
          ['t2', 'two', 2000, false],
          ['t1', 'one', 1000, false],
        ],
      );
      assert.deepEqual(ws.getHistory(NS, 'never'), []);
    });
  });

  test('private data: hash follows the value, delete and purge remove both, collections are separate', async () => {
    await withState(async (ws) => {
      await commit(ws, tx('t1', [put('k', 'v1', 'A'), put('k', 'other', 'B'), put('gone', 'x', 'A')]));
      const hash1 = ws.getPrivateDataHash(NS, 'A', 'k');
      assert.equal(hash1?.length, 32);
      assert.equal(ws.getState(NS, 'k'), undefined, 'private data is not public state');
      await commit(ws, tx('t2', [put('k', 'v2', 'A')]));
      assert.notDeepEqual(ws.getPrivateDataHash(NS, 'A', 'k'), hash1);
      await commit(ws, tx('t3', [{ ...put('k', null, 'A'), purge: true }, put('gone', null, 'A')]));
      assert.equal(ws.getPrivateData(NS, 'A', 'k'), undefined);
      assert.equal(ws.getPrivateDataHash(NS, 'A', 'k'), undefined);
      assert.equal(ws.getPrivateData(NS, 'A', 'gone'), undefined);
      assert.equal(text(ws.getPrivateData(NS, 'B', 'k')?.value), 'other');
      assert.deepEqual(ws.getHistory(NS, 'k'), [], 'no history for private data');
      assert.deepEqual(ws.collections(NS), ['B']);
    });
  });

  test('metadata: set with a value, kept by value writes, replaced, ignored for missing keys, dropped on delete', async () => {
    await withState(async (ws) => {
      await commit(ws, tx('t1', [put('k', 'v')], { metadataWrites: [meta('k', 'VALIDATION_PARAMETER', 'p1')] }));
      await commit(ws, tx('t2', [put('k', 'v2')]));
      assert.equal(text(ws.getState(NS, 'k')?.metadata.VALIDATION_PARAMETER), 'p1');
      await commit(ws, tx('t3', [], { metadataWrites: [meta('k', 'VALIDATION_PARAMETER', 'p2'), meta('missing', 'X', 'y')] }));
      const k = ws.getState(NS, 'k');
      assert.equal(text(k?.metadata.VALIDATION_PARAMETER), 'p2');
      assert.deepEqual(k?.version, { blockNum: 3, txNum: 0 }, 'a metadata write is a write');
      assert.equal(text(k?.value), 'v2');
      assert.equal(ws.getState(NS, 'missing'), undefined);
      await commit(ws, tx('t4', [put('k', null)]));
      await commit(ws, tx('t5', [put('k', 'back')]));
      assert.deepEqual(ws.getState(NS, 'k')?.metadata, {});
      await commit(ws, tx('t6', [put('m', 'v', 'coll')], { metadataWrites: [meta('m', 'VALIDATION_PARAMETER', 'pp', 'coll')] }));
      assert.equal(text(ws.getPrivateData(NS, 'coll', 'm')?.metadata.VALIDATION_PARAMETER), 'pp');
    });
  });

  test('namespaces, collections and entries for the World State view', async () => {
    await withState(async (ws) => {
      const other = { channel: 'a-channel', chaincode: 'zeta' };
      await commit(ws, tx('t1', [put('asset1', '1'), put('asset2', '2'), put('owner1', 'o'), put('x', 'p', 'priv'), put('y', 'v', '', other)]));
      assert.deepEqual(ws.namespaces(), [other, NS]);
      assert.deepEqual(ws.collections(NS), ['priv']);
      assert.deepEqual(
        ws.entries(NS, '', { prefix: 'asset' }).map((e) => e.key),
        ['asset1', 'asset2'],
      );
      assert.deepEqual(
        ws.entries(NS, '', { limit: 2 }).map((e) => e.key),
        ['asset1', 'asset2'],
      );
      assert.deepEqual(
        ws.entries(NS, 'priv').map((e) => e.key),
        ['x'],
      );
      assert.deepEqual(ws.entries(NS, 'nope'), []);
    });
  });
});

describe('WorldState commits', () => {
  test('an MVCC read conflict applies nothing but is in its block, marked, with its record', async () => {
    await withState(async (ws) => {
      await commit(ws, tx('t1', [put('k', 'v1')]));
      const seen = ws.getState(NS, 'k')?.version ?? null;
      await commit(ws, tx('t2', [put('k', 'v2')]));
      const stale = tx('t3', [put('k', 'v3'), put('other', 'x')], { reads: [{ ...NS, collection: '', key: 'k', version: seen }] });
      // Fabric keeps an invalid transaction in its block with its TxValidationCode (TRANSACTIONS_FILTER).
      assert.deepEqual(await commit(ws, stale), { validation: 'MVCC_READ_CONFLICT', blockNum: 3, txNum: 0 });
      assert.equal(text(ws.getState(NS, 'k')?.value), 'v2');
      assert.equal(ws.getState(NS, 'other'), undefined);
      assert.equal(ws.height, 3);
      assert.equal(ws.getTransaction('t3')?.validation, 'MVCC_READ_CONFLICT');
      assert.equal(ws.getTransaction('t3')?.blockNum, 3);
      // A read of an absent key (null) conflicts once the key exists; without the read the write commits.
      const absent = { ...NS, collection: '', key: 'k', version: null };
      assert.equal((await commit(ws, tx('t4', [put('z', '1')], { reads: [absent] }))).validation, 'MVCC_READ_CONFLICT');
      assert.deepEqual(await commit(ws, tx('t5', [put('z', '1')])), { validation: 'VALID', blockNum: 5, txNum: 0 });
      assert.deepEqual(ws.getState(NS, 'z')?.version, { blockNum: 5, txNum: 0 });
      // A verdict reached before MVCC (the endorsement policy) marks the transaction and applies nothing.
      const refused = await commit(ws, { ...tx('t6', [put('y', '1')]), validation: 'ENDORSEMENT_POLICY_FAILURE' });
      assert.deepEqual(refused, { validation: 'ENDORSEMENT_POLICY_FAILURE', blockNum: 6, txNum: 0 });
      assert.equal(ws.getState(NS, 'y'), undefined);
    });
  });

  test('the transactions of one block are validated in order against each other, each at its index', async () => {
    await withState(async (ws) => {
      await commit(ws, tx('t0', [put('k', '0')]));
      const version = ws.getState(NS, 'k')?.version ?? null;
      const read = { ...NS, collection: '', key: 'k', version };
      const block = await ws.commitBlock([tx('a', [put('k', 'a')], { reads: [read] }), tx('b', [put('k', 'b')], { reads: [read] }), tx('c', [put('other', 'c')])]);
      assert.equal(block.blockNum, 2);
      assert.deepEqual(
        block.results.map((r) => [r.validation, r.txNum]),
        [
          ['VALID', 0],
          ['MVCC_READ_CONFLICT', 1],
          ['VALID', 2],
        ],
      );
      assert.equal(text(ws.getState(NS, 'k')?.value), 'a');
      assert.deepEqual(ws.getState(NS, 'k')?.version, { blockNum: 2, txNum: 0 });
      assert.deepEqual(ws.getState(NS, 'other')?.version, { blockNum: 2, txNum: 2 });
      assert.equal(ws.height, 2);
      await assert.rejects(ws.commitBlock([]), /at least one transaction/);
    });
  });

  test("a block is handed to the block sink with every transaction's envelope and code before it is applied", async () => {
    const stored: { blockNum: number; txs: readonly { txId: string; envelope: Buffer | undefined; validation: string }[]; stateHeightThen: number }[] = [];
    let ws: WorldState | undefined;
    const sink = {
      append: async (block: { blockNum: number; txs: readonly { txId: string; envelope: Buffer | undefined; validation: string }[] }) => {
        stored.push({ ...block, stateHeightThen: ws?.height ?? -1 });
      },
      sync: async () => undefined,
    };
    await withState(
      async (opened) => {
        ws = opened;
        await commit(opened, { ...tx('t1', [put('k', '1')]), envelope: Buffer.from('env1') });
        const stale = { ...NS, collection: '', key: 'k', version: null };
        await opened.commitBlock([
          { ...tx('t2', [put('k', '2')]), envelope: Buffer.from('env2') },
          { ...tx('t3', [put('k', '3')], { reads: [stale] }), envelope: Buffer.from('env3') },
        ]);
      },
      { blockSink: sink },
    );
    assert.deepEqual(
      stored.map((b) => [b.blockNum, b.stateHeightThen, b.txs.map((t) => [t.txId, t.envelope?.toString(), t.validation])]),
      [
        [1, 0, [['t1', 'env1', 'VALID']]],
        [
          2,
          1,
          [
            ['t2', 'env2', 'VALID'],
            ['t3', 'env3', 'MVCC_READ_CONFLICT'],
          ],
        ],
      ],
    );
  });

  test("recovery stops at the block store's height: the ledger is the prefix both hold", async () => {
    const { dir, cleanup } = tempDir();
    try {
      let ws = await WorldState.open(dir);
      for (let i = 1; i <= 3; i++) await commit(ws, tx(`t${i}`, [put('k', String(i))]));
      await ws.close();
      ws = await WorldState.open(dir, { maxHeight: 2 });
      assert.equal(ws.height, 2);
      assert.equal(text(ws.getState(NS, 'k')?.value), '2');
      assert.equal(ws.getTransaction('t3'), undefined);
      // The dropped block is cut from the log: the next block takes its number.
      await commit(ws, tx('t3b', [put('k', '3b')]));
      await ws.close();
      ws = await WorldState.open(dir);
      assert.equal(ws.height, 3);
      assert.equal(text(ws.getState(NS, 'k')?.value), '3b');
      await ws.close();
    } finally {
      cleanup();
    }
  });

  test('32 concurrent blocks are applied in call order with consecutive numbers', async () => {
    // eslint-disable-next-line @typescript-eslint/unbound-method -- put back on the prototype below, called with the log's `this`
    const original = LogFile.prototype.append;
    let appends = 0;
    LogFile.prototype.append = function (this: LogFile, data: Buffer) {
      appends++;
      return original.call(this, data);
    };
    try {
      await withState(async (ws) => {
        const results = await Promise.all(Array.from({ length: 32 }, (_, i) => commit(ws, tx(`t${i}`, [put(`k${i}`, String(i)), put('shared', String(i))]))));
        assert.deepEqual(
          results.map((r) => r.blockNum),
          Array.from({ length: 32 }, (_, i) => i + 1),
        );
        assert.equal(appends, 32, 'one log write per block');
        assert.equal(text(ws.getState(NS, 'shared')?.value), '31');
        assert.equal(ws.getHistory(NS, 'shared').length, 32);
      });
    } finally {
      LogFile.prototype.append = original;
    }
  });

  test('reads see the previous state until a commit is durable, then the new one', async () => {
    await withState(async (ws) => {
      await commit(ws, tx('t1', [put('k', 'old')]));
      const pending = commit(ws, tx('t2', [put('k', 'new')]));
      assert.equal(text(ws.getState(NS, 'k')?.value), 'old');
      assert.equal(ws.height, 1);
      await pending;
      assert.equal(text(ws.getState(NS, 'k')?.value), 'new');
    });
  });

  test('a transaction without writes is in its block too (Fabric commits read-only transactions); its record survives a reopen', async () => {
    const { dir, cleanup } = tempDir();
    try {
      let ws = await WorldState.open(dir);
      await commit(ws, tx('t1', [put('k', 'v')]));
      const readOnly = await commit(ws, tx('ro', [], { reads: [{ ...NS, collection: '', key: 'k', version: { blockNum: 1, txNum: 0 } }] }));
      assert.deepEqual(readOnly, { validation: 'VALID', blockNum: 2, txNum: 0 });
      assert.equal(ws.height, 2);
      assert.equal(ws.getTransaction('ro')?.validation, 'VALID');
      await ws.close();
      ws = await WorldState.open(dir);
      assert.equal(ws.getTransaction('ro')?.blockNum, 2);
      assert.equal(ws.height, 2);
      await ws.close();
    } finally {
      cleanup();
    }
  });

  test('transaction records: newest first, filters, limit, bound, event', async () => {
    await withState(
      async (ws) => {
        const seen: string[] = [];
        ws.onDidRecordTransaction((r) => seen.push(r.txId));
        for (let i = 0; i < 7; i++) {
          const chaincode = i % 2 ? 'odd' : 'even';
          ws.recordTransaction({ ...record(`r${i}`, { reads: [], writes: [], metadataWrites: [] }), chaincode, validation: 'NOT_COMMITTED', blockNum: null });
        }
        assert.deepEqual(
          ws.transactions().map((r) => r.txId),
          ['r6', 'r5', 'r4', 'r3', 'r2'],
          'bounded to 5, newest first',
        );
        assert.deepEqual(
          ws.transactions({ chaincode: 'odd' }).map((r) => r.txId),
          ['r5', 'r3'],
        );
        assert.deepEqual(
          ws.transactions({ limit: 2 }).map((r) => r.txId),
          ['r6', 'r5'],
        );
        assert.equal(ws.getTransaction('r0'), undefined);
        assert.deepEqual(ws.transactions({ channel: 'nope' }), []);
        assert.equal(seen.length, 7);
      },
      { maxTransactionRecords: 5 },
    );
  });

  test('commit after close is rejected', async () => {
    const { dir, cleanup } = tempDir();
    const ws = await WorldState.open(dir);
    await ws.close();
    await assert.rejects(commit(ws, tx('t', [put('k', 'v')])), /closed/);
    cleanup();
  });
});
