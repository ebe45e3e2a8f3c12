import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'child_process';
import * as path from 'path';
import { LineSplitter } from '../../../src/engine/util/lines';
import { WorldState, type Durability } from '../../../src/engine/ledger/worldState';
import { CRASH_KEYS, CRASH_NS } from './crashChild';
import { tempDir } from './ledgerTestKit';

const CHILD = path.join(__dirname, 'crashChild.js');
const MIN_KILLS = 30;
const BUDGET_MS = 25_000;

/**
 * When to kill: `delayMs` after spawning (`duringStartup`: recovery itself is crashed), or `delayMs`
 * after the child reported its `afterCommits`-th commit of this run, while the next ones are being
 * written. Counted in commits, not in time from the open: on a busy machine the child may commit
 * nothing for a while, and a kill then crashes no commit.
 */
interface KillMoment {
  readonly duringStartup: boolean;
  readonly afterCommits: number;
  readonly delayMs: number;
}

/** Runs the child, SIGKILLs it at `when`, and returns the highest counter it reported as committed. */
function runAndKill(dir: string, when: KillMoment, compactAfterBytes: number, inFlight: number, durability: Durability): Promise<{ committed: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, dir, String(compactAfterBytes), String(inFlight), durability], { stdio: ['ignore', 'pipe', 'pipe'] });
    let committed = 0;
    let stderr = '';
    let reports = 0;
    const kill = (): void => void child.kill('SIGKILL');
    let timer = when.duringStartup ? setTimeout(kill, when.delayMs) : undefined;
    const lines = new LineSplitter((line) => {
      const m = /^committed (\d+)$/.exec(line);
      if (!m) return;
      committed = Math.max(committed, Number(m[1]));
      if (!when.duringStartup && ++reports === when.afterCommits) timer = setTimeout(kill, when.delayMs);
    });
    child.stdout.on('data', (chunk: Buffer) => lines.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // Never hang the suite on a child that cannot open the ledger.
    const guard = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.on('error', reject);
    // 'close' waits for stdout to drain, so every line the child wrote before dying is counted.
    child.on('close', () => {
      clearTimeout(timer);
      clearTimeout(guard);
      resolve({ committed, stderr });
    });
  });
}

test('kill -9 at random moments never loses a resolved commit nor leaves part of a transaction (both durabilities)', async () => {
  const { dir, cleanup } = tempDir('crash');
  const started = Date.now();
  let kills = 0;
  let lastCounter = 0;
  let progressed = 0;
  try {
    while (kills < MIN_KILLS || (Date.now() - started < BUDGET_MS && kills < 60)) {
      // Small snapshot thresholds so that kills also land inside compactions.
      const compactAfterBytes = [2048, 8192, 65536][kills % 3];
      const inFlight = [1, 4, 32][Math.floor(kills / 3) % 3];
      const duringStartup = kills % 5 === 4;
      // Both durabilities write a commit before it resolves; a kill of the process must not tell them apart.
      const durability: Durability = kills % 2 === 0 ? 'process' : 'disk';
      const when = { duringStartup, afterCommits: 1 + Math.floor(Math.random() * 24), delayMs: Math.floor(Math.random() * (duringStartup ? 250 : 50)) };
      const { committed, stderr } = await runAndKill(dir, when, compactAfterBytes, inFlight, durability);
      assert.equal(stderr, '', 'the child failed on its own');
      kills++;

      const ws = await WorldState.open(dir);
      try {
        const values = CRASH_KEYS.map((key) => ws.getState(CRASH_NS, key)?.value.toString() ?? '0');
        assert.ok(
          values.every((v) => v === values[0]),
          `kill ${kills}: keys disagree: ${values.join(',')}`,
        );
        const counter = Number(values[0]);
        assert.ok(counter >= committed, `kill ${kills}: counter ${counter} < last reported commit ${committed}`);
        assert.ok(counter >= lastCounter, `kill ${kills}: counter went back from ${lastCounter} to ${counter}`);
        assert.equal(ws.getPrivateData(CRASH_NS, 'secret', 'k')?.value.toString() ?? '0', values[0], 'private write of the same tx');
        // Every counter is one valid block, so the chain is exactly 1..counter.
        assert.equal(ws.height, counter);
        assert.equal(ws.getHistory(CRASH_NS, 'last').length, counter);
        if (counter > 0) assert.equal(ws.getTransaction(`tx${counter}`)?.blockNum, counter, 'the record is part of the commit');
        if (counter > lastCounter) progressed++;
        lastCounter = counter;
      } finally {
        await ws.close();
      }
    }
    assert.ok(kills >= MIN_KILLS);
    assert.ok(progressed >= kills / 2, `commits progressed in only ${progressed} of ${kills} runs`);
    assert.ok(lastCounter > 100, `only ${lastCounter} commits in total`);
  } finally {
    cleanup();
  }
});
