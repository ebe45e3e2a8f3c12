/**
 * JSON values as CouchDB sees them: its collation order across types, equality, and field paths.
 * Mango's $gt/$lt/sort compare with this order, so `{"$gt": 5}` also matches strings, as in CouchDB.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** Field paths are split on dots; `\.` escapes a dot inside a field name (CouchDB's rule). */
export function parseFieldPath(field: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < field.length; i++) {
    const c = field[i];
    if (c === '\\' && field[i + 1] === '.') {
      current += '.';
      i++;
    } else if (c === '.') {
      parts.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  parts.push(current);
  return parts;
}

/** The value at a path, or undefined when missing. Numeric segments index into arrays. */
export function getField(value: Json | undefined, path: readonly string[]): Json | undefined {
  let v = value;
  for (const part of path) {
    if (Array.isArray(v)) {
      if (!/^\d+$/.test(part)) return undefined;
      v = v[Number(part)];
    } else if (isObject(v)) {
      if (!Object.prototype.hasOwnProperty.call(v, part)) return undefined;
      v = v[part];
    } else {
      return undefined;
    }
  }
  return v;
}

export function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** CouchDB's type order: null < false < true < numbers < strings < arrays < objects. */
function typeRank(v: Json): number {
  if (v === null) return 0;
  switch (typeof v) {
    case 'boolean':
      return v ? 2 : 1;
    case 'number':
      return 3;
    case 'string':
      return 4;
    default:
      return Array.isArray(v) ? 5 : 6;
  }
}

// CouchDB collates strings with ICU (root locale): "a" < "A" < "b". A code-unit tie-break keeps
// strings that ICU deems equal (e.g. differing only in control characters) distinct.
const collator = new Intl.Collator('en', { usage: 'sort' });

function compareStrings(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** Compares two JSON values in CouchDB collation order. */
export function collate(a: Json, b: Json): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 3:
      return (a as number) - (b as number);
    case 4:
      return compareStrings(a as string, b as string);
    case 5:
      return compareArrays(a as Json[], b as Json[]);
    case 6:
      return compareObjects(a as JsonObject, b as JsonObject);
    default:
      return 0;
  }
}

function compareArrays(a: Json[], b: Json[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = collate(a[i], b[i]);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

/** Objects compare as their lists of [key, value] pairs, in document order. */
function compareObjects(a: JsonObject, b: JsonObject): number {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  const n = Math.min(ka.length, kb.length);
  for (let i = 0; i < n; i++) {
    const c = compareStrings(ka[i], kb[i]) || collate(a[ka[i]], b[kb[i]]);
    if (c !== 0) return c;
  }
  return ka.length - kb.length;
}

/** The `$type` names CouchDB uses. */
export function jsonType(v: Json): 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object' {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v as 'boolean' | 'number' | 'string' | 'object';
}
