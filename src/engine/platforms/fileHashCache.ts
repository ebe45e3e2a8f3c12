/**
 * Remembers file hashes by (size, mtime, ctime, inode), so a relaunch with unchanged code stats
 * the package instead of reading it (a Node chaincode's node_modules is thousands of files).
 * Same trust rule as git's index: a file modified just before it was hashed is not remembered,
 * because a second write within the timestamp granularity could go unnoticed.
 */
import type { Stats } from 'node:fs';

interface Remembered {
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  readonly ino: number;
  readonly sha256: string;
}

/** Files written this recently before hashing are hashed again next time. */
const RACY_MS = 2000;
/** A crude bound: an editor session that packages many large projects starts over. */
const MAX_ENTRIES = 200_000;

export class FileHashCache {
  private readonly entries = new Map<string, Remembered>();

  get(file: string, stat: Stats): string | undefined {
    const known = this.entries.get(file);
    if (!known) return undefined;
    const same = known.size === stat.size && known.mtimeMs === stat.mtimeMs && known.ctimeMs === stat.ctimeMs && known.ino === stat.ino;
    return same ? known.sha256 : undefined;
  }

  set(file: string, stat: Stats, sha256: string, hashedAt: number): void {
    if (stat.mtimeMs >= hashedAt - RACY_MS) {
      this.entries.delete(file);
      return;
    }
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(file, { size: stat.size, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs, ino: stat.ino, sha256 });
  }

  get size(): number {
    return this.entries.size;
  }
}

/** The one cache packaging uses: relaunches in this process skip reading unchanged files. */
export const sharedFileHashCache = new FileHashCache();
