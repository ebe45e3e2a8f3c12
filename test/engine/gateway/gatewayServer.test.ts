/**
 * The Gateway's server against what no client should send: at least 10,000 malformed or mutated
 * Gateway and Deliver requests over real gRPC+TLS (random bytes, bit flips, truncations,
 * insertions, requests with a wrong channel, transaction id or chaincode re-signed by a real user
 * so they pass the signature check, unsigned and wrongly signed envelopes, replayed transaction
 * ids and envelopes). Every one gets a gRPC status or a Deliver status, none an internal fault of
 * the peer; afterwards the peer still answers and the ledger is exactly as before.
 *
 * Reproduce a run with FUZZ_SEED=<seed printed on failure>.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { randomBytes } from 'crypto';
import type { SigningIdentity } from '../../../src/engine/msp';
import { buildProposal } from '../../../src/engine/transactions/proposal';
import { codecs, timestampOf } from '../../../src/engine/wire/codec';
import { HeaderType, Status } from '../../../src/engine/wire/messages';
import { DELIVER_SERVICE, GATEWAY_SERVICE } from '../../../src/engine/wire/services';
import { grpcClient } from '../../support/gatewayClient';
import { startGatewayPeer, type GatewayPeer } from '../../support/gatewayPeer';

const REQUESTS = 10_000;
const CONCURRENCY = 16;
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));

/** mulberry32: a small seeded generator, so a failing run can be repeated. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Method = 'evaluate' | 'endorse' | 'submit' | 'commitStatus' | 'chaincodeEvents' | 'deliver' | 'deliverFiltered';

interface Outcome {
  readonly method: Method;
  readonly kind: string;
  /** gRPC status code, or for Deliver `deliver:<common.Status>`. */
  readonly result: string;
  readonly message: string;
}

