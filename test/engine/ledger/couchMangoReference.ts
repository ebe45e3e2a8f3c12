/**
 * A second, independent implementation of CouchDB's Mango semantics for the differential test
 * (mangoDifferential.test.ts). Written the way CouchDB does it, not the way our engine does:
 *   - the selector is first normalised as mango_selector.erl's normalize/1 does (norm_ops,
 *     norm_fields, norm_negations with its negate/1 table), then matched by its match/3 rules, with
 *     fields looked up by mango_doc:get_field/2 (not_found versus bad_path);
 *   - every operator on a present value, and every comparison, is PouchDB's: pouchdb-selector-core's
 *     matchesSelector on a one-field document, and pouchdb-collate's collate.
 * Where PouchDB's operators differ from CouchDB's, the exceptions below say so; each has a targeted
 * test in mangoDifferential.test.ts that shows PouchDB's answer and CouchDB's.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface SelectorCore {
  matchesSelector(doc: object, selector: object): boolean;
  createFieldSorter(sort: Json[]): (a: { doc: object }, b: { doc: object }) => number;
}
interface Collate {
  collate(a: unknown, b: unknown): number;
}
// Untyped CommonJS packages (test-only devDependencies).
export const pouchSelector = require('pouchdb-selector-core') as SelectorCore;
export const pouchCollate = require('pouchdb-collate') as Collate;

/** CouchDB's normal form: combinators above, one operator per field below. */
type Normal = { readonly kind: 'and' | 'or'; readonly args: readonly Normal[] } | { readonly kind: 'field'; readonly path: readonly string[]; readonly cond: Condition };

type Condition =
  { readonly op: string; readonly arg: Json; readonly not: boolean } | { readonly op: '$elemMatch' | '$allMatch' | '$keyMapMatch'; readonly sub: Normal; readonly not: boolean };

const SUB_SELECTOR_OPS = new Set(['$elemMatch', '$allMatch', '$keyMapMatch']);

/** mango_selector:negate/1: comparison operators swap, $exists flips, others get a $not. */
const NEGATED: Record<string, string> = { $lt: '$gte', $lte: '$gt', $gte: '$lt', $gt: '$lte', $eq: '$ne', $ne: '$eq', $in: '$nin', $nin: '$in' };

function isObject(v: unknown): v is { [key: string]: Json } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** mango_util:parse_field: dots separate, `\.` is a dot in a name. */
function parseField(field: string): string[] {
  return field.split(/(?<!\\)\./).map((p) => p.replace(/\\\./g, '.'));
}

export function normalize(selector: Json, path: readonly string[] = []): Normal {
  // norm_ops: "A bare value condition means equality" (e.g. an element of a $and list).
  if (!isObject(selector)) return { kind: 'field', path, cond: { op: '$eq', arg: selector, not: false } };
  const entries = Object.entries(selector);
  if (entries.length !== 1) return { kind: 'and', args: entries.map(([k, v]) => normalize({ [k]: v }, path)) };
  const [[key, arg]] = entries;
  switch (key) {
    case '$and':
    case '$or':
      return { kind: key === '$and' ? 'and' : 'or', args: (arg as Json[]).map((s) => normalize(s, path)) };
    case '$nor':
      return { kind: 'and', args: (arg as Json[]).map((s) => negate(normalize(s, path))) };
    case '$not':
      return negate(normalize(arg, path));
  }
  if (SUB_SELECTOR_OPS.has(key)) {
    return { kind: 'field', path, cond: { op: key as '$elemMatch', sub: normalize(arg), not: false } };
  }
  if (key.startsWith('$')) return { kind: 'field', path, cond: { op: key, arg, not: false } };
  const sub = [...path, ...parseField(key)];
  if (isObject(arg) && Object.keys(arg).length > 0) return normalize(arg, sub);
  return { kind: 'field', path: sub, cond: { op: '$eq', arg, not: false } };
}

function negate(n: Normal): Normal {
  if (n.kind !== 'field') return { kind: n.kind === 'and' ? 'or' : 'and', args: n.args.map(negate) };
  const c = n.cond;
  if (c.not) return { ...n, cond: { ...c, not: false } };
  if ('arg' in c && c.op === '$exists') return { ...n, cond: { ...c, arg: !c.arg } };
  if ('arg' in c && NEGATED[c.op]) return { ...n, cond: { ...c, op: NEGATED[c.op] } };
  return { ...n, cond: { ...c, not: true } };
}

