/**
 * Key order for the world state: Fabric orders keys by their UTF-8 bytes, which is Unicode code
 * point order. JS's `<` compares UTF-16 code units and disagrees for characters U+E000..U+FFFF
 * versus supplementary characters (surrogate pairs): `'\uFFFD' > '\u{10FFFF}'` in UTF-16 but not in
 * UTF-8. Partial composite-key ranges end at `ck + '\u{10FFFF}'`, so we must compare by code point.
 */

/** Compares two keys by code point (= UTF-8 byte order). Negative, zero or positive like `sort`. */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  const n = a.length < b.length ? a.length : b.length;
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === n) return a.length - b.length;
  const ca = a.charCodeAt(i);
  const cb = b.charCodeAt(i);
  if (ca >= 0xd800 && cb >= 0xd800) return codePointRank(ca) - codePointRank(cb);
  return ca - cb;
}

/** Moves surrogates (which stand for code points ≥ U+10000) above U+E000..U+FFFF. */
function codePointRank(unit: number): number {
  if (unit >= 0xe000) return unit - 0x800;
  return unit + 0x2000;
}

const MAX_CHUNK = 512;

/**
 * A sorted set of keys: a list of sorted chunks so that inserts and deletes cost O(chunk) instead of
 * O(n) and range scans are a binary search then a walk. Plenty for a developer's ledger.
 */
export class SortedKeys {
  private chunks: string[][] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Inserts a key that is known to be absent (the caller keeps a Map for membership). */
  insert(key: string): void {
    this.count++;
    if (this.chunks.length === 0) {
      this.chunks.push([key]);
      return;
    }
    const c = this.chunkFor(key);
    const chunk = this.chunks[c];
    chunk.splice(lowerBound(chunk, key), 0, key);
    if (chunk.length > MAX_CHUNK) this.chunks.splice(c + 1, 0, chunk.splice(MAX_CHUNK >> 1));
  }

  /** Removes a key that is known to be present. */
  remove(key: string): void {
    const c = this.chunkFor(key);
    const chunk = this.chunks[c];
    const i = lowerBound(chunk, key);
    if (chunk[i] !== key) return;
    this.count--;
    chunk.splice(i, 1);
    if (chunk.length === 0) this.chunks.splice(c, 1);
  }

  /** Keys ≥ start (and < end when end is not ''), in order. The set must not change while iterating. */
  *from(start: string, end = ''): IterableIterator<string> {
    if (this.chunks.length === 0) return;
    let c = this.chunkFor(start);
    let i = lowerBound(this.chunks[c], start);
    for (; c < this.chunks.length; c++, i = 0) {
      const chunk = this.chunks[c];
      for (; i < chunk.length; i++) {
        const key = chunk[i];
        if (end !== '' && compareKeys(key, end) >= 0) return;
        yield key;
      }
    }
  }

  /** Index of the chunk whose range holds `key`: the last chunk whose first key is ≤ key. */
  private chunkFor(key: string): number {
    let lo = 0;
    let hi = this.chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (compareKeys(this.chunks[mid][0], key) <= 0) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

/** First index whose key is ≥ key. */
function lowerBound(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareKeys(sorted[mid], key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
