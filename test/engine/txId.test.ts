import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { isTxId, shortTxId, TXID_PATTERN, txIdInLine } from '../../src/engine/txId';

const TXID = createHash('sha256').update('nonce and creator').digest('hex');

describe('transaction ids', () => {
  test('a whole txid is 64 lowercase hex digits (protoutil.ComputeTxID)', () => {
    assert.equal(isTxId(TXID), true);
    assert.equal(isTxId(TXID.toUpperCase()), false);
    assert.equal(isTxId(TXID.slice(1)), false);
    assert.equal(isTxId(`${TXID}0`), false);
    assert.match(`"txId": "${TXID}"`, new RegExp(`"txId": "(${TXID_PATTERN})"`));
  });

  test('the short form is the 8 digits shims print', () => {
    assert.equal(shortTxId(TXID), TXID.slice(0, 8));
  });

  test('a log line names its transaction as the Node shim ([channel-xxxxxxxx]) or the Go shim ([xxxxxxxx]) prints it', () => {
    assert.equal(txIdInLine('info [c-api:lib/handler.js] [mychannel-1a2b3c4d] Calling chaincode Invoke()'), '1a2b3c4d');
    assert.equal(txIdInLine('2024-01-01 UTC [shim] handleTransaction -> DEBU [1a2b3c4d] Received TRANSACTION'), '1a2b3c4d');
    assert.equal(txIdInLine('no id here [not-hex]'), undefined);
    assert.equal(txIdInLine(`put asset1 in ${TXID.slice(0, 12)}`, [TXID]), TXID.slice(0, 8), 'a bare mention of a txid in flight');
    assert.equal(txIdInLine(`put asset1 in ${TXID.slice(0, 12)}`), undefined);
  });
});
