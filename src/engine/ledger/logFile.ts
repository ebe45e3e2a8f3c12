/**
 * One append-only log file. `append` resolves once the bytes are in the file: written (so a crash
 * or kill of the process cannot lose them) and, with `disk` durability, synced to the disk (so a
 * power loss cannot either). With `process` durability the sync follows in the background within
 * `BACKGROUND_SYNC_MS`, so a power loss or OS crash may lose that window, never more, and the log
 * stays a prefix of what was committed (frames are checksummed; recovery stops at the first bad one).
 *
 * What makes a synced commit cheap, because its sync sits on every transaction's path:
 * - The file grows in zero-filled steps ahead of the data (`PREALLOCATE_BYTES`), so a commit
 *   overwrites blocks that already belong to the file: its fdatasync flushes data only, not the
 *   journal entry a growing file needs (markedly faster on ext4), and its write allocates
 *   nothing. Readers stop at the zeros, as they do at a torn frame (frames.ts), and a zero tail is a
 *   clean end (isCleanTail).
 * - While syncs are fast and nothing else waits for the event loop, write and sync run on the
 *   calling thread. Handing a sub-millisecond sync to libuv's thread pool costs about as much again
 *   in thread hand-offs, on every commit. When other work is waiting (`append(data, true)`: other transactions in flight, whose
 *   requests the event loop could answer during the sync) or syncs average over
 *   `INLINE_SYNC_LIMIT_MS` (a slow disk must not stall the editor's extension host), appends go
 *   through the pool.
 */
import * as fs from 'fs';

/**
 * `disk`: synced before `append` resolves (survives a power loss). `process`: written before it
 * resolves, synced within `BACKGROUND_SYNC_MS` (survives a crash or kill of the process).
 */
export type Durability = 'disk' | 'process';

/** Zero-filled bytes added at a time: one larger write and sync every few thousand commits. */
const PREALLOCATE_BYTES = 1 << 20;
/** Average sync time above which syncs leave the event loop. */
const INLINE_SYNC_LIMIT_MS = 2;
/** Weight of the newest sync in the running average. */
const AVERAGE_WEIGHT = 0.2;
/** With `process` durability: how long written bytes may wait for their sync. */
export const BACKGROUND_SYNC_MS = 10;

export class LogFile {
  /** File length on disk: the data, then zeros up to here. */
  private allocated: number;
  private syncMsAverage = 0;
  /** `process` durability: bytes written since the last sync began, and its timer or run. */
  private unsynced = false;
  private syncTimer: NodeJS.Timeout | undefined;
  private syncing: Promise<void> | undefined;
  private closing = false;
  private syncFailure: Error | undefined;

  private constructor(
    private readonly fd: number,
    readonly durability: Durability,
    private position: number,
  ) {
    this.allocated = position;
  }

  /** Opens (creating if missing) a log for appending at `size` (the intact length found on replay). */
  static async open(file: string, size: number, durability: Durability): Promise<LogFile> {
    const c = fs.constants;
    const fd = await call<number>((cb) => fs.open(file, c.O_WRONLY | c.O_CREAT, 0o644, cb));
    try {
      // Cut a torn tail left by a crash (and any zeros) so new records follow the last intact one.
      const { size: onDisk } = await call<fs.Stats>((cb) => fs.fstat(fd, cb));
      if (onDisk !== size) {
        await call<void>((cb) => fs.ftruncate(fd, size, cb));
        await call<void>((cb) => fs.fsync(fd, cb));
      }
    } catch (err) {
      fs.close(fd, () => undefined);
      throw err;
    }
    return new LogFile(fd, durability, size);
  }

  /** Bytes of records (not counting the zero-filled space ahead of them). */
  get size(): number {
    return this.position;
  }

  /** Whether syncs are fast enough to run on the event loop (when nothing else waits for it). */
  get inline(): boolean {
    return this.syncMsAverage <= INLINE_SYNC_LIMIT_MS;
  }

  /** Appends `data`; `othersWaiting` keeps the event loop free during a `disk` write and sync. */
  async append(data: Buffer, othersWaiting = false): Promise<void> {
    if (this.syncFailure) throw this.syncFailure;
    const at = this.position;
    if (this.durability === 'process') {
      // A write to the page cache is a few tens of microseconds: cheaper here than a pool hop.
      if (at + data.length > this.allocated) this.growInline(at + data.length, false);
      writeAllSync(this.fd, data, at);
      this.position = at + data.length;
      this.scheduleBackgroundSync();
      return;
    }
    const started = performance.now();
    if (this.inline && !othersWaiting) this.appendSynced(data, at);
    else await this.appendSyncedInPool(data, at);
    this.position = at + data.length;
    this.syncMsAverage += AVERAGE_WEIGHT * (performance.now() - started - this.syncMsAverage);
  }

