/**
 * The channel's blocks, in one directory (blockFiles.ts has the layout): append-only, crash safe
 * as the world state is (framed, checksummed appends; on open, the intact prefix), with an index
 * in memory and the blocks themselves read from disk on demand.
 *
 * What callers can rely on:
 * - Blocks are 0, 1, 2… with no gap: `append` accepts only the block numbered `height` (counting
 *   appends still queued) whose previous_hash is the last header hash, and refuses anything else
 *   synchronously with Fabric's messages (common/ledger/blkstorage/blockfile_mgr.go `addBlock`).
 * - Appends are written in call order; those queued meanwhile share one write (group commit).
 * - When `append` resolves, the block is durable as the durability setting says (`process`: in
 *   the file, so a crash or kill of the process keeps it; `disk`: also synced, so a power loss
 *   keeps it) and visible to every reader: height, lookups, iterators and `onDidAppendBlock`.
 * - After a crash the store reopens to blocks 0..k, a prefix of what was appended: every append
 *   that resolved (with `process`, minus at most the last BACKGROUND_SYNC_MS after a power loss).
 * - A failed write makes every later append fail (the file's state is unknown); reads go on.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Emitter, type Event } from '../../util/events';
import { codecs } from '../../wire/codec';
import { writeFrame } from '../frames';
import { lockDirectory, removeFiles, syncDirectory } from '../ledgerFiles';
import { LogFile, type Durability } from '../logFile';
import { ByteWriter } from '../valueCodec';
import type { BuiltBlock } from './blockBuilder';
import { BlockFileReader, blockFilePath, FILE_BYTES, indexFilePath } from './blockFiles';
import { recordToFrame, type BlockIndex, type IndexRecord, type TransactionLocation } from './blockIndex';
import { isBlockFrame, recoverBlocks, type BlockFrame } from './blockRecovery';
import { BlockWaiters } from './blockWaiters';

export type { TransactionLocation } from './blockIndex';

export interface BlockStoreOptions {
  /** `process` (default) or `disk`, as for the world state (logFile.ts). */
  readonly durability?: Durability;
  /** Size after which blocks go to a new file (default FILE_BYTES; small in tests). */
  readonly maxFileBytes?: number;
}

/** Private write sets of a block's transactions: transaction index → marshalled TxPvtReadWriteSet. */
export type BlockPrivateData = ReadonlyMap<number, Uint8Array>;

/** qscc GetChainInfo's common.BlockchainInfo. */
export interface BlockchainInfo {
  /** Number of blocks; the next block's number. */
  readonly height: number;
  /** Header hash of the last block (empty when there is none). */
  readonly currentBlockHash: Buffer;
  /** previous_hash of the last block. */
  readonly previousBlockHash: Buffer;
}

/** A block as iterators yield it. */
export interface StoredBlock {
  readonly number: number;
  /** The marshalled common.Block. */
  readonly bytes: Buffer;
}

/** A transaction found by id, with its envelope (qscc GetTransactionByID's ProcessedTransaction). */
export interface StoredTransaction extends TransactionLocation {
  /** The marshalled common.Envelope. */
  readonly envelope: Buffer;
}

export class BlockSequenceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BlockSequenceError';
  }
}

export class BlockNotFoundError extends Error {
  constructor(what: string, height: number) {
    super(`${what} is not in the ledger (height ${height})`);
    this.name = 'BlockNotFoundError';
  }
}

interface QueuedAppend {
  readonly block: BuiltBlock;
  readonly privateData: BlockPrivateData | undefined;
  readonly resolve: () => void;
  readonly reject: (err: Error) => void;
}

/** How many of the newest blocks stay in memory, for readers following the chain's head. */
const RECENT_BLOCKS = 16;
/** The write buffer's usual size; one grown past MAX_KEPT_WRITER_BYTES by a huge batch is let go. */
const WRITER_BYTES = 64 * 1024;
const MAX_KEPT_WRITER_BYTES = 8 * 1024 * 1024;

export class BlockStore {
  private readonly queue: QueuedAppend[] = [];
  private draining: Promise<void> | undefined;
  private failure: Error | undefined;
  private closed = false;
  /** Number and header hash the next append must have / follow, counting queued appends. */
  private nextNumber: number;
  private nextPreviousHash: Buffer;
  private readonly recent = new Map<number, Buffer>();
  private readonly waiters = new BlockWaiters();
  private readonly didAppend = new Emitter<BuiltBlock>();
  private writer = new ByteWriter(WRITER_BYTES);

  /** Fires once a block is durable and indexed, in block order. */
  readonly onDidAppendBlock: Event<BuiltBlock> = this.didAppend.event;

  private constructor(
    private readonly dir: string,
    private readonly index: BlockIndex,
    private data: LogFile,
    private dataFile: number,
    private readonly indexLog: LogFile,
    private readonly reader: BlockFileReader,
    private readonly durability: Durability,
    private readonly maxFileBytes: number,
    private readonly unlock: () => Promise<void>,
  ) {
    this.nextNumber = index.height;
    this.nextPreviousHash = index.lastHeaderHash;
  }

