/**
 * The handler's registration state machine and its edge cases (core/chaincode/handler.go
 * HandleRegister, handler_registry.go) against a live peer, driven by raw gRPC clients that send exactly the frames a test wants,
 * next to a real fabric-shim chaincode that must not be disturbed by any of it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Peer } from '../../../src/engine/peer/peer';
import { TransactionPipeline } from '../../../src/engine/transactions/pipeline';
import type { PeerDiagnostic } from '../../../src/engine/peer/types';
import { codecs } from '../../../src/engine/wire/codec';
import { ChaincodeMessage, MessageType } from '../../../src/engine/wire/messages';
import { RunningProcess, startLowLevelFixture } from '../../support/nodeChaincode';
import { RawShimChannel, RawShimStream } from '../../support/rawShimClient';

const CC = 'lowlevel:1.0';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const text = (m: ChaincodeMessage): string => Buffer.from(m.payload).toString('utf8');
const registerFrame = (name: string): Partial<ChaincodeMessage> => ({ type: MessageType.REGISTER, payload: codecs.ChaincodeID.encode({ name }) });

/** Waits for the peer's ERROR and the end of the stream; returns the ERROR's text. */
async function refused(stream: RawShimStream): Promise<string> {
  const error = await stream.waitFor((m) => m.type === MessageType.ERROR, 3000, 'ERROR');
  await stream.waitForEnd(3000);
  return text(error);
}

/**
 * Proves every frame sent so far was processed: a GET_STATE for an unknown transaction is
 * answered synchronously with ERROR "no ledger context" carrying the probe's txid.
 */
async function probe(stream: RawShimStream, id: string): Promise<void> {
  stream.send({ type: MessageType.GET_STATE, txid: id, channel_id: 'mychannel', payload: codecs.GetState.encode({ key: 'k' }) });
  const reply = await stream.waitFor((m) => m.txid === id, 3000, `the probe ${id}`);
  assert.equal(reply.type, MessageType.ERROR);
  assert.match(text(reply), /no ledger context/);
}

