/**
 * ChaincodeEvents with the real Node client: from the next commit, from a block, and resumed from a
 * file checkpoint after the engine restarts, without losing or repeating an event; events of valid
 * transactions only; the stream stays open until the client closes it. Also what a client sends
 * wrongly: a bad signature (PERMISSION_DENIED), an unknown channel (NOT_FOUND), a position other
 * than a block number or the next commit (INVALID_ARGUMENT).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { checkpointers, signers, type ChaincodeEvent, type CloseableAsyncIterable, type Contract, type Network } from '@hyperledger/fabric-gateway';
import { codecs } from '../../../src/engine/wire/codec';
import { generateP256 } from '../../../src/engine/crypto/p256Keys';
import { startGatewayPeer, type GatewayPeer } from '../../support/gatewayPeer';

const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');

/** The next `n` events, or a failure after `timeoutMs`. */
async function take(events: CloseableAsyncIterable<ChaincodeEvent>, n: number, timeoutMs = 10_000): Promise<ChaincodeEvent[]> {
  const out: ChaincodeEvent[] = [];
  const iterator = events[Symbol.asyncIterator]();
  const deadline = Date.now() + timeoutMs;
  while (out.length < n) {
    const next = await Promise.race([
      iterator.next(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`only ${out.length} of ${n} events within ${timeoutMs} ms`)), Math.max(0, deadline - Date.now()))),
    ]);
    if (next.done) throw new Error(`the event stream ended after ${out.length} of ${n} events`);
    out.push(next.value);
  }
  return out;
}

