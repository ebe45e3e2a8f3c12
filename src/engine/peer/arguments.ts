/**
 * Chaincode arguments as the records and views show them, and as the wire carries them.
 */
import { isUtf8 } from 'buffer';

/** A caller's argument on the wire: text as UTF-8, bytes as they are. */
export function argBytes(v: string | Uint8Array): Buffer {
  return typeof v === 'string' ? Buffer.from(v, 'utf8') : Buffer.from(v);
}

/** An argument as the records show it: its text, or base64 when it is not valid UTF-8. */
export function argText(v: Uint8Array): string {
  const bytes = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  return isUtf8(bytes) ? bytes.toString('utf8') : `base64:${bytes.toString('base64')}`;
}
