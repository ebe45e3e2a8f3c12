/**
 * A channel's world state on one peer: committed state indexed in memory (CommittedState) and made
 * durable by an append-only log with periodic snapshots in one directory (see ledgerFiles.ts).
 *
 * State changes a block at a time. A block is one framed log record holding its transactions'
 * write sets and records (valid or not, each at its index); it is in the log (written, and with
 * `disk` durability synced), then handed to the block sink (the block store), before it is applied
 * to memory and before its promise resolves. Blocks are applied in call order. Reads never wait for
 * I/O: they see the last applied block.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Emitter, type Event } from '../util/events';
import { logEntryOf, planBlock, type CommitRequest, type CommitResult, type PlannedBlock } from './blockPlan';
import { CommittedState, type BlockToLive } from './committedState';
import { writeFrame } from './frames';
import { listDirectory, lockDirectory, logPath, removeFiles, snapshotPath, syncDirectory } from './ledgerFiles';
import { LogFile, type Durability } from './logFile';
import { recover } from './recovery';
import { writeSnapshot } from './snapshotFile';
import { TransactionRecords, type TransactionFilter } from './transactionRecords';
import type { HistoryEntry, Namespace, QueryOptions, QueryPage, StateEntry, StateReader, TransactionRecord, ValidationCode } from './types';
import { ByteWriter } from './valueCodec';

export type { CommitRequest, CommitResult } from './blockPlan';
export type { TransactionFilter } from './transactionRecords';
export type { Durability } from './logFile';

export interface WorldStateOptions {
  /**
   * `process` (default): each commit is in the log file before it resolves, so a crash or kill of
   * the process never loses it; the disk sync follows within milliseconds (a power loss may lose
   * those). `disk`: each commit is synced to disk before it resolves.
   */
  readonly durability?: Durability;
  /** Cap on unpaginated range and rich query results (Fabric's ledger.state.totalQueryLimit). */
  readonly totalQueryLimit?: number;
  /** Transaction records kept (default 10,000). */
  readonly maxTransactionRecords?: number;
  /** Log size that triggers a snapshot (default 8 MiB, or the last snapshot's size if larger). */
  readonly compactAfterBytes?: number;
  /** How long records of transactions that did not commit may wait before being written (default 200 ms). */
  readonly recordFlushDelayMs?: number;
  /**
   * Whether other work waits for the event loop (the peer: transactions still executing), so a
   * commit's write and sync should run in the thread pool. Default: nothing else waits.
   */
  readonly othersWaiting?: () => boolean;
  /** Where each block goes before the state applies it (the channel's block store). */
  readonly blockSink?: BlockSink;
  /** Recover blocks only up to this number (the block store's height after a crash). */
  readonly maxHeight?: number;
}

/** What the block store offers the world state: blocks stored in step with the state. */
export interface BlockSink {
  /** Stores block `blockNum` with each transaction's envelope and validation code, in order. */
  append(block: { readonly blockNum: number; readonly txs: readonly BlockTransaction[] }): Promise<void>;
  /** Makes every appended block durable: a snapshot lets the log that could rebuild them go. */
  sync(): Promise<void>;
}

export interface BlockTransaction {
  readonly txId: string;
  readonly envelope: Buffer | undefined;
  readonly privateData: Buffer | undefined;
  readonly validation: ValidationCode;
}

export interface CommitOptions {
  /**
   * The collections' blockToLive: a private key last written in block N is purged, its value and
   * hash, when block N + blockToLive + 1 commits. Absent: nothing is purged with this block.
   */
  readonly blockToLive?: BlockToLive;
}

/** A committed block: its number and each transaction's outcome, in order. */
export interface BlockCommitted {
  readonly blockNum: number;
  readonly results: readonly CommitResult[];
}

interface QueuedBlock {
  readonly requests: readonly CommitRequest[];
  readonly blockToLive: BlockToLive | undefined;
  readonly resolve: (result: BlockCommitted) => void;
  readonly reject: (err: Error) => void;
}

