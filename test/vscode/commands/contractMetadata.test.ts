/**
 * The Invoke and Query prompts check each argument against the parameter's schema in the contract
 * metadata (as fabric-contract-api, fabric-contract-api-go and Java's contract router write it), and
 * say which parameter is wrong, before anything is sent to the chaincode.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { argumentProblem, ContractParameter, functionsFromMetadata, parseTransient } from '../../../src/vscode/commands/contractMetadata';

const metadata = {
  contracts: {
    Assets: {
      name: 'Assets',
      transactions: [
        {
          name: 'CreateSized',
          tags: ['SUBMIT'],
          parameters: [
            { name: 'id', schema: { type: 'string' } },
            { name: 'size', schema: { type: 'number' } },
            { name: 'count', schema: { type: 'integer', format: 'int32', minimum: -2147483648, maximum: 2147483647 } },
            { name: 'quantity', schema: { type: 'integer', format: 'uint64' } },
            { name: 'fragile', schema: { type: 'boolean' } },
            { name: 'asset', schema: { $ref: '#/components/schemas/Asset' } },
            { name: 'tags', schema: { type: 'array', items: { type: 'string' } } },
            { name: 'colour', schema: { type: 'string', enum: ['red', 'blue'] } },
          ],
        },
      ],
    },
  },
  components: { schemas: { Asset: { $id: 'Asset', type: 'object', properties: { ID: { type: 'string' } } } } },
};

const params = new Map<string, ContractParameter>(functionsFromMetadata(JSON.stringify(metadata))[0].parameters.map((p) => [p.name, p]));
const problem = (name: string, text: string): string | undefined => argumentProblem(params.get(name)!, text);

describe('contract metadata: typed parameters', () => {
  it("reads each parameter's schema: type, $ref, format, bounds, enum", () => {
    assert.deepEqual(params.get('size'), { name: 'size', type: 'number', schema: { type: 'number' } });
    assert.deepEqual(params.get('asset'), { name: 'asset', type: 'Asset', schema: { ref: 'Asset' } });
    assert.deepEqual(params.get('count')?.schema, { type: 'integer', format: 'int32', minimum: -2147483648, maximum: 2147483647 });
    assert.deepEqual(params.get('colour')?.schema.enum, ['red', 'blue']);
  });

  it('a number parameter refuses "big", naming the parameter; numbers as the contract API reads them pass', () => {
    assert.equal(problem('size', 'big'), 'size: a number is expected, not "big"');
    assert.equal(problem('size', ''), 'size: a number is expected, not ""');
    for (const ok of ['5', '-3.25', '1e3', ' 7 ']) assert.equal(problem('size', ok), undefined, ok);
  });

  it('integers: whole numbers within the bounds; unsigned formats refuse negatives', () => {
    assert.equal(problem('count', '4.5'), 'count: a whole number is expected, not "4.5"');
    assert.equal(problem('count', '2147483648'), 'count: at most 2147483647 is expected, not "2147483648"');
    assert.equal(problem('count', '-12'), undefined);
    assert.equal(problem('quantity', '-1'), 'quantity: a number of 0 or more is expected, not "-1"');
    assert.equal(problem('quantity', '18'), undefined);
  });

  it('booleans are true or false', () => {
    assert.equal(problem('fragile', 'yes'), 'fragile: true or false is expected, not "yes"');
    assert.equal(problem('fragile', 'TRUE'), undefined);
    assert.equal(problem('fragile', 'false'), undefined);
  });

  it('objects ($ref) and arrays are JSON of that shape', () => {
    assert.equal(problem('asset', 'asset1'), 'asset: a JSON object (Asset) is expected, e.g. {"ID":"a1"}; "asset1" is not one');
    assert.equal(problem('asset', '["a"]'), 'asset: a JSON object (Asset) is expected, e.g. {"ID":"a1"}; "[\\"a\\"]" is not one');
    assert.equal(problem('asset', '{"ID":"a1"}'), undefined);
    assert.equal(problem('tags', '{"a":1}'), 'tags: a JSON array is expected, e.g. ["a","b"]; "{\\"a\\":1}" is not one');
    assert.equal(problem('tags', '["x","y"]'), undefined);
  });

  it('strings take anything unless the schema lists the allowed values', () => {
    assert.equal(problem('id', ''), undefined);
    assert.equal(problem('id', 'big blue'), undefined);
    assert.equal(problem('colour', 'green'), 'colour: one of "red", "blue" is expected, not "green"');
    assert.equal(problem('colour', 'red'), undefined);
  });
});

describe("Invoke's transient data prompt", () => {
  it("reads the JSON object as the CLI's --transient does: strings as UTF-8, base64: as bytes, objects as their JSON text; empty is none", () => {
    assert.equal(parseTransient('  '), undefined);
    const map = parseTransient('{"price":"100","asset_properties":{"color":"blue"},"raw":"base64:AAE="}');
    assert.deepEqual(map, { price: Buffer.from('100'), asset_properties: Buffer.from('{"color":"blue"}'), raw: Buffer.from([0, 1]) });
  });

  it('says what is wrong without quoting what was typed (it may be a secret)', () => {
    assert.throws(
      () => parseTransient('{"pin": s3cret}'),
      (err: Error) => /^transient data: not valid JSON/.test(err.message) && !err.message.includes('s3cret'),
    );
    assert.throws(() => parseTransient('["s3cret"]'), { message: /transient data: expected a JSON object of names to values, such as \{"price":"100"\}, not an array/ });
  });
});
