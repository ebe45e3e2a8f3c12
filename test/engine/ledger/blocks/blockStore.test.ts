/**
 * The block store: appends in sequence only, reads and lookups, private data, iterators that follow
 * the head, reopening, and recovery from torn, corrupted or missing files.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { blockFilePath, indexFilePath, listBlockFiles } from '../../../../src/engine/ledger/blocks/blockFiles';
import { BlockNotFoundError, BlockSequenceError, BlockStore } from '../../../../src/engine/ledger/blocks/blockStore';
import { crc32 } from '../../../../src/engine/ledger/frames';
import { LedgerInUseError } from '../../../../src/engine/ledger/ledgerFiles';
import { codecs } from '../../../../src/engine/wire/codec';
import { TxValidationCode } from '../../../../src/engine/wire/messages';
import { waitUntil } from '../../../support/waitUntil';
import { tempDir } from '../ledgerTestKit';
import { chain, envelope, nextBlock, txIdOf } from './blockTestKit';

async function withStore<T>(dir: string, fn: (store: BlockStore) => Promise<T>, options?: Parameters<typeof BlockStore.open>[1]): Promise<T> {
  const store = await BlockStore.open(dir, options);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

async function appendAll(store: BlockStore, blocks: ReturnType<typeof chain>): Promise<void> {
  for (const b of blocks) await store.append(b);
}

/** Everything a reopened store must still answer, for blocks 0..n-1 of `blocks`. */
async function assertHolds(store: BlockStore, blocks: ReturnType<typeof chain>, n: number): Promise<void> {
  assert.equal(store.height, n);
  for (let i = 0; i < n; i++) {
    assert.ok((await store.getBlock(i)).equals(blocks[i].bytes), `block ${i} bytes`);
    assert.equal(store.numberOfHash(blocks[i].headerHash), i);
    assert.ok(store.headerHash(i).equals(blocks[i].headerHash));
  }
  if (n > 0) {
    assert.deepEqual(store.chainInfo, { height: n, currentBlockHash: blocks[n - 1].headerHash, previousBlockHash: blocks[n - 1].previousHash });
    assert.deepEqual(store.next, { number: n, previousHash: blocks[n - 1].headerHash });
  }
}

