/**
 * Blocks as Fabric builds them: header hashes checked against an independent ASN.1 encoder
 * (asn1js) and a hand-assembled DER golden, data hashes, the five metadata slots, and the whole
 * block read back by fabric-protos.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, sign, verify } from 'crypto';
import * as asn1js from 'asn1js';
import * as fc from 'fast-check';
import { blockDataHash, blockHeaderBytes, blockHeaderHash } from '../../../../src/engine/ledger/blocks/blockHash';
import { buildBlock, buildGenesisBlock, MalformedBlockError, summarizeBlock, txIdOfEnvelope, txValidationCodeOf } from '../../../../src/engine/ledger/blocks/blockBuilder';
import { codecs } from '../../../../src/engine/wire/codec';
import { generateP256 } from '../../../../src/engine/crypto/p256Keys';
import { HeaderType, TxValidationCode } from '../../../../src/engine/wire/messages';

/* eslint-disable @typescript-eslint/no-explicit-any -- fabric-protos' google-protobuf classes, reached untyped */
const FP: any = require('@hyperledger/fabric-protos');

const sha = (b: Uint8Array): Buffer => createHash('sha256').update(b).digest();
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** The header DER by asn1js, a library that shares no code with ours. */
function asn1jsHeaderBytes(number: bigint, previousHash: Uint8Array, dataHash: Uint8Array): Buffer {
  const seq = new asn1js.Sequence({
    value: [asn1js.Integer.fromBigInt(number), new asn1js.OctetString({ valueHex: previousHash }), new asn1js.OctetString({ valueHex: dataHash })],
  });
  return Buffer.from(seq.toBER());
}

function envelope(txId: string, channel = 'mychannel'): Buffer {
  const channelHeader = codecs.ChannelHeader.encode({ type: HeaderType.ENDORSER_TRANSACTION, channel_id: channel, tx_id: txId });
  const payload = codecs.Payload.encode({ header: { channel_header: channelHeader, signature_header: Buffer.from('sh') }, data: Buffer.from(`tx ${txId}`) });
  return codecs.Envelope.encode({ payload, signature: Buffer.from('sig') });
}

describe('block hashes (protoutil BlockHeaderHash, BlockDataHash)', () => {
  test('golden: block 0 with no previous hash is SEQUENCE (39 bytes){INTEGER 0, OCTET STRING "", OCTET STRING <32 bytes>}', () => {
    const dataHash = Buffer.alloc(32, 0xab);
    assert.equal(hex(blockHeaderBytes({ number: 0, previousHash: Buffer.alloc(0), dataHash })), '3027' + '020100' + '0400' + '0420' + 'ab'.repeat(32));
    // 128 needs a leading zero byte (the top bit would make it negative); 256 needs two bytes.
    assert.equal(hex(blockHeaderBytes({ number: 128, previousHash: Buffer.alloc(0), dataHash: Buffer.alloc(0) })).slice(0, 12), '3008' + '02020080');
    assert.equal(hex(blockHeaderBytes({ number: 256, previousHash: Buffer.alloc(0), dataHash: Buffer.alloc(0) })).slice(0, 12), '3008' + '02020100');
  });

  test('the header DER equals asn1js’s, for edge numbers and random ones, up to 2^64 - 1', () => {
    const edges = [0n, 1n, 127n, 128n, 255n, 256n, 32767n, 32768n, 2n ** 31n, 2n ** 53n - 1n, 2n ** 63n - 1n, 2n ** 63n, 2n ** 64n - 1n];
    const hash32 = fc.uint8Array({ minLength: 32, maxLength: 32 });
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(...edges), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })), fc.oneof(fc.constant(new Uint8Array()), hash32), hash32, (n, prev, data) => {
        const ours = blockHeaderBytes({ number: n, previousHash: prev, dataHash: data });
        assert.equal(hex(ours), hex(asn1jsHeaderBytes(n, prev, data)));
        assert.equal(hex(blockHeaderHash({ number: n, previousHash: prev, dataHash: data })), hex(sha(ours)));
      }),
      { numRuns: 300, seed: 0xb10c },
    );
    // Long hashes need the long form of the DER length (0x81 nn).
    const long = Buffer.alloc(200, 7);
    assert.equal(hex(blockHeaderBytes({ number: 5, previousHash: long, dataHash: long })), hex(asn1jsHeaderBytes(5n, long, long)));
    assert.throws(() => blockHeaderBytes({ number: 2n ** 64n, previousHash: long, dataHash: long }), RangeError);
  });

  test('the data hash is SHA-256 of the envelopes concatenated, without lengths', () => {
    const data = [Buffer.from('ab'), Buffer.from('c'), Buffer.alloc(0), Buffer.from('def')];
    assert.equal(hex(blockDataHash(data)), hex(sha(Buffer.from('abcdef'))));
    assert.equal(hex(blockDataHash([])), hex(sha(Buffer.alloc(0))));
  });
});

