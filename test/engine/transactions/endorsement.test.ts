/**
 * The endorser's answer and the prepared transaction, read back with @hyperledger/fabric-protos as
 * a Fabric client or block listener reads them (core/endorser, gateway prepareTransaction).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, sign, verify } from 'crypto';
import { codecs } from '../../../src/engine/wire/codec';
import { generateP256 } from '../../../src/engine/crypto/p256Keys';
import { buildProposal, parseSignedProposal, computeTxId, MalformedProposalError } from '../../../src/engine/transactions/proposal';
import { endorse, transactionPayload } from '../../../src/engine/transactions/endorsement';

/* eslint-disable @typescript-eslint/no-explicit-any -- fabric-protos' google-protobuf classes, reached untyped */
const FP: any = require('@hyperledger/fabric-protos');

const creator = codecs.SerializedIdentity.encode({ mspid: 'Org1MSP', id_bytes: Buffer.from('-----BEGIN CERTIFICATE-----\nclient\n-----END CERTIFICATE-----\n') });
const peerIdentity = codecs.SerializedIdentity.encode({ mspid: 'Org1MSP', id_bytes: Buffer.from('-----BEGIN CERTIFICATE-----\npeer\n-----END CERTIFICATE-----\n') });
const keys = generateP256();
const signer = { mspId: 'Org1MSP', serialized: peerIdentity, sign: (m: Buffer) => sign('sha256', m, keys.privateKey) };

function sample() {
  const proposal = buildProposal({
    channel: 'mychannel',
    chaincodeName: 'basic',
    args: [Buffer.from('TransferAsset'), Buffer.from('asset1'), Buffer.from('Max')],
    transient: { secret: Buffer.from('never in the transaction') },
    isInit: false,
    creator,
  });
  const simulation = {
    response: { status: 200, message: '', payload: Buffer.from('{"ok":true}') },
    failure: null,
    event: { chaincodeId: 'basic', txId: proposal.txId, eventName: 'Transferred', payload: Buffer.from('asset1') },
    rwset: {
      reads: [{ channel: 'mychannel', chaincode: 'basic', collection: '', key: 'asset1', version: { blockNum: 3, txNum: 1 } }],
      writes: [{ channel: 'mychannel', chaincode: 'basic', collection: '', key: 'asset1', value: Buffer.from('{"Owner":"Max"}') }],
      metadataWrites: [],
    },
  };
  return { proposal, simulation };
}

