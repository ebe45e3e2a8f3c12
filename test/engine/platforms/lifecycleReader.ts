/**
 * Reads a lifecycle package back without the code that wrote it: gunzip (zlib), tar (tar-stream),
 * and the raw USTAR header fields parsed by hand, so a test checks what a peer would read.
 */
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { readTar, type TarEntry } from './helpers';

/** A header block's fields as written, text as it stands (NULs stripped), numbers decoded from octal. */
export interface RawHeader {
  readonly name: string;
  /** The mode field's text, e.g. "0100644". */
  readonly modeText: string;
  readonly uid: number;
  readonly gid: number;
  readonly size: number;
  readonly mtime: number;
  readonly typeflag: string;
  readonly linkname: string;
  readonly magic: string;
  readonly uname: string;
  readonly gname: string;
  readonly prefix: string;
}

const text = (block: Buffer, start: number, length: number): string =>
  block
    .subarray(start, start + length)
    .toString('latin1')
    .replace(/\0.*$/s, '');
const octal = (block: Buffer, start: number, length: number): number => parseInt(text(block, start, length).trim() || '0', 8);

/** Every header block of an uncompressed tar, in order. */
export function rawHeaders(tar: Buffer): RawHeader[] {
  const headers: RawHeader[] = [];
  for (let offset = 0; offset + 512 <= tar.length;) {
    const block = tar.subarray(offset, offset + 512);
    if (block.every((b) => b === 0)) break;
    const header: RawHeader = {
      name: text(block, 0, 100),
      modeText: text(block, 100, 8),
      uid: octal(block, 108, 8),
      gid: octal(block, 116, 8),
      size: octal(block, 124, 12),
      mtime: octal(block, 136, 12),
      typeflag: text(block, 156, 1),
      linkname: text(block, 157, 100),
      magic: block.subarray(257, 265).toString('latin1'),
      uname: text(block, 265, 32),
      gname: text(block, 297, 32),
      prefix: text(block, 345, 155),
    };
    headers.push(header);
    offset += 512 + Math.ceil(header.size / 512) * 512;
  }
  return headers;
}

export interface ReadPackage {
  /** The outer tar's entries (metadata.json, code.tar.gz). */
  readonly outer: TarEntry[];
  readonly outerHeaders: RawHeader[];
  readonly metadataText: string;
  /** code.tar.gz's entries and raw headers. */
  readonly code: TarEntry[];
  readonly codeHeaders: RawHeader[];
}

export async function readLifecyclePackage(bytes: Buffer): Promise<ReadPackage> {
  const outerTar = gunzipSync(bytes);
  const outer = (await readTar(Readable.from([outerTar]))).entries;
  const codeTarGz = outer.find((e) => e.name === 'code.tar.gz')?.body ?? Buffer.alloc(0);
  const codeTar = gunzipSync(codeTarGz);
  return {
    outer,
    outerHeaders: rawHeaders(outerTar),
    metadataText: outer.find((e) => e.name === 'metadata.json')?.body.toString('utf8') ?? '',
    code: (await readTar(Readable.from([codeTar]))).entries,
    codeHeaders: rawHeaders(codeTar),
  };
}
