import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMangoQuery, runMangoQuery, type MangoRunOptions } from '../../../src/engine/ledger/mango';
import { collate, type Json } from '../../../src/engine/ledger/mangoCollation';
import type { StateEntry } from '../../../src/engine/ledger/types';

function entry(key: string, value: unknown): StateEntry {
  const bytes = typeof value === 'string' && value.startsWith('raw:') ? value.slice(4) : JSON.stringify(value);
  return { key, value: Buffer.from(bytes), version: { blockNum: 1, txNum: 0 }, metadata: {} };
}

const ROWS: StateEntry[] = [
  entry('asset1', { docType: 'asset', color: 'blue', size: 5, owner: { name: 'Tom', org: 'Org1' }, tags: ['a', 'b'], appraised: 300 }),
  entry('asset2', { docType: 'asset', color: 'red', size: 5, owner: { name: 'Brad', org: 'Org2' }, tags: ['b', 'c'], appraised: 400 }),
  entry('asset3', { docType: 'asset', color: 'green', size: 10, owner: { name: 'Jin Soo', org: 'Org1' }, tags: [], appraised: 500 }),
  entry('asset4', { docType: 'asset', color: 'Blue', size: 15, owner: { name: 'Max', org: 'Org2' }, tags: ['a'], appraised: null }),
  entry('asset5', { docType: 'asset', color: 'white', size: '15', owner: { name: 'Adriana', org: 'Org3' }, scores: [{ v: 1 }, { v: 9 }] }),
  entry('marble1', { docType: 'marble', color: 'blue', size: 1, 'dotted.name': 'yes' }),
  entry('binary', 'raw:\u0000\u0001 not json'),
  entry('array', [1, 2, 3]),
];

function keys(query: object, options: MangoRunOptions = {}, rows: StateEntry[] = ROWS): string[] {
  return runMangoQuery(parseMangoQuery(JSON.stringify(query)), rows, options).rows.map((r) => r.key);
}

