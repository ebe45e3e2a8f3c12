/**
 * A tar writer that writes headers byte for byte as Go's `archive/tar` does, for the headers
 * Fabric's packaging code builds (`internal/peer/lifecycle/chaincode/package.go`,
 * `core/chaincode/platforms/util/writer.go`): name, size, mode, uid, gid and type, every other
 * field zero. Go writes such a header in USTAR format (a long name split into prefix and name),
 * or with a PAX `path` record when the name cannot be split or is not ASCII. Modes keep their file
 * type bits (Fabric writes `0100644`), which general tar writers mask off.
 */

export interface GoTarEntry {
  readonly name: string;
  /** Written as given, type bits included (e.g. 0o100644). */
  readonly mode: number;
  readonly uid?: number;
  readonly gid?: number;
  /** Default a regular file. */
  readonly type?: 'file' | 'directory';
  /** A file's content; a directory has none. */
  readonly body?: Buffer;
}

const BLOCK = 512;
const NAME_SIZE = 100;
const PREFIX_SIZE = 155;
/** Go's octal size field holds up to 8 GiB; beyond it Go writes a PAX size record (not needed here). */
const MAX_OCTAL_SIZE = 0o77777777777;

export class TarEntryError extends Error {
  override readonly name = 'TarEntryError';
}

/** The whole archive: each entry's header and content, then two zero blocks (Go's `Writer.Close`). */
export function goTar(entries: readonly GoTarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) parts.push(...entryBlocks(entry));
  parts.push(Buffer.alloc(2 * BLOCK));
  return Buffer.concat(parts);
}

function entryBlocks(entry: GoTarEntry): Buffer[] {
  const body = entry.type === 'directory' ? Buffer.alloc(0) : (entry.body ?? Buffer.alloc(0));
  if (body.length > MAX_OCTAL_SIZE) throw new TarEntryError(`${entry.name} is too large for a package entry`);
  const typeflag = entry.type === 'directory' ? '5' : '0';
  const fields = { mode: entry.mode, uid: entry.uid ?? 0, gid: entry.gid ?? 0, size: body.length, typeflag };
  const split = splitUstarPath(entry.name);
  if (isAscii(entry.name) && (Buffer.byteLength(entry.name) <= NAME_SIZE || split)) {
    return [header({ ...fields, name: split ? split.suffix : entry.name, prefix: split?.prefix ?? '' }), ...padded(body)];
  }
  // Go's writePAXHeader: an extended header file "<dir>/PaxHeaders.0/<base>" holding the path, then
  // the main header with the name cut to its ASCII characters and the field's size.
  const records = Buffer.from(paxRecord('path', entry.name));
  const slash = entry.name.lastIndexOf('/');
  const paxName = posixJoin(entry.name.slice(0, slash + 1), 'PaxHeaders.0', entry.name.slice(slash + 1));
  // Go's writeRawFile leaves the device fields unformatted (NUL), unlike every other header.
  const paxHeader = header({ name: trimRightSlash(toAscii(paxName).slice(0, NAME_SIZE)), prefix: '', mode: 0, uid: 0, gid: 0, size: records.length, typeflag: 'x', raw: true });
  return [paxHeader, ...padded(records), header({ ...fields, name: toAscii(entry.name), prefix: '' }), ...padded(body)];
}

interface HeaderFields {
  readonly name: string;
  readonly prefix: string;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly size: number;
  readonly typeflag: string;
  /** Go's `writeRawFile` header (a PAX extended header): device fields left NUL. */
  readonly raw?: boolean;
}

