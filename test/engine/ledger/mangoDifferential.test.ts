/**
 * Our Mango engine against an independent implementation of CouchDB's selector and collation
 * semantics (couchMangoReference.ts: CouchDB's normalisation and matching rules over PouchDB's
 * operators and collation), over generated documents, selectors and sorts: every operator we
 * support, nested fields, array indexes, mixed types, negations, sort, skip, limit and pages.
 *
 * Reproduce a failure with its seed: MANGO_SEED=<seed> node --test out/test/engine/ledger/mangoDifferential.test.js
 * (MANGO_RUNS=<n> for a longer hunt). The second block documents, one test each, where PouchDB
 * answers differently from CouchDB and what the reference does instead.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { parseMangoQuery, runMangoQuery } from '../../../src/engine/ledger/mango';
import { collate } from '../../../src/engine/ledger/mangoCollation';
import type { StateEntry } from '../../../src/engine/ledger/types';
import { matches, normalize, pouchCollate, pouchSelector, sortedIds } from './couchMangoReference';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Doc = { [key: string]: Json };

const isObject = (v: Json): boolean => typeof v === 'object' && v !== null && !Array.isArray(v);

const SEED = Number(process.env.MANGO_SEED ?? 20250811);
const RUNS = Number(process.env.MANGO_RUNS ?? 1200);

// ---- generators ----
// Strings use lowercase letters, digits and spaces: there ICU's order (CouchDB) and code-unit
// order (pouchdb-collate) agree. Where they do not is the first targeted test below.
const STRINGS = ['', 'a', 'b', 'ab', 'a b', 'b1', '10', '9'];
// Object keys avoid integer-like names, which JavaScript moves to the front of an object
// (CouchDB keeps document order; both implementations here are JavaScript).
const KEYS = ['a', 'b', 'c'];
const PATHS = ['a', 'b', 'c', 'a', 'b', 'c', 'a.b', 'a.c', 'b.a', 'b.0', 'b.1', 'a.0', 'b.0.a', 'c.a.b', '_id'];
const IDS = ['d0', 'd1', 'd2', 'd3', 'd4', 'd5', 'd6', 'd7'];

const scalarArb: fc.Arbitrary<Json> = fc.oneof(fc.constant(null), fc.boolean(), fc.integer({ min: -3, max: 12 }), fc.constantFrom(2.5, -0.5, 100), fc.constantFrom(...STRINGS));

const { value: valueArb } = fc.letrec<{ value: Json }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'xsmall', withCrossShrink: true },
    { arbitrary: scalarArb, weight: 3 },
    { arbitrary: fc.array(tie('value'), { maxLength: 3 }), weight: 1 },
    { arbitrary: fc.dictionary(fc.constantFrom(...KEYS), tie('value'), { maxKeys: 2 }), weight: 1 },
  ),
}));

// Documents lean towards shapes the selector paths reach: `a` often an object, `b` often an array.
const docArb: fc.Arbitrary<Doc> = fc.record(
  {
    a: fc.oneof(valueArb, fc.dictionary(fc.constantFrom(...KEYS), valueArb, { minKeys: 1, maxKeys: 3 })),
    b: fc.oneof(valueArb, fc.array(valueArb, { minLength: 1, maxLength: 3 })),
    c: valueArb,
  },
  { requiredKeys: [] },
);

const docsArb = fc.uniqueArray(fc.tuple(fc.constantFrom(...IDS), docArb), { minLength: 2, maxLength: 7, selector: ([id]) => id });

/** Every value inside the documents, so that selectors compare with values that are there. */
function valuesIn(docs: readonly [string, Doc][]): Json[] {
  const out: Json[] = [];
  const walk = (v: Json): void => {
    out.push(v);
    if (Array.isArray(v)) v.forEach(walk);
    else if (isObject(v)) Object.values(v as Doc).forEach(walk);
  };
  for (const [id, doc] of docs) {
    out.push(id);
    walk(doc);
  }
  return out;
}

const TOP_COMBINATORS = ['$and', '$or', '$nor', '$not'];

/**
 * Selectors whose operands are mostly values found in the documents. `cond` is what stands under a
 * field: an operator object, combinators of conditions, sub-fields, or a plain value (implicit $eq).
 */
