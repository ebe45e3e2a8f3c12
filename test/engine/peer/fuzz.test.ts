/**
 * Fuzzing the live peer over real gRPC streams: random bytes, and valid, bit-flipped and truncated
 * ChaincodeMessages of every type with random txids, channels and payloads (including mutated
 * encodings of every shim request), both before REGISTER and on ready streams. The fuzz streams
 * never get a transaction, so afterwards nothing may have changed: no crash, no uncaught error,
 * the same world state, and a real fabric-shim chaincode registered beforehand still works.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import * as protobuf from 'protobufjs';
import type { WorldState } from '../../../src/engine/ledger/worldState';
import { Peer } from '../../../src/engine/peer/peer';
import { TransactionPipeline } from '../../../src/engine/transactions/pipeline';
import { codecs } from '../../../src/engine/wire/codec';
import { ChaincodeMessage, MessageType } from '../../../src/engine/wire/messages';
import { RunningProcess, startLowLevelFixture } from '../../support/nodeChaincode';
import { RawShimChannel, RawShimStream } from '../../support/rawShimClient';

const CC = 'fuzzcc:1.0';
const SEED = Number(process.env.FUZZ_SEED ?? 20_240_611);
const READY_TARGET = 9_000;
const CHAOS_TARGET = 3_000;
// The targets end the run; the deadline only ends one whose peer got stuck (the counts then fall
// short and say so). Not a pace: the run takes about 4 s on an idle 2-core machine, 30 s with two
// busy loops and two more test files beside it.
const DEADLINE_MS = 180_000;

// ---- generators ----

/** Any value of a message type, each field absent or random (protobufjs reflection). */
function messageArb(type: protobuf.Type): fc.Arbitrary<Record<string, unknown>> {
  const fields: Record<string, fc.Arbitrary<unknown>> = {};
  for (const field of type.fieldsArray) {
    const rt = field.resolvedType;
    const one: fc.Arbitrary<unknown> =
      rt instanceof protobuf.Type
        ? messageArb(rt)
        : rt instanceof protobuf.Enum
          ? fc.integer({ min: 0, max: 30 })
          : field.type === 'string'
            ? fc.oneof(fc.string({ maxLength: 24 }), fc.constantFrom('', 'k', '\u0000a\u0000', 'mychannel', 'a'.repeat(300)))
            : field.type === 'bytes'
              ? fc.uint8Array({ maxLength: 48 })
              : field.type === 'bool'
                ? fc.boolean()
                : field.type === 'int64' || field.type === 'uint64'
                  ? fc.maxSafeNat()
                  : fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
    fields[field.name] = field.map ? fc.dictionary(fc.string({ maxLength: 8 }), one, { maxKeys: 2 }) : field.repeated ? fc.array(one, { maxLength: 3 }) : one;
  }
  return fc.record(fields, { requiredKeys: [] });
}

/** Valid encodings of every payload a shim can send (requests, REGISTER's ChaincodeID, COMPLETED's Response…). */
const PAYLOAD_CODECS = [
  codecs.GetState,
  codecs.PutState,
  codecs.DelState,
  codecs.PurgePrivateState,
  codecs.GetStateMetadata,
  codecs.PutStateMetadata,
  codecs.GetStateByRange,
  codecs.GetQueryResult,
  codecs.GetHistoryForKey,
  codecs.QueryStateNext,
  codecs.QueryStateClose,
  codecs.ChaincodeSpec,
  codecs.WriteBatchState,
  codecs.GetStateMultiple,
  codecs.ChaincodeID,
  codecs.Response,
  codecs.QueryMetadata,
  codecs.ChaincodeAdditionalParams,
];
const validPayloadArb: fc.Arbitrary<Buffer> = fc.oneof(...PAYLOAD_CODECS.map((c) => messageArb(c.type).map((v) => encode(c.type, v))));

function encode(type: protobuf.Type, value: Record<string, unknown>): Buffer {
  const bytes = type.encode(type.fromObject(value)).finish();
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Bit flips and truncation of a valid encoding. */
function mutated(base: fc.Arbitrary<Buffer>): fc.Arbitrary<Buffer> {
  const flips = fc.tuple(base, fc.array(fc.nat(), { minLength: 1, maxLength: 4 })).map(([b, positions]) => {
    const out = Buffer.from(b);
    if (out.length) for (const p of positions) out[p % out.length] ^= 1 << (p % 8);
    return out;
  });
  const truncated = fc.tuple(base, fc.nat()).map(([b, n]) => b.subarray(0, b.length ? n % b.length : 0));
  return fc.oneof(flips, truncated);
}

const payloadArb: fc.Arbitrary<Uint8Array> = fc.oneof(fc.uint8Array({ maxLength: 64 }), validPayloadArb, mutated(validPayloadArb));

function frameArb(types: fc.Arbitrary<number>): fc.Arbitrary<Buffer> {
  return fc
    .record(
      {
        type: types,
        txid: fc.oneof(
          fc.constant(''),
          fc.string({ maxLength: 16 }),
          fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString('hex')),
        ),
        channel_id: fc.oneof(fc.constant(''), fc.constant('mychannel'), fc.string({ maxLength: 12 })),
        payload: payloadArb,
        proposal: fc.record({ proposal_bytes: fc.uint8Array({ maxLength: 32 }), signature: fc.uint8Array({ maxLength: 8 }) }),
        chaincode_event: fc.record({ event_name: fc.string({ maxLength: 8 }), payload: fc.uint8Array({ maxLength: 16 }) }),
      },
      { requiredKeys: ['type'] },
    )
    .map((m) => codecs.ChaincodeMessage.encode(m as Partial<ChaincodeMessage>));
}

