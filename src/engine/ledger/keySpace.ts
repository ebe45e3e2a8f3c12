/**
 * One ordered key space of committed state: a namespace's public keys or one private collection.
 * A Map answers point reads; SortedKeys answers range scans in Fabric's byte order.
 */
import { SortedKeys } from './keyOrder';
import type { QueryOptions, QueryPage, StateEntry } from './types';

export class KeySpace {
  private readonly byKey = new Map<string, StateEntry>();
  private readonly order = new SortedKeys();

  get size(): number {
    return this.byKey.size;
  }

  get(key: string): StateEntry | undefined {
    return this.byKey.get(key);
  }

  put(entry: StateEntry): void {
    if (!this.byKey.has(entry.key)) this.order.insert(entry.key);
    this.byKey.set(entry.key, entry);
  }

  remove(key: string): void {
    if (this.byKey.delete(key)) this.order.remove(key);
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