function selectorArbFor(pool: readonly Json[]): fc.Arbitrary<Json> {
  const operandArb = fc.oneof({ arbitrary: fc.constantFrom(...pool), weight: 3 }, { arbitrary: valueArb, weight: 1 });
  const listArb = fc.array(operandArb, { maxLength: 3 });
  const { selector } = fc.letrec<{ cond: Json; selector: Json }>((tie) => ({
    cond: fc.oneof(
      { depthSize: 'xsmall', withCrossShrink: true },
      { arbitrary: fc.tuple(fc.constantFrom('$eq', '$ne', '$gt', '$gte', '$lt', '$lte'), operandArb).map(([op, v]) => ({ [op]: v })), weight: 6 },
      // A plain value is implicit $eq; a non-empty object would be a sub-selector instead.
      { arbitrary: operandArb.filter((v) => !isObject(v)), weight: 3 },
      { arbitrary: fc.tuple(fc.constantFrom('$in', '$nin', '$all'), listArb).map(([op, v]) => ({ [op]: v })), weight: 3 },
      { arbitrary: operandArb.filter(Array.isArray).map((v) => ({ $all: [v] })), weight: 1 },
      { arbitrary: fc.boolean().map((v) => ({ $exists: v })), weight: 2 },
      { arbitrary: fc.constantFrom('null', 'boolean', 'number', 'string', 'array', 'object').map((v) => ({ $type: v })), weight: 2 },
      { arbitrary: fc.nat(3).map((v) => ({ $size: v })), weight: 1 },
      { arbitrary: fc.tuple(fc.constantFrom(2, 3, -2), fc.integer({ min: -1, max: 2 })).map((v) => ({ $mod: v })), weight: 1 },
      { arbitrary: fc.constantFrom('^a', 'b$', 'a|1', '^$', '[ab]+', '^\\d').map((v) => ({ $regex: v })), weight: 1 },
      { arbitrary: fc.constantFrom('', 'a', '1').map((v) => ({ $beginsWith: v })), weight: 1 },
      { arbitrary: fc.array(tie('cond').filter(isObject), { minLength: 2, maxLength: 2 }).map((a) => Object.assign({}, ...a) as Json), weight: 1 },
      {
        arbitrary: tie('cond')
          .filter(isObject)
          .map((c) => ({ $not: c })),
        weight: 2,
      },
      { arbitrary: fc.tuple(fc.constantFrom('$and', '$or', '$nor'), fc.array(tie('cond'), { minLength: 1, maxLength: 3 })).map(([op, a]) => ({ [op]: a })), weight: 2 },
      {
        arbitrary: fc.tuple(fc.constantFrom('$elemMatch', '$allMatch', '$keyMapMatch'), fc.oneof(tie('selector'), tie('cond').filter(isObject))).map(([op, s]) => ({ [op]: s })),
        weight: 2,
      },
      { arbitrary: fc.tuple(fc.constantFrom('a', 'b', 'c', 'a.b', '0'), tie('cond')).map(([f, c]) => ({ [f]: c })), weight: 1 },
    ),
    selector: fc.oneof(
      { depthSize: 'xsmall', withCrossShrink: true },
      { arbitrary: fc.dictionary(fc.constantFrom(...PATHS), tie('cond'), { minKeys: 1, maxKeys: 2 }), weight: 6 },
      { arbitrary: fc.tuple(fc.constantFrom('$and', '$or', '$nor'), fc.array(tie('selector'), { minLength: 1, maxLength: 3 })).map(([op, a]) => ({ [op]: a })), weight: 2 },
      { arbitrary: tie('selector').map((s) => ({ $not: s })), weight: 1 },
    ),
  }));
  // At the top, CouchDB refuses an operator that is not a combinator (it has no field).
  return fc.oneof(
    { arbitrary: selector.filter((s) => Object.keys(s as object).every((k) => !k.startsWith('$') || TOP_COMBINATORS.includes(k))), weight: 19 },
    { arbitrary: fc.constant({}), weight: 1 },
  );
}

/** Documents and a selector over them. */
const caseArb = docsArb.chain((docs) => selectorArbFor(valuesIn(docs)).map((selector) => ({ docs, selector })));

const sortArb = fc
  .tuple(fc.uniqueArray(fc.constantFrom('a', 'b', 'a.b', 'a.0', 'c', '_id'), { minLength: 1, maxLength: 2 }), fc.constantFrom<'asc' | 'desc' | undefined>('asc', 'desc', undefined))
  .map(([fields, dir]) => fields.map((f) => (dir === undefined ? f : { [f]: dir })) as Json[]);

// ---- the two implementations ----

function entries(docs: readonly [string, Doc][]): StateEntry[] {
  return [...docs]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, doc]) => ({ key, value: Buffer.from(JSON.stringify(doc)), version: { blockNum: 1, txNum: 0 }, metadata: {} }));
}