const anyType = fc.integer({ min: 0, max: 30 });
/** On a ready stream, everything but REGISTER (which ends it): shim requests, COMPLETED/ERROR/RESPONSE for unknown txs… */
const readyType = fc
  .oneof(fc.integer({ min: 0, max: 30 }), fc.constantFrom(6, 7, 8, 9, 10, 11, 13, 14, 15, 16, 17, 19, 20, 21, 22, 23, 24, 25))
  .filter((t) => t !== MessageType.REGISTER);
const readyFrameArb = frameArb(readyType);
/** Frames that may end a ready stream: random bytes, mutated frames of any type, a second REGISTER. */
const readyBreakerArb = fc.oneof(
  fc.uint8Array({ maxLength: 96 }).map((b) => Buffer.from(b)),
  mutated(frameArb(anyType)),
  frameArb(fc.constant(1)),
);
/** Before REGISTER: random bytes, any type, valid and mutated REGISTERs. */
const chaosFrameArb = fc.oneof(
  fc.uint8Array({ maxLength: 128 }).map((b) => Buffer.from(b)),
  frameArb(anyType),
  frameArb(fc.constant(1)),
  mutated(frameArb(anyType)),
  mutated(frameArb(fc.constant(1))),
);

// ---- world state snapshot ----

function snapshot(ws: WorldState): unknown {
  const hex = (b: Buffer): string => b.toString('hex');
  return {
    height: ws.height,
    transactions: ws.transactions().map((t) => t.txId),
    spaces: ws.namespaces().flatMap((ns) =>
      ['', ...ws.collections(ns)].map((collection) => ({
        ns,
        collection,
        entries: ws.entries(ns, collection).map((e) => [e.key, hex(e.value), e.version, Object.entries(e.metadata).map(([k, v]) => [k, hex(v)])]),
      })),
    ),
  };
}