/** One USTAR header block, laid out and formatted as Go's `templateV7Plus` + `setFormat`. */
function header(h: HeaderFields): Buffer {
  const block = Buffer.alloc(BLOCK);
  writeString(block, 0, NAME_SIZE, h.name);
  writeOctal(block, 100, 8, h.mode);
  writeOctal(block, 108, 8, h.uid);
  writeOctal(block, 116, 8, h.gid);
  writeOctal(block, 124, 12, h.size);
  writeOctal(block, 136, 12, 0); // mtime: Fabric zeroes it, Go writes the Unix epoch
  block.write(h.typeflag, 156, 'latin1');
  block.write('ustar\0', 257, 'latin1');
  block.write('00', 263, 'latin1');
  if (!h.raw) {
    writeOctal(block, 329, 8, 0); // devmajor
    writeOctal(block, 337, 8, 0); // devminor
  }
  writeString(block, 345, PREFIX_SIZE, h.prefix);
  // The checksum counts its own field as spaces; it is written as 6 digits, NUL, space.
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  writeOctal(block, 148, 7, sum);
  block[155] = 0x20;
  return block;
}

/** Go's `formatOctal`: zero-padded digits leaving room for a NUL. */
function writeOctal(block: Buffer, offset: number, size: number, value: number): void {
  writeString(block, offset, size, value.toString(8).padStart(size - 1, '0'));
}

/** Go's `formatString`: copied, cut to the field, NUL-terminated when shorter. */
function writeString(block: Buffer, offset: number, size: number, text: string): void {
  const bytes = Buffer.from(text, 'latin1');
  bytes.copy(block, offset, 0, Math.min(bytes.length, size));
  if (bytes.length < size) block[offset + bytes.length] = 0;
  if (bytes.length > size && block[offset + size - 1] === 0x2f) {
    // Go: a cut name must not end in '/' (some readers would take a file for a directory).
    const kept = trimRightSlash(text.slice(0, size - 1)).length;
    block[offset + kept] = 0;
  }
}

/** Go's `splitUSTARPath`: a name over 100 bytes split at a '/' into a prefix (≤ 155) and a name (≤ 100). */
function splitUstarPath(name: string): { prefix: string; suffix: string } | undefined {
  let length = name.length;
  if (length <= NAME_SIZE || !isAscii(name)) return undefined;
  if (length > PREFIX_SIZE + 1) length = PREFIX_SIZE + 1;
  else if (name[length - 1] === '/') length--;
  const i = name.slice(0, length).lastIndexOf('/');
  const suffixLength = name.length - i - 1;
  if (i <= 0 || suffixLength > NAME_SIZE || suffixLength === 0 || i > PREFIX_SIZE) return undefined;
  return { prefix: name.slice(0, i), suffix: name.slice(i + 1) };
}

/** Go's `formatPAXRecord`: "<length> <key>=<value>\n", the length counting itself. */
function paxRecord(key: string, value: string): string {
  const rest = ` ${key}=${value}\n`;
  let size = Buffer.byteLength(rest);
  size += String(size).length;
  let record = `${size}${rest}`;
  if (Buffer.byteLength(record) !== size) record = `${Buffer.byteLength(record)}${rest}`;
  return record;
}

function padded(body: Buffer): Buffer[] {
  const rest = body.length % BLOCK;
  return rest === 0 ? [body] : [body, Buffer.alloc(BLOCK - rest)];
}

// Go's toASCII keeps exactly 0x01–0x7f: the control characters in these ranges are the point.
/* eslint-disable no-control-regex */
function isAscii(text: string): boolean {
  return /^[\x01-\x7f]*$/.test(text);
}

/** Go's `toASCII`: drops every non-ASCII character (and NUL). */
function toAscii(text: string): string {
  return text.replace(/[^\x01-\x7f]/g, '');
}
/* eslint-enable no-control-regex */

function trimRightSlash(text: string): string {
  return text.replace(/\/+$/, '');
}

/** Go's `path.Join` for these parts: empty ones dropped, no doubled or trailing slash. */
function posixJoin(...parts: string[]): string {
  return parts
    .filter((p) => p !== '')
    .join('/')
    .replace(/\/{2,}/g, '/')
    .replace(/(.)\/$/, '$1');
}