function ours(docs: readonly [string, Doc][], query: object, options: { pageSize?: number; bookmark?: string } = {}) {
  return runMangoQuery(parseMangoQuery(JSON.stringify(query)), entries(docs), options);
}

function referenceMatches(docs: readonly [string, Doc][], selector: Json): string[] {
  const normal = normalize(selector);
  return entries(docs)
    .filter((e) => matches(normal, { ...(JSON.parse(e.value.toString()) as Doc), _id: e.key }))
    .map((e) => e.key);
}

const withIds = (docs: readonly [string, Doc][]) => docs.map(([id, doc]) => ({ ...doc, _id: id }));
const params = { numRuns: RUNS, seed: SEED };

describe(`Mango against CouchDB's semantics (fast-check seed ${SEED}, ${RUNS} runs; MANGO_SEED=… to reproduce)`, () => {
  test('selectors: the same documents match', () => {
    fc.assert(
      fc.property(caseArb, ({ docs, selector }) => {
        const got = ours(docs, { selector }).rows.map((r) => r.key);
        assert.deepEqual(got, referenceMatches(docs, selector));
      }),
      params,
    );
  });

  test('sort, skip and limit: the same documents in the same order', () => {
    fc.assert(
      fc.property(caseArb, sortArb, fc.option(fc.nat(3)), fc.option(fc.nat(4)), ({ docs, selector }, sort, skip, limit) => {
        const query = { selector, sort, ...(skip === null ? {} : { skip }), ...(limit === null ? {} : { limit }) };
        const matched = new Set(referenceMatches(docs, selector));
        const all = sortedIds(withIds(docs.filter(([id]) => matched.has(id))), sort);
        const expected = all.slice(skip ?? 0, limit === null ? undefined : (skip ?? 0) + limit);
        assert.deepEqual(
          ours(docs, query).rows.map((r) => r.key),
          expected,
        );
      }),
      params,
    );
  });

  test('pages: walking the bookmarks returns the unpaginated result once, in order', () => {
    fc.assert(
      fc.property(caseArb, fc.option(sortArb), fc.integer({ min: 1, max: 3 }), ({ docs, selector }, sort, pageSize) => {
        const query = sort ? { selector, sort } : { selector };
        const seen: string[] = [];
        let bookmark = '';
        for (let pages = 0; pages <= docs.length; pages++) {
          const page = ours(docs, query, { pageSize, bookmark });
          assert.ok(page.rows.length <= pageSize);
          seen.push(...page.rows.map((r) => r.key));
          bookmark = page.bookmark;
          if (bookmark === '') break;
        }
        assert.equal(bookmark, '', 'the last page has no bookmark');
        assert.deepEqual(
          seen,
          ours(docs, query).rows.map((r) => r.key),
        );
      }),
      params,
    );
  });
});

/**
 * Where PouchDB answers differently from CouchDB. Each test shows PouchDB's answer, then CouchDB's,
 * which is both the reference's and ours: CouchDB is what Fabric runs against.
 */
