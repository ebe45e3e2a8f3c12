/**
 * One append-only log file. With `durable` on, `append` resolves only once the bytes are on disk:
 * the file is opened with O_DSYNC where the platform has it (one system call per append, which
 * matters when fdatasync dominates commit latency), otherwise each write is followed by fdatasync.
 */
import * as fs from 'fs';

export class LogFile {
  private constructor(
    private readonly fd: number,
    private readonly syncEachWrite: boolean,
    private position: number,
  ) {}

  /** Opens (creating if missing) a log for appending at `size` (the intact length found on replay). */
  static async open(file: string, size: number, durable: boolean): Promise<LogFile> {
    const c = fs.constants;
    const dsync = durable && typeof c.O_DSYNC === 'number' ? c.O_DSYNC : 0;
    const fd = await call<number>((cb) => fs.open(file, c.O_WRONLY | c.O_CREAT | dsync, 0o644, cb));
    try {
      // Cut a torn tail left by a crash so new records follow the last intact one.
      const { size: onDisk } = await call<fs.Stats>((cb) => fs.fstat(fd, cb));
      if (onDisk !== size) {
        await call<void>((cb) => fs.ftruncate(fd, size, cb));
        if (durable) await call<void>((cb) => fs.fsync(fd, cb));
      }
    } catch (err) {
      fs.close(fd, () => undefined);
      throw err;
    }
    return new LogFile(fd, durable && dsync === 0, size);
  }

  get size(): number {
    return this.position;
  }

  async append(data: Buffer): Promise<void> {
    let done = 0;
    while (done < data.length) {
      const written = await call<number>((cb) => fs.write(this.fd, data, done, data.length - done, this.position + done, cb));
      done += written;
    }
    this.position += data.length;
    if (this.syncEachWrite) await call<void>((cb) => fs.fdatasync(this.fd, cb));
  }

  async close(): Promise<void> {
    await call<void>((cb) => fs.close(this.fd, cb));
  }
}

/** Promise wrapper for fs callbacks (cheaper than fs.promises' FileHandle on the hot path). */
function call<T>(start: (cb: (err: NodeJS.ErrnoException | null, value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => start((err, value) => (err ? reject(err) : resolve(value))));
}
