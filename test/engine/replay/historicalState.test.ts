/**
 * The ledger as a recorded transaction read it, over a real world state: reads at the versions of
 * the read set, other keys at the replay point, ranges and rich queries over keys deleted since,
 * bounded history, and the values it cannot know (private data that changed, history written
 * before versions were kept) refused rather than guessed.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import { writeFrame } from '../../../src/engine/ledger/frames';
import { snapshotPath } from '../../../src/engine/ledger/ledgerFiles';
import type { ReadEntry, TransactionRecord, Version } from '../../../src/engine/ledger/types';
import { ByteWriter } from '../../../src/engine/ledger/valueCodec';
import { WorldState } from '../../../src/engine/ledger/worldState';
import { HistoricalState, replayPoint, ReplayStateUnavailableError } from '../../../src/engine/replay/historicalState';
import { commit, meta, NS, put, tempDir, text, tx } from '../ledger/ledgerTestKit';

const v = (blockNum: number, txNum = 0): Version => ({ blockNum, txNum });
const read = (key: string, version: Version | null, collection = ''): ReadEntry => ({ ...NS, collection, key, version });

/** What a record needs for a replay point: its channel, its block (null: never ordered) and its reads. */
function recorded(reads: ReadEntry[], blockNum: number | null = null, height?: number): Pick<TransactionRecord, 'channel' | 'blockNum' | 'height' | 'rwset'> {
  return { channel: NS.channel, blockNum, height, rwset: { reads, writes: [], metadataWrites: [] } };
}

async function withLedger(work: (ws: WorldState) => Promise<void>): Promise<void> {
  const { dir, cleanup } = tempDir('past');
  const ws = await WorldState.open(dir);
  try {
    await work(ws);
  } finally {
    await ws.close();
    cleanup();
  }
}

const value = (s: HistoricalState, key: string): string | undefined => text(s.getState(NS, key)?.value);
const keys = (rows: readonly { key: string }[]): string[] => rows.map((r) => r.key);