describe('block builder', () => {
  const transactions = [
    { envelope: envelope('tx-a'), validationCode: TxValidationCode.VALID },
    { envelope: envelope('tx-b'), validationCode: TxValidationCode.MVCC_READ_CONFLICT },
    { envelope: Buffer.from([0xff, 0x01]), validationCode: TxValidationCode.BAD_PAYLOAD },
  ];

  test('fabric-protos reads header, data, the five metadata slots and the transactions filter', () => {
    const previousHash = Buffer.alloc(32, 3);
    const built = buildBlock({ number: 7, previousHash, transactions, lastConfig: 0 });
    const block = FP.common.Block.deserializeBinary(built.bytes);
    const header = block.getHeader();
    assert.equal(header.getNumber(), 7);
    assert.equal(hex(header.getPreviousHash_asU8()), hex(previousHash));
    assert.equal(hex(header.getDataHash_asU8()), hex(sha(Buffer.concat(transactions.map((t) => t.envelope)))));
    assert.deepEqual(
      block.getData().getDataList_asU8().map(hex),
      transactions.map((t) => hex(t.envelope)),
    );
    const metadata = block.getMetadata().getMetadataList_asU8();
    assert.equal(metadata.length, 5, 'SIGNATURES, LAST_CONFIG, TRANSACTIONS_FILTER, ORDERER, COMMIT_HASH');
    assert.deepEqual([...metadata[FP.common.BlockMetadataIndex.TRANSACTIONS_FILTER]], [0, 11, 2]);
    const signatures = FP.common.Metadata.deserializeBinary(metadata[FP.common.BlockMetadataIndex.SIGNATURES]);
    assert.equal(signatures.getSignaturesList().length, 0);
    const ordererMetadata = FP.common.OrdererBlockMetadata.deserializeBinary(signatures.getValue_asU8());
    assert.ok(ordererMetadata.hasLastConfig(), 'protoutil.GetLastConfigIndexFromBlock reads last_config from SIGNATURES');
    assert.equal(ordererMetadata.getLastConfig().getIndex(), 0);
    assert.equal(hex(metadata[FP.common.BlockMetadataIndex.SIGNATURES]), '0a020a00', 'Metadata{value: OrdererBlockMetadata{last_config: {}}}');
    assert.equal(metadata[FP.common.BlockMetadataIndex.LAST_CONFIG].length, 0, 'Metadata{value: LastConfig{index: 0}} marshals to nothing');
    assert.equal(metadata[FP.common.BlockMetadataIndex.ORDERER].length, 0);
    assert.equal(metadata[FP.common.BlockMetadataIndex.COMMIT_HASH].length, 0);
    assert.equal(hex(built.headerHash), hex(sha(asn1jsHeaderBytes(7n, previousHash, built.dataHash))));
    assert.deepEqual(built.transactions, [
      { txId: 'tx-a', validationCode: TxValidationCode.VALID },
      { txId: 'tx-b', validationCode: TxValidationCode.MVCC_READ_CONFLICT },
      { txId: '', validationCode: TxValidationCode.BAD_PAYLOAD },
    ]);
    const lastConfig5 = FP.common.Metadata.deserializeBinary(
      FP.common.Block.deserializeBinary(buildBlock({ number: 9, previousHash, transactions, lastConfig: 5 }).bytes)
        .getMetadata()
        .getMetadataList_asU8()[1],
    );
    assert.equal(FP.common.LastConfig.deserializeBinary(lastConfig5.getValue_asU8()).getIndex(), 5);
  });

  test('blocks chain: each previous_hash is the header hash of the block before', () => {
    let previous = buildGenesisBlock({ channelId: 'mychannel' });
    for (let n = 1; n <= 5; n++) {
      const block = buildBlock({ number: n, previousHash: previous.headerHash, transactions: [{ envelope: envelope(`t${n}`), validationCode: TxValidationCode.VALID }] });
      const theirs = FP.common.Block.deserializeBinary(block.bytes).getHeader();
      const prevHeader = FP.common.Block.deserializeBinary(previous.bytes).getHeader();
      assert.equal(
        hex(theirs.getPreviousHash_asU8()),
        hex(sha(asn1jsHeaderBytes(BigInt(prevHeader.getNumber()), prevHeader.getPreviousHash_asU8(), prevHeader.getDataHash_asU8()))),
      );
      previous = block;
    }
  });

  test('a signer signs value ‖ signature_header ‖ header bytes, as the orderer’s block writer does', () => {
    const { privateKey, publicKey } = generateP256();
    const identity = codecs.SerializedIdentity.encode({ mspid: 'OrdererMSP', id_bytes: Buffer.from('cert') });
    const built = buildBlock({ number: 1, previousHash: Buffer.alloc(32), transactions, signer: { identity, sign: (m) => sign('sha256', m, privateKey) } });
    const block = FP.common.Block.deserializeBinary(built.bytes);
    const metadata = FP.common.Metadata.deserializeBinary(block.getMetadata().getMetadataList_asU8()[0]);
    const [signature] = metadata.getSignaturesList();
    const signatureHeader = FP.common.SignatureHeader.deserializeBinary(signature.getSignatureHeader_asU8());
    assert.equal(hex(signatureHeader.getCreator_asU8()), hex(identity));
    assert.equal(signatureHeader.getNonce_asU8().length, 24);
    const header = block.getHeader();
    const message = Buffer.concat([metadata.getValue_asU8(), signature.getSignatureHeader_asU8(), asn1jsHeaderBytes(1n, header.getPreviousHash_asU8(), header.getDataHash_asU8())]);
    assert.ok(verify('sha256', message, publicKey, signature.getSignature_asU8()));
  });

  test('genesis block: one unsigned CONFIG envelope, tx_id = hex(SHA-256(nonce)), whole-second timestamp', () => {
    const nonce = Buffer.alloc(24, 9);
    const genesis = buildGenesisBlock({ channelId: 'mychannel', timestampMs: 1_700_000_000_999, nonce });
    assert.equal(genesis.number, 0);
    assert.equal(genesis.previousHash.length, 0);
    const block = FP.common.Block.deserializeBinary(genesis.bytes);
    const env = FP.common.Envelope.deserializeBinary(block.getData().getDataList_asU8()[0]);
    assert.equal(env.getSignature_asU8().length, 0);
    const payload = FP.common.Payload.deserializeBinary(env.getPayload_asU8());
    const channelHeader = FP.common.ChannelHeader.deserializeBinary(payload.getHeader().getChannelHeader_asU8());
    assert.equal(channelHeader.getType(), FP.common.HeaderType.CONFIG);
    assert.equal(channelHeader.getChannelId(), 'mychannel');
    assert.equal(channelHeader.getTimestamp().getSeconds(), 1_700_000_000);
    assert.equal(channelHeader.getTimestamp().getNanos(), 0);
    assert.equal(channelHeader.getTxId(), sha(nonce).toString('hex'));
    assert.equal(hex(FP.common.SignatureHeader.deserializeBinary(payload.getHeader().getSignatureHeader_asU8()).getNonce_asU8()), hex(nonce));
    assert.deepEqual([...block.getMetadata().getMetadataList_asU8()[2]], [0]);
    assert.equal(hex(buildGenesisBlock({ channelId: 'mychannel', timestampMs: 1_700_000_000_999, nonce }).bytes), hex(genesis.bytes), 'deterministic given nonce and time');
  });

  test('summarizeBlock reads back what buildBlock made; bad bytes give MalformedBlockError', () => {
    const built = buildBlock({ number: 3, previousHash: Buffer.alloc(32, 1), transactions });
    assert.deepEqual(summarizeBlock(built.bytes), built);
    assert.throws(() => summarizeBlock(Buffer.from([0x0a, 0x05, 0x01])), MalformedBlockError);
    assert.throws(() => summarizeBlock(codecs.Block.encode({ data: { data: [] } })), /no header/);
    // A block without a filter (as an orderer delivers it): transactions are NOT_VALIDATED.
    const unfiltered = codecs.Block.encode({ header: { number: 4, data_hash: Buffer.alloc(32) }, data: { data: [envelope('x')] } });
    assert.deepEqual(summarizeBlock(unfiltered).transactions, [{ txId: 'x', validationCode: TxValidationCode.NOT_VALIDATED }]);
  });

  test('txIdOfEnvelope and txValidationCodeOf', () => {
    assert.equal(txIdOfEnvelope(envelope('abc')), 'abc');
    assert.equal(txIdOfEnvelope(Buffer.from('not an envelope at all')), '');
    assert.equal(txValidationCodeOf('VALID'), 0);
    assert.equal(txValidationCodeOf('MVCC_READ_CONFLICT'), 11);
    assert.equal(txValidationCodeOf('ENDORSEMENT_POLICY_FAILURE'), 10);
    assert.equal(txValidationCodeOf('NOT_COMMITTED'), 254);
  });
});