export class WorldState implements StateReader {
  private readonly queue: QueuedBlock[] = [];
  /** Records not yet in the log; not crash critical, so they ride along with the next write. */
  private unwrittenRecords: TransactionRecord[] = [];
  private readonly writer = new ByteWriter(64 * 1024);
  private draining: Promise<void> | undefined;
  private recordTimer: NodeJS.Timeout | undefined;
  private recordsDue = false;
  private compaction: Promise<void> | undefined;
  private failure: Error | undefined;
  private closed = false;
  private readonly didRecord = new Emitter<TransactionRecord>();
  private readonly backgroundError = new Emitter<Error>();

  /** Fires for every transaction record kept: commits once applied, and recordTransaction calls. */
  readonly onDidRecordTransaction: Event<TransactionRecord> = this.didRecord.event;
  /** A snapshot failed (the log keeps everything; the next compaction retries). */
  readonly onBackgroundError: Event<Error> = this.backgroundError.event;

  private constructor(
    private readonly dir: string,
    private readonly options: Required<Omit<WorldStateOptions, 'blockSink' | 'maxHeight'>> & Pick<WorldStateOptions, 'blockSink'>,
    private readonly state: CommittedState,
    private readonly records: TransactionRecords,
    private log: LogFile,
    private gen: number,
    private snapshotBytes: number,
    private readonly unlock: () => Promise<void>,
  ) {}

  /** Opens (creating if missing) the world state stored in `dir` and replays it into memory. */
  static async open(dir: string, options: WorldStateOptions = {}): Promise<WorldState> {
    const opts = {
      blockSink: options.blockSink,
      durability: options.durability ?? 'process',
      totalQueryLimit: options.totalQueryLimit ?? 100_000,
      maxTransactionRecords: options.maxTransactionRecords ?? 10_000,
      compactAfterBytes: options.compactAfterBytes ?? 8 * 1024 * 1024,
      recordFlushDelayMs: options.recordFlushDelayMs ?? 200,
      othersWaiting: options.othersWaiting ?? (() => false),
    };
    // Sync the parents of new directories too, or a machine crash could lose the whole ledger.
    const created = await fs.promises.mkdir(dir, { recursive: true });
    for (let d = path.resolve(dir); created !== undefined; d = path.dirname(d)) {
      await syncDirectory(path.dirname(d));
      if (d === path.resolve(created) || d === path.dirname(d)) break;
    }
    const unlock = await lockDirectory(dir);
    try {
      const state = new CommittedState(opts.totalQueryLimit);
      const records = new TransactionRecords(opts.maxTransactionRecords);
      const { gen, logSize, snapshotBytes } = await recover(dir, state, records, options.maxHeight);
      const log = await LogFile.open(logPath(dir, gen), logSize, opts.durability);
      await syncDirectory(dir);
      return new WorldState(dir, opts, state, records, log, gen, snapshotBytes, unlock);
    } catch (err) {
      await unlock();
      throw err;
    }
  }

  /** The number of the last committed block (0 = nothing committed yet). */
  get height(): number {
    return this.state.height;
  }

  getState(ns: Namespace, key: string): StateEntry | undefined {
    return this.state.getState(ns, key);
  }

  getPrivateData(ns: Namespace, collection: string, key: string): StateEntry | undefined {
    return this.state.getPrivateData(ns, collection, key);
  }

  getPrivateDataHash(ns: Namespace, collection: string, key: string): Buffer | undefined {
    return this.state.getPrivateDataHash(ns, collection, key);
  }

  getPrivateDataHashEntry(ns: Namespace, collection: string, key: string): StateEntry | undefined {
    return this.state.getPrivateDataHashEntry(ns, collection, key);
  }

  getStateRange(ns: Namespace, collection: string, startKey: string, endKey: string, options?: QueryOptions): QueryPage<StateEntry> {
    return this.state.getStateRange(ns, collection, startKey, endKey, options);
  }

  getQueryResult(ns: Namespace, collection: string, query: string, options?: QueryOptions): QueryPage<StateEntry> {
    return this.state.getQueryResult(ns, collection, query, options);
  }

  getHistory(ns: Namespace, key: string): readonly HistoryEntry[] {
    return this.state.getHistory(ns, key);
  }

