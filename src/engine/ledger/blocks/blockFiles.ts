/**
 * The block store's directory and the file reading it needs.
 *
 *   LOCK                 pid of the process that has the store open (ledgerFiles.ts lockDirectory)
 *   blocks-<file>.bin    the blocks, one frame each (frames.ts), in order; a new file once one
 *                        passes FILE_BYTES (Fabric's blockfile_NNNNNN, 64 MB each)
 *   index.bin            one frame per block with what the in-memory index needs; it can be
 *                        rebuilt from the block files, so it is never synced on its own
 */
import * as fs from 'fs';
import * as path from 'path';
import { readFrames } from '../frames';
import { isCleanTail } from '../logFile';

/** Size after which appends go to a new file; also the most that recovery re-reads on open. */
export const FILE_BYTES = 16 * 1024 * 1024;
/** Read size when scanning a file from start to end. */
const SCAN_WINDOW = 4 * 1024 * 1024;
/** Read descriptors kept open for block reads. */
const OPEN_READERS = 8;

export function blockFilePath(dir: string, file: number): string {
  return path.join(dir, `blocks-${String(file).padStart(6, '0')}.bin`);
}

export function indexFilePath(dir: string): string {
  return path.join(dir, 'index.bin');
}

/** The numbers of the block files in `dir`, ascending. */
export async function listBlockFiles(dir: string): Promise<number[]> {
  const files: number[] = [];
  for (const name of await fs.promises.readdir(dir)) {
    const m = /^blocks-(\d+)\.bin$/.exec(name);
    if (m) files.push(Number(m[1]));
  }
  return files.sort((a, b) => a - b);
}

export interface FrameLocation {
  readonly start: number;
  readonly end: number;
}

export interface FileScan {
  /** Where the intact frames end. */
  readonly end: number;
  /** Whether only zeros follow (preallocated space, not a torn write). */
  readonly cleanTail: boolean;
}

/**
 * Reads the frames of `file` from `from` in windows (memory stays bounded whatever the file size),
 * calling `onFrame` for each intact one; stops at the end or at the first torn or damaged frame.
 */
export async function scanFrameFile(file: string, from: number, onFrame: (value: unknown, at: FrameLocation) => void): Promise<FileScan> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const size = (await handle.stat()).size;
    let pos = from;
    let want = SCAN_WINDOW;
    while (pos < size) {
      const length = Math.min(want, size - pos);
      const buf = Buffer.allocUnsafe(length);
      const { bytesRead } = await handle.read(buf, 0, length, pos);
      const scan = readFrames(buf.subarray(0, bytesRead));
      scan.values.forEach((value, i) => onFrame(value, { start: pos + (i === 0 ? 0 : scan.ends[i - 1]), end: pos + scan.ends[i] }));
      pos += scan.validLength;
      want = SCAN_WINDOW;
      if (scan.validLength === bytesRead) continue;
      // The window may have cut the next frame short: read it whole if the file holds it.
      const rest = buf.subarray(scan.validLength, bytesRead);
      const claimed = rest.length >= 4 ? 8 + rest.readUInt32LE(0) : 0;
      if (claimed > rest.length && pos + claimed <= size) {
        want = Math.max(SCAN_WINDOW, claimed);
        continue;
      }
      break; // torn, damaged or zero-filled
    }
    return { end: pos, cleanTail: await onlyZeros(handle, pos, size) };
  } finally {
    await handle.close();
  }
}

async function onlyZeros(handle: fs.promises.FileHandle, from: number, size: number): Promise<boolean> {
  const buf = Buffer.allocUnsafe(Math.min(SCAN_WINDOW, Math.max(0, size - from)));
  for (let pos = from; pos < size;) {
    const { bytesRead } = await handle.read(buf, 0, Math.min(buf.length, size - pos), pos);
    if (bytesRead === 0 || !isCleanTail(buf.subarray(0, bytesRead))) return false;
    pos += bytesRead;
  }
  return true;
}

export class DamagedBlockFileError extends Error {
  constructor(file: string, detail: string) {
    super(`the block file ${file} is damaged (${detail}); move the ledger directory aside to start afresh`);
    this.name = 'DamagedBlockFileError';
  }
}

/** Reads single frames from the block files, keeping a few descriptors open. */
export class BlockFileReader {
  private readonly handles = new Map<number, { handle: Promise<fs.promises.FileHandle>; users: number }>();

  constructor(private readonly dir: string) {}

  /** The value of the frame at [start, end) of block file `file`; checksum verified. */
  async readFrame(file: number, at: FrameLocation): Promise<unknown> {
    const entry = this.acquire(file);
    try {
      const handle = await entry.handle;
      const buf = Buffer.allocUnsafe(at.end - at.start);
      const { bytesRead } = await handle.read(buf, 0, buf.length, at.start);
      const scan = readFrames(buf.subarray(0, bytesRead));
      if (scan.values.length !== 1 || scan.validLength !== buf.length) {
        throw new DamagedBlockFileError(blockFilePath(this.dir, file), `no intact frame at bytes ${at.start}-${at.end}`);
      }
      return scan.values[0];
    } finally {
      entry.users--;
      this.trim();
    }
  }

  async close(): Promise<void> {
    const open = [...this.handles.values()];
    this.handles.clear();
    await Promise.all(open.map((e) => e.handle.then((h) => h.close()).catch(() => undefined)));
  }

  private acquire(file: number): { handle: Promise<fs.promises.FileHandle>; users: number } {
    let entry = this.handles.get(file);
    if (entry)
      this.handles.delete(file); // re-inserted below: most recently used last
    else {
      const created = { handle: fs.promises.open(blockFilePath(this.dir, file), 'r'), users: 0 };
      // A failed open is not cached: the next read tries again.
      created.handle.catch(() => this.handles.get(file) === created && this.handles.delete(file));
      entry = created;
    }
    this.handles.set(file, entry);
    entry.users++;
    return entry;
  }

  /** Closes the least recently used descriptors nobody is reading from, beyond OPEN_READERS. */
  private trim(): void {
    for (const [file, entry] of this.handles) {
      if (this.handles.size <= OPEN_READERS) return;
      if (entry.users > 0) continue;
      this.handles.delete(file);
      entry.handle.then((h) => h.close()).catch(() => undefined);
    }
  }
}
