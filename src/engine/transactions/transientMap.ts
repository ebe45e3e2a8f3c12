/**
 * Transient data as a user types it (the CLI's `--transient`, the editor's Invoke prompt): a JSON
 * object whose values become the proposal's TransientMap bytes. A string is sent as its UTF-8 bytes,
 * or, with a `base64:` prefix, as the bytes it decodes to; any other JSON value (an object such as
 * fabric-samples' `asset_properties`, an array, a number) as its JSON text, which is what the
 * samples' applications send and their chaincode `JSON.parse`s. The map reaches the chaincode
 * (`getTransient()`) and nothing else: Fabric leaves it out of the transaction (proposal.ts).
 */

export class TransientMapError extends Error {
  override readonly name = 'TransientMapError';
}

/** Marks a value given as base64 (the same marker the CLI prints non-text payloads with). */
export const TRANSIENT_BASE64_MARKER = 'base64:';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** `{"k":"v",…}` → the transient map; errors name `source` (the flag) and the key at fault, never the values. */
export function parseTransientMap(text: string, source = '--transient'): Record<string, Buffer> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    // JSON.parse's message may quote the text, which may hold the secret being passed: leave it out.
    const why = (err as Error).message.replace(/, ".*" is not valid JSON$/s, '').replace(text, '…');
    throw new TransientMapError(`${source}: not valid JSON (${why}); expected an object such as {"asset_properties":{"color":"blue"}}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new TransientMapError(
      `${source}: expected a JSON object of names to values, such as {"price":"100"}, not ${parsed === null ? 'null' : Array.isArray(parsed) ? 'an array' : typeof parsed}`,
    );
  }
  const map: Record<string, Buffer> = {};
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (key === '') throw new TransientMapError(`${source}: a transient name is empty`);
    map[key] = transientValue(key, value, source);
  }
  return map;
}

function transientValue(key: string, value: unknown, source: string): Buffer {
  if (typeof value !== 'string') return Buffer.from(JSON.stringify(value), 'utf8');
  if (!value.startsWith(TRANSIENT_BASE64_MARKER)) return Buffer.from(value, 'utf8');
  const encoded = value.slice(TRANSIENT_BASE64_MARKER.length);
  if (!BASE64.test(encoded)) throw new TransientMapError(`${source}: the value of '${key}' starts with ${TRANSIENT_BASE64_MARKER} but the rest is not base64`);
  return Buffer.from(encoded, 'base64');
}