describe('Gateway and Deliver under 10,000 malformed or mutated requests', { timeout: 600_000 }, () => {
  let peer: GatewayPeer;
  let client: grpc.Client;
  let user: SigningIdentity;

  before(async () => {
    peer = await startGatewayPeer();
    const contract = peer.connect().gateway.getNetwork('mychannel').getContract('basic');
    await contract.submitTransaction('InitLedger');
    client = grpcClient(peer.cryptoPath, peer.port);
    const org = peer.engine.gateway?.org.organization;
    assert.ok(org);
    user = await org.identity('User1');
  });

  after(async () => {
    client?.close();
    await peer?.stop();
  });

  const unary = (method: Method, request: Buffer, deadlineMs: number): Promise<{ code: number; message: string; response?: Buffer }> =>
    new Promise((resolve) => {
      const def = GATEWAY_SERVICE[method as keyof typeof GATEWAY_SERVICE];
      if (method === 'chaincodeEvents') {
        const call = client.makeServerStreamRequest(
          def.path,
          (b: Buffer) => b,
          (b: Buffer) => b,
          request,
          { deadline: Date.now() + deadlineMs },
        );
        let done = false;
        const finish = (code: number, message: string): void => {
          if (done) return;
          done = true;
          call.cancel();
          resolve({ code, message });
        };
        call.on('data', () => finish(0, 'an event response'));
        call.on('error', (err: grpc.ServiceError) => finish(err.code, err.details));
        call.on('end', () => finish(0, 'ended'));
        return;
      }
      client.makeUnaryRequest(
        def.path,
        (b: Buffer) => b,
        (b: Buffer) => b,
        request,
        { deadline: Date.now() + deadlineMs },
        (err, response) => {
          resolve(err ? { code: err.code, message: err.details } : { code: 0, message: '', response: response ?? undefined });
        },
      );
    });

  const deliver = (method: 'deliver' | 'deliverFiltered', envelope: Buffer, deadlineMs: number): Promise<{ result: string; message: string }> =>
    new Promise((resolve) => {
      const call = client.makeBidiStreamRequest(
        DELIVER_SERVICE[method].path,
        (b: Buffer) => b,
        (b: Buffer) => b,
        { deadline: Date.now() + deadlineMs },
      );
      let done = false;
      const finish = (result: string, message: string): void => {
        if (done) return;
        done = true;
        // After a status, half-close as a client done with the stream does (the peer then ends it);
        // otherwise cancel.
        if (result.startsWith('deliver:')) call.end();
        else call.cancel();
        resolve({ result, message });
      };
      call.on('data', (bytes: Buffer) => {
        // A oneof: a decoded block response still reads status 0 (protobufjs's default); Type says which is set.
        const response = codecs.DeliverResponse.decode(bytes) as ReturnType<typeof codecs.DeliverResponse.decode> & { Type?: string };
        if (response.Type === 'status') finish(`deliver:${Status[response.status ?? 0] ?? response.status}`, '');
      });
      call.on('error', (err: grpc.ServiceError) => finish(String(err.code), err.details));
      call.on('end', () => finish('ended', ''));
      call.write(envelope);
    });

  const signedProposal = (fields: { channel?: string; chaincode?: string; args?: string[]; txId?: string }): { bytes: Buffer; txId: string } => {
    const p = buildProposal({
      channel: fields.channel ?? 'mychannel',
      chaincodeName: fields.chaincode ?? 'basic',
      args: (fields.args ?? ['ReadAsset', 'asset1']).map((a) => Buffer.from(a)),
      transient: {},
      isInit: false,
      creator: user.serialized,
      signer: user,
      txId: fields.txId,
    });
    return { bytes: codecs.SignedProposal.encode(p.signed), txId: p.txId };
  };
  const evaluateRequest = (signed: { bytes: Buffer; txId: string }, channel = 'mychannel'): Buffer =>
    codecs.EvaluateRequest.encode({ transaction_id: signed.txId, channel_id: channel, proposed_transaction: codecs.SignedProposal.decode(signed.bytes) });
  const endorseRequest = (signed: { bytes: Buffer; txId: string }, channel = 'mychannel'): Buffer =>
    codecs.EndorseRequest.encode({ transaction_id: signed.txId, channel_id: channel, proposed_transaction: codecs.SignedProposal.decode(signed.bytes) });
  const signedRequest = (request: Buffer, signer: { sign(m: Buffer): Buffer } | null): Buffer =>
    codecs.SignedCommitStatusRequest.encode({ request, signature: signer ? signer.sign(request) : randomBytes(70) });
  const seekEnvelope = (channel: string, start: number, stop: number, sign = true): Buffer => {
    const channelHeader = codecs.ChannelHeader.encode({ type: HeaderType.DELIVER_SEEK_INFO, channel_id: channel, timestamp: timestampOf() });
    const signatureHeader = codecs.SignatureHeader.encode({ creator: user.serialized, nonce: randomBytes(24) });
    const seek = codecs.SeekInfo.encode({ start: { specified: { number: start } }, stop: { specified: { number: stop } } });
    const payload = codecs.Payload.encode({ header: { channel_header: channelHeader, signature_header: signatureHeader }, data: seek });
    return codecs.Envelope.encode({ payload, signature: sign ? user.sign(payload) : Buffer.alloc(0) });
  };

  test(`${REQUESTS} requests: each refused with a status, the peer still answers, the ledger unchanged (seed ${SEED})`, async () => {
    const random = generator(SEED);
    const int = (n: number): number => Math.floor(random() * n);
    const pick = <T>(items: readonly T[]): T => items[int(items.length)];
    const bytes = (n: number): Buffer => Buffer.from(Array.from({ length: n }, () => int(256)));
    const mutate = (b: Buffer): Buffer => {
      const copy = Buffer.from(b);
      switch (int(5)) {
        case 0: // bit flips
          for (let k = 1 + int(8); k > 0 && copy.length; k--) copy[int(copy.length)] ^= 1 << int(8);
          return copy;
        case 1: // truncated
          return copy.subarray(0, int(copy.length));
        case 2: {
          // bytes inserted
          const at = int(copy.length + 1);
          return Buffer.concat([copy.subarray(0, at), bytes(1 + int(16)), copy.subarray(at)]);
        }
        case 3: {
          // a slice repeated
          const at = int(copy.length + 1);
          return Buffer.concat([copy.subarray(0, at), copy.subarray(int(at + 1)), copy.subarray(at)]);
        }
        default: // a byte overwritten with a varint-ish value
          if (copy.length) copy[int(copy.length)] = pick([0x00, 0x7f, 0x80, 0xff, 0x0a, 0x12]);
          return copy;
      }
    };

    // One transaction committed now, whose id and envelope are replayed during the run.
    const contract = peer.connect().gateway.getNetwork('mychannel').getContract('basic');
    const committedProposal = contract.newProposal('CreateAsset', { arguments: ['fuzzed', 'red', '1', 'x', '1'] });
    const committed = await committedProposal.endorse();
    assert.equal((await (await committed.submit()).getStatus()).successful, true);
    const committedTxId = committed.getTransactionId();
    const committedSubmit = codecs.SubmitRequest.encode({
      transaction_id: committedTxId,
      channel_id: 'mychannel',
      prepared_transaction: codecs.PreparedTransaction.decode(committed.getBytes()).envelope,
    });
    // The committed transaction's own signed proposal, sent again.
    const replayedProposal = codecs.ProposedTransaction.decode(committedProposal.getBytes()).proposal!;
    const replayedEndorse = codecs.EndorseRequest.encode({ transaction_id: committedTxId, channel_id: 'mychannel', proposed_transaction: replayedProposal });
    const endorsedForSubmit = await unary('endorse', endorseRequest(signedProposal({ args: ['UpdateAsset', 'asset1', 'green', '9', 'Zed', '9'] })), 10_000);
    assert.equal(endorsedForSubmit.code, 0, endorsedForSubmit.message);
    const preparedPayload = Buffer.from(codecs.EndorseResponse.decode(endorsedForSubmit.response!).prepared_transaction!.payload!);
    const preparedTxId = codecs.ChannelHeader.decode(codecs.Payload.decode(preparedPayload).header!.channel_header!).tx_id;

    const ns = { channel: 'mychannel', chaincode: 'basic' };
    const ledger = peer.engine.peer.ledger();
    const blocks = ledger.blocks;
    const snapshot = (): string =>
      JSON.stringify({
        height: ledger.height,
        blocks: [blocks.chainInfo.height, blocks.chainInfo.currentBlockHash.toString('hex')],
        state: ledger.state.getStateRange(ns, '', '', '').rows.map((r) => [r.key, r.value.toString('base64'), r.version]),
      });
    const before = snapshot();

    const generators: (() => Promise<Outcome>)[] = [];
    const add = (method: Method, kind: string, weight: number, make: () => Promise<{ result: string; message: string }>): void => {
      for (let w = 0; w < weight; w++) generators.push(async () => ({ method, kind, ...(await make()) }));
    };
    const asUnary =
      (method: Method, request: () => Buffer, deadlineMs = 2000) =>
      async (): Promise<{ result: string; message: string }> => {
        const r = await unary(method, request(), deadlineMs);
        return { result: String(r.code), message: r.message };
      };
    const methods: Method[] = ['evaluate', 'endorse', 'submit', 'commitStatus', 'chaincodeEvents'];
    const validOf = (method: Method): Buffer => {
      switch (method) {
        case 'evaluate':
          return evaluateRequest(signedProposal({}));
        case 'endorse':
          return endorseRequest(signedProposal({ args: ['ReadAsset', 'asset2'] }));
        case 'submit':
          // The committed envelope: any mutation of it is broken or still a replay (an intact copy of
          // the prepared one would rightly commit).
          return committedSubmit;
        case 'commitStatus':
          return signedRequest(codecs.CommitStatusRequest.encode({ transaction_id: committedTxId, channel_id: 'mychannel', identity: user.serialized }), user);
        default:
          return signedRequest(
            codecs.ChaincodeEventsRequest.encode({ channel_id: 'mychannel', chaincode_id: 'basic', identity: user.serialized, start_position: { specified: { number: 0 } } }),
            user,
          );
      }
    };
    // Short deadlines where a valid request would wait (commit status of an unknown txid, event streams).
    const deadlineOf = (method: Method): number => (method === 'commitStatus' || method === 'chaincodeEvents' ? 150 : 3000);
    for (const method of methods) {
      add(
        method,
        'random bytes',
        3,
        asUnary(method, () => bytes(int(600)), deadlineOf(method)),
      );
      add(
        method,
        'mutated',
        6,
        asUnary(method, () => mutate(validOf(method)), deadlineOf(method)),
      );
    }
    const resigned = (make: () => { bytes: Buffer; txId: string }, method: 'evaluate' | 'endorse', channel?: string) =>
      asUnary(method, () => (method === 'evaluate' ? evaluateRequest(make(), channel) : endorseRequest(make(), channel)));
    for (const method of ['evaluate', 'endorse'] as const) {
      add(
        method,
        're-signed, wrong channel',
        2,
        resigned(() => signedProposal({ channel: pick(['otherchannel', '', 'MyChannel', `c${int(1000)}`]) }), method),
      );
      add(
        method,
        're-signed, wrong txid',
        2,
        resigned(() => signedProposal({ txId: pick(['', 'x', randomBytes(32).toString('hex')]) }), method),
      );
      add(
        method,
        're-signed, unknown chaincode',
        1,
        resigned(() => signedProposal({ chaincode: `cc${int(100)}` }), method),
      );
      add(
        method,
        're-signed, mutated proposal bytes',
        3,
        asUnary(method, () => {
          const mutatedProposal = mutate(codecs.SignedProposal.decode(signedProposal({}).bytes).proposal_bytes as Buffer);
          const signed = { bytes: codecs.SignedProposal.encode({ proposal_bytes: mutatedProposal, signature: user.sign(mutatedProposal) }), txId: 't' };
          return method === 'evaluate' ? evaluateRequest(signed) : endorseRequest(signed);
        }),
      );
    }
    add(
      'endorse',
      'replayed proposal',
      2,
      asUnary('endorse', () => replayedEndorse),
    );
    add(
      'submit',
      'replayed envelope',
      2,
      asUnary('submit', () => committedSubmit),
    );
    add(
      'submit',
      'unsigned envelope',
      1,
      asUnary('submit', () => codecs.SubmitRequest.encode({ transaction_id: preparedTxId, channel_id: 'mychannel', prepared_transaction: { payload: preparedPayload } })),
    );
    add(
      'submit',
      'wrong signature',
      2,
      asUnary('submit', () =>
        codecs.SubmitRequest.encode({ transaction_id: preparedTxId, channel_id: 'mychannel', prepared_transaction: { payload: preparedPayload, signature: randomBytes(71) } }),
      ),
    );
    add(
      'submit',
      'mutated payload, re-signed',
      3,
      asUnary('submit', () => {
        let payload = mutate(preparedPayload);
        if (payload.equals(preparedPayload)) payload = Buffer.concat([payload, Buffer.from([0])]);
        return codecs.SubmitRequest.encode({
          transaction_id: preparedTxId,
          channel_id: pick(['mychannel', 'otherchannel']),
          prepared_transaction: { payload, signature: user.sign(payload) },
        });
      }),
    );
    add(
      'commitStatus',
      'wrong channel',
      1,
      asUnary(
        'commitStatus',
        () => signedRequest(codecs.CommitStatusRequest.encode({ transaction_id: committedTxId, channel_id: 'otherchannel', identity: user.serialized }), user),
        150,
      ),
    );
    add(
      'commitStatus',
      'signed by nobody',
      1,
      asUnary(
        'commitStatus',
        () => signedRequest(codecs.CommitStatusRequest.encode({ transaction_id: committedTxId, channel_id: 'mychannel', identity: user.serialized }), null),
        150,
      ),
    );
    for (const method of ['deliver', 'deliverFiltered'] as const) {
      const run =
        (envelope: () => Buffer, deadlineMs = 300) =>
        () =>
          deliver(method, envelope(), deadlineMs);
      add(
        method,
        'random bytes',
        2,
        run(() => bytes(int(400))),
      );
      add(
        method,
        'mutated',
        5,
        run(() => mutate(seekEnvelope('mychannel', 0, 1))),
      );
      add(
        method,
        'unsigned',
        1,
        run(() => seekEnvelope('mychannel', 0, 1, false)),
      );
      add(
        method,
        'wrong channel',
        1,
        run(() => seekEnvelope(pick(['otherchannel', '', 'x']), 0, 0)),
      );
      add(
        method,
        'start after stop',
        1,
        run(() => seekEnvelope('mychannel', 5, 1)),
      );
      add(
        method,
        'beyond the height',
        1,
        run(() => seekEnvelope('mychannel', 1_000_000, 1_000_001)),
      );
    }

    const outcomes: Outcome[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < REQUESTS) {
        next++;
        outcomes.push(await pick(generators)());
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    assert.equal(outcomes.length, REQUESTS);

    // No request found a fault in the peer: an undecodable message is grpc's INTERNAL "unmarshal", nothing else is.
    // Deliver ends every seek with one of Fabric's statuses, before the stream ends.
    const deliverStatuses = new Set(['deliver:SUCCESS', 'deliver:BAD_REQUEST', 'deliver:FORBIDDEN', 'deliver:NOT_FOUND']);
    // Under this traffic (thousands of streams reset by the client) HTTP/2's reset-flood guard
    // (nghttp2's stream reset rate limit) may end the client's connection, failing the calls in
    // flight on it; the client connects again. Rare, and not the peer's doing.
    const sessionResets = outcomes.filter((o) => /Session closed with error code/.test(o.message));
    assert.ok(sessionResets.length <= REQUESTS / 50, `seed ${SEED}: ${sessionResets.length} calls ended with their connection`);
    const faults = outcomes.filter(
      (o) =>
        (!sessionResets.includes(o) && o.message.includes('the embedded peer failed')) ||
        (o.result === String(grpc.status.INTERNAL) && !/unmarshal/.test(o.message)) ||
        o.result === String(grpc.status.UNAVAILABLE) ||
        o.result === 'ended' ||
        (o.result.startsWith('deliver:') && !deliverStatuses.has(o.result)),
    );
    assert.deepEqual(faults.slice(0, 5), [], `seed ${SEED}: ${faults.length} requests hit a fault`);
    // A valid-looking replay is refused for being one.
    const replays = outcomes.filter((o) => o.kind === 'replayed envelope');
    assert.ok(
      replays.every((o) => o.result === String(grpc.status.ABORTED) && /was not endorsed by this peer/.test(o.message)),
      `seed ${SEED}: ${JSON.stringify(replays[0])}`,
    );
    const replayedProposals = outcomes.filter((o) => o.kind === 'replayed proposal');
    assert.ok(
      replayedProposals.every((o) => o.result === String(grpc.status.ABORTED)),
      `seed ${SEED}: ${JSON.stringify(replayedProposals[0])}`,
    );
    const resubmitted = outcomes.filter((o) => o.kind === 'mutated payload, re-signed' && o.result === '0');
    assert.deepEqual(resubmitted, [], `seed ${SEED}: a changed envelope was accepted`);

    const tally = new Map<string, number>();
    for (const o of outcomes) tally.set(`${o.method} ${o.result}`, (tally.get(`${o.method} ${o.result}`) ?? 0) + 1);
    console.log(
      `fuzz seed ${SEED}: ${[...tally]
        .sort()
        .map(([k, v]) => `${k}×${v}`)
        .join(', ')}`,
    );

    // The ledger is as it was, and the peer still serves a real client.
    assert.equal(snapshot(), before, `seed ${SEED}: the ledger changed`);
    assert.equal(JSON.parse(Buffer.from(await contract.evaluateTransaction('ReadAsset', 'asset1')).toString()).Owner, 'Tomoko');
    await contract.submitTransaction('CreateAsset', 'afterfuzz', 'blue', '1', 'x', '1');
    assert.equal(JSON.parse(Buffer.from(await contract.evaluateTransaction('ReadAsset', 'afterfuzz')).toString()).ID, 'afterfuzz');
  });
});
