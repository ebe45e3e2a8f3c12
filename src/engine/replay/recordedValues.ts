/**
 * Reading transaction records back into what ran: an argument's bytes from its recorded text. Light
 * (no engine): the editor's export uses it too.
 */
import { isUtf8 } from 'buffer';

const BASE64_MARKER = 'base64:';

/**
 * An argument's bytes from its recorded text: records show bytes that are not UTF-8 as `base64:` and
 * their base64 (../peer/arguments.ts argText), so such text decodes back to those bytes.
 */
export function recordedArgument(text: string): Buffer {
  if (text.startsWith(BASE64_MARKER)) {
    const encoded = text.slice(BASE64_MARKER.length);
    const bytes = Buffer.from(encoded, 'base64');
    if (!isUtf8(bytes) && bytes.toString('base64') === encoded) return bytes;
  }
  return Buffer.from(text, 'utf8');
}

/** Whether a recorded argument stands for bytes that are not text. */
export function isBinaryArgument(text: string): boolean {
  return !isUtf8(recordedArgument(text));
}
