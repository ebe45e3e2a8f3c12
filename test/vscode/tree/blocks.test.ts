/** The Blocks view's model: channels with their height, blocks newest first, invalid transactions counted. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BLOCK_LIMIT, blockNodes } from '../../../src/vscode/tree/blocks/model';
import { TxValidationCode } from '../../../src/engine/wire/messages';

describe('Blocks view model', () => {
  it('lists each channel with its height and its blocks newest first; a block with an invalid transaction is flagged', () => {
    const codes: Record<number, number[]> = { 0: [TxValidationCode.VALID], 1: [TxValidationCode.VALID], 2: [TxValidationCode.VALID, TxValidationCode.MVCC_READ_CONFLICT] };
    const [channel] = blockNodes([{ channel: 'mychannel', height: 3, validationCodes: (n) => codes[n] }]);
    assert.equal(channel.label, 'mychannel');
    assert.equal(channel.description, 'height 3');
    assert.deepEqual(
      channel.children?.map((b) => [b.label, b.description, b.icon?.id]),
      [
        ['Block 2', '2 transactions, 1 invalid', 'warning'],
        ['Block 1', '1 transaction', 'package'],
        ['Block 0 (genesis)', '1 transaction', 'package'],
      ],
    );
    assert.deepEqual(channel.children?.[0].command, { command: 'chaincode.openBlock', title: 'Open Block', arguments: [{ kind: 'block', channel: 'mychannel', number: 2 }] });
  });

  it(`shows the newest ${BLOCK_LIMIT} blocks of a long chain`, () => {
    const [channel] = blockNodes([{ channel: 'c', height: BLOCK_LIMIT + 50, validationCodes: () => [TxValidationCode.VALID] }]);
    assert.equal(channel.children?.length, BLOCK_LIMIT);
    assert.equal(channel.children?.[0].label, `Block ${BLOCK_LIMIT + 49}`);
    assert.equal(channel.children?.at(-1)?.label, 'Block 50');
  });
});