describe('Mango selectors', () => {
  test('implicit equality, nested objects and dotted paths', () => {
    assert.deepEqual(keys({ selector: { color: 'blue' } }), ['asset1', 'marble1']);
    assert.deepEqual(keys({ selector: { docType: 'asset', size: 5 } }), ['asset1', 'asset2']);
    assert.deepEqual(keys({ selector: { owner: { org: 'Org1' } } }), ['asset1', 'asset3']);
    assert.deepEqual(keys({ selector: { 'owner.name': 'Max' } }), ['asset4']);
    assert.deepEqual(keys({ selector: { 'scores.1.v': 9 } }), ['asset5'], 'numeric segments index arrays');
    assert.deepEqual(keys({ selector: { 'dotted\\.name': 'yes' } }), ['marble1'], 'escaped dot');
    assert.deepEqual(keys({ selector: { tags: ['a', 'b'] } }), ['asset1'], 'arrays compare whole');
    assert.deepEqual(keys({ selector: { _id: 'asset2' } }), ['asset2'], '_id is the key');
    assert.deepEqual(keys({ selector: {} }), ['asset1', 'asset2', 'asset3', 'asset4', 'asset5', 'marble1'], 'non-object values never match');
  });

  test('comparison operators use CouchDB collation across types', () => {
    assert.deepEqual(keys({ selector: { size: { $eq: 10 } } }), ['asset3']);
    assert.deepEqual(keys({ selector: { docType: 'asset', size: { $ne: 5 } } }), ['asset3', 'asset4', 'asset5']);
    assert.deepEqual(keys({ selector: { size: { $gt: 5 } } }), ['asset3', 'asset4', 'asset5'], 'strings sort above numbers');
    assert.deepEqual(keys({ selector: { size: { $gte: 5, $lt: 15 } } }), ['asset1', 'asset2', 'asset3']);
    assert.deepEqual(keys({ selector: { size: { $lte: 1 } } }), ['marble1']);
    assert.deepEqual(keys({ selector: { appraised: { $lt: 0 } } }), ['asset4'], 'null sorts below numbers');
    assert.deepEqual(keys({ selector: { color: { $gt: 'blue', $lt: 'green' } } }), ['asset4'], 'ICU order: blue < Blue < green');
  });

  test('$in $nin $exists $regex $type $size $mod $all $elemMatch $allMatch $beginsWith', () => {
    assert.deepEqual(keys({ selector: { color: { $in: ['red', 'green'] } } }), ['asset2', 'asset3']);
    assert.deepEqual(keys({ selector: { tags: { $in: ['c'] } } }), ['asset2'], 'an array field is in when an element is');
    assert.deepEqual(keys({ selector: { docType: 'asset', color: { $nin: ['red', 'green', 'blue'] } } }), ['asset4', 'asset5']);
    assert.deepEqual(keys({ selector: { scores: { $exists: true } } }), ['asset5']);
    assert.deepEqual(keys({ selector: { docType: 'asset', tags: { $exists: false } } }), ['asset5']);
    assert.deepEqual(keys({ selector: { 'owner.name': { $regex: '^[A-M]' } } }), ['asset2', 'asset3', 'asset4', 'asset5']);
    assert.deepEqual(keys({ selector: { color: { $regex: '(?i)^blue$' } } }), ['asset1', 'asset4', 'marble1'], 'PCRE inline flags');
    assert.deepEqual(keys({ selector: { size: { $type: 'string' } } }), ['asset5']);
    assert.deepEqual(keys({ selector: { tags: { $size: 0 } } }), ['asset3']);
    assert.deepEqual(keys({ selector: { size: { $mod: [10, 5] } } }), ['asset1', 'asset2', 'asset4']);
    assert.deepEqual(keys({ selector: { tags: { $all: ['b', 'a'] } } }), ['asset1']);
    assert.deepEqual(keys({ selector: { scores: { $elemMatch: { v: { $gt: 5 } } } } }), ['asset5']);
    assert.deepEqual(keys({ selector: { tags: { $elemMatch: { $eq: 'c' } } } }), ['asset2']);
    assert.deepEqual(keys({ selector: { tags: { $allMatch: { $gte: 'a' } } } }), ['asset1', 'asset2', 'asset4'], 'empty arrays do not all-match');
    assert.deepEqual(keys({ selector: { 'owner.name': { $beginsWith: 'Jin' } } }), ['asset3']);
  });

  test('a negation never matches a document without the field: CouchDB pushes $not and $nor into the field condition (mango_selector:negate/1)', () => {
    assert.deepEqual(keys({ selector: { $not: { appraised: 300 } } }), ['asset2', 'asset3', 'asset4'], 'no appraised in asset5 and marble1');
    assert.deepEqual(keys({ selector: { $nor: [{ appraised: 300 }, { appraised: 400 }] } }), ['asset3', 'asset4']);
    assert.deepEqual(keys({ selector: { appraised: { $not: { $gte: 300, $lte: 400 } } } }), ['asset3', 'asset4']);
    assert.deepEqual(keys({ selector: { $not: { $not: { appraised: 300 } } } }), ['asset1'], 'double negation cancels');
    assert.deepEqual(keys({ selector: { $not: { scores: { $exists: true } } } }), ['asset1', 'asset2', 'asset3', 'asset4', 'marble1'], 'negated $exists flips');
    assert.deepEqual(keys({ selector: { $not: { tags: { $size: 2 } } } }), ['asset3', 'asset4'], 'other operators: present and not matching');
  });

  test('a path into a scalar or past an array is a bad path (mango_doc:get_field/2): even $exists: false fails on it', () => {
    assert.deepEqual(keys({ selector: { docType: 'asset', 'color.x': { $exists: false } } }), [], 'color is a string');
    assert.deepEqual(keys({ selector: { tags: { $exists: true }, 'tags.5': { $exists: false } } }), [], 'index out of range');
    assert.deepEqual(keys({ selector: { docType: 'asset', 'owner.x': { $exists: false } } }), ['asset1', 'asset2', 'asset3', 'asset4', 'asset5'], 'a missing key is absent');
    assert.deepEqual(keys({ selector: { 'tags.+1': 'b' } }), ['asset1'], 'an index may carry a sign, as Erlang reads integers');
  });

  test('$all with one array argument also matches a value equal to it (mango_selector:match/3)', () => {
    assert.deepEqual(keys({ selector: { tags: { $all: [['a', 'b']] } } }), ['asset1']);
    assert.deepEqual(keys({ selector: { tags: { $all: [] } } }), [], '$all: [] matches nothing');
  });

  test('operands of $and/$or/$nor that are not objects are $eq conditions (norm_ops); $type takes any name', () => {
    assert.deepEqual(keys({ selector: { size: { $or: [1, 10] } } }), ['asset3', 'marble1']);
    assert.deepEqual(keys({ selector: { size: { $and: [5, { $exists: true }] } } }), ['asset1', 'asset2']);
    assert.deepEqual(keys({ selector: { size: { $type: 'integer' } } }), [], 'not a JSON type name: matches nothing');
  });

  test('a condition needs a field: an operator alone at the top is refused (mango_selector:normalize/1)', () => {
    assert.throws(() => parseMangoQuery('{"selector":{"$gt":1}}'), /invalid query: One or more conditions is missing a field name/);
    assert.deepEqual(keys({ selector: { $and: [{ docType: 'marble' }, { $or: [{ size: 1 }] }] } }), ['marble1'], 'combinators are fine');
  });

  test('$and $or $nor $not, at the top and under a field', () => {
    assert.deepEqual(keys({ selector: { $and: [{ docType: 'asset' }, { size: 5 }, { color: 'red' }] } }), ['asset2']);
    assert.deepEqual(keys({ selector: { $or: [{ color: 'red' }, { 'owner.org': 'Org3' }] } }), ['asset2', 'asset5']);
    assert.deepEqual(keys({ selector: { docType: 'asset', $nor: [{ size: 5 }, { size: '15' }] } }), ['asset3', 'asset4']);
    assert.deepEqual(keys({ selector: { docType: 'asset', $not: { 'owner.org': 'Org2' } } }), ['asset1', 'asset3', 'asset5']);
    assert.deepEqual(keys({ selector: { docType: 'asset', size: { $not: { $lte: 5 } } } }), ['asset3', 'asset4', 'asset5']);
    assert.deepEqual(keys({ selector: { size: { $or: [{ $eq: 1 }, { $eq: 10 }] } } }), ['asset3', 'marble1']);
    assert.deepEqual(keys({ selector: { docType: 'marble', scores: { $not: { $exists: true } } } }), ['marble1']);
  });
});

