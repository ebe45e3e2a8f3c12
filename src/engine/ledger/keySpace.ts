/**
 * One ordered key space of committed state: a namespace's public keys or one private collection.
 * A Map answers point reads; SortedKeys answers range scans in Fabric's byte order. A private
 * collection's space also knows which keys each block last wrote (blockToLive purges by it).
 */
import { SortedKeys } from './keyOrder';
import type { QueryOptions, QueryPage, StateEntry } from './types';

export class KeySpace {
  private readonly byKey = new Map<string, StateEntry>();
  private readonly order = new SortedKeys();
  /** Keys by the block of their version, blocks in ascending order once `blocksSorted`. */
  private readonly byBlock: Map<number, Set<string>> | undefined;
  private lastBlock = -1;
  private blocksSorted = true;

  /** `indexBlocks`: keep the keys by the block that last wrote them (keysWrittenThrough). */
  constructor(options: { readonly indexBlocks?: boolean } = {}) {
    if (options.indexBlocks) this.byBlock = new Map();
  }

  get size(): number {
    return this.byKey.size;
  }

  get(key: string): StateEntry | undefined {
    return this.byKey.get(key);
  }

  put(entry: StateEntry): void {
    const old = this.byKey.get(entry.key);
    if (!old) this.order.insert(entry.key);
    else this.unindex(old);
    this.byKey.set(entry.key, entry);
    this.index(entry);
  }

  remove(key: string): void {
    const old = this.byKey.get(key);
    if (!old) return;
    this.byKey.delete(key);
    this.order.remove(key);
    this.unindex(old);
  }

  /** Keys whose version is in a block up to `blockNum`, oldest block first (needs `indexBlocks`). */
  keysWrittenThrough(blockNum: number): string[] {
    if (!this.byBlock) throw new Error('this key space does not index keys by block');
    if (!this.blocksSorted) this.sortBlocks();
    const keys: string[] = [];
    for (const [block, set] of this.byBlock) {
      if (block > blockNum) break;
      keys.push(...set);
    }
    return keys;
  }

  private index(entry: StateEntry): void {
    if (!this.byBlock) return;
    const block = entry.version.blockNum;
    let set = this.byBlock.get(block);
    if (!set) {
      this.byBlock.set(block, (set = new Set()));
      // Commits add blocks in order; a snapshot loads entries in key order.
      if (block < this.lastBlock) this.blocksSorted = false;
      this.lastBlock = Math.max(this.lastBlock, block);
    }
    set.add(entry.key);
  }

  private unindex(entry: StateEntry): void {
    const set = this.byBlock?.get(entry.version.blockNum);
    if (!set) return;
    set.delete(entry.key);
    if (set.size === 0) this.byBlock?.delete(entry.version.blockNum);
  }

  /** Re-inserts the buckets in ascending block order (a Map iterates in insertion order). */
  private sortBlocks(): void {
    if (!this.byBlock) return;
    const buckets = [...this.byBlock].sort(([a], [b]) => a - b);
    this.byBlock.clear();
    for (const [block, set] of buckets) this.byBlock.set(block, set);
    this.blocksSorted = true;
  }

  /** Entries with start ≤ key < end (end '' = unbounded), in key order. No writes while iterating. */
  *scan(start: string, end: string): IterableIterator<StateEntry> {
    for (const key of this.order.from(start, end)) {
      const entry = this.byKey.get(key);
      if (entry) yield entry;
    }
  }
}

/**
 * One page of a range scan. The bookmark is the next key to read (as Fabric's LevelDB state does),
 * '' when the range is exhausted. Unpaginated scans stop at `totalQueryLimit`. A bookmark replaces
 * the start key, even one before it: Fabric's HandleGetStateByRange scans from the bookmark without
 * checking it against the range, so a client can read keys below its start key.
 */
export function rangePage(space: KeySpace | undefined, startKey: string, endKey: string, options: QueryOptions | undefined, totalQueryLimit: number): QueryPage<StateEntry> {
  if (!space) return { rows: [], bookmark: '' };
  const pageSize = options?.pageSize ?? 0;
  const bookmark = options?.bookmark ?? '';
  const from = bookmark !== '' ? bookmark : startKey;
  const limit = pageSize > 0 ? pageSize : totalQueryLimit;
  const rows: StateEntry[] = [];
  for (const entry of space.scan(from, endKey)) {
    if (rows.length >= limit) return { rows, bookmark: entry.key };
    rows.push(entry);
  }
  return { rows, bookmark: '' };
}
