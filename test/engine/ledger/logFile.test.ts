import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { LogFile } from '../../../src/engine/ledger/logFile';
import { tempDir } from './ledgerTestKit';

/** Blocks the thread like a sync on a slow disk would (a fault this machine's disk cannot be made to show). */
/** The module object itself (a namespace import's bindings cannot be reassigned). */
const realFs = require('fs') as { fdatasyncSync: typeof fs.fdatasyncSync; fdatasync: typeof fs.fdatasync };

/** Counts (or fails) the log's thread-pool syncs until restored. */
function watchPoolSyncs(fail?: Error): { count: () => number; restore: () => void } {
  const original = realFs.fdatasync;
  let count = 0;
  realFs.fdatasync = ((fd: number, cb: fs.NoParamCallback) => {
    count++;
    if (fail) setImmediate(() => cb(fail as NodeJS.ErrnoException));
    else original(fd, cb);
  }) as typeof fs.fdatasync;
  return { count: () => count, restore: () => (realFs.fdatasync = original) };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(condition(), `gave up waiting: ${what}`);
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

describe('LogFile', () => {
  test('a durable log grows in zero-filled steps ahead of its records and gives them back on close', async () => {
    const { dir, cleanup } = tempDir('logfile');
    try {
      const file = path.join(dir, 'log.bin');
      const log = await LogFile.open(file, 0, 'disk');
      await log.append(Buffer.from('first;'));
      await log.append(Buffer.from('second;'));
      assert.equal(log.size, 13);
      const open = fs.readFileSync(file);
      assert.ok(open.length > log.size, `expected preallocated space, the file holds ${open.length} bytes`);
      assert.equal(open.subarray(0, 13).toString(), 'first;second;');
      assert.ok(
        open.subarray(13).every((b) => b === 0),
        'the space after the records is zeros',
      );
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
      const log = await LogFile.open(path.join(dir, 'log.bin'), 0, 'disk');
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

  test('process durability: an append is in the file when it resolves, and its sync follows in the background', async () => {
    const { dir, cleanup } = tempDir('logfile');
    const syncs = watchPoolSyncs();
    try {
      const file = path.join(dir, 'log.bin');
      const log = await LogFile.open(file, 0, 'process');
      await log.append(Buffer.from('one;'));
      await log.append(Buffer.from('two;'));
      assert.equal(syncs.count(), 0, 'synced before resolving');
      // Read through another descriptor, as a new process after a kill would.
      assert.equal(fs.readFileSync(file).subarray(0, 8).toString(), 'one;two;');
      await until(() => syncs.count() >= 1, 'the background sync');
      await log.close();
      assert.equal(fs.readFileSync(file).toString(), 'one;two;');
    } finally {
      syncs.restore();
      cleanup();
    }
  });

  test('process durability: a failed background sync fails the next append (the file is in doubt)', async () => {
    const { dir, cleanup } = tempDir('logfile');
    const syncs = watchPoolSyncs(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
    try {
      const log = await LogFile.open(path.join(dir, 'log.bin'), 0, 'process');
      await log.append(Buffer.from('one;'));
      await until(() => syncs.count() >= 1, 'the background sync');
      await new Promise((r) => setImmediate(r));
      await assert.rejects(log.append(Buffer.from('two;')), /syncing the log failed: EIO/);
      syncs.restore();
      await log.close();
    } finally {
      syncs.restore();
      cleanup();
    }
  });
});