describe('proposals, endorsements and prepared transactions (read back with fabric-protos)', () => {
  test('a built proposal parses back; txid = SHA-256(nonce ‖ creator); the hash leaves out the transient map', () => {
    const { proposal } = sample();
    const parsed = parseSignedProposal(proposal.signed);
    assert.equal(parsed.txId, computeTxId(parsed.nonce, parsed.creator));
    assert.deepEqual([parsed.channel, parsed.chaincodeName, parsed.args.map(String)], ['mychannel', 'basic', ['TransferAsset', 'asset1', 'Max']]);
    assert.equal(parsed.transient.secret.toString(), 'never in the transaction');
    assert.deepEqual(parsed.hash, proposal.hash);
    const fp = FP.peer.Proposal.deserializeBinary(proposal.signed.proposal_bytes);
    const header = FP.common.Header.deserializeBinary(fp.getHeader_asU8());
    const payloadForTx = new FP.peer.ChaincodeProposalPayload();
    payloadForTx.setInput(FP.peer.ChaincodeProposalPayload.deserializeBinary(fp.getPayload_asU8()).getInput_asU8());
    // protoutil.GetProposalHash1: channel header ‖ signature header ‖ payload without TransientMap.
    const expected = createHash('sha256').update(header.getChannelHeader_asU8()).update(header.getSignatureHeader_asU8()).update(payloadForTx.serializeBinary()).digest();
    assert.deepEqual(proposal.hash, expected);
  });

  test('malformed proposals are refused with a reason', () => {
    assert.throws(() => parseSignedProposal({ proposal_bytes: Buffer.alloc(0), signature: Buffer.alloc(0) }), MalformedProposalError);
    assert.throws(() => parseSignedProposal({ proposal_bytes: Buffer.from([0x0a, 0x05, 1]), signature: Buffer.alloc(0) }), /error unmarshalling Proposal/);
    const noChaincode = codecs.Proposal.encode({
      header: codecs.Header.encode({
        channel_header: codecs.ChannelHeader.encode({ type: 3, channel_id: 'c', tx_id: 't' }),
        signature_header: codecs.SignatureHeader.encode({ creator, nonce: Buffer.from('n') }),
      }),
    });
    assert.throws(() => parseSignedProposal({ proposal_bytes: noChaincode, signature: Buffer.alloc(0) }), /ChaincodeHeaderExtension.ChaincodeId is nil/);
  });

  test('the ProposalResponsePayload holds the proposal hash and a ChaincodeAction with the rwset, event, response and chaincode id', () => {
    const { proposal, simulation } = sample();
    const endorsed = endorse(proposal, simulation, '1.0', { serialized: peerIdentity, signer });
    const prp = FP.peer.ProposalResponsePayload.deserializeBinary(endorsed.payload);
    assert.deepEqual(Buffer.from(prp.getProposalHash_asU8()), proposal.hash);
    const action = FP.peer.ChaincodeAction.deserializeBinary(prp.getExtension_asU8());
    assert.equal(action.getResponse().getStatus(), 200);
    assert.equal(Buffer.from(action.getResponse().getPayload_asU8()).toString(), '{"ok":true}');
    assert.deepEqual([action.getChaincodeId().getName(), action.getChaincodeId().getVersion()], ['basic', '1.0']);
    const event = FP.peer.ChaincodeEvent.deserializeBinary(action.getEvents_asU8());
    assert.deepEqual([event.getChaincodeId(), event.getTxId(), event.getEventName()], ['basic', proposal.txId, 'Transferred']);
    const rwset = FP.ledger.rwset.TxReadWriteSet.deserializeBinary(action.getResults_asU8());
    const ns = rwset.getNsRwsetList()[0];
    const kv = FP.ledger.rwset.kvrwset.KVRWSet.deserializeBinary(ns.getRwset_asU8());
    assert.equal(ns.getNamespace(), 'basic');
    assert.deepEqual([kv.getReadsList()[0].getKey(), kv.getReadsList()[0].getVersion().getBlockNum(), kv.getReadsList()[0].getVersion().getTxNum()], ['asset1', 3, 1]);
    assert.equal(Buffer.from(kv.getWritesList()[0].getValue_asU8()).toString(), '{"Owner":"Max"}');
    // Endorsement{endorser, signature = Sign(prp ‖ endorser)} (default_endorsement.go).
    assert.ok(verify('sha256', Buffer.concat([endorsed.payload, peerIdentity]), keys.publicKey, endorsed.endorsement.signature));
  });

  test('the prepared transaction: the header verbatim, one action, the payload without transient data, endorsements de-duplicated', () => {
    const { proposal, simulation } = sample();
    const endorsed = endorse(proposal, simulation, '1.0', { serialized: peerIdentity, signer });
    const payloadBytes = transactionPayload(proposal, endorsed.payload, [endorsed.endorsement, endorsed.endorsement]);
    const payload = FP.common.Payload.deserializeBinary(payloadBytes);
    assert.deepEqual(Buffer.from(payload.getHeader().serializeBinary()), proposal.headerBytes);
    const channelHeader = FP.common.ChannelHeader.deserializeBinary(payload.getHeader().getChannelHeader_asU8());
    assert.deepEqual([channelHeader.getType(), channelHeader.getChannelId(), channelHeader.getTxId()], [3, 'mychannel', proposal.txId]);
    const tx = FP.peer.Transaction.deserializeBinary(payload.getData_asU8());
    assert.equal(tx.getActionsList().length, 1);
    const action = tx.getActionsList()[0];
    assert.deepEqual(Buffer.from(action.getHeader_asU8()), proposal.signatureHeaderBytes);
    const cap = FP.peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8());
    const cpp = FP.peer.ChaincodeProposalPayload.deserializeBinary(cap.getChaincodeProposalPayload_asU8());
    assert.equal(cpp.getTransientmapMap().getLength(), 0, 'the transient map never reaches the transaction');
    assert.deepEqual(Buffer.from(cap.getAction().getProposalResponsePayload_asU8()), endorsed.payload);
    assert.equal(cap.getAction().getEndorsementsList().length, 1);
    assert.ok(!payloadBytes.includes(Buffer.from('never in the transaction')));
  });
});
