/** Transient data as a user types it: the bytes each JSON value becomes, and errors that never quote a value. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTransientMap, TransientMapError } from '../../../src/engine/transactions/transientMap';

describe('transient map', () => {
  test('strings are UTF-8, base64: values their decoded bytes, anything else its JSON text', () => {
    const map = parseTransientMap('{"s":"héllo","b":"base64:AP8=","empty":"base64:","o":{"a":[1,true]},"n":2.5,"t":false,"z":null}');
    assert.deepEqual(Object.fromEntries(Object.entries(map).map(([k, v]) => [k, [...v]])), {
      s: [...Buffer.from('héllo', 'utf8')],
      b: [0, 255],
      empty: [],
      o: [...Buffer.from('{"a":[1,true]}')],
      n: [...Buffer.from('2.5')],
      t: [...Buffer.from('false')],
      z: [...Buffer.from('null')],
    });
    assert.deepEqual(parseTransientMap('{}'), {});
  });

  test('what is not an object of named values is refused, naming the source and the key', () => {
    const refused = (text: string, message: RegExp): void =>
      assert.throws(
        () => parseTransientMap(text, 'the transient field'),
        (e: unknown) => e instanceof TransientMapError && message.test(e.message),
      );
    refused('"x"', /^the transient field: expected a JSON object .* not string$/);
    refused('[1]', /not an array$/);
    refused('null', /not null$/);
    refused('{"":"x"}', /a transient name is empty/);
    refused('{"k":"base64:@@@@"}', /the value of 'k' starts with base64: but the rest is not base64/);
    refused('{"k":"base64:QUJD"x}', /not valid JSON \(Expected ',' or '}' after property value in JSON at position \d+\)/);
  });

  test('a JSON error does not quote the text, which may hold the secret', () => {
    assert.throws(
      () => parseTransientMap('{"password": s3cret}'),
      (e: unknown) => e instanceof TransientMapError && !e.message.includes('s3cret') && e.cause === undefined,
    );
  });
});
