/**
 * The little DER (ASN.1) this project writes and reads itself: X.509 certificates as Go's
 * crypto/x509 encodes them (cryptogen, Fabric CA) and ECDSA signatures as Fabric's bccsp checks
 * them. A general ASN.1 library is slow to load (activation pays for it) and chooses encodings we must control
 * (string types, SET OF order), so the few constructs needed are spelled out here.
 */

export class DerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DerError';
  }
}

/** Universal tags used here. */
export const Tag = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** One decoded TLV: its tag byte, its content, and the whole encoding (`raw`). */
export interface Tlv {
  readonly tag: number;
  readonly content: Buffer;
  readonly raw: Buffer;
}

// ---- writing ----

function lengthBytes(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function tlv(tag: number, ...content: Uint8Array[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), lengthBytes(body.length), body]);
}

export const sequence = (...items: Uint8Array[]): Buffer => tlv(Tag.SEQUENCE, ...items);

/** SET OF with its elements sorted by their encodings, as DER (and Go since 1.15) requires. */
export function setOf(items: readonly Buffer[]): Buffer {
  return tlv(Tag.SET, ...[...items].sort((a, b) => Buffer.compare(a, b)));
}

/** A context-specific tag: `[n]` constructed (explicit) or primitive (implicit). */
export const contextTag = (n: number, constructed: boolean): number => 0x80 | (constructed ? 0x20 : 0) | n;

/** A non-negative INTEGER, minimally encoded (a leading 0 when the top bit is set). */
export function integer(value: bigint | number): Buffer {
  let v = BigInt(value);
  if (v < 0n) throw new DerError('negative INTEGER not supported');
  const bytes: number[] = [];
  do {
    bytes.unshift(Number(v & 0xffn));
    v >>= 8n;
  } while (v > 0n);
  if (bytes[0] & 0x80) bytes.unshift(0);
  return tlv(Tag.INTEGER, Buffer.from(bytes));
}

export function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map((p) => BigInt(p));
  if (parts.length < 2) throw new DerError(`invalid OID ${dotted}`);
  const out: number[] = [];
  const push = (n: bigint): void => {
    const chunk: number[] = [Number(n & 0x7fn)];
    for (n >>= 7n; n > 0n; n >>= 7n) chunk.unshift(Number(n & 0x7fn) | 0x80);
    out.push(...chunk);
  };
  push(parts[0] * 40n + parts[1]);
  for (const p of parts.slice(2)) push(p);
  return tlv(Tag.OID, Buffer.from(out));
}

export const octetString = (bytes: Uint8Array): Buffer => tlv(Tag.OCTET_STRING, bytes);
export const bitString = (bytes: Uint8Array, unusedBits = 0): Buffer => tlv(Tag.BIT_STRING, Buffer.from([unusedBits]), bytes);
export const booleanTrue = (): Buffer => tlv(Tag.BOOLEAN, Buffer.from([0xff]));

/** Go's rule for a string without an explicit type: PrintableString when it fits, else UTF8String. */
export function goString(value: string): Buffer {
  return tlv(/^[A-Za-z0-9 '()+,\-./:=?]*$/.test(value) ? Tag.PRINTABLE_STRING : Tag.UTF8_STRING, Buffer.from(value, 'utf8'));
}

/** UTCTime before 2050, GeneralizedTime from 2050 on (RFC 5280, and Go). */
export function time(date: Date): Buffer {
  const iso = date.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  const digits = iso.slice(0, 19).replace(/[-T:]/g, '');
  const year = date.getUTCFullYear();
  return year < 2050 ? tlv(Tag.UTC_TIME, Buffer.from(`${digits.slice(2)}Z`)) : tlv(Tag.GENERALIZED_TIME, Buffer.from(`${digits}Z`));
}

// ---- reading ----

/** Reads the TLV at `offset`; throws on anything cut short or not DER-shaped. */
export function readTlv(buf: Uint8Array, offset = 0): Tlv & { readonly end: number } {
  const b = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (offset + 2 > b.length) throw new DerError('truncated DER');
  const tag = b[offset];
  if ((tag & 0x1f) === 0x1f) throw new DerError('multi-byte tags are not supported');
  let pos = offset + 1;
  let length = b[pos++];
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4) throw new DerError('unsupported DER length');
    if (pos + count > b.length) throw new DerError('truncated DER length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + b[pos++];
    if (length < 0x80 || (count > 1 && b[pos - count] === 0)) throw new DerError('non-minimal DER length');
  }
  if (pos + length > b.length) throw new DerError('truncated DER value');
  return { tag, content: b.subarray(pos, pos + length), raw: b.subarray(offset, pos + length), end: pos + length };
}

/** The TLVs inside a constructed value's content. */
export function children(content: Uint8Array): Tlv[] {
  const out: Tlv[] = [];
  for (let pos = 0; pos < content.length;) {
    const item = readTlv(content, pos);
    out.push(item);
    pos = item.end;
  }
  return out;
}

/** Reads a TLV and checks its tag. */
export function expect(item: Tlv | undefined, tag: number, what: string): Tlv {
  if (!item || item.tag !== tag) throw new DerError(`${what}: expected tag 0x${tag.toString(16)}, found ${item ? '0x' + item.tag.toString(16) : 'nothing'}`);
  return item;
}

export function decodeOid(content: Uint8Array): string {
  const parts: bigint[] = [];
  let value = 0n;
  for (const byte of content) {
    value = (value << 7n) | BigInt(byte & 0x7f);
    if ((byte & 0x80) === 0) {
      parts.push(value);
      value = 0n;
    }
  }
  if (parts.length === 0) throw new DerError('empty OID');
  const first = parts[0] < 80n ? [parts[0] / 40n, parts[0] % 40n] : [2n, parts[0] - 80n];
  return [...first, ...parts.slice(1)].join('.');
}

export function bytesToBigInt(bytes: Uint8Array): bigint {
  let v = 0n;
  for (const byte of bytes) v = (v << 8n) | BigInt(byte);
  return v;
}

/** `value` as exactly `length` big-endian bytes (throws when it does not fit). */
export function bigIntToBytes(value: bigint, length: number): Buffer {
  const out = Buffer.alloc(length);
  let v = value;
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  if (v !== 0n) throw new DerError(`integer does not fit in ${length} bytes`);
  return out;
}

export function decodeTime(item: Tlv): Date {
  const text = item.content.toString('latin1');
  const m = item.tag === Tag.UTC_TIME ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text) : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) throw new DerError(`unsupported time ${text}`);
  let year = Number(m[1]);
  if (item.tag === Tag.UTC_TIME) year += year < 50 ? 2000 : 1900;
  return new Date(Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
}
