/**
 * A CouchDB Mango query engine over the JSON values of a key space, for GET_QUERY_RESULT.
 * parseMangoQuery validates a query once; runMangoQuery evaluates it over rows in key order and
 * applies sort, skip, limit, fields and pagination. Values that are not JSON objects never match
 * (Fabric stores them in CouchDB as attachments, invisible to Mango). `_id` is the key.
 */
import { compareKeys } from './keyOrder';
import { collate, collateRaw, getField, isObject, parseFieldPath, type Json, type JsonObject } from './mangoCollation';
import { compileSelector, MangoQueryError, type CompiledSelector } from './mangoSelector';
import type { QueryOptions, QueryPage, StateEntry } from './types';

export { MangoQueryError } from './mangoSelector';

/**
 * Sort fields, all in one direction as CouchDB requires. CouchDB sorts through an index, and a JSON
 * index holds only documents that have every indexed field, so a sorted query never returns a
 * document that lacks a sort field (mango_idx_view:is_usable: "sort fields are required to exist").
 * Rows with equal sort values come in key order, reversed for a descending sort (a reverse index scan).
 */
export interface MangoSort {
  readonly paths: readonly (readonly string[])[];
  readonly descending: boolean;
  /** Sorting by `_id` alone reads the `_all_docs` index: raw (byte) order, not collation. */
  readonly byIdOnly: boolean;
}

export interface MangoQuery {
  readonly selector: CompiledSelector;
  readonly sort?: MangoSort;
  readonly limit?: number;
  readonly skip: number;
  /** Projection paths; undefined returns whole values unchanged. */
  readonly fields?: readonly (readonly string[])[];
}

export interface MangoRunOptions extends QueryOptions {
  /** Caps unpaginated results (Fabric's ledger.state.totalQueryLimit). */
  readonly totalQueryLimit?: number;
}

/** Top-level keys CouchDB accepts; the ones we do not use (indexes, consistency) are ignored. */
const KNOWN_KEYS = new Set([
  'selector',
  'limit',
  'skip',
  'sort',
  'fields',
  'use_index',
  'bookmark',
  'r',
  'conflicts',
  'update',
  'stable',
  'stale',
  'execution_stats',
  'allow_fallback',
]);

/** Parses and validates a query; throws MangoQueryError ("invalid query: …") on bad input. */
export function parseMangoQuery(query: string): MangoQuery {
  let json: Json;
  try {
    json = JSON.parse(query) as Json;
  } catch (err) {
    throw new MangoQueryError(`not JSON (${(err as Error).message})`, { cause: err });
  }
  if (!isObject(json)) throw new MangoQueryError('the query must be a JSON object');
  for (const key of Object.keys(json)) if (!KNOWN_KEYS.has(key)) throw new MangoQueryError(`unknown field "${key}"`);
  if (json.selector === undefined) throw new MangoQueryError('missing required field "selector"');
  return {
    selector: compileSelector(json.selector),
    sort: parseSort(json.sort),
    limit: json.limit === undefined ? undefined : count('limit', json.limit),
    skip: json.skip === undefined ? 0 : count('skip', json.skip),
    fields: parseFields(json.fields),
  };
}

/**
 * Runs a parsed query over rows given in key order. Paginated (pageSize > 0): at most pageSize rows
 * and a bookmark when more remain; pageSize overrides the query's limit and skip applies to the
 * first page only. Unpaginated: the query's limit, capped by totalQueryLimit.
 */
export function runMangoQuery(query: MangoQuery, rows: Iterable<StateEntry>, options: MangoRunOptions = {}): QueryPage<StateEntry> {
  const pageSize = options.pageSize ?? 0;
  const totalLimit = options.totalQueryLimit ?? Infinity;
  const queryLimit = pageSize > 0 ? Infinity : (query.limit ?? Infinity);
  const pageLimit = pageSize > 0 ? pageSize : totalLimit;
  const after = options.bookmark ? decodeBookmark(options.bookmark, query) : undefined;
  let toSkip = after ? 0 : query.skip;
  const sorted = query.sort !== undefined;
  const matched: Row[] = [];
  let more = false;

  for (const entry of rows) {
    const row = matchRow(query, entry);
    if (!row || (after && compareRows(query, row, after) <= 0)) continue;
    if (sorted) {
      matched.push(row);
      continue;
    }
    // Unsorted results come in key order, so skip and limit can stop the scan early.
    if (toSkip > 0) {
      toSkip--;
      continue;
    }
    if (matched.length >= queryLimit) break;
    if (matched.length >= pageLimit) {
      more = true;
      break;
    }
    matched.push(row);
  }

  let page = matched;
  if (sorted) {
    matched.sort((a, b) => compareRows(query, a, b));
    const wanted = matched.slice(toSkip, toSkip + Math.min(queryLimit, pageLimit));
    more = queryLimit > pageLimit && matched.length - toSkip > pageLimit;
    page = wanted;
  }
  const last = page[page.length - 1];
  return {
    rows: page.map((r) => project(query, r)),
    bookmark: more && last ? encodeBookmark(last) : '',
  };
}

interface Row {
  readonly entry: StateEntry;
  readonly doc: JsonObject;
  readonly sortValues: readonly Json[];
}

