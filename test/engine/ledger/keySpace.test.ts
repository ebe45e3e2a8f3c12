import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { KeySpace, rangePage } from '../../../src/engine/ledger/keySpace';

function space(...keys: string[]): KeySpace {
  const s = new KeySpace();
  for (const key of keys) s.put({ key, value: Buffer.from(key), version: { blockNum: 1, txNum: 0 }, metadata: {} });
  return s;
}

const keysOf = (page: { rows: readonly { key: string }[] }) => page.rows.map((r) => r.key);

describe('range pages', () => {
  const s = space('', 'a', 'b', 'c', 'd', 'e');

  test('[start, end), with the next key as bookmark while more remain', () => {
    assert.deepEqual(keysOf(rangePage(s, 'b', 'e', undefined, 100)), ['b', 'c', 'd']);
    const first = rangePage(s, 'b', 'e', { pageSize: 2 }, 100);
    assert.deepEqual([keysOf(first), first.bookmark], [['b', 'c'], 'd']);
    const second = rangePage(s, 'b', 'e', { pageSize: 2, bookmark: first.bookmark }, 100);
    assert.deepEqual([keysOf(second), second.bookmark], [['d'], '']);
    assert.deepEqual(keysOf(rangePage(s, '', '', undefined, 3)), ['', 'a', 'b'], 'an unpaginated scan stops at the total query limit');
  });

  test('a bookmark before the start key starts the scan there, as Fabric does (core/chaincode/handler.go HandleGetStateByRange: startKey = metadata.Bookmark)', () => {
    assert.deepEqual(keysOf(rangePage(s, 'c', 'e', { pageSize: 10, bookmark: 'a' }, 100)), ['a', 'b', 'c', 'd']);
    assert.deepEqual(keysOf(rangePage(s, 'c', 'e', { pageSize: 0, bookmark: 'b' }, 100)), ['b', 'c', 'd']);
    assert.deepEqual(keysOf(rangePage(s, 'a', 'c', { pageSize: 10, bookmark: 'd' }, 100)), [], 'a bookmark at or past the end key reads nothing');
  });
});

describe('keys by the block that last wrote them (blockToLive)', () => {
  const at = (key: string, blockNum: number) => ({ key, value: Buffer.from(key), version: { blockNum, txNum: 0 }, metadata: {} });

  test('a rewrite moves a key to its new block, a removal drops it; entries loaded out of block order are still found in order', () => {
    const s = new KeySpace({ indexBlocks: true });
    // A snapshot loads entries in key order, not block order.
    for (const [key, block] of [
      ['a', 7],
      ['b', 2],
      ['c', 5],
      ['d', 2],
    ] as const)
      s.put(at(key, block));
    assert.deepEqual(s.keysWrittenThrough(1), []);
    assert.deepEqual(s.keysWrittenThrough(5), ['b', 'd', 'c']);
    s.put(at('b', 8));
    s.remove('d');
    assert.deepEqual(s.keysWrittenThrough(7), ['c', 'a']);
    assert.deepEqual(s.keysWrittenThrough(8), ['c', 'a', 'b']);
    assert.throws(() => new KeySpace().keysWrittenThrough(1), /does not index keys by block/);
  });
});
