/**
 * Reading blocks back: transactions with headers, actions and events; the FilteredBlock of
 * DeliverFiltered (core/peer/deliverevents.go toFilteredBlock), read by fabric-protos; the events
 * ChaincodeEvents serves (valid transactions only).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildBlock, buildGenesisBlock } from '../../../../src/engine/ledger/blocks/blockBuilder';
import { filteredBlockOf, readBlock, validChaincodeEvents } from '../../../../src/engine/ledger/blocks/blockReader';
import { endorse, transactionPayload } from '../../../../src/engine/transactions/endorsement';
import { buildProposal } from '../../../../src/engine/transactions/proposal';
import { decodeReadWriteSet } from '../../../../src/engine/ledger/blocks/rwsetEncoding';
import { codecs } from '../../../../src/engine/wire/codec';
import { HeaderType, TxValidationCode } from '../../../../src/engine/wire/messages';

/* eslint-disable @typescript-eslint/no-explicit-any -- fabric-protos' google-protobuf classes, reached untyped */
const FP: any = require('@hyperledger/fabric-protos');

const creator = codecs.SerializedIdentity.encode({ mspid: 'Org1MSP', id_bytes: Buffer.from('cert') });

function transaction(txId: string, chaincode: string, eventName: string | null, key: string): Buffer {
  const proposal = buildProposal({ channel: 'mychannel', chaincodeName: chaincode, args: [], transient: {}, isInit: false, creator, txId, timestampMs: 1_700_000_001_250 });
  const simulation = {
    response: { status: 200, message: 'OK', payload: Buffer.alloc(0) },
    failure: null,
    event: eventName ? { chaincodeId: chaincode, txId, eventName, payload: Buffer.from(`payload of ${txId}`) } : null,
    rwset: { reads: [], writes: [{ channel: 'mychannel', chaincode, collection: '', key, value: Buffer.from('v') }], metadataWrites: [] },
  };
  const peer = { mspId: 'Org1MSP', serialized: Buffer.from('peer'), sign: () => Buffer.from('sig') };
  const endorsed = endorse(proposal, simulation, '1', { serialized: peer.serialized, signer: peer });
  return codecs.Envelope.encode({ payload: transactionPayload(proposal, endorsed.payload, [endorsed.endorsement]), signature: Buffer.from('client signature') });
}

const genesis = buildGenesisBlock({ channelId: 'mychannel' });
const block = buildBlock({
  number: 1,
  previousHash: genesis.headerHash,
  transactions: [
    { envelope: transaction('tx-valid', 'basic', 'Created', 'k1'), validationCode: TxValidationCode.VALID },
    { envelope: transaction('tx-mvcc', 'basic', 'Created', 'k2'), validationCode: TxValidationCode.MVCC_READ_CONFLICT },
    { envelope: Buffer.from('garbage, not an envelope'), validationCode: TxValidationCode.BAD_PAYLOAD },
    { envelope: transaction('tx-other', 'other', 'Moved', 'k3'), validationCode: TxValidationCode.VALID },
    { envelope: transaction('tx-quiet', 'basic', null, 'k4'), validationCode: TxValidationCode.VALID },
  ],
});

describe('block reader', () => {
  test('readBlock: headers, validation codes, actions, events and read-write sets; bad envelopes reported', () => {
    const view = readBlock(block.bytes);
    assert.equal(view.number, 1);
    assert.ok(view.previousHash.equals(genesis.headerHash));
    assert.deepEqual(
      view.transactions.map((t) => t.validationCode),
      [0, 11, 2, 0, 0],
    );
    const [valid, , bad] = view.transactions;
    assert.deepEqual(valid.header && { ...valid.header, creator: valid.header.creator.toString('hex') }, {
      type: HeaderType.ENDORSER_TRANSACTION,
      channelId: 'mychannel',
      txId: 'tx-valid',
      timestampMs: 1_700_000_001_250,
      creator: creator.toString('hex'),
    });
    assert.equal(valid.parseError, null);
    assert.equal(valid.actions.length, 1);
    const action = valid.actions[0];
    assert.deepEqual(action.chaincodeId, { name: 'basic', version: '1' });
    assert.deepEqual({ ...action.response, payload: action.response.payload.toString() }, { status: 200, message: 'OK', payload: '' });
    assert.deepEqual(action.event && { ...action.event, payload: action.event.payload.toString() }, {
      chaincodeId: 'basic',
      txId: 'tx-valid',
      eventName: 'Created',
      payload: 'payload of tx-valid',
    });
    assert.deepEqual(action.endorsers.map(String), ['peer']);
    assert.deepEqual(
      decodeReadWriteSet('mychannel', action.results).writes.map((w) => w.key),
      ['k1'],
    );
    assert.equal(bad.header, null);
    assert.match(bad.parseError ?? '', /./);
    const config = readBlock(genesis.bytes).transactions[0];
    assert.equal(config.header?.type, HeaderType.CONFIG);
    assert.deepEqual(config.actions, []);
  });

  test('filteredBlockOf: what DeliverFiltered sends, read by fabric-protos (event payloads left out)', () => {
    const filtered = FP.peer.FilteredBlock.deserializeBinary(codecs.FilteredBlock.encode(filteredBlockOf(block.bytes)));
    assert.equal(filtered.getNumber(), 1);
    assert.equal(filtered.getChannelId(), 'mychannel');
    const txs = filtered.getFilteredTransactionsList();
    assert.deepEqual(
      txs.map((t: any) => [t.getTxid(), t.getType(), t.getTxValidationCode()]),
      [
        ['tx-valid', 3, 0],
        ['tx-mvcc', 3, 11],
        ['tx-other', 3, 0],
        ['tx-quiet', 3, 0],
      ],
    );
    const events = txs.map((t: any) =>
      t
        .getTransactionActions()
        .getChaincodeActionsList()
        .map((a: any) => {
          const e = a.getChaincodeEvent();
          return [e.getChaincodeId(), e.getTxId(), e.getEventName(), e.getPayload_asU8().length];
        }),
    );
    assert.deepEqual(events, [[['basic', 'tx-valid', 'Created', 0]], [['basic', 'tx-mvcc', 'Created', 0]], [['other', 'tx-other', 'Moved', 0]], []]);
    const genesisFiltered = FP.peer.FilteredBlock.deserializeBinary(codecs.FilteredBlock.encode(filteredBlockOf(genesis.bytes)));
    assert.equal(genesisFiltered.getFilteredTransactionsList()[0].getType(), HeaderType.CONFIG);
    assert.equal(genesisFiltered.getFilteredTransactionsList()[0].hasTransactionActions(), false, 'a config transaction has no actions');
  });

  test('validChaincodeEvents: events of valid transactions only, optionally of one chaincode', () => {
    const view = readBlock(block.bytes);
    assert.deepEqual(
      validChaincodeEvents(view).map((e) => [e.txIndex, e.event.txId]),
      [
        [0, 'tx-valid'],
        [3, 'tx-other'],
      ],
    );
    assert.deepEqual(
      validChaincodeEvents(view, 'basic').map((e) => e.event.eventName),
      ['Created'],
    );
    assert.deepEqual(validChaincodeEvents(view, 'nothing'), []);
  });
});