describe('ChaincodeEvents with the real Node client', { timeout: 180_000 }, () => {
  let peer: GatewayPeer;
  let network: Network;
  let contract: Contract;
  let tmp: string;

  const connect = (): void => {
    network = peer.connect().gateway.getNetwork('mychannel');
    contract = network.getContract('basic');
  };

  before(async () => {
    peer = await startGatewayPeer();
    tmp = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'ccl-events-'));
    connect();
    await contract.submitTransaction('InitLedger');
  });

  after(async () => {
    await peer?.stop();
    await fs.promises.rm(tmp, { recursive: true, force: true });
  });

  test('from the next commit: the events of transactions committed after the request', async () => {
    await contract.submitTransaction('CreateAsset', 'before', 'red', '1', 'x', '1');
    const events = await network.getChaincodeEvents('basic');
    try {
      const transfer = await contract.submitAsync('TransferAsset', { arguments: ['before', 'Nina'] });
      const status = await transfer.getStatus();
      const [event] = await take(events, 1);
      assert.equal(event.eventName, 'AssetTransferred');
      assert.equal(event.transactionId, transfer.getTransactionId());
      assert.equal(event.blockNumber, status.blockNumber);
      assert.equal(event.chaincodeName, 'basic');
      assert.deepEqual(JSON.parse(text(event.payload)), { id: 'before', from: 'x', to: 'Nina' });
    } finally {
      events.close();
    }
  });

  test("only valid transactions' events: an MVCC-invalid transfer in the same stream emits none", async () => {
    await contract.submitTransaction('CreateAsset', 'contested', 'red', '1', 'x', '1');
    const events = await network.getChaincodeEvents('basic');
    try {
      const first = await contract.newProposal('TransferAsset', { arguments: ['contested', 'A'] }).endorse();
      const second = await contract.newProposal('TransferAsset', { arguments: ['contested', 'B'] }).endorse();
      assert.equal((await (await first.submit()).getStatus()).successful, true);
      assert.equal((await (await second.submit()).getStatus()).code, 11);
      const marker = await contract.submitAsync('CreateAsset', { arguments: ['marker', 'red', '1', 'x', '1'] });
      await marker.getStatus();
      const got = await take(events, 2);
      assert.deepEqual(
        got.map((e) => e.transactionId),
        [first.getTransactionId(), marker.getTransactionId()],
      );
    } finally {
      events.close();
    }
  });

  test('resumed from a file checkpoint after a restart of the engine: nothing lost, nothing repeated', async () => {
    const file = path.join(tmp, 'checkpoint.json');
    const created: string[] = [];
    const first = await contract.submitAsync('CreateAsset', { arguments: ['cp1', 'red', '1', 'x', '1'] });
    const startBlock = (await first.getStatus()).blockNumber;
    created.push(first.getTransactionId());
    for (const id of ['cp2', 'cp3']) {
      const c = await contract.submitAsync('CreateAsset', { arguments: [id, 'red', '1', 'x', '1'] });
      await c.getStatus();
      created.push(c.getTransactionId());
    }
    // Read two of three, checkpointing each, then leave.
    let checkpointer = await checkpointers.file(file);
    let events = await network.getChaincodeEvents('basic', { checkpoint: checkpointer, startBlock });
    const read = await take(events, 2);
    for (const e of read) await checkpointer.checkpointChaincodeEvent(e);
    events.close();
    assert.deepEqual(
      read.map((e) => e.transactionId),
      created.slice(0, 2),
    );

    await peer.restart();
    connect();
    for (const id of ['cp4', 'cp5']) {
      const c = await contract.submitAsync('CreateAsset', { arguments: [id, 'red', '1', 'x', '1'] });
      await c.getStatus();
      created.push(c.getTransactionId());
    }
    // A new process would load the same file.
    checkpointer = await checkpointers.file(file);
    assert.equal(checkpointer.getTransactionId(), created[1]);
    events = await network.getChaincodeEvents('basic', { checkpoint: checkpointer, startBlock });
    try {
      const rest = await take(events, 3);
      assert.deepEqual(
        rest.map((e) => e.transactionId),
        created.slice(2),
      );
      assert.deepEqual(
        rest.map((e) => e.eventName),
        ['AssetCreated', 'AssetCreated', 'AssetCreated'],
      );
    } finally {
      events.close();
    }
  });

  test('the stream stays open until the client closes it, then the peer lets it go', async () => {
    const events = await network.getChaincodeEvents('basic');
    const pending = take(events, 1, 60_000);
    await new Promise((r) => setTimeout(r, 300));
    const later = await contract.submitAsync('CreateAsset', { arguments: ['later', 'red', '1', 'x', '1'] });
    assert.equal((await pending)[0]?.transactionId, later.getTransactionId());
    events.close();
    // Still serving after the client went away.
    assert.equal(JSON.parse(text(await contract.evaluateTransaction('ReadAsset', 'later'))).ID, 'later');
  });

  test('refusals: a bad signature, an unknown channel, a position that is not a block or the next commit', async () => {
    const offline = peer.connect({ signer: null }).gateway;
    const { privateKey } = generateP256();
    const badlySigned = offline.getNetwork('mychannel').newChaincodeEventsRequest('basic');
    const signature = await signers.newPrivateKeySigner(privateKey)(badlySigned.getDigest());
    const denied = await offline.newSignedChaincodeEventsRequest(badlySigned.getBytes(), signature).getEvents();
    await assert.rejects(
      take(denied, 1),
      (err: { code?: number; message?: string }) => err.code === 7 && /PERMISSION_DENIED: failed evaluating policy on signed data/.test(err.message ?? ''),
    );

    const sign = async (bytes: Uint8Array): Promise<Uint8Array> => {
      const request = codecs.SignedChaincodeEventsRequest.decode(bytes).request;
      return peer.engine.gateway!.org.organization.identity('User1').then((u) => u.sign(request));
    };
    const wrongChannel = offline.getNetwork('nosuchchannel').newChaincodeEventsRequest('basic');
    const notFound = await offline.newSignedChaincodeEventsRequest(wrongChannel.getBytes(), await sign(wrongChannel.getBytes())).getEvents();
    await assert.rejects(
      take(notFound, 1),
      (err: { code?: number; message?: string }) => err.code === 5 && /NOT_FOUND: channel does not exist: nosuchchannel/.test(err.message ?? ''),
    );

    const request = offline.getNetwork('mychannel').newChaincodeEventsRequest('basic');
    const signed = codecs.SignedChaincodeEventsRequest.decode(request.getBytes());
    const inner = codecs.ChaincodeEventsRequest.decode(signed.request);
    const oldest = codecs.ChaincodeEventsRequest.encode({ ...inner, start_position: { oldest: {} } });
    const user = await peer.engine.gateway!.org.organization.identity('User1');
    const bytes = codecs.SignedChaincodeEventsRequest.encode({ request: oldest, signature: Buffer.alloc(0) });
    const invalid = await offline.newSignedChaincodeEventsRequest(bytes, user.sign(oldest)).getEvents();
    await assert.rejects(
      take(invalid, 1),
      (err: { code?: number; message?: string }) => err.code === 3 && /INVALID_ARGUMENT: invalid start position type: \*orderer\.SeekPosition_Oldest/.test(err.message ?? ''),
    );
  });
});
