/**
 * PEM as Go's encoding/pem writes and reads it: Fabric serialises identities with
 * `pem.EncodeToMemory` (64-character lines, a trailing newline) and reads them with `pem.Decode`
 * (the first well-formed block anywhere in the bytes; its type is not checked by the MSP).
 */

export interface PemBlock {
  readonly type: string;
  readonly der: Buffer;
}

/** Go's pem.EncodeToMemory for a block without headers. */
export function encodePem(type: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64));
  return `-----BEGIN ${type}-----\n${lines.join('\n')}${lines.length ? '\n' : ''}-----END ${type}-----\n`;
}

const BEGIN = '-----BEGIN ';

/**
 * Go's pem.Decode: the first block whose BEGIN line starts the input or a line, with a matching
 * END line and a body that is valid base64 (after optional `Key: value` headers). Null when none.
 */
export function decodeFirstPem(input: Uint8Array | string): PemBlock | null {
  const text = typeof input === 'string' ? input : Buffer.from(input).toString('latin1');
  for (let at = text.startsWith(BEGIN) ? 0 : text.indexOf(`\n${BEGIN}`); at !== -1; at = text.indexOf(`\n${BEGIN}`, at + 1)) {
    const start = text[at] === '\n' ? at + 1 : at;
    const block = blockAt(text, start);
    if (block) return block;
  }
  return null;
}

function blockAt(text: string, start: number): PemBlock | null {
  const typeEnd = text.indexOf('-----', start + BEGIN.length);
  const lineEnd = text.indexOf('\n', start);
  if (typeEnd === -1 || lineEnd === -1 || typeEnd > lineEnd) return null;
  if (text.slice(typeEnd + 5, lineEnd).trim() !== '') return null;
  const type = text.slice(start + BEGIN.length, typeEnd);
  const endMarker = `-----END ${type}-----`;
  const end = text.indexOf(endMarker, lineEnd);
  if (end === -1) return null;
  let body = text.slice(lineEnd + 1, end);
  // Headers (`Proc-Type: …`) end at the first blank line.
  if (/^[^\n:]+:/.test(body)) {
    const blank = body.search(/\r?\n\r?\n/);
    if (blank === -1) return null;
    body = body.slice(blank).trimStart();
  }
  const compact = body.replace(/[\r\n\t ]/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0) return null;
  return { type, der: Buffer.from(compact, 'base64') };
}
