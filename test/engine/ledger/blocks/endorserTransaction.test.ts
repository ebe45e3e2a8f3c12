/**
 * Endorser transactions assembled as Fabric does (protoutil, the default endorsement plugin, the
 * gateway's prepareTransaction), read back with fabric-protos along the path the fabric-gateway
 * Node client reads an Endorse response.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, sign, verify } from 'crypto';
import {
  decodeProposal,
  endorse,
  proposalHash,
  proposalPayloadForTx,
  proposalResponsePayload,
  transactionEnvelope,
} from '../../../../src/engine/ledger/blocks/endorserTransaction';
import { codecs } from '../../../../src/engine/wire/codec';
import { HeaderType } from '../../../../src/engine/wire/messages';

/* eslint-disable @typescript-eslint/no-explicit-any -- fabric-protos' google-protobuf classes, reached untyped */
const FP: any = require('@hyperledger/fabric-protos');

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** A client's proposal, with a transient map that must not reach the transaction. */
function clientProposal(): { proposalBytes: Buffer; channelHeader: Buffer; signatureHeader: Buffer; input: Buffer } {
  const channelHeader = codecs.ChannelHeader.encode({ type: HeaderType.ENDORSER_TRANSACTION, channel_id: 'mychannel', tx_id: 'ab'.repeat(32), timestamp: { seconds: 1_700_000_000, nanos: 5 } });
  const signatureHeader = codecs.SignatureHeader.encode({ creator: codecs.SerializedIdentity.encode({ mspid: 'Org1MSP', id_bytes: Buffer.from('-----BEGIN CERTIFICATE-----') }), nonce: Buffer.alloc(24, 7) });
  const input = codecs.ChaincodeInvocationSpec.encode({ chaincode_spec: { type: 2, chaincode_id: { name: 'basic' }, input: { args: [Buffer.from('CreateAsset'), Buffer.from('asset1')] } } });
  const payload = codecs.ChaincodeProposalPayload.encode({ input, TransientMap: { secret: Buffer.from('do not store me') } });
  const header = codecs.Header.encode({ channel_header: channelHeader, signature_header: signatureHeader });
  return { proposalBytes: codecs.Proposal.encode({ header, payload }), channelHeader, signatureHeader, input };
}

const action = {
  results: Buffer.from([0x12, 0x03, 0x0a, 0x01, 0x78]),
  event: { chaincode_id: 'basic', tx_id: 'ab'.repeat(32), event_name: 'CreateAsset', payload: Buffer.from('{"ID":"asset1"}') },
  response: { status: 200, payload: Buffer.from('done') },
  chaincodeId: { name: 'basic', version: '1.0' },
};

