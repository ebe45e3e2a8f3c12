/**
 * JSON values as CouchDB sees them: its collation order across types, equality, and field paths.
 * Mango's $gt/$lt/sort compare with this order, so `{"$gt": 5}` also matches strings, as in CouchDB.
 */
import { compareKeys } from './keyOrder';

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

/**
 * Where a field path leads, as CouchDB's mango_doc:get_field/2 tells it: a value; `missing` when the
 * first absent segment is a key of an object; `badPath` when the path runs into a scalar, or into an
 * array with a segment that is not an index in range. The two misses differ only for
 * `$exists: false`, which holds for a missing field but not for a bad path.
 */
export type FieldLookup = { readonly kind: 'value'; readonly value: Json } | { readonly kind: 'missing' } | { readonly kind: 'badPath' };

const MISSING: FieldLookup = { kind: 'missing' };
const BAD_PATH: FieldLookup = { kind: 'badPath' };
// Erlang's list_to_integer, which get_field applies to a segment on an array, takes a sign.
const INDEX = /^[+-]?\d+$/;

export function lookupField(value: Json, path: readonly string[]): FieldLookup {
  let v = value;
  for (const part of path) {
    if (isObject(v)) {
      if (!Object.prototype.hasOwnProperty.call(v, part)) return MISSING;
      v = v[part];
    } else if (Array.isArray(v)) {
      const index = INDEX.test(part) ? Number(part) : -1;
      if (!(index >= 0 && index < v.length)) return BAD_PATH;
      v = v[index];
    } else {
      return BAD_PATH;
    }
  }
  return { kind: 'value', value: v };
}

/** The value at a path, or undefined when there is none. */
export function getField(value: Json, path: readonly string[]): Json | undefined {
  const found = lookupField(value, path);
  return found.kind === 'value' ? found.value : undefined;
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

/**
 * CouchDB's mango_json:cmp_raw/2, which it uses for `_id` (the `_all_docs` index is in raw order):
 * strings by their UTF-8 bytes (Fabric's key order), other values by collation.
 */
export function collateRaw(a: Json, b: Json): number {
  return typeof a === 'string' && typeof b === 'string' ? compareKeys(a, b) : collate(a, b);
}

/** The `$type` names CouchDB uses. */
export function jsonType(v: Json): 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object' {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v as 'boolean' | 'number' | 'string' | 'object';
}