  /** Makes everything appended so far durable (with `disk` durability it already is). */
  async flush(): Promise<void> {
    if (this.syncTimer) clearTimeout(this.syncTimer);
    this.syncTimer = undefined;
    await this.syncing;
    if (this.syncFailure) throw this.syncFailure;
    if (!this.unsynced) return;
    this.unsynced = false;
    await call<void>((cb) => fs.fdatasync(this.fd, cb));
  }

  /** Syncs what is written, gives the unused zero-filled space back, then closes. */
  async close(): Promise<void> {
    this.closing = true;
    if (this.syncTimer) clearTimeout(this.syncTimer);
    this.syncTimer = undefined;
    try {
      await this.syncing;
      if (this.allocated > this.position) await call<void>((cb) => fs.ftruncate(this.fd, this.position, cb));
      await call<void>((cb) => fs.fsync(this.fd, cb));
    } finally {
      await call<void>((cb) => fs.close(this.fd, cb));
    }
  }

  private appendSynced(data: Buffer, at: number): void {
    if (at + data.length > this.allocated) this.growInline(at + data.length, true);
    writeAllSync(this.fd, data, at);
    fs.fdatasyncSync(this.fd);
  }

  private async appendSyncedInPool(data: Buffer, at: number): Promise<void> {
    if (at + data.length > this.allocated) await this.growInPool(at + data.length);
    let done = 0;
    while (done < data.length) {
      done += await call<number>((cb) => fs.write(this.fd, data, done, data.length - done, at + done, cb));
    }
    await call<void>((cb) => fs.fdatasync(this.fd, cb));
  }

  /** One sync at a time, at most `BACKGROUND_SYNC_MS` after the first unsynced write. */
  private scheduleBackgroundSync(): void {
    this.unsynced = true;
    if (this.syncTimer || this.syncing) return;
    this.syncTimer = setTimeout(() => this.runBackgroundSync(), BACKGROUND_SYNC_MS).unref();
  }

  private runBackgroundSync(): void {
    this.syncTimer = undefined;
    this.unsynced = false;
    this.syncing = call<void>((cb) => fs.fdatasync(this.fd, cb)).then(
      () => {
        this.syncing = undefined;
        if (this.unsynced && !this.closing) this.scheduleBackgroundSync();
      },
      (err: Error) => {
        this.syncing = undefined;
        // The file's state is unknown after a failed sync: the next append reports it.
        this.syncFailure = new Error(`syncing the log failed: ${err.message}`, { cause: err });
      },
    );
  }

  /** Zero-fills the file up to past `needed` (and syncs its new length, when asked). */
  private growInline(needed: number, sync: boolean): void {
    const target = preallocationEnd(needed);
    writeAllSync(this.fd, Buffer.alloc(target - this.allocated), this.allocated);
    if (sync) fs.fsyncSync(this.fd);
    this.allocated = target;
  }

  private async growInPool(needed: number): Promise<void> {
    const target = preallocationEnd(needed);
    const zeros = Buffer.alloc(target - this.allocated);
    let done = 0;
    while (done < zeros.length) {
      done += await call<number>((cb) => fs.write(this.fd, zeros, done, zeros.length - done, this.allocated + done, cb));
    }
    await call<void>((cb) => fs.fsync(this.fd, cb));
    this.allocated = target;
  }
}

/** Whether the bytes after a log's last intact frame are preallocated zeros rather than a torn write. */
export function isCleanTail(tail: Uint8Array): boolean {
  for (let i = 0; i < tail.length; i++) if (tail[i] !== 0) return false;
  return true;
}

function preallocationEnd(needed: number): number {
  return Math.ceil(needed / PREALLOCATE_BYTES) * PREALLOCATE_BYTES + PREALLOCATE_BYTES;
}

function writeAllSync(fd: number, data: Buffer, at: number): void {
  let done = 0;
  while (done < data.length) done += fs.writeSync(fd, data, done, data.length - done, at + done);
}

/** Promise wrapper for fs callbacks (cheaper than fs.promises' FileHandle on the hot path). */
function call<T>(start: (cb: (err: NodeJS.ErrnoException | null, value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => start((err, value) => (err ? reject(err) : resolve(value))));
}
