/** The CLI's result lines: payloads printed without loss, parsed JSON only for objects and arrays. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isFailure, jsonObjectOf, payloadText, printedPayload } from '../../src/cli/results';

describe('CLI result lines', () => {
  test('text stays text: numbers, JSON strings, booleans and empty payloads are not parsed', () => {
    for (const text of ['250', '"x"', 'true', 'null', '', ' 42 ', 'Tomoko']) {
      assert.deepEqual(printedPayload(Buffer.from(text)), { payload: text }, text);
    }
  });

  test('a JSON object or array gets its parsed value beside the exact text', () => {
    assert.deepEqual(printedPayload(Buffer.from('{"b":1, "a":[2]}')), { payload: '{"b":1, "a":[2]}', json: { b: 1, a: [2] } });
    assert.deepEqual(printedPayload(Buffer.from(' [1,2]\n')), { payload: ' [1,2]\n', json: [1, 2] });
    assert.deepEqual(printedPayload(Buffer.from('{not json')), { payload: '{not json' });
    assert.equal(jsonObjectOf('[]')?.constructor, Array);
  });

  test('bytes that are not UTF-8, or text that starts with the marker, print as base64: and round-trip', () => {
    const binary = Buffer.from([0xff, 0xfe, 0x00, 0x41]);
    assert.equal(payloadText(binary), `base64:${binary.toString('base64')}`);
    const marked = Buffer.from('base64:AAAA');
    assert.equal(payloadText(marked), `base64:${marked.toString('base64')}`);
    for (const bytes of [binary, marked, Buffer.from('héllo ✓')]) {
      const text = payloadText(bytes);
      const back = text.startsWith('base64:') ? Buffer.from(text.slice(7), 'base64') : Buffer.from(text, 'utf8');
      assert.deepEqual(back, bytes);
    }
    // A view into a larger buffer prints only its own bytes.
    const pool = Buffer.from('xx250yy');
    assert.equal(payloadText(pool.subarray(2, 5)), '250');
  });

  test('a line fails on status ≥ 400, a validation other than VALID, or an error', () => {
    const ok = { index: 0, kind: 'invoke' as const, tx: ['A'], channel: 'mychannel', txId: 't', status: 200, message: '', payload: '', validation: 'VALID', event: null };
    assert.equal(isFailure(ok), false);
    assert.equal(isFailure({ ...ok, status: 500 }), true);
    assert.equal(isFailure({ ...ok, validation: 'MVCC_READ_CONFLICT' }), true);
    assert.equal(isFailure({ index: 0, kind: 'query', tx: ['A'], error: 'not registered' }), true);
  });
});