describe('HistoricalState', () => {
  test('a read-set key is served at the version read; other keys as of the newest version read', async () => {
    await withLedger(async (ws) => {
      await commit(ws, tx('t1', [put('a', 'a1'), put('b', 'b1')])); // block 1
      await commit(ws, tx('t2', [put('c', 'c2')])); // block 2
      await commit(ws, tx('t3', [put('a', 'a3'), put('b', 'b3'), put('d', 'd3')])); // block 3
      // An evaluation that read a at 1:0 and c at 2:0, never ordered: the point is 2:0.
      const s = new HistoricalState(ws, replayPoint(recorded([read('a', v(1)), read('c', v(2))])));
      assert.deepEqual(s.point.asOf, v(2));
      assert.equal(value(s, 'a'), 'a1');
      assert.deepEqual(s.getState(NS, 'a')?.version, v(1));
      assert.equal(value(s, 'b'), 'b1', 'not read by the original: as of 2:0');
      assert.equal(value(s, 'd'), undefined, 'written after the point');
      assert.equal(text(ws.getState(NS, 'a')?.value), 'a3', 'the live state is untouched');
    });
  });

  test('an evaluation that read nothing is served as of the height it ran at', async () => {
    await withLedger(async (ws) => {
      await commit(ws, tx('t1', [put('a', 'a1')]));
      await commit(ws, tx('t2', [put('a', 'a2'), put('b', 'b2')]));
      await commit(ws, tx('t3', [put('a', 'a3')]));
      const s = new HistoricalState(ws, replayPoint(recorded([], null, 2)));
      assert.deepEqual([value(s, 'a'), value(s, 'b')], ['a2', 'b2']);
      assert.deepEqual(
        s.getHistory(NS, 'a').map((h) => h.txId),
        ['t2', 't1'],
      );
      const older = new HistoricalState(ws, replayPoint(recorded([], null)));
      assert.equal(value(older, 'a'), undefined, 'a record without height (an older release): nothing known before what it read');
    });
  });

  test('a transaction in block N sees everything before its block; what it read as absent stays absent', async () => {
    await withLedger(async (ws) => {
      await commit(ws, tx('t1', [put('x', 'x1')]));
      await ws.commitBlock([tx('t2', [put('y', 'y2')]), tx('t3', [put('z', 'z2')])]); // block 2
      await commit(ws, tx('t4', [put('n', 'n3'), put('x', 'x3')])); // block 3: the original
      await commit(ws, tx('t5', [put('x', 'x4')]));
      const s = new HistoricalState(ws, replayPoint(recorded([read('n', null)], 3)));
      assert.equal(s.point.asOf.blockNum, 2);
      assert.equal(value(s, 'n'), undefined, 'read as absent, though its own block wrote it');
      assert.equal(value(s, 'x'), 'x1');
      assert.equal(value(s, 'z'), 'z2', 'the end of block 2, its second transaction included');
    });
  });

  test('ranges and rich queries run over the keys as they were, deleted ones included, with paging', async () => {
    await withLedger(async (ws) => {
      await commit(ws, tx('t1', [put('k1', '{"n":1}'), put('k2', '{"n":2}'), put('k3', '{"n":3}')]));
      await commit(ws, tx('t2', [put('k2', null), put('k4', '{"n":4}'), put('k1', '{"n":10}')]));
      const s = new HistoricalState(ws, replayPoint(recorded([read('k1', v(1)), read('k2', v(1)), read('k3', v(1))])));
      assert.deepEqual(keys(s.getStateRange(NS, '', '', '').rows), ['k1', 'k2', 'k3']);
      assert.deepEqual(keys(ws.getStateRange(NS, '', '', '').rows), ['k1', 'k3', 'k4'], 'the live range differs');
      const page = s.getStateRange(NS, '', 'k1', '', { pageSize: 2 });
      assert.deepEqual([keys(page.rows), page.bookmark], [['k1', 'k2'], 'k3']);
      assert.deepEqual(keys(s.getStateRange(NS, '', 'k1', '', { pageSize: 2, bookmark: page.bookmark }).rows), ['k3']);
      const rich = s.getQueryResult(NS, '', JSON.stringify({ selector: { n: { $lt: 5 } } }));
      assert.deepEqual(
        rich.rows.map((r) => text(r.value)),
        ['{"n":1}', '{"n":2}', '{"n":3}'],
      );
    });
  });

  test('history stops at the version served', async () => {
    await withLedger(async (ws) => {
      for (let i = 1; i <= 4; i++) await commit(ws, tx(`t${i}`, [put('h', `h${i}`)]));
      const s = new HistoricalState(ws, replayPoint(recorded([read('h', v(2))])));
      assert.deepEqual(
        s.getHistory(NS, 'h').map((h) => h.txId),
        ['t2', 't1'],
      );
    });
  });

  test('a version a metadata write gave the key serves the value written before it', async () => {
    await withLedger(async (ws) => {
      await commit(ws, tx('t1', [put('m', 'm1')]));
      await commit(ws, tx('t2', [], { metadataWrites: [meta('m', 'VALIDATION_PARAMETER', 'policy')] }));
      await commit(ws, tx('t3', [put('m', 'm3')]));
      const s = new HistoricalState(ws, replayPoint(recorded([read('m', v(2))])));
      const entry = s.getState(NS, 'm');
      assert.equal(text(entry?.value), 'm1');
      assert.deepEqual(entry?.version, v(2), 'the version the original recorded, so the read sets compare equal');
    });
  });

  test('private data: served while unchanged, refused once changed (Fabric keeps no private history)', async () => {
    await withLedger(async (ws) => {
      await commit(ws, tx('t1', [put('p1', 'one', 'coll'), put('p2', 'two', 'coll'), put('gone', 'g', 'coll')]));
      await commit(ws, tx('t2', [put('p2', 'TWO', 'coll'), put('gone', null, 'coll')]));
      const s = new HistoricalState(ws, replayPoint(recorded([read('p1', v(1), 'coll')])));
      assert.equal(text(s.getPrivateData(NS, 'coll', 'p1')?.value), 'one');
      assert.equal(s.getPrivateDataHash(NS, 'coll', 'p1')?.length, 32);
      assert.equal(s.getPrivateData(NS, 'coll', 'gone'), undefined, 'deleted since: nothing says it existed');
      assert.throws(() => s.getPrivateData(NS, 'coll', 'p2'), ReplayStateUnavailableError);
      assert.throws(() => s.getStateRange(NS, 'coll', '', ''), /coll\/"p2" changed since/);
      assert.deepEqual(keys(s.getStateRange(NS, 'coll', 'p1', 'p2').rows), ['p1'], 'a range that does not reach it is served');
      assert.equal(s.unavailable.length, 1, s.unavailable.join('\n'));
      assert.match(s.unavailable[0], /^basic: private data coll\/"p2" changed since version 1:0/);
    });
  });

  test('history from an older snapshot (no versions): an unchanged key is served, an older version refused', async () => {
    const { dir, cleanup } = tempDir('past');
    try {
      const w = new ByteWriter(4096);
      const frames: unknown[] = [
        { t: 'header', format: 'chaincode-launcher/world-state-snapshot', version: 1, gen: 1, height: 2 },
        { t: 'space', channel: NS.channel, chaincode: NS.chaincode, collection: '', rows: [['k', Buffer.from('v2'), 2, 0, {}]] },
        {
          t: 'history',
          channel: NS.channel,
          chaincode: NS.chaincode,
          rows: [
            [
              'k',
              [
                ['t1', Buffer.from('v1'), 1, false],
                ['t2', Buffer.from('v2'), 2, false],
              ],
            ],
          ],
        },
        { t: 'records', records: [] },
      ];
      for (const f of frames) writeFrame(w, f);
      writeFrame(w, { t: 'end', frames: frames.length });
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(snapshotPath(dir, 1), w.bytes());
      const ws = await WorldState.open(dir);
      try {
        assert.equal(value(new HistoricalState(ws, replayPoint(recorded([read('k', v(2))]))), 'k'), 'v2');
        const older = new HistoricalState(ws, replayPoint(recorded([read('k', v(1))])));
        assert.throws(() => older.getState(NS, 'k'), /before this ledger kept versions in history/);
      } finally {
        await ws.close();
      }
    } finally {
      cleanup();
    }
  });
});
