import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LineSplitter, stripAnsi } from '../../../src/engine/util/lines';

describe('LineSplitter', () => {
  test('splits across chunks, drops CR, delivers the partial last line on flush', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((l) => lines.push(l));
    splitter.push(Buffer.from('one\r\ntw'));
    splitter.push(Buffer.from('o\nthree'));
    assert.deepEqual(lines, ['one', 'two']);
    splitter.flush();
    assert.deepEqual(lines, ['one', 'two', 'three']);
  });

  test('a multi-byte character split between chunks survives', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((l) => lines.push(l));
    const bytes = Buffer.from('héllo ✓\n');
    splitter.push(bytes.subarray(0, 2));
    splitter.push(bytes.subarray(2, 9));
    splitter.push(bytes.subarray(9));
    assert.deepEqual(lines, ['héllo ✓']);
  });
});

describe('stripAnsi', () => {
  test('drops colour and cursor codes, keeps the text', () => {
    assert.equal(stripAnsi('\u001b[32minfo\u001b[39m: ready \u001b[2K\u001b[1Gdone'), 'info: ready done');
  });
});
