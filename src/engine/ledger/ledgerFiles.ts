/**
 * The ledger directory's layout and the file operations that make it crash safe.
 *
 *   LOCK                   pid of the process that has the ledger open (one writer at a time)
 *   snapshot-<gen>.bin     the whole state as of the start of log <gen> (written to .tmp, renamed)
 *   log-<gen>.bin          framed commit records after snapshot <gen>
 *
 * Recovery loads the highest complete snapshot N (none = empty state) and replays logs ≥ N in
 * order. Compaction starts log N+1 before writing snapshot N+1, and deletes log N only after
 * snapshot N+1 is renamed into place, so a crash between any two steps leaves a complete chain.
 */
import * as fs from 'fs';
import * as path from 'path';
import { isAlive } from '../util/processes';

const GEN_DIGITS = 8;

export function logPath(dir: string, gen: number): string {
  return path.join(dir, `log-${String(gen).padStart(GEN_DIGITS, '0')}.bin`);
}

export function snapshotPath(dir: string, gen: number): string {
  return path.join(dir, `snapshot-${String(gen).padStart(GEN_DIGITS, '0')}.bin`);
}

export interface DirectoryListing {
  /** Generations with a complete (renamed) snapshot, ascending. */
  readonly snapshots: number[];
  readonly logs: number[];
  /** Leftover temporary files from an interrupted snapshot. */
  readonly temporaries: string[];
}

export async function listDirectory(dir: string): Promise<DirectoryListing> {
  const snapshots: number[] = [];
  const logs: number[] = [];
  const temporaries: string[] = [];
  for (const name of await fs.promises.readdir(dir)) {
    const m = /^(log|snapshot)-(\d+)\.bin(\.tmp)?$/.exec(name);
    if (!m) continue;
    if (m[3]) temporaries.push(path.join(dir, name));
    else (m[1] === 'log' ? logs : snapshots).push(Number(m[2]));
  }
  const ascending = (a: number, b: number): number => a - b;
  return { snapshots: snapshots.sort(ascending), logs: logs.sort(ascending), temporaries };
}

/** Makes renames, creations and deletions in `dir` durable. A no-op where directories cannot be opened (Windows). */
export async function syncDirectory(dir: string): Promise<void> {
  let handle: fs.promises.FileHandle | undefined;
  try {
    handle = await fs.promises.open(dir, 'r');
    await handle.sync();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EACCES') throw err;
  } finally {
    await handle?.close();
  }
}

export async function removeFiles(files: readonly string[]): Promise<void> {
  await Promise.all(files.map((f) => fs.promises.rm(f, { force: true })));
}

export class LedgerInUseError extends Error {
  constructor(dir: string, pid: number) {
    super(
      `the ledger in ${dir} is already open in process ${pid}; close it there first (two writers would corrupt it), ` +
        `or delete ${path.join(dir, 'LOCK')} if that process is not a Chaincode Launcher`,
    );
    this.name = 'LedgerInUseError';
  }
}

const openInThisProcess = new Set<string>();

/**
 * Takes the directory's lock: a LOCK file with our pid. A lock left by a dead process (a crash)
 * is taken over. Returns the release function.
 */
export async function lockDirectory(dir: string): Promise<() => Promise<void>> {
  const resolved = path.resolve(dir);
  if (openInThisProcess.has(resolved)) throw new LedgerInUseError(dir, process.pid);
  const lockFile = path.join(dir, 'LOCK');
  try {
    await fs.promises.writeFile(lockFile, `${process.pid}\n`, { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const holder = Number((await fs.promises.readFile(lockFile, 'utf8').catch(() => '')).trim());
    if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) throw new LedgerInUseError(dir, holder);
    await fs.promises.writeFile(lockFile, `${process.pid}\n`);
  }
  openInThisProcess.add(resolved);
  return async () => {
    openInThisProcess.delete(resolved);
    await fs.promises.rm(lockFile, { force: true });
  };
}
