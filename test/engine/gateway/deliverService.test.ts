/**
 * protos.Deliver: block events with the real Node client (getBlockEvents, getFilteredBlockEvents,
 * getBlockAndPrivateDataEvents), decoded with fabric-protos; and the seek semantics of Fabric's
 * deliver handler (common/deliver/deliver.go) over a raw stream: a stop position, then a status;
 * FAIL_IF_NOT_READY beyond the height; start after stop; a bad signature; an unknown channel.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { randomBytes, sign } from 'crypto';
import type { common, peer as peerProtos } from '@hyperledger/fabric-protos';
import type { CloseableAsyncIterable, Contract, Network } from '@hyperledger/fabric-gateway';
import { blockHeaderHash } from '../../../src/engine/ledger/blocks/blockHash';
import { generateP256 } from '../../../src/engine/crypto/p256Keys';
import type { SigningIdentity } from '../../../src/engine/msp';
import { codecs, timestampOf } from '../../../src/engine/wire/codec';
import { HeaderType, SeekBehavior, Status, TxValidationCode, type SeekPosition } from '../../../src/engine/wire/messages';
import { DELIVER_SERVICE } from '../../../src/engine/wire/services';
import { grpcClient } from '../../support/gatewayClient';
import { startLowLevelFixture } from '../../support/nodeChaincode';
import { startGatewayPeer, type GatewayPeer } from '../../support/gatewayPeer';

async function take<T>(items: CloseableAsyncIterable<T>, n: number, timeoutMs = 10_000): Promise<T[]> {
  const out: T[] = [];
  const iterator = items[Symbol.asyncIterator]();
  const timer = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`only ${out.length} of ${n} within ${timeoutMs} ms`)), timeoutMs));
  while (out.length < n) {
    const next = await Promise.race([iterator.next(), timer]);
    if (next.done) throw new Error(`the stream ended after ${out.length} of ${n}`);
    out.push(next.value);
  }
  return out;
}

describe('Deliver: block events', { timeout: 180_000 }, () => {
  let peer: GatewayPeer;
  let network: Network;
  let contract: Contract;
  let user: SigningIdentity;
  let client: grpc.Client;

  before(async () => {
    peer = await startGatewayPeer();
    network = peer.connect().gateway.getNetwork('mychannel');
    contract = network.getContract('basic');
    await contract.submitTransaction('InitLedger');
    await contract.submitTransaction('TransferAsset', 'asset1', 'Omar');
    user = await peer.engine.gateway!.org.organization.identity('User1');
    client = grpcClient(peer.cryptoPath, peer.port);
  });

  after(async () => {
    client?.close();
    await peer?.stop();
  });

  test('getBlockEvents from block 0: the chain as stored, hashes linked, transactions marked valid', async () => {
    const events = await network.getBlockEvents({ startBlock: 0n });
    try {
      const blocks = await take<common.Block>(events, 3);
      assert.deepEqual(
        blocks.map((b) => b.getHeader()?.getNumber()),
        [0, 1, 2],
      );
      for (let i = 1; i < blocks.length; i++) {
        const previous = blocks[i - 1].getHeader()!;
        const expected = blockHeaderHash({ number: previous.getNumber(), previousHash: previous.getPreviousHash_asU8(), dataHash: previous.getDataHash_asU8() });
        assert.deepEqual(Buffer.from(blocks[i].getHeader()!.getPreviousHash_asU8()), expected);
      }
      const transfer = blocks[2];
      assert.deepEqual([...transfer.getMetadata()!.getMetadataList_asU8()[2]], [TxValidationCode.VALID]);
      const envelope = codecs.Envelope.decode(transfer.getData()!.getDataList_asU8()[0]);
      const header = codecs.ChannelHeader.decode(codecs.Payload.decode(envelope.payload).header!.channel_header!);
      assert.equal(header.channel_id, 'mychannel');
      assert.equal(header.type, HeaderType.ENDORSER_TRANSACTION);
    } finally {
      events.close();
    }
  });

  test('a new commit arrives on an open stream; filtered blocks carry txids, codes and event names', async () => {
    const height = peer.engine.peer.ledger().height + 1;
    const filtered = await network.getFilteredBlockEvents({ startBlock: BigInt(height) });
    const full = await network.getBlockAndPrivateDataEvents({ startBlock: BigInt(height) });
    try {
      const commit = await contract.submitAsync('TransferAsset', { arguments: ['asset2', 'Pia'] });
      const [block] = await take<peerProtos.FilteredBlock>(filtered, 1);
      assert.equal(block.getNumber(), height);
      assert.equal(block.getChannelId(), 'mychannel');
      const [tx] = block.getFilteredTransactionsList();
      assert.equal(tx.getTxid(), commit.getTransactionId());
      assert.equal(tx.getTxValidationCode(), TxValidationCode.VALID);
      assert.equal(tx.getTransactionActions()?.getChaincodeActionsList()[0]?.getChaincodeEvent()?.getEventName(), 'AssetTransferred');
      const [withPrivate] = await take<peerProtos.BlockAndPrivateData>(full, 1);
      assert.equal(withPrivate.getBlock()?.getHeader()?.getNumber(), height);
    } finally {
      filtered.close();
      full.close();
    }
  });

  test('getBlockAndPrivateDataEvents: the private write set of a transaction beside its block', async () => {
    // An instance on every org's peer: the default policy needs both orgs' endorsements.
    const instances = peer.engine.orgs.map((node) => startLowLevelFixture('lowlevel:1.0', node.peer.address));
    try {
      await Promise.all(peer.engine.orgs.map((node) => node.peer.waitForReady('lowlevel:1.0', 30_000)));
      const commit = await network.getContract('lowlevel').submitAsync('putPrivate', { arguments: ['secrets', 'k1', 'hidden value'] });
      const { blockNumber } = await commit.getStatus();
      const events = await network.getBlockAndPrivateDataEvents({ startBlock: blockNumber });
      try {
        const [withPrivate] = await take<peerProtos.BlockAndPrivateData>(events, 1);
        assert.equal(withPrivate.getBlock()?.getHeader()?.getNumber(), Number(blockNumber));
        const pvt = withPrivate.getPrivateDataMapMap().get(0);
        assert.ok(pvt, 'the transaction at index 0 has its private write set');
        const [ns] = pvt.getNsPvtRwsetList();
        assert.equal(ns?.getNamespace(), 'lowlevel');
        const [collection] = ns!.getCollectionPvtRwsetList();
        assert.equal(collection?.getCollectionName(), 'secrets');
        const kv = codecs.KVRWSet.decode(collection!.getRwset_asU8());
        assert.deepEqual(
          kv.writes.map((w) => [w.key, Buffer.from(w.value ?? []).toString()]),
          [['k1', 'hidden value']],
        );
      } finally {
        events.close();
      }
    } finally {
      await Promise.all(instances.map((i) => i.kill()));
    }
  });

  const seek = (fields: { channel?: string; start: SeekPosition; stop: SeekPosition; behavior?: SeekBehavior; signer?: { sign(m: Buffer): Buffer } }): Buffer => {
    const channelHeader = codecs.ChannelHeader.encode({ type: HeaderType.DELIVER_SEEK_INFO, channel_id: fields.channel ?? 'mychannel', timestamp: timestampOf() });
    const signatureHeader = codecs.SignatureHeader.encode({ creator: user.serialized, nonce: randomBytes(24) });
    const data = codecs.SeekInfo.encode({ start: fields.start, stop: fields.stop, behavior: fields.behavior ?? SeekBehavior.BLOCK_UNTIL_READY });
    const payload = codecs.Payload.encode({ header: { channel_header: channelHeader, signature_header: signatureHeader }, data });
    return codecs.Envelope.encode({ payload, signature: (fields.signer ?? user).sign(payload) });
  };

  /** Blocks (numbers) and the final status of one seek on a raw Deliver stream. */
  const deliver = (envelope: Buffer): Promise<{ blocks: number[]; status: string }> =>
    new Promise((resolve, reject) => {
      const call = client.makeBidiStreamRequest(
        DELIVER_SERVICE.deliver.path,
        (b: Buffer) => b,
        (b: Buffer) => b,
        { deadline: Date.now() + 10_000 },
      );
      const blocks: number[] = [];
      call.on('data', (bytes: Buffer) => {
        const r = codecs.DeliverResponse.decode(bytes);
        if (r.block) blocks.push(Number(String(r.block.header?.number ?? 0)));
        else if (r.status !== undefined && r.status !== null) {
          resolve({ blocks, status: Status[r.status] ?? String(r.status) });
          call.end();
        }
      });
      call.on('error', (err: grpc.ServiceError) => reject(err));
      call.write(envelope);
    });

  test('seek semantics: specified range, oldest to newest, FAIL_IF_NOT_READY beyond the height, start after stop', async () => {
    const last = peer.engine.peer.ledger().height;
    assert.deepEqual(await deliver(seek({ start: { specified: { number: 1 } }, stop: { specified: { number: 2 } } })), { blocks: [1, 2], status: 'SUCCESS' });
    assert.deepEqual(await deliver(seek({ start: { oldest: {} }, stop: { newest: {} } })), { blocks: Array.from({ length: last + 1 }, (_, i) => i), status: 'SUCCESS' });
    assert.deepEqual(await deliver(seek({ start: { newest: {} }, stop: { newest: {} } })), { blocks: [last], status: 'SUCCESS' });
    assert.deepEqual(await deliver(seek({ start: { specified: { number: last + 1 } }, stop: { specified: { number: last + 5 } }, behavior: SeekBehavior.FAIL_IF_NOT_READY })), {
      blocks: [],
      status: 'NOT_FOUND',
    });
    assert.deepEqual(await deliver(seek({ start: { specified: { number: 2 } }, stop: { specified: { number: 1 } } })), { blocks: [], status: 'BAD_REQUEST' });
    assert.deepEqual(await deliver(seek({ start: { specified: { number: last + 10 } }, stop: { specified: { number: last + 10 } } })), { blocks: [], status: 'NOT_FOUND' });
  });

  test("refusals: another key's signature is FORBIDDEN, an unknown channel NOT_FOUND", async () => {
    const { privateKey } = generateP256();
    const stranger = { sign: (m: Buffer): Buffer => sign('sha256', m, privateKey) };
    assert.deepEqual(await deliver(seek({ start: { oldest: {} }, stop: { oldest: {} }, signer: stranger })), { blocks: [], status: 'FORBIDDEN' });
    assert.deepEqual(await deliver(seek({ channel: 'nosuchchannel', start: { oldest: {} }, stop: { oldest: {} } })), { blocks: [], status: 'NOT_FOUND' });
  });
});
