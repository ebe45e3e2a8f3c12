/**
 * kill -9 at random moments while blocks are being appended (and while the store opens): the
 * store must reopen to an unbroken chain 0..k holding every block whose append resolved.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'child_process';
import * as path from 'path';
import { summarizeBlock } from '../../../../src/engine/ledger/blocks/blockBuilder';
import { BlockStore } from '../../../../src/engine/ledger/blocks/blockStore';
import { LineSplitter } from '../../../../src/engine/util/lines';
import type { Durability } from '../../../../src/engine/ledger/logFile';
import { tempDir } from '../ledgerTestKit';
import { CRASH_FILE_BYTES, privateDataOf } from './blockCrashChild';
import { blockAt, txIdOf } from './blockTestKit';

const CHILD = path.join(__dirname, 'blockCrashChild.js');
const MIN_KILLS = 30;
const BUDGET_MS = 25_000;

/**
 * When to kill: `delayMs` after spawning (`duringStartup`: the store's recovery is crashed), or
 * `delayMs` after the child reported its `afterAppends`-th block of this run, while the next ones
 * are being written. Counted in blocks, not in time from the open: on a busy machine the child may
 * append nothing for a while, and a kill then crashes no append.
 */
interface KillMoment {
  readonly duringStartup: boolean;
  readonly afterAppends: number;
  readonly delayMs: number;
}

/** Runs the child and SIGKILLs it at `when`; returns the highest block it reported. */
function runAndKill(dir: string, when: KillMoment, inFlight: number, durability: Durability): Promise<{ appended: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, dir, String(inFlight), durability], { stdio: ['ignore', 'pipe', 'pipe'] });
    let appended = -1;
    let stderr = '';
    let reports = 0;
    const kill = (): void => void child.kill('SIGKILL');
    let timer = when.duringStartup ? setTimeout(kill, when.delayMs) : undefined;
    const lines = new LineSplitter((line) => {
      const m = /^appended (\d+)$/.exec(line);
      if (!m) return;
      appended = Math.max(appended, Number(m[1]));
      if (!when.duringStartup && ++reports === when.afterAppends) timer = setTimeout(kill, when.delayMs);
    });
    child.stdout.on('data', (chunk: Buffer) => lines.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const guard = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(timer);
      clearTimeout(guard);
      resolve({ appended, stderr });
    });
  });
}

test('kill -9 while appending never loses a resolved block nor breaks the chain (both durabilities, file switches, private data)', async () => {
  const { dir, cleanup } = tempDir('block-crash');
  const started = Date.now();
  let kills = 0;
  let lastHeight = 0;
  let progressed = 0;
  try {
    while (kills < MIN_KILLS || (Date.now() - started < BUDGET_MS && kills < 60)) {
      const duringStartup = kills % 5 === 4;
      const durability: Durability = kills % 2 === 0 ? 'process' : 'disk';
      const inFlight = [1, 4, 16][kills % 3];
      const when = { duringStartup, afterAppends: 1 + Math.floor(Math.random() * 24), delayMs: Math.floor(Math.random() * (duringStartup ? 150 : 50)) };
      const { appended, stderr } = await runAndKill(dir, when, inFlight, durability);
      assert.equal(stderr, '', 'the child failed on its own');
      kills++;

      const store = await BlockStore.open(dir, { maxFileBytes: CRASH_FILE_BYTES });
      try {
        const height = store.height;
        assert.ok(height >= appended + 1, `kill ${kills}: height ${height}, but block ${appended} was reported appended`);
        assert.ok(height >= lastHeight, `kill ${kills}: height went back from ${lastHeight} to ${height}`);
        // The whole chain, block by block: numbers, links, contents, index and private data.
        let previousHash: Buffer = Buffer.alloc(0);
        for (let n = 0; n < height; n++) {
          const bytes = await store.getBlock(n);
          const block = summarizeBlock(bytes);
          assert.equal(block.number, n);
          if (n > 0) {
            assert.ok(block.previousHash.equals(previousHash), `kill ${kills}: block ${n} does not link to block ${n - 1}`);
            assert.ok(bytes.equals(blockAt(n, previousHash, 1 + (n % 5), 200).bytes), `kill ${kills}: block ${n} content`);
            assert.equal(store.findTransaction(txIdOf(`${n}.0`))?.blockNumber, n);
            assert.deepEqual(await store.getPrivateData(n), privateDataOf(n) ?? new Map());
          }
          previousHash = block.headerHash;
        }
        if (height > lastHeight) progressed++;
        lastHeight = height;
      } finally {
        await store.close();
      }
    }
    assert.ok(progressed >= kills / 2, `blocks were appended in only ${progressed} of ${kills} runs`);
    assert.ok(lastHeight > 100, `only ${lastHeight} blocks in total`);
  } finally {
    cleanup();
  }
});