type Lookup = { found: true; value: Json } | { found: false; badPath: boolean };

/** mango_doc:get_field/2. */
export function getField(value: Json, path: readonly string[]): Lookup {
  let v = value;
  for (const name of path) {
    if (isObject(v)) {
      if (!Object.prototype.hasOwnProperty.call(v, name)) return { found: false, badPath: false };
      v = v[name];
    } else if (Array.isArray(v)) {
      if (!/^[+-]?\d+$/.test(name)) return { found: false, badPath: true };
      const pos = parseInt(name, 10);
      if (pos < 0 || pos >= v.length) return { found: false, badPath: true };
      v = v[pos];
    } else {
      return { found: false, badPath: true };
    }
  }
  return { found: true, value: v };
}

export function matches(n: Normal, value: Json): boolean {
  if (n.kind !== 'field') return n.kind === 'and' ? n.args.every((a) => matches(a, value)) : n.args.some((a) => matches(a, value));
  const found = getField(value, n.path);
  if (!found.found) {
    // match/3: `not_found when Cond == {[{<<"$exists">>, false}]} -> true`; bad_path is false.
    return !found.badPath && 'arg' in n.cond && n.cond.op === '$exists' && n.cond.arg === false && !n.cond.not;
  }
  const result = 'sub' in n.cond ? matchSub(n.cond.op, n.cond.sub, found.value) : operator(n.cond.op, n.cond.arg, found.value);
  return result !== n.cond.not;
}

function matchSub(op: string, sub: Normal, value: Json): boolean {
  switch (op) {
    case '$elemMatch':
      return Array.isArray(value) && value.some((e) => matches(sub, e));
    case '$allMatch':
      return Array.isArray(value) && value.length > 0 && value.every((e) => matches(sub, e));
    default:
      return isObject(value) && Object.keys(value).some((k) => matches(sub, k));
  }
}

/** One operator on a present value: PouchDB's answer, except where CouchDB's differs (see each case). */
function operator(op: string, arg: Json, value: Json): boolean {
  const pouch = (o: string, a: Json): boolean => pouchSelector.matchesSelector({ v: value }, { v: { [o]: a } });
  switch (op) {
    case '$in':
    case '$nin': {
      // PouchDB's $in and $nin never match a null value (its fieldExists); CouchDB compares null as any value.
      if (value !== null) return pouch(op, arg);
      const isIn = (arg as Json[]).some((a) => pouch('$eq', a));
      return op === '$in' ? isIn : !isIn;
    }
    case '$all': {
      // CouchDB: `$all: []` matches nothing (PouchDB: every array), and `$all: [A]` with an array A also
      // matches a value equal to A (PouchDB: only values holding A as an element).
      const args = arg as Json[];
      if (args.length === 0) return false;
      return pouch(op, arg) || (args.length === 1 && Array.isArray(args[0]) && Array.isArray(value) && pouch('$eq', args[0]));
    }
    case '$ne':
      // PouchDB keeps a list of values to differ from; it wraps the operand in one unless the operand
      // is an array, which it then takes for the list. CouchDB compares with the operand itself.
      return pouch(op, [arg]);
    case '$beginsWith':
      // CouchDB 3.4's operator; PouchDB has none.
      return typeof value === 'string' && typeof arg === 'string' && value.startsWith(arg);
    default:
      return pouch(op, arg);
  }
}

/**
 * CouchDB's sorted result: only documents holding every sort field (a JSON index has no others),
 * ordered by PouchDB's field sorter (collation, then `_id`), reversed for a descending sort.
 */
export function sortedIds(docs: readonly { _id: string; [key: string]: Json }[], sort: readonly Json[]): string[] {
  const fields = sort.map((s) => (typeof s === 'string' ? s : Object.keys(s as object)[0]));
  const descending = sort.some((s) => isObject(s) && Object.values(s)[0] === 'desc');
  const rows = docs.filter((d) => fields.every((f) => getField(d, parseField(f)).found)).map((doc) => ({ doc }));
  // The sorter wants pouchdb-find's massaged form, {field: direction} for every item.
  rows.sort(pouchSelector.createFieldSorter(fields.map((f) => ({ [f]: descending ? 'desc' : 'asc' }))));
  if (descending) rows.reverse();
  return rows.map((r) => r.doc._id);
}