describe('peer under fuzzing', () => {
  let peer: Peer;
  let pipeline: TransactionPipeline;
  let dataDir: string;
  let fixture: RunningProcess;
  let channel: RawShimChannel;

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'peer-fuzz-'));
    peer = await Peer.start({ dataDir, port: 0, executeTimeoutMs: 10_000 });
    pipeline = new TransactionPipeline(peer);
    channel = new RawShimChannel(peer.address);
    fixture = startLowLevelFixture(CC, peer.address);
    await peer.waitForReady(CC, 20_000).catch((e: Error) => {
      throw new Error(`${e.message}\n${fixture.output()}`);
    });
    const r = await pipeline.execute({ chaincode: CC, args: ['put', 'before-fuzz', 'v0'] });
    assert.equal(r.status, 200, r.message);
  });

  after(async () => {
    channel.close();
    await fixture.kill();
    await peer.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test(`${READY_TARGET + CHAOS_TARGET}+ random and mutated messages change nothing and crash nothing (seed ${SEED})`, async () => {
    const problems: string[] = [];
    const onUncaught = (err: Error): void => void problems.push(`uncaughtException: ${err.stack ?? err.message}`);
    const onRejection = (reason: unknown): void => void problems.push(`unhandledRejection: ${String(reason)}`);
    process.on('uncaughtException', onUncaught);
    process.on('unhandledRejection', onRejection);
    let diagnostics = 0;
    const sub = peer.onDiagnostic(() => diagnostics++);

    const fixtureHandler = peer.handlers().find((h) => h.chaincodeId === CC);
    const stateBefore = snapshot(peer.ledger().state);
    const readyPool = fc.sample(readyFrameArb, { numRuns: 4000, seed: SEED });
    const breakerPool = fc.sample(readyBreakerArb, { numRuns: 500, seed: SEED + 1 });
    const chaosPool = fc.sample(chaosFrameArb, { numRuns: 2000, seed: SEED + 2 });
    // Only frames the peer is known to have processed are counted: a ready batch once the probe
    // after it is answered, a chaos frame when the stream was still open after it was sent.
    const counts = { ready: 0, breakers: 0, chaos: 0, streams: 0, noContextReplies: 0, undecodableReplies: 0 };
    const startedAt = Date.now();
    const done = (): boolean => (counts.ready >= READY_TARGET && counts.chaos >= CHAOS_TARGET) || Date.now() - startedAt > DEADLINE_MS;
    const open = (): RawShimStream => {
      counts.streams++;
      return channel.open();
    };
    const wait = (s: RawShimStream, ms: number): Promise<unknown> => Promise.race([s.ended, new Promise((r) => setTimeout(r, ms))]);

    // Ready streams: REGISTER properly, then batches of fuzz frames, each closed by a probe whose
    // answer proves the peer processed the batch and is not stuck; now and then a frame that may
    // end the stream, after which the worker reconnects.
    const readyWorker = async (w: number): Promise<void> => {
      let cursor = w * 997;
      for (let n = 0; !done(); n++) {
        const s = open();
        try {
          await s.register(`fuzz-${w}-${n}:1.0`);
        } catch (err) {
          problems.push(`worker ${w}: ${(err as Error).message}`);
          s.cancel();
          return;
        }
        for (let batch = 0; !done() && !s.isEnded; batch++) {
          for (let i = 0; i < 50; i++) s.sendFrame(readyPool[cursor++ % readyPool.length]);
          const id = `probe-${w}-${n}-${batch}`;
          s.send({ type: MessageType.GET_STATE, txid: id, channel_id: 'mychannel', payload: codecs.GetState.encode({ key: 'k' }) });
          const answered = await s
            .waitFor((m) => m.txid === id, 5000, id)
            .then(
              () => true,
              (err: Error) => void (s.isEnded || problems.push(`worker ${w}: ${err.message.slice(0, 300)}`)),
            );
          if (answered) counts.ready += 50;
          if (batch % 3 === 2 && s.sendFrame(breakerPool[cursor % breakerPool.length])) {
            await wait(s, 10);
            counts.breakers++;
          }
        }
        counts.undecodableReplies += s.undecodable.length;
        counts.noContextReplies += s.received.filter((m) => m.type === MessageType.ERROR && /no ledger context/.test(Buffer.from(m.payload).toString())).length;
        if (!s.isEnded) s.cancel();
      }
    };
    // Chaos streams: up to a few frames before (or instead of) REGISTER, one at a time.
    const chaosWorker = async (w: number): Promise<void> => {
      let cursor = w * 499;
      while (!done()) {
        const s = open();
        for (let i = 0; i < 1 + (cursor % 5) && !s.isEnded; i++) {
          if (!s.sendFrame(chaosPool[cursor++ % chaosPool.length])) break;
          counts.chaos++;
          await wait(s, 10);
        }
        counts.undecodableReplies += s.undecodable.length;
        if (!s.isEnded) s.cancel();
      }
    };

    try {
      await Promise.all([readyWorker(0), readyWorker(1), readyWorker(2), chaosWorker(0), chaosWorker(1)]);
      await new Promise((r) => setTimeout(r, 300)); // let the last cancellations reach the peer
    } finally {
      process.off('uncaughtException', onUncaught);
      process.off('unhandledRejection', onRejection);
      sub.dispose();
    }
    const elapsed = Date.now() - startedAt;
    const summary = `${counts.ready} ready-state + ${counts.breakers} stream-breaking + ${counts.chaos} pre-REGISTER frames over ${counts.streams} streams in ${elapsed} ms; ${counts.noContextReplies} 'no ledger context' replies, ${diagnostics} diagnostics`;
    console.log(`# fuzz: ${summary}`);

    assert.deepEqual(problems, [], summary);
    assert.ok(counts.ready + counts.breakers + counts.chaos >= 10_000, `only ${summary}`);
    assert.equal(counts.undecodableReplies, 0, 'the peer sent frames that are not ChaincodeMessages');
    assert.ok(counts.noContextReplies > 1000, `the ready-state paths were barely reached: ${summary}`);
    assert.deepEqual(snapshot(peer.ledger().state), stateBefore, 'the world state changed during fuzzing');

    // The real chaincode was never disturbed: same handler, still ready, and it commits.
    const now = peer.handlers().find((h) => h.chaincodeId === CC);
    assert.equal(now?.id, fixtureHandler?.id);
    assert.equal(now?.state, 'ready');
    const put = await pipeline.execute({ chaincode: CC, args: ['put', 'after-fuzz', 'v1'] });
    assert.equal(put.status, 200, put.message);
    assert.equal(put.validation, 'VALID');
    const get = await pipeline.execute({ chaincode: CC, args: ['get', 'before-fuzz'], kind: 'query' });
    assert.deepEqual(JSON.parse(get.payload.toString()), { value: 'v0' });
    assert.equal(fixture.hasExited, false);

    // Every fuzz stream is gone, and so are their handlers; a new chaincode can still register.
    const deadline = Date.now() + 3000;
    while (peer.handlers().length > 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(
      peer.handlers().map((h) => h.chaincodeId),
      [CC],
      'handlers of ended fuzz streams leaked',
    );
    const fresh = channel.open();
    await fresh.register('after-fuzz:1.0');
    fresh.cancel();
  });
});