describe('block store', () => {
  test('append, read by number, hash and transaction id; reopen finds everything', async () => {
    const { dir, cleanup } = tempDir('blocks');
    const blocks = chain(20);
    try {
      await withStore(dir, async (store) => {
        assert.equal(store.height, 0);
        assert.deepEqual(store.chainInfo, { height: 0, currentBlockHash: Buffer.alloc(0), previousBlockHash: Buffer.alloc(0) });
        await appendAll(store, blocks);
        await assertHolds(store, blocks, 21);
      });
      await withStore(dir, async (store) => {
        await assertHolds(store, blocks, 21);
        const location = store.findTransaction(txIdOf('7.2'));
        assert.deepEqual(location, { blockNumber: 7, txIndex: 2, validationCode: TxValidationCode.MVCC_READ_CONFLICT });
        const tx = await store.getTransaction(txIdOf('7.1'));
        assert.ok(tx);
        assert.deepEqual({ ...tx, envelope: undefined }, { blockNumber: 7, txIndex: 1, validationCode: TxValidationCode.VALID, envelope: undefined });
        assert.ok(tx.envelope.equals(envelope(txIdOf('7.1'))));
        assert.equal(store.findTransaction(txIdOf('no such tx')), undefined);
        assert.equal(await store.getTransaction('not-hex'), undefined);
        // The genesis block's config transaction is indexed by its id too.
        assert.equal(store.findTransaction(blocks[0].transactions[0].txId)?.blockNumber, 0);
        assert.deepEqual(store.validationCodes(9), [0, 0, 11]);
        assert.ok((await store.getBlockByHash(blocks[12].headerHash))?.equals(blocks[12].bytes));
        assert.equal(await store.getBlockByHash(Buffer.alloc(32)), undefined);
        await assert.rejects(store.getBlock(21), BlockNotFoundError);
        await assert.rejects(store.getBlock(-1), BlockNotFoundError);
        // And it goes on where it stopped.
        const more = nextBlock(blocks[20]);
        await store.append(more);
        assert.equal(store.height, 22);
      });
    } finally {
      cleanup();
    }
  });

  test('only the next block in sequence is accepted, with Fabric’s messages; queued appends count', async () => {
    const { dir, cleanup } = tempDir('blocks');
    const blocks = chain(4);
    try {
      await withStore(dir, async (store) => {
        await assert.rejects(store.append(blocks[1]), (e: Error) => e instanceof BlockSequenceError && e.message === 'block number should have been 0 but was 1');
        // Three appends in one go, none awaited: each must follow the one queued before it.
        const pending = [store.append(blocks[0]), store.append(blocks[1]), store.append(blocks[2])];
        assert.deepEqual(store.next.number, 3);
        await assert.rejects(store.append(blocks[2]), /block number should have been 3 but was 2/);
        const forked = nextBlock({ ...blocks[2], headerHash: Buffer.alloc(32, 9) });
        await assert.rejects(
          store.append(forked),
          (e: Error) =>
            e instanceof BlockSequenceError &&
            e.message ===
              `unexpected Previous block hash. Expected PreviousHash = [${blocks[2].headerHash.toString('hex')}], PreviousHash referred in the latest block= [${'09'.repeat(32)}]`,
        );
        await Promise.all(pending);
        await store.append(blocks[3]);
        await assertHolds(store, blocks, 4);
      });
    } finally {
      cleanup();
    }
  });

  test('one writer per directory', async () => {
    const { dir, cleanup } = tempDir('blocks');
    try {
      await withStore(dir, async () => {
        await assert.rejects(BlockStore.open(dir), LedgerInUseError);
      });
    } finally {
      cleanup();
    }
  });

  test('private write sets are kept with their block and survive a reopen', async () => {
    const { dir, cleanup } = tempDir('blocks');
    const blocks = chain(3);
    const pvt = new Map([
      [0, Buffer.from('private of tx 0')],
      [2, Buffer.from('private of tx 2')],
    ]);
    try {
      await withStore(dir, async (store) => {
        await store.append(blocks[0]);
        await store.append(blocks[1], pvt);
        await store.append(blocks[2], new Map());
        assert.deepEqual(await store.getPrivateData(1), pvt);
        assert.deepEqual(await store.getPrivateData(2), new Map());
      });
      await withStore(dir, async (store) => {
        assert.deepEqual(await store.getPrivateData(1), pvt);
        assert.ok((await store.getBlock(1)).equals(blocks[1].bytes));
        assert.deepEqual(await store.getPrivateData(0), new Map());
      });
    } finally {
      cleanup();
    }
  });

  test('blocks(from) yields the stored blocks, then each new one, until aborted or closed', async () => {
    const { dir, cleanup } = tempDir('blocks');
    const blocks = chain(6);
    try {
      const store = await BlockStore.open(dir);
      await appendAll(store, blocks.slice(0, 3));
      const fired: number[] = [];
      store.onDidAppendBlock((b) => fired.push(b.number));
      const abort = new AbortController();
      const seen: number[] = [];
      const reading = (async () => {
        for await (const b of store.blocks(1, abort.signal)) {
          assert.ok(b.bytes.equals(blocks[b.number].bytes));
          seen.push(b.number);
          if (b.number === 5) abort.abort();
        }
      })();
      const untilClose: number[] = [];
      const following = (async () => {
        for await (const b of store.blocks(6)) untilClose.push(b.number);
      })();
      // Blocks 1 and 2 are read from disk: however long that takes, the reader then waits at the head.
      await waitUntil(() => seen.length >= 2, 5000, 'the reader to catch up with blocks 1 and 2', 5);
      assert.deepEqual(seen, [1, 2], 'caught up, now waiting at the head');
      await store.append(blocks[3]);
      await Promise.all([store.append(blocks[4]), store.append(blocks[5])]);
      await reading;
      assert.deepEqual(seen, [1, 2, 3, 4, 5]);
      assert.deepEqual(fired, [3, 4, 5]);
      await store.close();
      await following;
      assert.deepEqual(untilClose, [], 'the store closed before block 6');
    } finally {
      cleanup();
    }
  });

  test('blocks go to a new file past the size limit; all files are read back and recovered', async () => {
    const { dir, cleanup } = tempDir('blocks');
    const blocks = chain(30, 4, 900);
    try {
      await withStore(dir, (store) => appendAll(store, blocks), { maxFileBytes: 16 * 1024 });
      const files = await listBlockFiles(dir);
      assert.ok(files.length >= 4, `only ${files.length} block files`);
      await withStore(dir, (store) => assertHolds(store, blocks, 31));
      // Without index.bin every file is scanned again.
      fs.rmSync(indexFilePath(dir));
      await withStore(dir, async (store) => {
        await assertHolds(store, blocks, 31);
        assert.equal(store.findTransaction(txIdOf('17.3'))?.blockNumber, 17);
      });
      await withStore(dir, (store) => assertHolds(store, blocks, 31));
    } finally {
      cleanup();
    }
  });

  test('blocks larger than the recovery read window (4 MiB) are recovered whole', async () => {
    const { dir, cleanup } = tempDir('blocks');
    const blocks = chain(1);
    for (const size of [6 * 1024 * 1024, 10, 5 * 1024 * 1024, 10]) blocks.push(nextBlock(blocks[blocks.length - 1], 1, size));
    try {
      await withStore(dir, (store) => appendAll(store, blocks));
      fs.rmSync(indexFilePath(dir));
      await withStore(dir, (store) => assertHolds(store, blocks, blocks.length));
    } finally {
      cleanup();
    }
  });

  describe('recovery keeps the intact prefix', () => {
    const blocks = chain(10);

    async function storeWithBlocks(): Promise<{ dir: string; cleanup: () => void; file: string }> {
      const t = tempDir('blocks');
      await withStore(t.dir, (store) => appendAll(store, blocks));
      return { ...t, file: blockFilePath(t.dir, 0) };
    }

    test('a torn last block (half written) is cut, and appends continue after the one before', async () => {
      const { dir, cleanup, file } = await storeWithBlocks();
      try {
        const size = fs.statSync(file).size;
        fs.truncateSync(file, size - 5);
        await withStore(dir, async (store) => {
          await assertHolds(store, blocks, 10);
          await store.append(blocks[10]);
        });
        await withStore(dir, (store) => assertHolds(store, blocks, 11));
      } finally {
        cleanup();
      }
    });

    test('garbage after the last block and a flipped byte inside block 6 keep blocks 0-5', async () => {
      const { dir, cleanup, file } = await storeWithBlocks();
      try {
        fs.appendFileSync(file, Buffer.from('garbage that is not a frame'));
        await withStore(dir, (store) => assertHolds(store, blocks, 11));
        const bytes = fs.readFileSync(file);
        const at = bytes.indexOf(blocks[6].bytes);
        assert.ok(at > 0);
        bytes[at + 20] ^= 0x40;
        fs.writeFileSync(file, bytes);
        await withStore(dir, async (store) => {
          await assertHolds(store, blocks, 6);
          assert.equal(store.findTransaction(txIdOf('8.0')), undefined, 'no index entry survives for a dropped block');
          await store.append(blocks[6]);
        });
        await withStore(dir, (store) => assertHolds(store, blocks, 7));
      } finally {
        cleanup();
      }
    });

    test('an index that lags the blocks (crash between the two writes) is completed from the blocks', async () => {
      const { dir, cleanup } = await storeWithBlocks();
      try {
        const index = indexFilePath(dir);
        fs.truncateSync(index, Math.floor(fs.statSync(index).size / 2) + 3); // torn in the middle of a record
        await withStore(dir, async (store) => {
          await assertHolds(store, blocks, 11);
          assert.deepEqual(store.findTransaction(txIdOf('10.2')), { blockNumber: 10, txIndex: 2, validationCode: TxValidationCode.MVCC_READ_CONFLICT });
        });
        // The completed index is kept: the next open reads it whole.
        await withStore(dir, (store) => assertHolds(store, blocks, 11));
      } finally {
        cleanup();
      }
    });

    test('index records pointing past the block data (blocks lost, index kept) are dropped', async () => {
      const { dir, cleanup, file } = await storeWithBlocks();
      try {
        const bytes = fs.readFileSync(file);
        fs.truncateSync(file, bytes.indexOf(blocks[8].bytes) - 30); // block 8 gone, block 7 torn
        await withStore(dir, async (store) => {
          await assertHolds(store, blocks, 7);
          assert.equal(store.numberOfHash(blocks[8].headerHash), undefined);
        });
      } finally {
        cleanup();
      }
    });

    test('a block that does not chain (intact frame, wrong previous_hash) stops recovery there', async () => {
      const { dir, cleanup, file } = await storeWithBlocks();
      try {
        fs.rmSync(indexFilePath(dir)); // so recovery must check the chain itself
        const bytes = fs.readFileSync(file);
        const at = bytes.indexOf(blocks[5].bytes);
        bytes[bytes.indexOf(blocks[5].previousHash, at)] ^= 1;
        // Recompute the frame's checksum: only the chain check can catch this block now.
        let pos = 0;
        while (!(pos + 8 <= at && at < pos + 8 + bytes.readUInt32LE(pos))) pos += 8 + bytes.readUInt32LE(pos);
        const size = bytes.readUInt32LE(pos);
        bytes.writeUInt32LE(crc32(bytes.subarray(pos + 8, pos + 8 + size)), pos + 4);
        fs.writeFileSync(file, bytes);
        await withStore(dir, (store) => assertHolds(store, blocks, 5));
      } finally {
        cleanup();
      }
    });

    test('a zero-filled tail (preallocated space) is a clean end', async () => {
      const { dir, cleanup, file } = await storeWithBlocks();
      try {
        fs.appendFileSync(file, Buffer.alloc(100_000));
        await withStore(dir, async (store) => {
          await assertHolds(store, blocks, 11);
          const more = nextBlock(blocks[10]);
          await store.append(more);
        });
        await withStore(dir, (store) => assertHolds(store, [...blocks, nextBlock(blocks[10])], 12));
      } finally {
        cleanup();
      }
    });
  });

  test('a transaction id seen twice is found at its first occurrence (a later one is DUPLICATE_TXID)', async () => {
    const { dir, cleanup } = tempDir('blocks');
    const [genesis, first] = chain(1);
    const duplicate = { envelope: envelope(txIdOf('1.0')), validationCode: TxValidationCode.DUPLICATE_TXID };
    const { buildBlock } = await import('../../../../src/engine/ledger/blocks/blockBuilder');
    const second = buildBlock({ number: 2, previousHash: first.headerHash, transactions: [duplicate] });
    try {
      await withStore(dir, async (store) => {
        await appendAll(store, [genesis, first, second]);
        assert.deepEqual(store.findTransaction(txIdOf('1.0')), { blockNumber: 1, txIndex: 0, validationCode: TxValidationCode.VALID });
        assert.deepEqual(store.validationCodes(2), [TxValidationCode.DUPLICATE_TXID]);
      });
      await withStore(dir, async (store) => assert.equal(store.findTransaction(txIdOf('1.0'))?.blockNumber, 1));
    } finally {
      cleanup();
    }
  });

  test('getTransaction returns the envelope stored in the block, byte for byte', async () => {
    const { dir, cleanup } = tempDir('blocks');
    const blocks = chain(2, 5, 300);
    try {
      await withStore(dir, async (store) => {
        await appendAll(store, blocks);
        for (let i = 0; i < 5; i++) {
          const tx = await store.getTransaction(txIdOf(`2.${i}`));
          assert.ok(tx?.envelope.equals(Buffer.from(codecs.Block.decode(blocks[2].bytes).data?.data?.[i] ?? [])));
        }
      });
    } finally {
      cleanup();
    }
  });

  test('files in the directory: one block file and index.bin', async () => {
    const { dir, cleanup } = tempDir('blocks');
    try {
      await withStore(dir, (store) => appendAll(store, chain(2)));
      assert.deepEqual(fs.readdirSync(dir).sort(), ['blocks-000000.bin', 'index.bin']);
      assert.equal(path.basename(blockFilePath(dir, 12)), 'blocks-000012.bin');
    } finally {
      cleanup();
    }
  });
});