  /** Opens (creating if missing) the block store in `dir`, recovering its intact prefix. */
  static async open(dir: string, options: BlockStoreOptions = {}): Promise<BlockStore> {
    const durability = options.durability ?? 'process';
    const created = await fs.promises.mkdir(dir, { recursive: true });
    if (created !== undefined) await syncDirectory(path.dirname(path.resolve(dir)));
    const unlock = await lockDirectory(dir);
    try {
      const found = await recoverBlocks(dir);
      await removeFiles(found.obsoleteFiles.map((f) => blockFilePath(dir, f)));
      const data = await LogFile.open(blockFilePath(dir, found.appendFile), found.appendOffset, durability);
      // The index is derivable from the blocks: `process` is enough whatever the blocks' durability.
      const indexLog = await LogFile.open(indexFilePath(dir), found.indexLength, 'process');
      if (found.reindexed.length > 0) {
        const w = new ByteWriter();
        for (const r of found.reindexed) writeFrame(w, recordToFrame(r));
        await indexLog.append(Buffer.from(w.bytes()));
      }
      await syncDirectory(dir);
      return new BlockStore(dir, found.index, data, found.appendFile, indexLog, new BlockFileReader(dir), durability, options.maxFileBytes ?? FILE_BYTES, unlock);
    } catch (err) {
      await unlock();
      throw err;
    }
  }

  /** Number of blocks committed (Fabric's height): the last block is height - 1. */
  get height(): number {
    return this.index.height;
  }

  /** What the next block must carry, counting appends still being written. */
  get next(): { readonly number: number; readonly previousHash: Buffer } {
    return { number: this.nextNumber, previousHash: Buffer.from(this.nextPreviousHash) };
  }

  get chainInfo(): BlockchainInfo {
    return { height: this.index.height, currentBlockHash: this.index.lastHeaderHash, previousBlockHash: Buffer.from(this.index.lastPreviousHash) };
  }

