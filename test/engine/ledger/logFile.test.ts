import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { LogFile } from '../../../src/engine/ledger/logFile';
import { tempDir } from './ledgerTestKit';

/** Blocks the thread like a sync on a slow disk would (a fault this machine's disk cannot be made to show). */
/** The module object itself (a namespace import's bindings cannot be reassigned). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const realFs = require('fs') as { fdatasyncSync: typeof fs.fdatasyncSync; fdatasync: typeof fs.fdatasync };

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

describe('LogFile', () => {
  test('a durable log grows in zero-filled steps ahead of its records and gives them back on close', async () => {
    const { dir, cleanup } = tempDir('logfile');
    try {
      const file = path.join(dir, 'log.bin');
      const log = await LogFile.open(file, 0, true);
      await log.append(Buffer.from('first;'));
      await log.append(Buffer.from('second;'));
      assert.equal(log.size, 13);
      const open = fs.readFileSync(file);
      assert.ok(open.length > log.size, `expected preallocated space, the file holds ${open.length} bytes`);
      assert.equal(open.subarray(0, 13).toString(), 'first;second;');
      assert.ok(open.subarray(13).every((b) => b === 0), 'the space after the records is zeros');
      await log.close();
      assert.equal(fs.readFileSync(file).toString(), 'first;second;');
    } finally {
      cleanup();
    }
  });

  test('appends leave the event loop while syncs are slow and come back once they are fast', async () => {
    const { dir, cleanup } = tempDir('logfile');
    const original = realFs.fdatasyncSync;
    const originalAsync = realFs.fdatasync;
    let slowSyncs = 0;
    let poolSyncs = 0;
    try {
      const log = await LogFile.open(path.join(dir, 'log.bin'), 0, true);
      assert.equal(log.inline, true);
      realFs.fdatasyncSync = (fd: number) => {
        slowSyncs++;
        sleepSync(15);
        original(fd);
      };
      realFs.fdatasync = ((fd: number, cb: fs.NoParamCallback) => {
        poolSyncs++;
        originalAsync(fd, cb);
      }) as typeof fs.fdatasync;
      let appends = 0;
      while (log.inline && appends < 10) {
        await log.append(Buffer.from(`slow ${appends};`));
        appends++;
      }
      assert.equal(log.inline, false, 'still on the event loop after 10 slow syncs');
      assert.ok(slowSyncs >= 1 && slowSyncs === appends);
      // The disk is fast again: the next syncs happen in the pool and bring the average down.
      realFs.fdatasyncSync = original;
      let more = 0;
      while (!log.inline && more < 100) {
        await log.append(Buffer.from(`fast ${more};`));
        more++;
      }
      assert.equal(log.inline, true, 'never back on the event loop after 100 fast syncs');
      assert.equal(poolSyncs, more);
      await log.close();
      const written = fs.readFileSync(path.join(dir, 'log.bin')).toString();
      assert.ok(written.startsWith('slow 0;') && written.endsWith(`fast ${more - 1};`), written.slice(-40));
    } finally {
      realFs.fdatasyncSync = original;
      realFs.fdatasync = originalAsync;
      cleanup();
    }
  });
});
