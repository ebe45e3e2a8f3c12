/**
 * The documents' titles (function and short txid) and the links from a key's history to its
 * transactions, found in the text the state key document renders.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { documentTitle, txIdMentions } from '../../../src/vscode/documents/historyLinks';
import { renderStateKey } from '../../../src/vscode/documents/render';

describe('documents: titles and history links', () => {
  it('are titled with the function and the short txid', () => {
    const txId = 'a1b2c3d4'.repeat(8);
    assert.equal(documentTitle('CreateAsset', txId), 'CreateAsset a1b2c3d4.json');
    assert.equal(documentTitle('Assets:Create/Bulk', txId), 'Assets:Create_Bulk a1b2c3d4.json', 'no path separator in a title');
    assert.equal(documentTitle('', txId), 'transaction a1b2c3d4.json');
  });

  it('each history entry of a key links to its transaction', () => {
    const t1 = '1'.repeat(64);
    const t2 = 'f'.repeat(64);
    const text = renderStateKey('mychannel', 'basic', 'asset1', { key: 'asset1', value: Buffer.from('{"Owner":"Max"}'), version: { blockNum: 2, txNum: 0 }, metadata: {} }, [
      { txId: t2, timestamp: 2_000, isDelete: false, value: Buffer.from('{"Owner":"Max"}'), version: { blockNum: 2, txNum: 0 } },
      { txId: t1, timestamp: 1_000, isDelete: false, value: Buffer.from('{"Owner":"Tom"}'), version: { blockNum: 1, txNum: 0 } },
    ]);
    const mentions = txIdMentions(text);
    assert.deepEqual(
      mentions.map((m) => m.txId),
      [t2, t1],
    );
    for (const m of mentions) assert.equal(text.slice(m.offset, m.offset + m.length), m.txId, 'the link covers the txid itself');
  });
});
