/**
 * History entries carry the version (block, index) of the change, so replay can serve a read at
 * the version a transaction saw: applied from blocks, replayed from the log, kept in snapshots; a
 * snapshot an older release wrote (format 1, no versions) still opens, its changes without version.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import { writeFrame } from '../../../src/engine/ledger/frames';
import { snapshotPath } from '../../../src/engine/ledger/ledgerFiles';
import { ByteWriter } from '../../../src/engine/ledger/valueCodec';
import { WorldState } from '../../../src/engine/ledger/worldState';
import { commit, hasSnapshot, NS, put, tempDir, text, tx } from './ledgerTestKit';

const versionsOf = (ws: WorldState, key: string): (string | null)[] => ws.getHistory(NS, key).map((h) => (h.version ? `${h.version.blockNum}:${h.version.txNum}` : null));

describe('history versions', () => {
  test('each change records its block and index; a block of several transactions numbers them', async () => {
    const { dir, cleanup } = tempDir('hv');
    try {
      const ws = await WorldState.open(dir);
      await commit(ws, tx('t1', [put('a', '1')]));
      await ws.commitBlock([tx('t2', [put('b', '2')]), tx('t3', [put('a', '3')]), tx('t4', [put('a', null)])]);
      assert.deepEqual(versionsOf(ws, 'a'), ['2:2', '2:1', '1:0']);
      assert.deepEqual(versionsOf(ws, 'b'), ['2:0']);
      assert.deepEqual(ws.historyKeys(NS).sort(), ['a', 'b'], 'a deleted key keeps its history');
      await ws.close();
      // Reopened from the log: the same versions.
      const again = await WorldState.open(dir);
      assert.deepEqual(versionsOf(again, 'a'), ['2:2', '2:1', '1:0']);
      await again.close();
    } finally {
      cleanup();
    }
  });

  test('a snapshot keeps the versions', async () => {
    const { dir, cleanup } = tempDir('hv');
    try {
      let ws = await WorldState.open(dir, { compactAfterBytes: 2048 });
      for (let i = 0; i < 60; i++) await commit(ws, tx(`t${i}`, [put(`k${i % 3}`, `v${i}`)]));
      await ws.close();
      assert.ok(hasSnapshot(dir), 'a snapshot was written');
      ws = await WorldState.open(dir);
      const history = ws.getHistory(NS, 'k0');
      assert.equal(history.length, 20);
      assert.deepEqual(history[0].version, { blockNum: 58, txNum: 0 });
      assert.deepEqual(history[19].version, { blockNum: 1, txNum: 0 });
      await ws.close();
    } finally {
      cleanup();
    }
  });

  test('a format 1 snapshot (an older release) opens; its changes have no version, later ones do', async () => {
    const { dir, cleanup } = tempDir('hv');
    try {
      fs.mkdirSync(dir, { recursive: true });
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
      fs.writeFileSync(snapshotPath(dir, 1), w.bytes());

      const ws = await WorldState.open(dir);
      assert.equal(ws.height, 2);
      assert.equal(text(ws.getState(NS, 'k')?.value), 'v2');
      assert.deepEqual(versionsOf(ws, 'k'), [null, null]);
      await commit(ws, tx('t3', [put('k', 'v3')]));
      assert.deepEqual(versionsOf(ws, 'k'), ['3:0', null, null]);
      await ws.close();
    } finally {
      cleanup();
    }
  });
});
