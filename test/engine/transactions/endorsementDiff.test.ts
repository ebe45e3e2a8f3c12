import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Simulation } from '../../../src/engine/peer/peer';
import type { ReadWriteSet } from '../../../src/engine/ledger/types';
import { endorsementDifferences } from '../../../src/engine/transactions/endorsementDiff';

const NS = { channel: 'mychannel', chaincode: 'basic' };

function sim(rwset: Partial<ReadWriteSet>, over: Partial<Simulation> = {}): Simulation {
  return {
    response: { status: 200, message: '', payload: Buffer.from('ok') },
    failure: null,
    event: null,
    rwset: { reads: [], writes: [], metadataWrites: [], ...rwset },
    ...over,
  };
}

describe('endorsement differences (Fabric gateway/diff.go vocabulary)', () => {
  test('identical simulations agree, whatever the order writes were made in (rwset_builder sorts them)', () => {
    const w1 = { ...NS, collection: '', key: 'a', value: Buffer.from('1') };
    const w2 = { ...NS, collection: '', key: 'b', value: Buffer.from('2') };
    assert.deepEqual(endorsementDifferences(sim({ writes: [w1, w2] }), sim({ writes: [w2, w1] })), []);
  });

  test('a random value written on each peer is a write value mismatch naming the key and both values', () => {
    const on = (v: string) => sim({ writes: [{ ...NS, collection: '', key: 'asset1', value: Buffer.from(v) }] });
    assert.deepEqual(endorsementDifferences(on('{"n":0.12}'), on('{"n":0.97}')), [
      { type: 'write value mismatch', namespace: 'basic', key: 'asset1', initial: '{"n":0.12}', invoked: '{"n":0.97}' },
    ]);
  });

  test('reads: a different version, an extraneous read and a missing one', () => {
    const r = (key: string, blockNum: number | null) => ({ ...NS, collection: '', key, version: blockNum === null ? null : { blockNum, txNum: 0 } });
    const diffs = endorsementDifferences(sim({ reads: [r('a', 1), r('b', 2)] }), sim({ reads: [r('a', 3), r('c', null)] }));
    assert.deepEqual(
      diffs.map((d) => [d.type, d.key, d.initial, d.invoked]),
      [
        ['read value mismatch', 'a', '{BlockNum: 1, TxNum: 0}', '{BlockNum: 3, TxNum: 0}'],
        ['missing read', 'b', '{BlockNum: 2, TxNum: 0}', null],
        ['extraneous read', 'c', null, '<nil>'],
      ],
    );
  });

  test('private writes are compared by hash; events, responses and SBE metadata are named', () => {
    const priv = (v: string) => ({ ...NS, collection: 'secret', key: 'k', value: Buffer.from(v) });
    const sbe = (v: string) => ({ ...NS, collection: '', key: 'k', metakey: 'VALIDATION_PARAMETER', value: Buffer.from(v) });
    const a = sim({ writes: [priv('x')], metadataWrites: [sbe('p1')] }, { event: { chaincodeId: 'basic', txId: 't', eventName: 'E', payload: Buffer.from('1') } });
    const b = sim({ writes: [priv('y')], metadataWrites: [sbe('p2')] }, { event: null, response: { status: 200, message: '', payload: Buffer.from('other') } });
    const types = endorsementDifferences(a, b).map((d) => d.type);
    assert.deepEqual(types, ['chaincode response mismatch', 'chaincode event mismatch', 'private collection hash mismatch', 'write metadata mismatch (SBE policy)']);
    const hashed = endorsementDifferences(a, b).find((d) => d.type === 'private collection hash mismatch');
    assert.match(hashed?.initial ?? '', /^sha256:[0-9a-f]{64}$/, 'the private value itself is never shown');
  });
});