describe('endorser transaction', () => {
  test('the proposal hash covers channel header, signature header and the payload without its TransientMap', () => {
    const { proposalBytes, channelHeader, signatureHeader, input } = clientProposal();
    const cpp = new FP.peer.ChaincodeProposalPayload();
    cpp.setInput(input); // no transient map
    const expected = createHash('sha256').update(channelHeader).update(signatureHeader).update(cpp.serializeBinary()).digest();
    assert.equal(hex(proposalHash(decodeProposal(proposalBytes))), hex(expected));
    assert.equal(hex(proposalPayloadForTx(decodeProposal(proposalBytes).payload)), hex(cpp.serializeBinary()));
  });

  test('ProposalResponsePayload carries the ChaincodeAction (results, event, response, chaincode id)', () => {
    const proposal = decodeProposal(clientProposal().proposalBytes);
    const prp = FP.peer.ProposalResponsePayload.deserializeBinary(proposalResponsePayload(proposal, action));
    assert.equal(hex(prp.getProposalHash_asU8()), hex(proposalHash(proposal)));
    const ca = FP.peer.ChaincodeAction.deserializeBinary(prp.getExtension_asU8());
    assert.equal(hex(ca.getResults_asU8()), hex(action.results));
    const event = FP.peer.ChaincodeEvent.deserializeBinary(ca.getEvents_asU8());
    assert.deepEqual([event.getChaincodeId(), event.getTxId(), event.getEventName(), Buffer.from(event.getPayload_asU8()).toString()], ['basic', 'ab'.repeat(32), 'CreateAsset', '{"ID":"asset1"}']);
    assert.deepEqual([ca.getResponse().getStatus(), Buffer.from(ca.getResponse().getPayload_asU8()).toString()], [200, 'done']);
    assert.deepEqual([ca.getChaincodeId().getName(), ca.getChaincodeId().getVersion()], ['basic', '1.0']);
    const noEvent = FP.peer.ChaincodeAction.deserializeBinary(FP.peer.ProposalResponsePayload.deserializeBinary(proposalResponsePayload(proposal, { ...action, event: null })).getExtension_asU8());
    assert.equal(noEvent.getEvents_asU8().length, 0, 'no event: no bytes');
  });

  test('an endorsement signs prp ‖ endorser', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const endorser = codecs.SerializedIdentity.encode({ mspid: 'Org1MSP', id_bytes: Buffer.from('peer cert') });
    const prp = proposalResponsePayload(decodeProposal(clientProposal().proposalBytes), action);
    const e = endorse(prp, endorser, (m) => sign('sha256', m, privateKey));
    assert.equal(hex(e.endorser), hex(endorser));
    assert.ok(verify('sha256', Buffer.concat([prp, endorser]), publicKey, e.signature));
  });

  test('the envelope reads as the fabric-gateway client reads an Endorse response, and as a block holds it', () => {
    const { proposalBytes, channelHeader, signatureHeader, input } = clientProposal();
    const proposal = decodeProposal(proposalBytes);
    const prp = proposalResponsePayload(proposal, action);
    const e1 = { endorser: Buffer.from('peer0.org1'), signature: Buffer.from('s1') };
    const e2 = { endorser: Buffer.from('peer0.org2'), signature: Buffer.from('s2') };
    const again = { endorser: Buffer.from('peer0.org1'), signature: Buffer.from('another signature') };
    const envelope = FP.common.Envelope.deserializeBinary(transactionEnvelope(proposal, prp, [e1, e2, again]));
    assert.equal(envelope.getSignature_asU8().length, 0, 'unsigned: the client signs it');
    const payload = FP.common.Payload.deserializeBinary(envelope.getPayload_asU8());
    // The client's header, verbatim.
    assert.equal(hex(payload.getHeader().getChannelHeader_asU8()), hex(channelHeader));
    assert.equal(hex(payload.getHeader().getSignatureHeader_asU8()), hex(signatureHeader));
    assert.equal(FP.common.ChannelHeader.deserializeBinary(payload.getHeader().getChannelHeader_asU8()).getChannelId(), 'mychannel');
    const tx = FP.peer.Transaction.deserializeBinary(payload.getData_asU8());
    assert.equal(tx.getActionsList().length, 1);
    const [txAction] = tx.getActionsList();
    assert.equal(hex(txAction.getHeader_asU8()), hex(signatureHeader));
    const cap = FP.peer.ChaincodeActionPayload.deserializeBinary(txAction.getPayload_asU8());
    const cpp = FP.peer.ChaincodeProposalPayload.deserializeBinary(cap.getChaincodeProposalPayload_asU8());
    assert.equal(hex(cpp.getInput_asU8()), hex(input));
    assert.equal(cpp.getTransientmapMap().getLength(), 0, 'the transient map is not in the transaction');
    const endorsed = cap.getAction();
    assert.equal(hex(endorsed.getProposalResponsePayload_asU8()), hex(prp));
    assert.deepEqual(endorsed.getEndorsementsList().map((x: any) => Buffer.from(x.getSignature_asU8()).toString()), ['s1', 's2'], 'one endorsement per endorser, the first');
    // fabric-gateway node/src/transactionparser.ts: … → ProposalResponsePayload.extension → ChaincodeAction.response must be there.
    const ca = FP.peer.ChaincodeAction.deserializeBinary(FP.peer.ProposalResponsePayload.deserializeBinary(endorsed.getProposalResponsePayload_asU8()).getExtension_asU8());
    assert.ok(ca.getResponse(), 'Missing chaincode response');
    assert.equal(Buffer.from(ca.getResponse().getPayload_asU8()).toString(), 'done');
    // Signed, the signature is kept.
    assert.equal(Buffer.from(FP.common.Envelope.deserializeBinary(transactionEnvelope(proposal, prp, [e1], Buffer.from('client sig'))).getSignature_asU8()).toString(), 'client sig');
  });
});
