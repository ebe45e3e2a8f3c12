import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TransactionRecords } from '../../../src/engine/ledger/transactionRecords';
import type { TransactionRecord } from '../../../src/engine/ledger/types';
import { record } from './ledgerTestKit';

function rec(txId: string, chaincode = 'cc'): TransactionRecord {
  return { ...record(txId, { reads: [], writes: [], metadataWrites: [] }), chaincode, validation: 'VALID', blockNum: null };
}

describe('TransactionRecords', () => {
  test('a txId recorded again replaces its record, once, as the newest', () => {
    const records = new TransactionRecords(3);
    const first = rec('a');
    records.add(first);
    records.add(rec('b'));
    const again = rec('a', 'other');
    records.add(again);
    records.add(again); // the same object twice is still one record
    assert.deepEqual(
      records.list().map((r) => [r.txId, r.chaincode]),
      [
        ['a', 'other'],
        ['b', 'cc'],
      ],
    );
    assert.equal(records.get('a'), again);
    records.add(rec('c'));
    records.add(rec('d'));
    // Bounded to 3: 'b' was the oldest current record.
    assert.deepEqual(
      records.list().map((r) => r.txId),
      ['d', 'c', 'a'],
    );
    assert.deepEqual(
      records.all().map((r) => r.txId),
      ['a', 'c', 'd'],
    );
    assert.equal(records.get('b'), undefined);
  });

  test('stays bounded and ordered across many evictions', () => {
    const records = new TransactionRecords(100);
    for (let i = 0; i < 5000; i++) records.add(rec(`t${i}`));
    assert.deepEqual(
      records.list({ limit: 3 }).map((r) => r.txId),
      ['t4999', 't4998', 't4997'],
    );
    const all = records.all();
    assert.equal(all.length, 100);
    assert.equal(all[0]?.txId, 't4900');
    assert.equal(records.get('t4899'), undefined);
    assert.equal(records.get('t4900')?.txId, 't4900');
  });
});