describe('handler registration and protocol edge cases', () => {
  let peer: Peer;
  let pipeline: TransactionPipeline;
  let dataDir: string;
  let channel: RawShimChannel;
  let fixture: RunningProcess;
  const diagnostics: PeerDiagnostic[] = [];
  const streams: RawShimStream[] = [];
  const open = (): RawShimStream => {
    const s = channel.open();
    streams.push(s);
    return s;
  };

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'peer-registration-'));
    peer = await Peer.start({ dataDir, port: 0, executeTimeoutMs: 10_000 });
    pipeline = new TransactionPipeline(peer);
    peer.onDiagnostic((d) => diagnostics.push(d));
    channel = new RawShimChannel(peer.address);
    fixture = startLowLevelFixture(CC, peer.address);
    await peer.waitForReady(CC, 20_000).catch((e: Error) => {
      throw new Error(`${e.message}\n${fixture.output()}`);
    });
  });

  after(async () => {
    for (const s of streams) if (!s.isEnded) s.cancel();
    channel.close();
    await fixture.kill();
    await peer.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('the peer listens on 127.0.0.1 by default', () => {
    assert.match(peer.address, /^127\.0\.0\.1:\d+$/);
    assert.ok(peer.port > 0);
  });

  test('REGISTER is answered REGISTERED then READY, in that order, with nothing before', async () => {
    const s = open();
    s.send(registerFrame('order:1.0'));
    await s.waitFor((m) => m.type === MessageType.READY, 3000, 'READY');
    await sleep(100);
    assert.deepEqual(
      s.received.map((m) => m.type),
      [MessageType.REGISTERED, MessageType.READY],
      s.describe(),
    );
    for (const m of s.received) {
      assert.equal(m.txid, '', 'no txid on REGISTERED/READY');
      assert.equal(m.proposal, null);
    }
    assert.equal(peer.handlers().find((h) => h.chaincodeId === 'order:1.0')?.state, 'ready');
  });

  test('a duplicate REGISTER is refused with the reason and its stream ends; the live chaincode keeps working', async () => {
    const s = open();
    s.send(registerFrame(CC));
    assert.match(await refused(s), /duplicate chaincode id lowlevel:1\.0/);
    assert.ok(!s.received.some((m) => m.type === MessageType.REGISTERED || m.type === MessageType.READY), s.describe());
    const live = peer.handlers().filter((h) => h.chaincodeId === CC);
    assert.equal(live.length, 1);
    assert.equal(live[0].state, 'ready');
    const put = await pipeline.execute({ chaincode: CC, args: ['put', 'dup-check', 'still-here'] });
    assert.equal(put.status, 200, put.message);
    const get = await pipeline.execute({ chaincode: CC, args: ['get', 'dup-check'], kind: 'query' });
    assert.deepEqual(JSON.parse(get.payload.toString()), { value: 'still-here' });
  });

  test('a REGISTER with an empty name is refused and the stream ends', async () => {
    const s = open();
    s.send(registerFrame(''));
    assert.match(await refused(s), /empty chaincode name/);
  });

  test('a REGISTER whose payload is not a ChaincodeID is refused and the stream ends', async () => {
    const s = open();
    s.send({ type: MessageType.REGISTER, payload: Buffer.from([0x12, 0x02, 0x61, 0x62, 0xff]) }); // wire type 7
    assert.match(await refused(s), /malformed REGISTER/);
  });

  test('a REGISTER whose ChaincodeID is truncated is refused, not registered under a cut-off name', async () => {
    // name = "truncated:1.0" announced as 13 bytes, only "trunc" sent; Fabric's (Go) unmarshal and
    // fabric-protos both reject this as unexpected EOF.
    const full = codecs.ChaincodeID.encode({ name: 'truncated:1.0' });
    const s = open();
    s.send({ type: MessageType.REGISTER, payload: full.subarray(0, 2 + 'trunc'.length) });
    const reply = await s.waitFor((m) => m.type === MessageType.ERROR || m.type === MessageType.READY, 3000, 'ERROR or READY');
    const registered = peer.handlers().find((h) => h.chaincodeId === 'trunc');
    assert.equal(reply.type, MessageType.ERROR, `accepted: received ${s.describe()}; handler ${JSON.stringify(registered)}`);
    assert.match(text(reply), /malformed REGISTER/);
    assert.equal(registered, undefined);
  });

  test('a second REGISTER on a ready stream is refused and ends that stream', async () => {
    const s = open();
    await s.register('twice:1.0');
    s.send(registerFrame('twice:1.0'));
    assert.match(await refused(s), /REGISTER/);
    assert.equal(
      peer.handlers().find((h) => h.chaincodeId === 'twice:1.0'),
      undefined,
    );
  });

  test('any message before REGISTER is refused and the stream ends', async () => {
    for (const type of [MessageType.GET_STATE, MessageType.COMPLETED, MessageType.READY, MessageType.UNDEFINED]) {
      const s = open();
      s.send({ type, txid: 'early', channel_id: 'mychannel', payload: codecs.GetState.encode({ key: 'k' }) });
      assert.match(await refused(s), /REGISTER must come first/, `type ${type}`);
    }
  });

  test('malformed bytes are refused with a logged reason, and the peer keeps serving', async () => {
    const before = diagnostics.length;
    const s = open();
    s.sendFrame(Buffer.from([0xff, 0xff, 0xff, 0xff]));
    await s.waitForEnd(3000);
    const errors = s.received.filter((m) => m.type === MessageType.ERROR);
    assert.ok(errors.length <= 1 && errors.every((m) => /malformed ChaincodeMessage/.test(text(m))), s.describe());
    assert.ok(
      diagnostics.slice(before).some((d) => d.level === 'error' && /malformed ChaincodeMessage \(4 bytes\)/.test(d.message)),
      JSON.stringify(diagnostics.slice(before)),
    );
    const next = open();
    await next.register('after-malformed:1.0');
  });

  test('an unknown message type (99) on a ready stream is handled: logged, no stray ERROR, peer and stream fine', async () => {
    const before = diagnostics.length;
    const s = open();
    await s.register('unknown-type:1.0');
    const mark = s.received.length;
    s.send({ type: 99 as MessageType, txid: 'tx-99', channel_id: 'mychannel', payload: Buffer.from('??') });
    await probe(s, 'probe-99');
    assert.deepEqual(
      s.received.slice(mark).map((m) => m.txid),
      ['probe-99'],
      `no reply about tx-99: ${s.describe()}`,
    );
    assert.ok(
      diagnostics.slice(before).some((d) => /UNKNOWN\(99\)/.test(d.message)),
      JSON.stringify(diagnostics.slice(before)),
    );
    assert.equal(peer.handlers().find((h) => h.chaincodeId === 'unknown-type:1.0')?.state, 'ready');
  });

  test('COMPLETED, ERROR and RESPONSE for unknown transactions are dropped with a diagnostic, never answered', async () => {
    const before = diagnostics.length;
    const s = open();
    await s.register('stray:1.0');
    const mark = s.received.length;
    const response = codecs.Response.encode({ status: 200, message: 'ok', payload: Buffer.from('x') });
    s.send({ type: MessageType.COMPLETED, txid: 'no-such-tx', channel_id: 'mychannel', payload: response });
    s.send({ type: MessageType.COMPLETED, txid: 'no-such-tx-legacy', payload: response }); // 1.0 form: no channel
    s.send({ type: MessageType.ERROR, txid: 'no-such-tx-2', channel_id: 'mychannel', payload: Buffer.from('boom') });
    s.send({ type: MessageType.RESPONSE, txid: 'no-such-tx-3', channel_id: 'mychannel', payload: Buffer.alloc(0) });
    await probe(s, 'probe-stray');
    assert.deepEqual(
      s.received.slice(mark).map((m) => m.txid),
      ['probe-stray'],
      `answered a stray message: ${s.describe()}`,
    );
    const logged = diagnostics
      .slice(before)
      .map((d) => d.message)
      .join('\n');
    assert.match(logged, /COMPLETED for unknown transaction mychannel\/no-such-tx dropped/);
    assert.match(logged, /ERROR for unknown transaction mychannel\/no-such-tx-2 dropped/);
    assert.match(logged, /RESPONSE/);
    const r = await pipeline.execute({ chaincode: CC, args: ['get', 'dup-check'], kind: 'query' });
    assert.equal(r.status, 200, 'the legitimate chaincode still answers');
  });

  test('KEEPALIVE is ignored in created and ready states (established lasts no longer than sending READY)', async () => {
    // created: a KEEPALIVE first must not count as "a message before REGISTER".
    const s = open();
    s.send({ type: MessageType.KEEPALIVE });
    s.send({ type: MessageType.KEEPALIVE, txid: 'ka', channel_id: 'mychannel' });
    await s.register('keepalive:1.0');
    // ready
    const mark = s.received.length;
    s.send({ type: MessageType.KEEPALIVE });
    await probe(s, 'probe-ka');
    assert.deepEqual(
      s.received.slice(mark).map((m) => m.txid),
      ['probe-ka'],
      s.describe(),
    );
  });

  test('the peer never sends KEEPALIVE (a fabric-shim ≤ 2.5.8 would exit on it)', async () => {
    const s = open();
    await s.register('watched:1.0');
    await sleep(3000);
    assert.ok(!s.received.some((m) => m.type === MessageType.KEEPALIVE), s.describe());
    assert.ok(!s.isEnded);
    assert.equal(fixture.hasExited, false, 'the real shim is still running');
  });

  test('a stream dropped mid-transaction fails it within 1 s, commits nothing and removes the handler', async () => {
    const s = open();
    await s.register('midtx:1.0');
    const handlerId = peer.handlers().find((h) => h.chaincodeId === 'midtx:1.0')?.id;
    assert.ok(handlerId);
    const heightBefore = peer.ledger().state.height;
    const pending = pipeline.execute({ chaincode: 'midtx:1.0', args: ['put', 'midtx-key', 'x'] });
    const tx = await s.waitFor((m) => m.type === MessageType.TRANSACTION, 3000, 'TRANSACTION');
    assert.ok(tx.proposal, 'TRANSACTION carries a proposal');
    // The shim writes before it dies: the write must not survive.
    s.send({ type: MessageType.PUT_STATE, txid: tx.txid, channel_id: tx.channel_id, payload: codecs.PutState.encode({ key: 'midtx-key', value: Buffer.from('x') }) });
    await s.waitFor((m) => m.type === MessageType.RESPONSE && m.txid === tx.txid, 3000, 'PUT_STATE RESPONSE');
    const droppedAt = Date.now();
    s.cancel();
    const r = await pending;
    const elapsed = Date.now() - droppedAt;
    assert.ok(elapsed < 1000, `failed after ${elapsed} ms`);
    assert.equal(r.status, 500);
    assert.match(r.message, /chaincode stream terminated/);
    assert.equal(r.validation, 'NOT_COMMITTED');
    assert.equal(peer.ledger().state.height, heightBefore);
    assert.equal(peer.ledger().state.getState({ channel: r.channel, chaincode: 'midtx' }, 'midtx-key'), undefined);
    assert.equal(pipeline.transaction(r.txId)?.validation, 'NOT_COMMITTED');
    assert.equal(
      peer.handlers().find((h) => h.id === handlerId),
      undefined,
    );
    await assert.rejects(pipeline.execute({ chaincode: 'midtx:1.0', args: ['get', 'k'] }), /not registered/);
  });

  test('with devMode off, a REGISTER nobody expects is refused and the stream ends', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'peer-netmode-'));
    const strict = await Peer.start({ dataDir: dir, port: 0, devMode: false });
    const ch = new RawShimChannel(strict.address);
    try {
      const s = ch.open();
      s.send(registerFrame('nobody:1.0'));
      assert.match(await refused(s), /will not accept a connection for nobody:1\.0: it is not being launched/);
      assert.equal(
        strict.handlers().find((h) => h.chaincodeId === 'nobody:1.0'),
        undefined,
      );
      strict.registry.launching('somebody:1.0'); // being launched: its REGISTER is taken
      const ok = ch.open();
      await ok.register('somebody:1.0');
      ok.cancel();
      for (let i = 0; i < 100 && strict.registry.handler('somebody:1.0'); i++) await sleep(20);
      // Its launch ended with it (Fabric's Deregister): the next REGISTER is unlaunched again.
      const again = ch.open();
      again.send(registerFrame('somebody:1.0'));
      assert.match(await refused(again), /not being launched/);
    } finally {
      ch.close();
      await strict.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('after all of the above the real chaincode still runs transactions', async () => {
    const r = await pipeline.execute({ chaincode: CC, args: ['put', 'final', 'ok'] });
    assert.equal(r.status, 200, r.message);
    assert.equal(r.validation, 'VALID');
    assert.equal(fixture.hasExited, false);
    assert.deepEqual(
      streams.flatMap((s) => s.undecodable.map((f) => f.toString('hex'))),
      [],
      'the peer sent frames that are not ChaincodeMessages',
    );
  });
});