function matchRow(query: MangoQuery, entry: StateEntry): Row | undefined {
  const doc = documentOf(entry.value);
  if (!doc) return undefined;
  const withId = query.selector.usesId && !hasOwn(doc, '_id') ? { ...doc, _id: entry.key } : doc;
  if (!query.selector.matches(withId)) return undefined;
  const sortValues: Json[] = [];
  for (const path of query.sort?.paths ?? []) {
    const value = fieldOf(doc, entry.key, path);
    if (value === undefined) return undefined; // not in the sort's index
    sortValues.push(value);
  }
  return { entry, doc, sortValues };
}

/** Sort values in order, then the key, so pages and bookmarks are stable. */
function compareRows(query: MangoQuery, a: Pick<Row, 'sortValues' | 'entry'>, b: Pick<Row, 'sortValues' | 'entry'>): number {
  const sort = query.sort;
  let c = 0;
  if (sort) {
    const compare = sort.byIdOnly ? collateRaw : collate;
    for (let i = 0; i < sort.paths.length && c === 0; i++) c = compare(a.sortValues[i], b.sortValues[i]);
  }
  if (c === 0) c = compareKeys(a.entry.key, b.entry.key);
  return sort?.descending ? -c : c;
}

function project(query: MangoQuery, row: Row): StateEntry {
  if (!query.fields) return row.entry;
  const out: JsonObject = {};
  for (const path of query.fields) {
    const v = fieldOf(row.doc, row.entry.key, path);
    if (v === undefined) continue;
    let target = out;
    for (const part of path.slice(0, -1)) {
      const next = target[part];
      target = isObject(next) ? next : (target[part] = {});
    }
    target[path[path.length - 1]] = v;
  }
  return { ...row.entry, value: Buffer.from(JSON.stringify(out)) };
}

function fieldOf(doc: JsonObject, key: string, path: readonly string[]): Json | undefined {
  if (path[0] === '_id' && !hasOwn(doc, '_id')) return path.length === 1 ? key : undefined;
  return getField(doc, path);
}

// Parsed documents per value Buffer: committed values never change, and a query scans them all.
const documents = new WeakMap<Buffer, JsonObject | null>();

function documentOf(value: Buffer): JsonObject | null {
  let doc = documents.get(value);
  if (doc === undefined) {
    doc = null;
    try {
      const parsed = JSON.parse(value.toString('utf8')) as Json;
      if (isObject(parsed)) doc = parsed;
    } catch {
      // Not JSON: such values never match, as in CouchDB.
    }
    documents.set(value, doc);
  }
  return doc;
}

/** Bookmark = the last returned row's position (sort values and key), base64url-encoded JSON. */
function encodeBookmark(row: Row): string {
  const position = { k: row.entry.key, v: row.sortValues };
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

function decodeBookmark(bookmark: string, query: MangoQuery): Pick<Row, 'sortValues' | 'entry'> {
  try {
    const position = JSON.parse(Buffer.from(bookmark, 'base64url').toString('utf8')) as { k: unknown; v: unknown };
    if (typeof position.k !== 'string' || !Array.isArray(position.v) || position.v.length !== (query.sort?.paths.length ?? 0)) throw new Error();
    const sortValues = position.v as Json[];
    const entry: StateEntry = { key: position.k, value: Buffer.alloc(0), version: { blockNum: 0, txNum: 0 }, metadata: {} };
    return { entry, sortValues };
  } catch {
    throw new MangoQueryError(`bad bookmark "${bookmark}" (use the bookmark a previous page returned)`);
  }
}

function parseSort(sort: Json | undefined): MangoSort | undefined {
  if (sort === undefined) return undefined;
  if (!Array.isArray(sort)) throw new MangoQueryError('"sort" must be an array');
  if (sort.length === 0) return undefined;
  const items = sort.map((item) => {
    if (typeof item === 'string') return { path: parseFieldPath(item), descending: false };
    const entries = isObject(item) ? Object.entries(item) : [];
    const [field, direction] = entries[0] ?? [];
    if (entries.length !== 1 || (direction !== 'asc' && direction !== 'desc')) {
      throw new MangoQueryError(`bad sort item ${JSON.stringify(item)}: use "field" or {"field": "asc"|"desc"}`);
    }
    return { path: parseFieldPath(field), descending: direction === 'desc' };
  });
  const descending = items[0].descending;
  // CouchDB's mango_sort refuses mixed directions with this message.
  if (items.some((i) => i.descending !== descending)) throw new MangoQueryError('Sorts currently only support a single direction for all fields.');
  const paths = items.map((i) => i.path);
  return { paths, descending, byIdOnly: paths.every((p) => p.length === 1 && p[0] === '_id') };
}

function parseFields(fields: Json | undefined): string[][] | undefined {
  if (fields === undefined) return undefined;
  if (!Array.isArray(fields) || fields.some((f) => typeof f !== 'string')) throw new MangoQueryError('"fields" must be an array of field names');
  return fields.length === 0 ? undefined : (fields as string[]).map(parseFieldPath);
}

function count(name: string, v: Json): number {
  if (!Number.isInteger(v) || (v as number) < 0) throw new MangoQueryError(`"${name}" must be a non-negative integer`);
  return v as number;
}

function hasOwn(o: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, key);
}
