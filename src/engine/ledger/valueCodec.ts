/**
 * A compact, self-describing binary encoding for the plain values the ledger persists (null,
 * booleans, numbers, strings, Buffers, arrays, plain objects). Self-describing so that fields the
 * transaction record gains later persist without touching this file; binary so that Buffers cost
 * their length, not base64's 4/3 and a JSON parse.
 */

const enum Tag {
  Undefined = 0,
  Null = 1,
  False = 2,
  True = 3,
  UInt = 4,
  NegInt = 5,
  Float = 6,
  String = 7,
  Bytes = 8,
  Array = 9,
  Object = 10,
}

export class ByteWriter {
  private buf: Buffer;
  private pos = 0;

  constructor(initialSize = 1024) {
    this.buf = Buffer.allocUnsafe(initialSize);
  }

  get length(): number {
    return this.pos;
  }

  /** The bytes written so far (a view: copy it before writing more if it must outlive the writer). */
  bytes(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  reset(): void {
    this.pos = 0;
  }

  /** Drops everything written after `length` (a value that failed half way). */
  truncate(length: number): void {
    this.pos = Math.min(this.pos, length);
  }

  u32At(offset: number, value: number): void {
    this.buf.writeUInt32LE(value >>> 0, offset);
  }

  /** Reserves n bytes (e.g. a frame header filled in later) and returns their offset. */
  skip(n: number): number {
    this.ensure(n);
    const at = this.pos;
    this.pos += n;
    return at;
  }

  value(v: unknown): void {
    if (v === undefined) return this.tag(Tag.Undefined);
    if (v === null) return this.tag(Tag.Null);
    switch (typeof v) {
      case 'boolean':
        return this.tag(v ? Tag.True : Tag.False);
      case 'number':
        return this.number(v);
      case 'string':
        this.tag(Tag.String);
        return this.string(v);
      case 'object':
        if (Buffer.isBuffer(v) || v instanceof Uint8Array) {
          this.tag(Tag.Bytes);
          this.varuint(v.length);
          this.ensure(v.length);
          this.buf.set(v, this.pos);
          this.pos += v.length;
          return;
        }
        if (Array.isArray(v)) {
          this.tag(Tag.Array);
          this.varuint(v.length);
          for (const item of v) this.value(item);
          return;
        }
        return this.object(v as Record<string, unknown>);
      case 'bigint':
        return this.value(Number.isSafeInteger(Number(v)) ? Number(v) : v.toString());
      default:
        // Functions and symbols are dropped, as JSON.stringify does: a record must never fail to persist.
        return this.tag(Tag.Undefined);
    }
  }

  private object(o: Record<string, unknown>): void {
    const keys = Object.keys(o);
    this.tag(Tag.Object);
    this.varuint(keys.length);
    for (const key of keys) {
      this.string(key);
      this.value(o[key]);
    }
  }

  private number(n: number): void {
    if (Number.isSafeInteger(n) && !Object.is(n, -0)) {
      this.tag(n >= 0 ? Tag.UInt : Tag.NegInt);
      this.varuint(n >= 0 ? n : -n);
      return;
    }
    this.tag(Tag.Float);
    this.ensure(8);
    this.buf.writeDoubleLE(n, this.pos);
    this.pos += 8;
  }

  private string(s: string): void {
    if (s.length <= 24 && this.asciiString(s)) return;
    const size = Buffer.byteLength(s, 'utf8');
    this.varuint(size);
    this.ensure(size);
    this.pos += this.buf.write(s, this.pos, size, 'utf8');
  }

  /** Writes a short ASCII string without native calls; false (nothing written) if it is not ASCII. */
  private asciiString(s: string): boolean {
    for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
    this.ensure(1 + s.length);
    this.buf[this.pos++] = s.length;
    for (let i = 0; i < s.length; i++) this.buf[this.pos++] = s.charCodeAt(i);
    return true;
  }

  private varuint(n: number): void {
    this.ensure(8);
    while (n >= 0x80) {
      this.buf[this.pos++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.buf[this.pos++] = n;
  }

  private tag(t: Tag): void {
    this.ensure(1);
    this.buf[this.pos++] = t;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }
}

/** Decodes one value written by ByteWriter.value. Throws RangeError on truncated or corrupt input. */
export function decodeValue(buf: Buffer): unknown {
  const reader = new ByteReader(buf);
  const v = reader.value();
  if (reader.pos !== buf.length) throw new RangeError('trailing bytes after value');
  return v;
}

class ByteReader {
  pos = 0;
  constructor(private readonly buf: Buffer) {}

  value(): unknown {
    const tag = this.byte();
    switch (tag) {
      case Tag.Undefined:
        return undefined;
      case Tag.Null:
        return null;
      case Tag.False:
        return false;
      case Tag.True:
        return true;
      case Tag.UInt:
        return this.varuint();
      case Tag.NegInt:
        return -this.varuint();
      case Tag.Float: {
        this.need(8);
        const v = this.buf.readDoubleLE(this.pos);
        this.pos += 8;
        return v;
      }
      case Tag.String:
        return this.string();
      case Tag.Bytes: {
        const n = this.varuint();
        this.need(n);
        // Copy: a view would pin the whole file buffer in memory for as long as the value lives.
        const v = Buffer.allocUnsafe(n);
        this.buf.copy(v, 0, this.pos, this.pos + n);
        this.pos += n;
        return v;
      }
      case Tag.Array: {
        const n = this.varuint();
        const items: unknown[] = [];
        for (let i = 0; i < n; i++) items.push(this.value());
        return items;
      }
      case Tag.Object: {
        const n = this.varuint();
        const o: Record<string, unknown> = {};
        for (let i = 0; i < n; i++) {
          const key = this.string();
          o[key] = this.value();
        }
        return o;
      }
      default:
        throw new RangeError(`unknown value tag ${tag}`);
    }
  }

  private string(): string {
    const n = this.varuint();
    this.need(n);
    const start = this.pos;
    this.pos += n;
    // Most strings here are short ASCII (field names, ids): decoding them in JS beats a native call.
    if (n <= 24) {
      let s = '';
      for (let i = start; i < start + n; i++) {
        const c = this.buf[i];
        if (c > 0x7f) return this.buf.toString('utf8', start, start + n);
        s += String.fromCharCode(c);
      }
      return s;
    }
    return this.buf.toString('utf8', start, start + n);
  }

  private varuint(): number {
    let n = 0;
    let scale = 1;
    for (;;) {
      const b = this.byte();
      n += (b & 0x7f) * scale;
      if (b < 0x80) return n;
      scale *= 0x80;
      if (scale > 2 ** 56) throw new RangeError('varint too long');
    }
  }

  private byte(): number {
    this.need(1);
    return this.buf[this.pos++];
  }

  private need(n: number): void {
    if (this.pos + n > this.buf.length) throw new RangeError('truncated value');
  }
}