  /**
   * Appends a block (with the private write sets of its transactions, if any). Rejects with
   * BlockSequenceError, queuing nothing, if it does not follow; resolves once it is durable and indexed.
   */
  append(block: BuiltBlock, privateData?: BlockPrivateData): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the block store is closed'));
    if (this.failure) return Promise.reject(this.failedError());
    if (block.number !== this.nextNumber) {
      return Promise.reject(new BlockSequenceError(`block number should have been ${this.nextNumber} but was ${block.number}`));
    }
    if (block.number > 0 && !block.previousHash.equals(this.nextPreviousHash)) {
      return Promise.reject(
        new BlockSequenceError(
          `unexpected Previous block hash. Expected PreviousHash = [${this.nextPreviousHash.toString('hex')}], PreviousHash referred in the latest block= [${block.previousHash.toString('hex')}]`,
        ),
      );
    }
    this.nextNumber++;
    this.nextPreviousHash = block.headerHash;
    return new Promise((resolve, reject) => {
      this.queue.push({ block, privateData, resolve, reject });
      if (!this.draining) this.draining = this.writeLoop();
    });
  }

  /** Makes every appended block durable (they are with `disk` durability; with `process`, now). */
  async sync(): Promise<void> {
    await this.draining;
    await this.data.flush();
  }

  /** The marshalled common.Block numbered `n`. Throws BlockNotFoundError beyond the height. */
  async getBlock(n: number): Promise<Buffer> {
    return (await this.readFrame(n))[0];
  }

  /** The block whose header hash is `hash` (qscc GetBlockByHash), or undefined. */
  async getBlockByHash(hash: Uint8Array): Promise<Buffer | undefined> {
    const n = this.index.numberOfHash(hash);
    return n === undefined ? undefined : this.getBlock(n);
  }

  numberOfHash(hash: Uint8Array): number | undefined {
    return this.index.numberOfHash(hash);
  }

  headerHash(n: number): Buffer {
    this.requireBlock(n);
    return this.index.headerHash(n);
  }

  /** Where a transaction is and its validation code, from memory (CommitStatus). First occurrence wins. */
  findTransaction(txId: string): TransactionLocation | undefined {
    return this.index.findTransaction(txId);
  }

  /** A transaction with its envelope (qscc GetTransactionByID), or undefined. */
  async getTransaction(txId: string): Promise<StoredTransaction | undefined> {
    const location = this.index.findTransaction(txId);
    if (!location) return undefined;
    const block = codecs.Block.decode(await this.getBlock(location.blockNumber));
    return { ...location, envelope: Buffer.from(block.data?.data?.[location.txIndex] ?? []) };
  }

  /** The validation codes of block `n`'s transactions. */
  validationCodes(n: number): number[] {
    this.requireBlock(n);
    return this.index.validationCodes(n);
  }

  /** The private write sets stored with block `n` (empty when there are none). */
  async getPrivateData(n: number): Promise<Map<number, Buffer>> {
    this.requireBlock(n);
    if (!this.index.hasPrivateData(n)) return new Map();
    return new Map((await this.readFrame(n))[1] ?? []);
  }

  /**
   * Blocks from `from` on, in order, waiting for new ones at the head; ends when `signal` aborts or
   * the store closes. (Deliver and ChaincodeEvents: start at a number, follow the chain.)
   */
  async *blocks(from: number, signal?: AbortSignal): AsyncGenerator<StoredBlock, void, undefined> {
    for (let n = from; ; n++) {
      while (n >= this.index.height) {
        if (this.closed || signal?.aborted) return;
        await this.waiters.next(signal);
      }
      if (this.closed || signal?.aborted) return;
      let bytes: Buffer;
      try {
        bytes = await this.getBlock(n);
      } catch (err) {
        if (this.closed) return; // closed while reading: the stream ends, as it does at the head
        throw err;
      }
      yield { number: n, bytes };
    }
  }

  /** Waits for queued appends, then closes the files and releases the directory. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.draining;
    this.waiters.wakeAll();
    await this.data.close();
    await this.indexLog.close();
    await this.reader.close();
    await this.unlock();
    this.didAppend.dispose();
  }

  private requireBlock(n: number): void {
    if (!Number.isSafeInteger(n) || n < 0 || n >= this.index.height) throw new BlockNotFoundError(`block ${n}`, this.index.height);
  }

  private async readFrame(n: number): Promise<BlockFrame> {
    if (this.closed) throw new Error('the block store is closed');
    this.requireBlock(n);
    const recent = this.recent.get(n);
    if (recent && !this.index.hasPrivateData(n)) return [recent];
    const { file, start, end } = this.index.location(n);
    const value = await this.reader.readFrame(file, { start, end });
    if (!isBlockFrame(value)) throw new Error(`block ${n} in ${blockFilePath(this.dir, file)} is not a block frame`);
    return value;
  }

  private async writeLoop(): Promise<void> {
    // Let appends made in the same turn of the event loop join this write.
    await new Promise<void>((resolve) => setImmediate(resolve));
    try {
      while (this.queue.length > 0) await this.writeBatch(this.queue.splice(0));
    } finally {
      this.draining = undefined;
    }
  }

  private async writeBatch(batch: QueuedAppend[]): Promise<void> {
    if (this.failure) {
      for (const a of batch) a.reject(this.failedError());
      return;
    }
    const records: IndexRecord[] = [];
    try {
      if (this.data.size >= this.maxFileBytes) await this.nextDataFile();
      const w = this.writer;
      w.reset();
      let offset = this.data.size;
      for (const { block, privateData } of batch) {
        const frame: BlockFrame = privateData && privateData.size > 0 ? [block.bytes, [...privateData].map(([i, b]) => [i, Buffer.from(b)])] : [block.bytes];
        writeFrame(w, frame);
        records.push(recordOf(block, this.dataFile, offset, this.data.size + w.length, frame.length > 1));
        offset = this.data.size + w.length;
      }
      await this.data.append(w.bytes());
      w.reset();
      for (const r of records) writeFrame(w, recordToFrame(r));
      await this.indexLog.append(w.bytes());
      if (offset - records[0].start > MAX_KEPT_WRITER_BYTES) this.writer = new ByteWriter(WRITER_BYTES);
    } catch (err) {
      // After a failed write or sync the files' state is unknown: refuse further appends.
      this.failure = err as Error;
      for (const a of batch) a.reject(this.failedError());
      return;
    }
    batch.forEach((a, i) => {
      this.index.add(records[i]);
      this.remember(a.block);
    });
    this.waiters.wakeAll();
    for (const a of batch) {
      this.didAppend.fire(a.block);
      a.resolve();
    }
  }

  /** Closes the full block file (syncing it) before starting the next, so a crash never leaves two open. */
  private async nextDataFile(): Promise<void> {
    await this.data.close();
    this.dataFile++;
    this.data = await LogFile.open(blockFilePath(this.dir, this.dataFile), 0, this.durability);
    await syncDirectory(this.dir);
  }

  private remember(block: BuiltBlock): void {
    this.recent.set(block.number, block.bytes);
    if (this.recent.size > RECENT_BLOCKS) this.recent.delete(block.number - RECENT_BLOCKS);
  }

  private failedError(): Error {
    return new Error(`the block store in ${this.dir} stopped accepting blocks after a write failed: ${this.failure?.message}`, { cause: this.failure });
  }
}

function recordOf(block: BuiltBlock, file: number, start: number, end: number, hasPrivateData: boolean): IndexRecord {
  return {
    number: block.number,
    file,
    start,
    end,
    headerHash: block.headerHash,
    previousHash: block.previousHash,
    txIds: block.transactions.map((t) => t.txId),
    codes: Buffer.from(block.transactions.map((t) => t.validationCode)),
    hasPrivateData,
  };
}
