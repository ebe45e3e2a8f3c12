/**
 * Watches a chaincode folder for saved changes: one `fs.watch` per directory the watch rules keep
 * (a recursive watch would also follow node_modules, thousands of directories), new directories
 * followed as they appear, and changes delivered in debounced batches, so that one save (an editor
 * writes a file in several steps) or a "Save All" is one reload.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Emitter } from '../util/events';
import type { WatchRules } from './watchRules';

export interface FolderChange {
  /** The changed paths, posix, relative to the folder, sorted. */
  readonly files: readonly string[];
  /** When the last of them changed (`performance.now()`). */
  readonly at: number;
}

/** Quiet time after the last change before a batch is delivered. */
export const DEFAULT_DEBOUNCE_MS = 100;

export class FolderWatcher {
  private readonly watchers = new Map<string, fs.FSWatcher>();
  private readonly changed = new Emitter<FolderChange>();
  /** A batch of saved changes, after the quiet time. */
  readonly onDidChange = this.changed.event;
  private pending = new Set<string>();
  /** Paths that came into being in the pending batch: gone again by its end, they were scratch files (sed's, an editor's). */
  private created = new Set<string>();
  /** Files seen to exist (listed, or changed since). */
  private readonly known = new Set<string>();
  private lastAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private disposed = false;

  private constructor(
    readonly root: string,
    private readonly rules: WatchRules,
    private readonly debounceMs: number,
  ) {}

  /** Starts watching once every kept directory has its watch (changes from then on are seen). */
  static async start(root: string, rules: WatchRules, options: { debounceMs?: number } = {}): Promise<FolderWatcher> {
    const watcher = new FolderWatcher(path.resolve(root), rules, options.debounceMs ?? DEFAULT_DEBOUNCE_MS);
    await watcher.watchTree('');
    return watcher;
  }

  /** How many directories are watched (a test looks: node_modules must not be among them). */
  get directories(): readonly string[] {
    return [...this.watchers.keys()].sort();
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
    this.changed.dispose();
  }

  /** Watches `relDir` and every kept directory under it. */
  private async watchTree(relDir: string): Promise<void> {
    if (this.disposed || this.watchers.has(relDir)) return;
    const abs = path.join(this.root, relDir);
    let watcher: fs.FSWatcher;
    try {
      watcher = fs.watch(abs, (_event, name) => {
        if (name) void this.onEvent(relDir, name.toString());
      });
    } catch {
      return; // gone already, or not readable: nothing there to run
    }
    watcher.on('error', () => this.unwatch(relDir));
    this.watchers.set(relDir, watcher);
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(abs, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const rel = relDir ? `${relDir}/${e.name}` : e.name;
      if (e.isDirectory() && !this.rules.ignores(rel, true)) await this.watchTree(rel);
      else if (!e.isDirectory()) this.known.add(rel);
    }
  }

  private unwatch(relDir: string): void {
    for (const [dir, w] of this.watchers) {
      if (dir === relDir || dir.startsWith(`${relDir}/`)) {
        w.close();
        this.watchers.delete(dir);
      }
    }
  }

  private async onEvent(relDir: string, name: string): Promise<void> {
    const rel = relDir ? `${relDir}/${name}` : name;
    const stat = await fs.promises.stat(path.join(this.root, rel)).catch(() => undefined);
    const isDirectory = !!stat?.isDirectory();
    if (this.disposed || this.rules.ignores(rel, isDirectory)) return;
    if (isDirectory) {
      // A new folder (or one moved in): its files are changes too, and it is watched from now on.
      await this.watchTree(rel);
    } else if (stat) {
      if (!this.known.has(rel)) this.created.add(rel);
      this.known.add(rel);
    } else {
      // Gone before it was ever seen: a scratch file written and renamed away at once.
      if (!this.known.has(rel) && !this.watchers.has(rel) && !this.pending.has(rel)) return;
      this.known.delete(rel);
      this.unwatch(rel); // a deleted file, or a deleted folder and its watches
    }
    this.pending.add(rel);
    this.lastAt = performance.now();
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.deliver(), this.debounceMs);
  }

  private deliver(): void {
    this.timer = undefined;
    if (this.disposed || this.pending.size === 0) return;
    const files = [...this.pending].filter((f) => !this.created.has(f) || this.known.has(f)).sort();
    this.pending = new Set();
    this.created = new Set();
    if (files.length) this.changed.fire({ files, at: this.lastAt });
  }
}
