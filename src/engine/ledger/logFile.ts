/**
 * One append-only log file. With `durable` on, `append` resolves only once the bytes are on disk.
 *
 * Two choices make a durable commit cheap, because its sync sits on every transaction's path:
 * - The file grows in zero-filled steps ahead of the data (`PREALLOCATE_BYTES`), so a commit
 *   overwrites blocks that already belong to the file: its fdatasync flushes data only, not the
 *   journal entry a growing file needs (about a third faster on ext4 here). Readers stop at the
 *   zeros, as they do at a torn frame (frames.ts), and a zero tail is a clean end (isCleanTail).
 * - While syncs are fast and nothing else waits for the event loop, write and sync run on the
 *   calling thread. Handing a sub-millisecond sync to libuv's thread pool costs about as much again
 *   in thread hand-offs (measured on a 2-core VM: 0.49 ms a commit through the pool, 0.30 ms
 *   inline). When other work is waiting (`append(data, true)`: other transactions in flight, whose
 *   requests the event loop could answer during the sync) or syncs average over
 *   `INLINE_SYNC_LIMIT_MS` (a slow disk must not stall the editor's extension host), appends go
 *   through the pool.
 */
import * as fs from 'fs';

/** Zero-filled bytes added at a time: about 2 ms of writing and syncing, every few thousand commits. */
const PREALLOCATE_BYTES = 1 << 20;
/** Average sync time above which syncs leave the event loop. */
const INLINE_SYNC_LIMIT_MS = 2;
/** Weight of the newest sync in the running average. */
const AVERAGE_WEIGHT = 0.2;

export class LogFile {
  /** File length on disk: the data, then zeros up to here. */
  private allocated: number;
  private syncMsAverage = 0;

  private constructor(
    private readonly fd: number,
    private readonly durable: boolean,
    private position: number,
  ) {
    this.allocated = position;
  }

  /** Opens (creating if missing) a log for appending at `size` (the intact length found on replay). */
  static async open(file: string, size: number, durable: boolean): Promise<LogFile> {
    const c = fs.constants;
    const fd = await call<number>((cb) => fs.open(file, c.O_WRONLY | c.O_CREAT, 0o644, cb));
    try {
      // Cut a torn tail left by a crash (and any zeros) so new records follow the last intact one.
      const { size: onDisk } = await call<fs.Stats>((cb) => fs.fstat(fd, cb));
      if (onDisk !== size) {
        await call<void>((cb) => fs.ftruncate(fd, size, cb));
        if (durable) await call<void>((cb) => fs.fsync(fd, cb));
      }
    } catch (err) {
      fs.close(fd, () => undefined);
      throw err;
    }
    return new LogFile(fd, durable, size);
  }

  /** Bytes of records (not counting the zero-filled space ahead of them). */
  get size(): number {
    return this.position;
  }

  /** Whether syncs are fast enough to run on the event loop (when nothing else waits for it). */
  get inline(): boolean {
    return this.syncMsAverage <= INLINE_SYNC_LIMIT_MS;
  }

  /** Appends `data`; `othersWaiting` keeps the event loop free during the write and sync. */
  async append(data: Buffer, othersWaiting = false): Promise<void> {
    const at = this.position;
    const started = performance.now();
    if (this.inline && !othersWaiting) this.appendInline(data, at);
    else await this.appendInPool(data, at);
    this.position = at + data.length;
    if (this.durable) {
      const ms = performance.now() - started;
      this.syncMsAverage += AVERAGE_WEIGHT * (ms - this.syncMsAverage);
    }
  }

  /** Gives the unused zero-filled space back, then closes. */
  async close(): Promise<void> {
    try {
      if (this.allocated > this.position) {
        await call<void>((cb) => fs.ftruncate(this.fd, this.position, cb));
        if (this.durable) await call<void>((cb) => fs.fsync(this.fd, cb));
      }
    } finally {
      await call<void>((cb) => fs.close(this.fd, cb));
    }
  }

  private appendInline(data: Buffer, at: number): void {
    if (this.durable && at + data.length > this.allocated) this.growInline(at + data.length);
    writeAllSync(this.fd, data, at);
    if (this.durable) fs.fdatasyncSync(this.fd);
  }

  private async appendInPool(data: Buffer, at: number): Promise<void> {
    if (this.durable && at + data.length > this.allocated) await this.growInPool(at + data.length);
    let done = 0;
    while (done < data.length) {
      done += await call<number>((cb) => fs.write(this.fd, data, done, data.length - done, at + done, cb));
    }
    if (this.durable) await call<void>((cb) => fs.fdatasync(this.fd, cb));
  }

  /** Zero-fills the file up to past `needed` and syncs its new length. */
  private growInline(needed: number): void {
    const target = preallocationEnd(needed);
    writeAllSync(this.fd, Buffer.alloc(target - this.allocated), this.allocated);
    fs.fsyncSync(this.fd);
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
