/**
 * The block store's in-memory index: where each block is on disk, its header hash, and where each
 * transaction id is with its validation code. Blocks themselves stay on disk. Per-block and
 * per-transaction fields live in typed arrays (a few dozen bytes each); the two lookups by hash and
 * by transaction id are Maps keyed by compact strings (32 one-byte characters for a SHA-256 hex id).
 */
import type { TxValidationCode } from '../../wire/messages';
import type { FrameLocation } from './blockFiles';
import { isTxId } from '../../txId';

/** One block's entry, as kept in index.bin (one frame each). */
export interface IndexRecord {
  readonly number: number;
  /** Which block file, and where in it the block's frame is. */
  readonly file: number;
  readonly start: number;
  readonly end: number;
  readonly headerHash: Buffer;
  readonly previousHash: Buffer;
  readonly txIds: readonly string[];
  /** One TxValidationCode byte per transaction. */
  readonly codes: Buffer;
  readonly hasPrivateData: boolean;
}

export interface TransactionLocation {
  readonly blockNumber: number;
  /** The transaction's position in its block (Fabric's tx_num in key versions). */
  readonly txIndex: number;
  readonly validationCode: TxValidationCode;
}

/** The frame value of a record in index.bin (arrays are smaller than objects in the value codec). */
export function recordToFrame(r: IndexRecord): unknown[] {
  return [r.number, r.file, r.start, r.end, r.headerHash, r.previousHash, r.txIds, r.codes, r.hasPrivateData];
}

/** A record from an index.bin frame; null when the frame is not one (then the index is rebuilt from there). */
export function recordFromFrame(value: unknown): IndexRecord | null {
  if (!Array.isArray(value) || value.length !== 9) return null;
  const [number, file, start, end, headerHash, previousHash, txIds, codes, hasPrivateData] = value as unknown[];
  const isCount = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
  if (!isCount(number) || !isCount(file) || !isCount(start) || !isCount(end) || end <= start) return null;
  if (!Buffer.isBuffer(headerHash) || !Buffer.isBuffer(previousHash) || !Buffer.isBuffer(codes) || typeof hasPrivateData !== 'boolean') return null;
  if (!Array.isArray(txIds) || txIds.length !== codes.length || !txIds.every((t) => typeof t === 'string')) return null;
  return { number, file, start, end, headerHash, previousHash, txIds, codes, hasPrivateData };
}

export class BlockIndex {
  private count = 0;
  private files = new Uint32Array(1024);
  private starts = new Float64Array(1024);
  private ends = new Float64Array(1024);
  private privateFlags = new Uint8Array(1024);
  /** Global index of each block's first transaction; firstTx[count] = total transactions. */
  private firstTx = new Float64Array(1025);
  private hashes = new Uint8Array(1024 * 32);
  private codes = new Uint8Array(4096);
  private readonly byHash = new Map<string, number>();
  private readonly byTxId = new Map<string, number>();
  private lastPrevious: Buffer = Buffer.alloc(0);

  /** Number of blocks (Fabric's ledger height); the next block's number. */
  get height(): number {
    return this.count;
  }

  /** Header hash of the last block (the next block's previous_hash); empty when there is none. */
  get lastHeaderHash(): Buffer {
    return this.count === 0 ? Buffer.alloc(0) : this.headerHash(this.count - 1);
  }

  /** previous_hash of the last block. */
  get lastPreviousHash(): Buffer {
    return this.lastPrevious;
  }

  add(r: IndexRecord): void {
    const n = this.count;
    if (r.number !== n) throw new Error(`index: block ${r.number} added at height ${n}`);
    this.ensureBlocks(n + 1);
    const txBase = this.firstTx[n];
    this.ensureTransactions(txBase + r.txIds.length);
    this.files[n] = r.file;
    this.starts[n] = r.start;
    this.ends[n] = r.end;
    this.privateFlags[n] = r.hasPrivateData ? 1 : 0;
    this.hashes.set(r.headerHash.subarray(0, 32), n * 32);
    this.codes.set(r.codes, txBase);
    this.firstTx[n + 1] = txBase + r.txIds.length;
    const hashKey = digestKey(r.headerHash);
    if (!this.byHash.has(hashKey)) this.byHash.set(hashKey, n);
    // Fabric indexes a transaction id at its first occurrence; a later duplicate is DUPLICATE_TXID.
    r.txIds.forEach((txId, i) => {
      if (txId === '') return;
      const key = txIdKey(txId);
      if (!this.byTxId.has(key)) this.byTxId.set(key, txBase + i);
    });
    this.lastPrevious = r.previousHash;
    this.count = n + 1;
  }

  location(n: number): { file: number } & FrameLocation {
    this.check(n);
    return { file: this.files[n], start: this.starts[n], end: this.ends[n] };
  }

  headerHash(n: number): Buffer {
    this.check(n);
    return Buffer.from(this.hashes.subarray(n * 32, n * 32 + 32));
  }

  hasPrivateData(n: number): boolean {
    this.check(n);
    return this.privateFlags[n] === 1;
  }

  numberOfHash(hash: Uint8Array): number | undefined {
    return hash.length === 32 ? this.byHash.get(digestKey(hash)) : undefined;
  }

  /** Validation codes of a block's transactions. */
  validationCodes(n: number): TxValidationCode[] {
    this.check(n);
    return [...this.codes.subarray(this.firstTx[n], this.firstTx[n + 1])];
  }

  findTransaction(txId: string): TransactionLocation | undefined {
    const seq = this.byTxId.get(txIdKey(txId));
    if (seq === undefined) return undefined;
    // The block holding global transaction `seq`: the last block whose first transaction is ≤ seq.
    let lo = 0;
    let hi = this.count - 1;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (this.firstTx[mid] <= seq) lo = mid;
      else hi = mid - 1;
    }
    return { blockNumber: lo, txIndex: seq - this.firstTx[lo], validationCode: this.codes[seq] };
  }

  private check(n: number): void {
    if (!Number.isSafeInteger(n) || n < 0 || n >= this.count) throw new RangeError(`block ${n} is not in the store (height ${this.count})`);
  }

  private ensureBlocks(needed: number): void {
    if (needed <= this.files.length) return;
    const size = Math.max(needed, this.files.length * 2);
    this.files = grown(this.files, size);
    this.starts = grown(this.starts, size);
    this.ends = grown(this.ends, size);
    this.privateFlags = grown(this.privateFlags, size);
    this.firstTx = grown(this.firstTx, size + 1);
    this.hashes = grown(this.hashes, size * 32);
  }

  private ensureTransactions(needed: number): void {
    if (needed > this.codes.length) this.codes = grown(this.codes, Math.max(needed, this.codes.length * 2));
  }
}

function grown<T extends Uint8Array | Uint32Array | Float64Array>(array: T, size: number): T {
  const next = new (array.constructor as new (n: number) => T)(size);
  next.set(array);
  return next;
}

function digestKey(digest: Uint8Array): string {
  return Buffer.from(digest.buffer, digest.byteOffset, digest.byteLength).toString('latin1');
}

/** A SHA-256 hex id (what clients make) as its 32 bytes; anything else kept as is, marked apart. */
function txIdKey(txId: string): string {
  return isTxId(txId) ? Buffer.from(txId, 'hex').toString('latin1') : `\u0100${txId}`;
}
