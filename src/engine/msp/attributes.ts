/**
 * Fabric CA's attributes in a certificate (`fabric-ca lib/attrmgr`, read by Go `cid` and Node
 * `ClientIdentity`): extension 1.2.3.4.5.6.7.8.1, non-critical, whose value is the raw bytes of
 * Go's `json.Marshal(Attributes{Attrs: map[string]string})`, i.e. `{"attrs":{…}}` with keys in
 * byte order, no spaces, and Go's escaping (`<`, `>`, `&` as \u003c…; U+2028/2029 escaped).
 */
import type { ParsedCertificate } from '../crypto/x509Reader';
import { ExtensionOid, type RawExtension } from '../crypto/x509Writer';

export type Attributes = Readonly<Record<string, string>>;

export class AttributeError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AttributeError';
  }
}

/** Go's encoding/json string encoding (escapeHTML on, Go ≥ 1.22 short escapes). */
export function goJsonString(value: string): string {
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0) as number;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || ch === '<' || ch === '>' || ch === '&') out += `\\u00${code.toString(16).padStart(2, '0')}`;
    else if (code === 0x2028 || code === 0x2029) out += `\\u${code.toString(16)}`;
    else if (code >= 0xd800 && code <= 0xdfff)
      out += '\\ufffd'; // a lone surrogate: Go sees invalid UTF-8
    else out += ch;
  }
  return `${out}"`;
}

/** `{"attrs":{…}}` exactly as Fabric CA embeds it. */
export function encodeAttributes(attrs: Attributes): Buffer {
  const keys = Object.keys(attrs).sort((a, b) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
  const body = keys.map((k) => `${goJsonString(k)}:${goJsonString(attrs[k])}`).join(',');
  return Buffer.from(`{"attrs":{${body}}}`, 'utf8');
}

export function attributesExtension(attrs: Attributes): RawExtension {
  return { oid: ExtensionOid.fabricAttributes, critical: false, value: encodeAttributes(attrs) };
}

/**
 * The attributes a certificate carries, or null when it has no attribute extension (cryptogen's
 * certificates). Bad JSON throws, as it does in `cid` and in Node's ClientIdentity constructor.
 */
export function certificateAttributes(cert: ParsedCertificate): Attributes | null {
  const ext = cert.extensions.find((e) => e.oid === ExtensionOid.fabricAttributes);
  if (!ext) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(ext.value).toString('utf8'));
  } catch (err) {
    throw new AttributeError(`failed to unmarshal attributes from certificate: ${(err as Error).message}`, { cause: err });
  }
  const attrs = (parsed as { attrs?: unknown } | null)?.attrs;
  if (typeof attrs !== 'object' || attrs === null || Array.isArray(attrs)) return {};
  return Object.fromEntries(Object.entries(attrs).filter((e): e is [string, string] => typeof e[1] === 'string'));
}