describe('Mango results', () => {
  test('sort ascending and descending, by several fields; ties in key order, reversed when descending', () => {
    assert.deepEqual(keys({ selector: { docType: 'asset' }, sort: [{ size: 'desc' }, { 'owner.name': 'desc' }] }), ['asset5', 'asset4', 'asset3', 'asset1', 'asset2']);
    assert.deepEqual(keys({ selector: { color: { $exists: true } }, sort: ['color'] }), ['asset1', 'marble1', 'asset4', 'asset3', 'asset2', 'asset5'], 'ICU order, ties by key');
    // CouchDB reads a descending sort as a reverse index scan: equal sort values come in reverse key order too.
    assert.deepEqual(keys({ selector: { docType: 'asset' }, sort: [{ size: 'desc' }] }), ['asset5', 'asset4', 'asset3', 'asset2', 'asset1']);
  });

  test('a sorted query leaves out documents without a sort field (CouchDB sorts with a JSON index, which holds none: mango_idx_view:is_usable)', () => {
    assert.deepEqual(keys({ selector: { docType: 'asset' }, sort: [{ appraised: 'desc' }] }), ['asset3', 'asset2', 'asset1', 'asset4'], 'asset5 has no appraised; null is a value');
    assert.deepEqual(keys({ selector: { docType: 'asset' }, sort: ['scores.0.v'] }), ['asset5']);
  });

  test('sort directions must all be the same (CouchDB mango_sort: "Sorts currently only support a single direction for all fields.")', () => {
    assert.throws(
      () => parseMangoQuery(JSON.stringify({ selector: {}, sort: ['size', { color: 'desc' }] })),
      /^MangoQueryError: invalid query: Sorts currently only support a single direction for all fields\.$/,
    );
  });

  test('_id compares in raw byte order, as CouchDB does for it (mango_selector:match/3 with mango_json:cmp_raw/2; _all_docs order)', () => {
    const rows = [entry('B', { n: 1 }), entry('a', { n: 2 }), entry('b', { n: 3 })];
    // ICU collation would put "a" < "B" < "b"; bytes put "B" (0x42) first.
    assert.deepEqual(keys({ selector: { _id: { $gt: 'B' } } }, {}, rows), ['a', 'b']);
    assert.deepEqual(keys({ selector: { _id: { $lt: 'a' } } }, {}, rows), ['B']);
    assert.deepEqual(keys({ selector: { n: { $gt: 0 } }, sort: [{ _id: 'desc' }] }, {}, rows), ['b', 'a', 'B']);
    // Other string fields still collate with ICU.
    assert.deepEqual(keys({ selector: { s: { $lt: 'B' } } }, {}, [entry('x', { s: 'a' }), entry('y', { s: 'c' })]), ['x']);
  });

  test('limit, skip and fields', () => {
    assert.deepEqual(keys({ selector: { docType: 'asset' }, limit: 2 }), ['asset1', 'asset2']);
    assert.deepEqual(keys({ selector: { docType: 'asset' }, skip: 3 }), ['asset4', 'asset5']);
    assert.deepEqual(keys({ selector: { docType: 'asset' }, sort: [{ size: 'desc' }], skip: 1, limit: 2 }), ['asset4', 'asset3']);
    const page = runMangoQuery(parseMangoQuery('{"selector":{"_id":"asset1"},"fields":["_id","color","owner.name","nope"]}'), ROWS);
    assert.deepEqual(JSON.parse(page.rows[0].value.toString()), { _id: 'asset1', color: 'blue', owner: { name: 'Tom' } });
    assert.equal(keys({ selector: { docType: 'asset' } }, { totalQueryLimit: 3 }).length, 3);
  });

  test('pagination with bookmarks walks every match exactly once, sorted or not', () => {
    for (const sort of [undefined, [{ size: 'desc' }], ['color']]) {
      const query = parseMangoQuery(JSON.stringify({ selector: { docType: { $in: ['asset', 'marble'] } }, sort, limit: 1 }));
      const seen: string[] = [];
      let bookmark = '';
      let pages = 0;
      do {
        const page = runMangoQuery(query, ROWS, { pageSize: 2, bookmark });
        assert.ok(page.rows.length <= 2);
        seen.push(...page.rows.map((r) => r.key));
        bookmark = page.bookmark;
        pages++;
      } while (bookmark !== '' && pages < 10);
      assert.equal(pages, 3, `sort ${JSON.stringify(sort)}`);
      assert.deepEqual(seen, keys({ selector: { docType: { $in: ['asset', 'marble'] } }, sort }), 'pageSize overrides limit');
    }
  });

  test('bad queries fail with "invalid query: …"', () => {
    const bad = [
      'not json',
      '[]',
      '{}',
      '{"selector": []}',
      '{"selector":{"a":{"$bogus":1}}}',
      '{"selector":{"a":{"$in":5}}}',
      '{"selector":{"a":{"$regex":"("}}}',
      '{"selector":{},"sort":[{"a":"up"}]}',
      '{"selector":{},"limit":-1}',
      '{"selector":{},"fields":"a"}',
      '{"selector":{},"unknown":1}',
      '{"selector":{"$or":{}}}',
      '{"selector":{"a":{"$exists":"yes"}}}',
      '{"selector":{"a":{"$mod":[0,1]}}}',
      '{"selector":{"a":{"$type":5}}}',
      '{"selector":{"$eq":1}}',
      '{"selector":{},"sort":["a",{"b":"desc"}]}',
    ];
    for (const q of bad) assert.throws(() => parseMangoQuery(q), /^MangoQueryError: invalid query: /, q);
    const q = parseMangoQuery('{"selector":{}}');
    assert.throws(() => runMangoQuery(q, ROWS, { pageSize: 1, bookmark: 'garbage' }), /invalid query: bad bookmark/);
  });

  test('collation: null < false < true < numbers < strings < arrays < objects', () => {
    const ordered: Json[] = [null, false, true, -1, 0, 2.5, 10, '', 'a', 'A', 'b', [], [1], [1, 2], [2], {}, { a: 1 }, { a: 2 }, { b: 0 }];
    for (let i = 0; i < ordered.length; i++) {
      for (let j = 0; j < ordered.length; j++) {
        const c = collate(ordered[i], ordered[j]);
        assert.equal(Math.sign(c), Math.sign(i - j), `${JSON.stringify(ordered[i])} vs ${JSON.stringify(ordered[j])}`);
      }
    }
  });
});
