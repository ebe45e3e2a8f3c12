import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFrames, writeFrame } from '../../../src/engine/ledger/frames';
import { compareKeys, SortedKeys } from '../../../src/engine/ledger/keyOrder';
import { ByteWriter, decodeValue } from '../../../src/engine/ledger/valueCodec';

/** A deterministic generator so failures reproduce. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x80000000;
  };
}

const ALPHABET = ['a', 'b', 'z', '\u0000', '\u0001', '~', 'é', '\uFFFD', '\uE000', '\u{1F600}', '\u{10FFFF}', '中'];

function randomKey(next: () => number): string {
  let key = '';
  const n = Math.floor(next() * 5);
  for (let i = 0; i < n; i++) key += ALPHABET[Math.floor(next() * ALPHABET.length)];
  return key;
}

describe('key order', () => {
  test('compareKeys agrees with UTF-8 byte order (Fabric’s), unlike UTF-16 order', () => {
    const next = random(7);
    for (let i = 0; i < 5000; i++) {
      const a = randomKey(next);
      const b = randomKey(next);
      assert.equal(Math.sign(compareKeys(a, b)), Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b))), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    }
    assert.ok('\uFFFD' > '\u{10FFFF}', 'UTF-16 order differs here');
    assert.ok(compareKeys('\uFFFD', '\u{10FFFF}') < 0);
  });

  test('SortedKeys stays sorted through random inserts and removes, and scans ranges', () => {
    const next = random(11);
    const set = new SortedKeys();
    const model = new Set<string>();
    for (let i = 0; i < 20000; i++) {
      const key = `${randomKey(next)}${Math.floor(next() * 300)}`;
      if (model.has(key)) {
        set.remove(key);
        model.delete(key);
      } else {
        set.insert(key);
        model.add(key);
      }
    }
    const sorted = [...model].sort(compareKeys);
    assert.equal(set.size, model.size);
    assert.deepEqual([...set.from('')], sorted);
    for (let i = 0; i < 50; i++) {
      const [lo, hi] = [randomKey(next), randomKey(next)].sort(compareKeys);
      const expected = sorted.filter((k) => compareKeys(k, lo) >= 0 && (hi === '' || compareKeys(k, hi) < 0));
      assert.deepEqual([...set.from(lo, hi)], expected, `[${JSON.stringify(lo)}, ${JSON.stringify(hi)})`);
    }
  });
});

describe('value codec and frames', () => {
  test('values round-trip with their types', () => {
    const value = {
      n: [0, 1, 127, 128, 2 ** 53 - 1, -5, -(2 ** 40), 1.5, -0, NaN, Infinity],
      s: ['', 'ascii', 'é中\u{1F600}', 'x'.repeat(1000), '\u0000key\u0000'],
      b: [Buffer.alloc(0), Buffer.from([0, 255, 7])],
      misc: [null, true, false, { nested: { deep: [] } }],
      missing: undefined,
    };
    const w = new ByteWriter(4);
    w.value(value);
    const back = decodeValue(Buffer.from(w.bytes())) as typeof value;
    assert.deepEqual(back, value);
    assert.ok(Object.is(back.n[8], -0));
    assert.ok(Buffer.isBuffer(back.b[1]));
    const lenient = new ByteWriter();
    lenient.value({ f: () => 1, big: 10n, huge: 2n ** 70n });
    assert.deepEqual(decodeValue(Buffer.from(lenient.bytes())), { f: undefined, big: 10, huge: '1180591620717411303424' });
  });

  test('frames stop at a torn or corrupted frame', () => {
    const w = new ByteWriter();
    writeFrame(w, { t: 'one' });
    writeFrame(w, { t: 'two', data: Buffer.alloc(100, 1) });
    const bytes = Buffer.from(w.bytes());
    const whole = readFrames(bytes);
    assert.deepEqual(
      whole.values.map((v) => (v as { t: string }).t),
      ['one', 'two'],
    );
    assert.equal(whole.validLength, bytes.length);
    const torn = readFrames(bytes.subarray(0, bytes.length - 1));
    assert.equal(torn.values.length, 1);
    const firstLength = torn.validLength;
    const flipped = Buffer.from(bytes);
    flipped[bytes.length - 10] ^= 1;
    assert.equal(readFrames(flipped).validLength, firstLength);
    assert.equal(readFrames(Buffer.concat([bytes.subarray(0, firstLength), Buffer.alloc(64)])).validLength, firstLength, 'zero fill');
  });
});