  /** Every public key of a namespace ever written, deleted ones too (replay's ranges over past state). */
  historyKeys(ns: Namespace): string[] {
    return this.state.historyKeys(ns);
  }

  /** Namespaces holding state or history (the World State view's roots). */
  namespaces(): Namespace[] {
    return this.state.namespaceList();
  }

  /** Private collections of a namespace that hold keys. */
  collections(ns: Namespace): string[] {
    return this.state.collectionList(ns);
  }

  /** Entries of a key space ('' = public) in key order, optionally under a key prefix. */
  entries(ns: Namespace, collection: string, options?: { prefix?: string; limit?: number }): StateEntry[] {
    return this.state.entries(ns, collection, options);
  }

  /**
   * Validates (MVCC) and commits one block of transactions, numbered after the last one. Resolves
   * once it is durable and applied, with each transaction's outcome: VALID (its writes applied) or
   * why not (nothing of it applied). Every transaction's record is kept.
   */
  commitBlock(requests: readonly CommitRequest[], options: CommitOptions = {}): Promise<BlockCommitted> {
    if (this.closed) return Promise.reject(new Error('the world state is closed'));
    if (this.failure) return Promise.reject(this.failedError());
    if (requests.length === 0) return Promise.reject(new Error('a block needs at least one transaction'));
    return new Promise((resolve, reject) => {
      this.queue.push({ requests, blockToLive: options.blockToLive, resolve, reject });
      this.drain();
    });
  }

  /** Keeps the record of a transaction that does not commit (failed, query); written lazily. */
  recordTransaction(record: TransactionRecord): void {
    this.keepRecord(record);
    this.writeLater(record);
  }

  private writeLater(record: TransactionRecord): void {
    this.unwrittenRecords.push(record);
    if (!this.recordTimer && !this.closed) {
      this.recordTimer = setTimeout(() => {
        this.recordTimer = undefined;
        this.recordsDue = true;
        this.drain();
      }, this.options.recordFlushDelayMs);
      this.recordTimer.unref();
    }
  }

  /** Newest first. */
  transactions(filter?: TransactionFilter): TransactionRecord[] {
    return this.records.list(filter);
  }

  getTransaction(txId: string): TransactionRecord | undefined {
    return this.records.get(txId);
  }

  /** Waits for queued commits, writes pending records, finishes a running snapshot and releases the directory. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.recordTimer) clearTimeout(this.recordTimer);
    this.recordTimer = undefined;
    this.recordsDue = true;
    this.drain();
    await this.draining;
    await this.compaction;
    await this.log.close();
    await this.unlock();
    this.didRecord.dispose();
    this.backgroundError.dispose();
  }

  /** Starts the write loop unless it is running; it runs until the queue is empty. */
  private drain(): void {
    if (this.draining) return;
    this.draining = this.writeLoop();
  }

  private async writeLoop(): Promise<void> {
    // Yield first: with nothing to do, the finally below would otherwise run before drain() stores
    // this promise, leaving `draining` set forever and every later commit stranded. (Batching
    // transactions into blocks is the orderer's job, not a wait here.)
    await Promise.resolve();
    try {
      while (this.queue.length > 0 || (this.recordsDue && this.unwrittenRecords.length > 0)) {
        // One block at a time: a block's MVCC check reads the state the blocks before it left.
        const block = this.queue.shift();
        if (block && this.failure) {
          block.reject(this.failedError());
          continue;
        }
        await this.writeBlock(block);
        if (this.log.size >= Math.max(this.options.compactAfterBytes, this.snapshotBytes) && !this.compaction) {
          await this.startCompaction().catch((err: Error) => this.backgroundError.fire(new Error(`world state compaction in ${this.dir} failed: ${err.message}`, { cause: err })));
        }
      }
      this.recordsDue = false;
    } finally {
      // Cleared in the same synchronous step as the final queue check, so no commit is stranded.
      this.draining = undefined;
    }
  }

