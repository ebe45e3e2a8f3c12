/**
 * Many blocks with bounded memory: the index stays in memory (a few dozen bytes a block and a
 * transaction), the blocks stay on disk. 10,000 blocks of five 2 KiB transactions are about
 * 100 MiB of blocks; the heap must grow by a small fraction of that, while appending and after
 * reopening, and every lookup must still work.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as v8 from 'v8';
import * as vm from 'vm';
import { BlockStore } from '../../../../src/engine/ledger/blocks/blockStore';
import { tempDir } from '../ledgerTestKit';
import { blockAt, genesis, txIdOf } from './blockTestKit';

const BLOCKS = 10_000;
const TX_PER_BLOCK = 5;
const TX_BYTES = 2048;
/** Heap growth allowed for the index of 10,000 blocks and 50,000 transactions (about 6 MiB measured). */
const HEAP_LIMIT_BYTES = 16 * 1024 * 1024;

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

function heapUsed(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

test(`${BLOCKS} blocks of ${TX_PER_BLOCK} x ${TX_BYTES} B transactions: heap growth stays under ${HEAP_LIMIT_BYTES / 2 ** 20} MiB, before and after reopening`, async () => {
  const { dir, cleanup } = tempDir('block-scale');
  try {
    const before = heapUsed();
    let store = await BlockStore.open(dir);
    let dataBytes = 0;
    await store.append(genesis());
    const pending: Promise<void>[] = [];
    for (let n = 1; n <= BLOCKS; n++) {
      const { previousHash } = store.next;
      const block = blockAt(n, previousHash, TX_PER_BLOCK, TX_BYTES);
      dataBytes += block.bytes.length;
      pending.push(store.append(block));
      // A few hundred in flight, as a busy pipeline would have; no more, or the test holds them itself.
      if (pending.length >= 256) await Promise.all(pending.splice(0));
    }
    await Promise.all(pending);
    assert.equal(store.height, BLOCKS + 1);
    const grown = heapUsed() - before;
    assert.ok(dataBytes > 100 * 2 ** 20, `only ${dataBytes} bytes of blocks`);
    assert.ok(grown < HEAP_LIMIT_BYTES, `heap grew by ${(grown / 2 ** 20).toFixed(1)} MiB for ${(dataBytes / 2 ** 20).toFixed(0)} MiB of blocks`);
    await store.close();

    const reopenStarted = Date.now();
    store = await BlockStore.open(dir);
    const reopenMs = Date.now() - reopenStarted;
    try {
      const grownAfterReopen = heapUsed() - before;
      assert.ok(grownAfterReopen < HEAP_LIMIT_BYTES, `after reopening, heap is ${(grownAfterReopen / 2 ** 20).toFixed(1)} MiB above the start`);
      assert.equal(store.height, BLOCKS + 1);
      for (const n of [1, 777, 9_876, BLOCKS]) {
        assert.deepEqual(store.findTransaction(txIdOf(`${n}.4`)), { blockNumber: n, txIndex: 4, validationCode: 0 });
        const bytes = await store.getBlock(n);
        assert.equal(store.numberOfHash(store.headerHash(n)), n);
        assert.ok(bytes.length > TX_PER_BLOCK * TX_BYTES);
      }
      // The index file is read on open, not the 100 MiB of blocks (only the last block file).
      assert.ok(reopenMs < 5_000, `reopening took ${reopenMs} ms`);
    } finally {
      await store.close();
    }
  } finally {
    cleanup();
  }
});
