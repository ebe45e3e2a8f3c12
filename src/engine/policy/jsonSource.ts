/**
 * JSON read with the position of every value, so a configuration file that parses but means
 * something wrong (a string where Fabric wants a number, an unknown policy token) gets an error
 * naming `file:line:column`. Standard JSON (RFC 8259), as Go's encoding/json reads it.
 */
import { lineColumn } from './policyDsl';

export type JsonNode =
  | { readonly kind: 'object'; readonly at: number; readonly entries: readonly { readonly key: string; readonly keyAt: number; readonly value: JsonNode }[] }
  | { readonly kind: 'array'; readonly at: number; readonly items: readonly JsonNode[] }
  | { readonly kind: 'string'; readonly at: number; readonly value: string }
  | { readonly kind: 'number'; readonly at: number; readonly text: string }
  | { readonly kind: 'bool'; readonly at: number; readonly value: boolean }
  | { readonly kind: 'null'; readonly at: number };

export class JsonSyntaxError extends Error {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'JsonSyntaxError';
  }
}

/** `file:line:column` for an offset into `text`. */
export function locate(file: string, text: string, offset: number): string {
  const { line, column } = lineColumn(text, offset);
  return `${file}:${line}:${column}`;
}

const ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

export function parseJsonWithPositions(text: string): JsonNode {
  let i = 0;
  const fail = (reason: string, at = i): never => {
    throw new JsonSyntaxError(at, reason);
  };
  const ws = (): void => {
    while (i < text.length && ' \t\r\n'.includes(text[i])) i++;
  };
  const found = (): string => (i >= text.length ? 'the end of the file' : `'${text[i]}'`);
  const str = (): string => {
    const start = i++;
    let out = '';
    for (;;) {
      if (i >= text.length) fail('unterminated string', start);
      const c = text[i++];
      if (c === '"') return out;
      if (c < ' ') fail('control character in a string (escape it)', i - 1);
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = text[i++];
      if (e === 'u') {
        const hex = text.slice(i, i + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail(`invalid \\u escape '\\u${hex}'`, i - 2);
        out += String.fromCharCode(parseInt(hex, 16));
        i += 4;
      } else if (e !== undefined && ESCAPES[e] !== undefined) {
        out += ESCAPES[e];
      } else {
        fail(`invalid escape '\\${e ?? ''}'`, i - 2);
      }
    }
  };
  const value = (): JsonNode => {
    ws();
    const at = i;
    const c = text[i];
    if (c === '{') {
      i++;
      const entries: { key: string; keyAt: number; value: JsonNode }[] = [];
      ws();
      if (text[i] === '}') {
        i++;
        return { kind: 'object', at, entries };
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail(`expected a quoted field name, found ${found()}`);
        const keyAt = i;
        const key = str();
        ws();
        if (text[i] !== ':') fail(`expected ':' after "${key}", found ${found()}`);
        i++;
        entries.push({ key, keyAt, value: value() });
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return { kind: 'object', at, entries };
        }
        fail(`expected ',' or '}' after the value of "${key}", found ${found()}`);
      }
    }
    if (c === '[') {
      i++;
      const items: JsonNode[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return { kind: 'array', at, items };
      }
      for (;;) {
        items.push(value());
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return { kind: 'array', at, items };
        }
        fail(`expected ',' or ']' in the array, found ${found()}`);
      }
    }
    if (c === '"') return { kind: 'string', at, value: str() };
    const word = /^(true|false|null|-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?)/.exec(text.slice(i))?.[0];
    if (!word) fail(`expected a value, found ${found()}`);
    i += (word as string).length;
    if (word === 'true' || word === 'false') return { kind: 'bool', at, value: word === 'true' };
    if (word === 'null') return { kind: 'null', at };
    return { kind: 'number', at, text: word as string };
  };
  const root = value();
  ws();
  if (i < text.length) fail(`unexpected ${found()} after the JSON value`);
  return root;
}

/**
 * Go's field matching for a struct field `name`: every input key equal to it ignoring case sets
 * the field, so the last such key wins.
 */
export function field(node: Extract<JsonNode, { kind: 'object' }>, name: string): { readonly key: string; readonly keyAt: number; readonly value: JsonNode } | undefined {
  const folded = node.entries.filter((e) => e.key.toLowerCase() === name.toLowerCase());
  return folded[folded.length - 1];
}
