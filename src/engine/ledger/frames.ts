/**
 * Framing for the ledger's files: every record is `[u32 payload length][u32 crc32][payload]`
 * (little endian). A crash can leave a torn last frame; readers stop at the first frame whose length
 * or checksum does not add up, and everything before it is intact.
 */
import * as zlib from 'zlib';
import { ByteWriter, decodeValue } from './valueCodec';

const HEADER = 8;
/** Larger than any sane record; a length above it means garbage, not a huge record. */
const MAX_FRAME = 1 << 30;

/** Appends one framed value to the writer. */
export function writeFrame(w: ByteWriter, value: unknown): void {
  const at = w.skip(HEADER);
  w.value(value);
  const payload = w.bytes().subarray(at + HEADER);
  w.u32At(at, payload.length);
  w.u32At(at + 4, crc32(payload));
}

export interface FrameScan {
  readonly values: unknown[];
  /** Where each value's frame ends (the next frame's offset), in the same order. */
  readonly ends: number[];
  /** Bytes of intact frames from the start of the buffer; anything after is a torn tail. */
  readonly validLength: number;
}

/** Reads frames until the end of the buffer or the first torn/corrupt frame. */
export function readFrames(buf: Buffer): FrameScan {
  const values: unknown[] = [];
  const ends: number[] = [];
  let pos = 0;
  while (pos + HEADER <= buf.length) {
    const size = buf.readUInt32LE(pos);
    const end = pos + HEADER + size;
    if (size === 0 || size > MAX_FRAME || end > buf.length) break;
    const payload = buf.subarray(pos + HEADER, end);
    if (crc32(payload) !== buf.readUInt32LE(pos + 4)) break;
    // A frame with a good checksum that does not decode is a bug, not a torn write: fail loudly
    // rather than truncate the ledger there.
    values.push(decodeValue(payload));
    ends.push(end);
    pos = end;
  }
  return { values, ends, validLength: pos };
}

type Crc32 = (data: Uint8Array, value?: number) => number;
const nativeCrc32: Crc32 | undefined = (zlib as { crc32?: Crc32 }).crc32;

/** zlib.crc32 (Node ≥ 20.15), or a table-driven fallback for older extension hosts. */
export function crc32(data: Uint8Array): number {
  if (nativeCrc32) return nativeCrc32(data) >>> 0;
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = crcTable()[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

let table: Uint32Array | undefined;
function crcTable(): Uint32Array {
  if (table) return table;
  table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}