describe('where PouchDB is not CouchDB (the reference follows CouchDB)', () => {
  const pouch = (doc: Doc, selector: Json) => pouchSelector.matchesSelector({ _id: 'k', ...doc }, selector as object);
  const reference = (doc: Doc, selector: Json) => matches(normalize(selector), { ...doc, _id: 'k' });
  const engine = (doc: Doc, selector: Json) => ours([['k', doc]], { selector }).rows.length === 1;
  function couchAnswers(doc: Doc, selector: Json, couch: boolean): void {
    assert.equal(pouch(doc, selector), !couch, `PouchDB: ${JSON.stringify(selector)} on ${JSON.stringify(doc)}`);
    assert.equal(reference(doc, selector), couch, 'the reference');
    assert.equal(engine(doc, selector), couch, 'our engine');
  }

  test('strings collate with ICU in CouchDB (a < A < b), by code unit in pouchdb-collate (A < B < a); the generators use strings where both agree', () => {
    assert.ok(pouchCollate.collate('a', 'B') > 0, 'pouchdb-collate, and so the reference');
    assert.equal(pouch({ s: 'a' }, { s: { $lt: 'B' } }), false);
    assert.ok(collate('a', 'B') < 0 && collate('a', 'A') < 0 && collate('A', 'b') < 0, 'ours, like CouchDB');
    assert.equal(engine({ s: 'a' }, { s: { $lt: 'B' } }), true);
  });

  test('an implicit array value is $eq in CouchDB (norm_ops); PouchDB reads it as sub-fields by index', () => {
    couchAnswers({ tags: ['a', 'b', 'c'] }, { tags: ['a', 'b'] }, false);
  });

  test('$ne, $not and $nor never match a missing field in CouchDB (negate/1 pushes the negation into the field condition)', () => {
    couchAnswers({ b: 1 }, { a: { $ne: 1 } }, false);
    couchAnswers({ b: 1 }, { $not: { a: 1 } }, false);
    couchAnswers({ b: 1 }, { $nor: [{ a: 1 }] }, false);
    // PouchDB has no $not under a field at all ("unknown operator"); CouchDB pushes it down the same way.
    assert.throws(() => pouch({ b: 1 }, { a: { $not: { $gt: 1, $lt: 5 } } }), /unknown operator "\$not"/);
    assert.equal(reference({ b: 1 }, { a: { $not: { $gt: 1, $lt: 5 } } }), false);
    assert.equal(engine({ b: 1 }, { a: { $not: { $gt: 1, $lt: 5 } } }), false);
    // $exists is the exception: negating it flips it.
    assert.equal(reference({ b: 1 }, { $not: { a: { $exists: true } } }), true);
    assert.equal(engine({ b: 1 }, { $not: { a: { $exists: true } } }), true);
  });

  test('$ne with an array operand compares with that array in CouchDB; PouchDB reads the array as a list of values to differ from', () => {
    couchAnswers({ a: 1 }, { a: { $ne: [1] } }, true);
    couchAnswers({ a: [] }, { a: { $ne: [] } }, false);
  });

  test('$in and $nin compare a null value like any other in CouchDB; PouchDB never matches null', () => {
    couchAnswers({ a: null }, { a: { $in: [null, 1] } }, true);
    couchAnswers({ a: null }, { a: { $nin: [1] } }, true);
  });

  test('$all: [] matches nothing, and $all: [[1, 2]] matches [1, 2] itself, in CouchDB', () => {
    couchAnswers({ a: [1] }, { a: { $all: [] } }, false);
    couchAnswers({ a: [1, 2] }, { a: { $all: [[1, 2]] } }, true);
  });

  test('a path through a scalar or past an array is bad_path in CouchDB (mango_doc:get_field): no condition holds, not even $exists: false', () => {
    couchAnswers({ a: 0 }, { 'a.b': 0 }, false); // PouchDB stops at a falsy value and compares it
    couchAnswers({ a: 'xy' }, { 'a.0': 'x' }, false); // PouchDB indexes into the string
    couchAnswers({ a: [1, 2] }, { 'a.length': 2 }, false); // PouchDB reads the array's length property
    couchAnswers({ a: 5 }, { 'a.b': { $exists: false } }, false);
    assert.equal(engine({ a: {} }, { 'a.b': { $exists: false } }), true, 'a missing key (not_found) is still absent');
  });

  test('$elemMatch applies its selector to every element in CouchDB; PouchDB picks one form by the type of the first element', () => {
    couchAnswers({ a: [{ x: 1 }, 7] }, { a: { $elemMatch: { $gt: 5 } } }, true);
    couchAnswers({ a: [{ x: 1 }, 7] }, { a: { $allMatch: { $gt: 5 } } }, true);
  });

  test('$and is a plain conjunction in CouchDB; PouchDB merges the operands and lets $eq override $gt', () => {
    couchAnswers({ a: 3 }, { $and: [{ a: { $gt: 5 } }, { a: 3 }] }, false);
  });

  test('sorted queries leave out documents without a sort field, and refuse mixed directions, in CouchDB (PouchDB sorts them as null)', () => {
    const docs: [string, Doc][] = [
      ['d1', { n: 2 }],
      ['d2', {}],
      ['d3', { n: 1 }],
    ];
    const rows = docs.map(([id, doc]) => ({ doc: { _id: id, ...doc } }));
    assert.deepEqual(
      rows.sort(pouchSelector.createFieldSorter([{ n: 'asc' }])).map((r) => r.doc._id),
      ['d2', 'd3', 'd1'],
      'PouchDB',
    );
    assert.deepEqual(sortedIds(withIds(docs), ['n']), ['d3', 'd1'], 'the reference');
    assert.deepEqual(
      ours(docs, { selector: {}, sort: ['n'] }).rows.map((r) => r.key),
      ['d3', 'd1'],
      'our engine',
    );
    assert.throws(() => ours(docs, { selector: {}, sort: ['n', { m: 'desc' }] }), /Sorts currently only support a single direction for all fields/);
  });
});