  /** Writes pending records and the block (if any) in one log append, then applies the block. */
  private async writeBlock(block: QueuedBlock | undefined): Promise<void> {
    let planned: PlannedBlock | undefined;
    const w = this.writer;
    try {
      w.reset();
      this.encodeUnwrittenRecords(w);
      if (block) {
        planned = planBlock(this.state, this.state.height + 1, block.requests, block.blockToLive);
        writeFrame(w, logEntryOf(planned, block.requests));
      }
    } catch (err) {
      // Only a malformed request (e.g. a cyclic record) gets here; nothing was written or applied.
      block?.reject(new Error(`could not commit block ${this.state.height + 1}: ${(err as Error).message}`, { cause: err }));
      return;
    }
    try {
      await this.log.append(w.bytes(), this.options.othersWaiting());
      // The block goes to the store after the state's log has it: after a crash the store is at most
      // as far as the state, and recovery (maxHeight) cuts the state back to what both hold.
      const sink = this.options.blockSink;
      if (block && planned && sink) {
        await sink.append({
          blockNum: planned.blockNum,
          txs: planned.commits.map((c, i) => ({
            txId: block.requests[i].txId,
            envelope: block.requests[i].envelope,
            privateData: block.requests[i].privateData,
            validation: c.result.validation,
          })),
        });
      }
    } catch (err) {
      // After a failed write or sync the files' state is unknown: refuse further commits.
      this.failure = err as Error;
      block?.reject(this.failedError());
      return;
    }
    if (block && planned) this.apply(block, planned);
  }

  /** Applies a written block to memory and resolves its promise. */
  private apply(block: QueuedBlock, planned: PlannedBlock): void {
    for (const c of planned.commits) {
      if (c.writes) this.state.apply(c.writes);
      this.keepRecord(c.record);
    }
    this.state.purge(planned.purged);
    this.state.height = planned.blockNum;
    block.resolve({ blockNum: planned.blockNum, results: planned.commits.map((c) => c.result) });
  }

  /** Records are not crash critical: one that cannot be encoded is skipped rather than block commits. */
  private encodeUnwrittenRecords(w: ByteWriter): void {
    this.recordsDue = false;
    for (const record of this.unwrittenRecords) {
      const at = w.length;
      try {
        writeFrame(w, { t: 'record', record });
      } catch {
        w.truncate(at);
      }
    }
    this.unwrittenRecords = [];
  }

  private keepRecord(record: TransactionRecord): void {
    this.records.add(record);
    this.didRecord.fire(record);
  }

  /**
   * Switches to a new log generation and snapshots the state as of the switch in the background.
   * Runs inside the write loop, so no batch is half applied while the view is captured.
   */
  private async startCompaction(): Promise<void> {
    // The snapshot lets the old logs go: the blocks they could rebuild must be durable first.
    await this.options.blockSink?.sync();
    const nextGen = this.gen + 1;
    const nextLog = await LogFile.open(logPath(this.dir, nextGen), 0, this.options.durability);
    await syncDirectory(this.dir);
    const view = this.state.captureView();
    const records = this.records.all();
    const previous = this.log;
    this.log = nextLog;
    this.gen = nextGen;
    await previous.close();
    this.compaction = this.writeSnapshotAndPrune(nextGen, view, records).finally(() => {
      this.compaction = undefined;
    });
  }

  private async writeSnapshotAndPrune(gen: number, view: ReturnType<CommittedState['captureView']>, records: TransactionRecord[]): Promise<void> {
    try {
      this.snapshotBytes = await writeSnapshot(this.dir, gen, view, records);
      const listing = await listDirectory(this.dir);
      await removeFiles([
        ...listing.logs.filter((g) => g < gen).map((g) => logPath(this.dir, g)),
        ...listing.snapshots.filter((g) => g < gen).map((g) => snapshotPath(this.dir, g)),
      ]);
    } catch (err) {
      // Not fatal: the previous snapshot and all logs since are still there.
      await removeFiles([`${snapshotPath(this.dir, gen)}.tmp`]).catch(() => undefined);
      this.backgroundError.fire(new Error(`world state snapshot in ${this.dir} failed: ${(err as Error).message}`, { cause: err }));
    }
  }

  private failedError(): Error {
    return new Error(`the world state in ${this.dir} stopped accepting commits after a write failed: ${this.failure?.message}`, { cause: this.failure });
  }
}
