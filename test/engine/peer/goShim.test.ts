/**
 * The embedded peer against the real Go shims, started as a developer does (dev mode, no TLS):
 * fabric-chaincode-go/v2 (test/fixtures/go/v2) with every shim request, Fabric's simulation
 * semantics, identity, cc2cc, concurrency and failure paths; and the Fabric 1.4 in-tree shim
 * (test/fixtures/go/fabric14) for the 1.x wire form. Fixtures are built by .ci/fixtures.sh.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Peer } from '../../../src/engine/peer/peer';
import { TransactionPipeline } from '../../../src/engine/transactions/pipeline';
import type { ExecuteRequest, ExecuteResult } from '../../../src/engine/transactions/types';
import { ChaincodeProcess, fixtureSkip, goFixtureStatus, GoFixtureName, killAllChaincodeProcesses, requireFixture, startGoFixture } from '../../support/toolchains';
import { waitUntil } from '../../support/waitUntil';

type Row = { key: string; value: string };
type Page = { rows: Row[]; fetched: number; bookmark: string };

const json = <T>(r: ExecuteResult): T => JSON.parse(r.payload.toString('utf8')) as T;
const text = (r: ExecuteResult): string => r.payload.toString('utf8');

/** A peer plus fixture processes; `call` asserts status 200 unless told otherwise. */
function harness(fixture: GoFixtureName, ids: readonly string[]) {
  const h = {
    peer: undefined as unknown as Peer,
    pipeline: undefined as unknown as TransactionPipeline,
    dataDir: '',
    procs: new Map<string, ChaincodeProcess>(),
    logs(): string {
      return [...h.procs.values()].map((p) => p.output(40)).join('\n');
    },
    start(id: string): ChaincodeProcess {
      const p = startGoFixture(fixture, { peerAddress: h.peer.address, chaincodeId: id });
      h.procs.set(id, p);
      return p;
    },
    async ready(id: string): Promise<void> {
      await h.peer.waitForReady(id, 30_000).catch((e: Error) => {
        throw new Error(`${e.message}\n${h.logs()}`);
      });
    },
    async run(args: string[], extra: Partial<ExecuteRequest> = {}): Promise<ExecuteResult> {
      return h.pipeline.execute({ chaincode: ids[0], args, ...extra });
    },
    async call(args: string[], extra: Partial<ExecuteRequest> = {}): Promise<ExecuteResult> {
      const r = await h.run(args, extra);
      assert.equal(r.status, 200, `${args.join(' ')} → ${r.status} ${r.message}\n${h.logs()}`);
      return r;
    },
  };
  before(async () => {
    h.dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `peer-go-${fixture}-`));
    h.peer = await Peer.start({ dataDir: h.dataDir, port: 0, executeTimeoutMs: 15_000, devMode: true, channels: ['mychannel', 'otherchannel'] });
    h.pipeline = new TransactionPipeline(h.peer);
    for (const id of ids) h.start(id);
    for (const id of ids) await h.ready(id);
  });
  after(async () => {
    await killAllChaincodeProcesses();
    await h.peer?.stop();
    fs.rmSync(h.dataDir, { recursive: true, force: true });
  });
  return h;
}

for (const name of ['v2', 'fabric14'] as const) {
  // Skips (with the reason) when not built; fails under CI=true, where .ci/fixtures.sh must build it.
  test(`Go fixture ${name} is built`, { skip: fixtureSkip(goFixtureStatus(name)) }, () => {
    requireFixture(goFixtureStatus(name));
  });
}

describe('peer with the real Go shim (fabric-chaincode-go/v2)', { skip: fixtureSkip(goFixtureStatus('v2')), timeout: 240_000 }, () => {
  const h = harness('v2', ['gocc:1.0', 'gocc2:1.0']);
  const get = async (key: string): Promise<string> => text(await h.call(['get', key], { kind: 'query' }));

  test('registers and is ready on a gRPC stream', () => {
    const info = h.peer.handlers().find((x) => x.chaincodeId === 'gocc:1.0');
    assert.equal(info?.state, 'ready');
    assert.equal(info?.connection, 'grpc');
  });

  test('init runs Init; Init returning 500 reaches the peer as ERROR → status 500', async () => {
    const r = await h.call(['init', 'ik', 'iv'], { kind: 'init' });
    assert.equal(text(r), 'init ok');
    assert.equal(await get('ik'), 'iv');
    const bad = await h.run(['fail', 'init-boom'], { kind: 'init' });
    assert.equal(bad.status, 500);
    assert.match(bad.message, /init-boom/);
    assert.equal(bad.validation, 'NOT_COMMITTED');
  });

  test('put, get, del: writes commit and reads record versions', async () => {
    const w = await h.call(['put', 'k1', 'v1']);
    assert.equal(w.validation, 'VALID');
    assert.equal(typeof w.blockNum, 'number');
    assert.deepEqual(
      w.readWriteSet.writes.map((x) => [x.chaincode, x.collection, x.key, x.value?.toString()]),
      [['gocc', '', 'k1', 'v1']],
    );
    const r = await h.call(['get', 'k1']);
    assert.equal(text(r), 'v1');
    assert.deepEqual(
      r.readWriteSet.reads.map((x) => [x.key, x.version]),
      [['k1', { blockNum: w.blockNum, txNum: 0 }]],
    );
    const d = await h.call(['del', 'k1']);
    assert.deepEqual(
      d.readWriteSet.writes.map((x) => [x.key, x.value]),
      [['k1', null]],
    );
    assert.equal(await get('k1'), '');
    assert.equal(text(await h.call(['get', 'never-written'])), '');
  });

  test('a transaction never reads its own writes (Fabric simulation)', async () => {
    await h.call(['put', 'own', 'old']);
    const r = json<{ before: string; after: string }>(await h.call(['putThenGet', 'own', 'new']));
    assert.deepEqual([r.before, r.after], ['old', 'old']);
    assert.equal(await get('own'), 'new');
    const fresh = json<{ beforeNil: boolean; afterNil: boolean }>(await h.call(['putThenGet', 'own-fresh', 'x']));
    assert.deepEqual([fresh.beforeNil, fresh.afterNil], [true, true]);
  });

  test('a failing function (shim.Error, status 500) commits nothing and emits no event', async () => {
    const r = await h.run(['putThenFail', 'failed-key', 'v']);
    assert.equal(r.status, 500);
    assert.match(r.message, /failing after put of failed-key/);
    assert.equal(r.validation, 'NOT_COMMITTED');
    assert.equal(r.blockNum, null);
    assert.equal(await get('failed-key'), '');
    const f = await h.run(['fail', 'boom']);
    assert.deepEqual([f.status, f.message], [500, 'boom']);
    assert.match((await h.run(['nope'])).message, /unknown function "nope"/);
    const s = await h.run(['status', '404', 'not here']);
    assert.deepEqual([s.status, s.message, s.validation], [404, 'not here', 'NOT_COMMITTED']);
    // Last: Fabric's endorser drops the chaincode event of a response with status >= 400.
    assert.equal(r.event, null, 'a failed transaction must not publish its chaincode event');
  });

  test('range queries are end-exclusive and skip composite keys', async () => {
    for (const k of ['r/a', 'r/b', 'r/c', 'r/d', 'r/e']) await h.call(['put', k, k.toUpperCase()]);
    const rows = json<Row[]>(await h.call(['range', 'r/b', 'r/e']));
    assert.deepEqual(rows, [
      { key: 'r/b', value: 'R/B' },
      { key: 'r/c', value: 'R/C' },
      { key: 'r/d', value: 'R/D' },
    ]);
    await h.call(['putComposite', 'color', 'red', 'car1', 'V1']);
    const all = json<Row[]>(await h.call(['range', '', '']));
    assert.ok(all.some((x) => x.key === 'r/a'));
    assert.ok(!all.some((x) => x.key.startsWith('\u0000')), 'an unbounded range must not return composite keys');
  });

  test('composite keys: GetStateByPartialCompositeKey', async () => {
    await h.call(['putComposite', 'color', 'red', 'car2', 'V2']);
    await h.call(['putComposite', 'color', 'blue', 'car3', 'V3']);
    await h.call(['putComposite', 'size', 'red', 'car9', 'X']);
    const red = json<{ objectType: string; attributes: string[]; value: string }[]>(await h.call(['partial', 'color', 'red']));
    assert.deepEqual(
      red.map((x) => [x.objectType, x.attributes, x.value]),
      [
        ['color', ['red', 'car1'], 'V1'],
        ['color', ['red', 'car2'], 'V2'],
      ],
    );
    const all = json<{ value: string }[]>(await h.call(['partial', 'color']));
    assert.deepEqual(all.map((x) => x.value).sort(), ['V1', 'V2', 'V3']);
  });

  test('paginated range with bookmark', async () => {
    await h.call(['batch', 'pg', '12']); // pg0 … pg11 in byte order: pg0 pg1 pg10 pg11 pg2 …
    const seen: string[] = [];
    let bookmark = '';
    const sizes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const p = json<Page>(await h.call(['rangePage', 'pg', 'ph', '5', bookmark], { kind: 'query' }));
      sizes.push(p.rows.length);
      assert.equal(p.fetched, p.rows.length);
      seen.push(...p.rows.map((r) => r.key));
      bookmark = p.bookmark;
      if (!bookmark) break;
    }
    assert.deepEqual(sizes, [5, 5, 2]);
    assert.deepEqual(seen, ['pg0', 'pg1', 'pg10', 'pg11', 'pg2', 'pg3', 'pg4', 'pg5', 'pg6', 'pg7', 'pg8', 'pg9']);
  });

  test('rich query (Mango selector), also paginated', async () => {
    await h.call(['put', 'car-a', JSON.stringify({ docType: 'car', color: 'red', size: 3 })]);
    await h.call(['put', 'car-b', JSON.stringify({ docType: 'car', color: 'blue', size: 5 })]);
    await h.call(['put', 'car-c', JSON.stringify({ docType: 'car', color: 'red', size: 7 })]);
    const q = JSON.stringify({ selector: { docType: 'car', color: 'red' } });
    assert.deepEqual(
      json<Row[]>(await h.call(['query', q]))
        .map((r) => r.key)
        .sort(),
      ['car-a', 'car-c'],
    );
    const big = JSON.stringify({ selector: { docType: 'car', size: { $gt: 4 } } });
    assert.deepEqual(
      json<Row[]>(await h.call(['query', big]))
        .map((r) => r.key)
        .sort(),
      ['car-b', 'car-c'],
    );
    const p1 = json<Page>(await h.call(['queryPage', JSON.stringify({ selector: { docType: 'car' } }), '2', ''], { kind: 'query' }));
    assert.equal(p1.rows.length, 2);
    const p2 = json<Page>(await h.call(['queryPage', JSON.stringify({ selector: { docType: 'car' } }), '2', p1.bookmark], { kind: 'query' }));
    assert.deepEqual([...p1.rows, ...p2.rows].map((r) => r.key).sort(), ['car-a', 'car-b', 'car-c']);
  });

  test('GetHistoryForKey: newest first, with txids, timestamps and the delete', async () => {
    const a = await h.call(['put', 'hist', 'one']);
    const b = await h.call(['put', 'hist', 'two']);
    const c = await h.call(['del', 'hist']);
    const rows = json<{ txId: string; value: string; isDelete: boolean; hasTimestamp: boolean; seconds: number }[]>(await h.call(['history', 'hist']));
    assert.deepEqual(
      rows.map((r) => [r.txId, r.value, r.isDelete]),
      [
        [c.txId, '', true],
        [b.txId, 'two', false],
        [a.txId, 'one', false],
      ],
    );
    assert.ok(rows.every((r) => r.hasTimestamp && Math.abs(r.seconds - Date.now() / 1000) < 300));
  });

  test('state metadata: Set/GetStateValidationParameter', async () => {
    await h.call(['put', 'ep-key', 'v']);
    const s = await h.call(['setEP', 'ep-key', 'policy-bytes']);
    assert.deepEqual(
      s.readWriteSet.metadataWrites.map((m) => [m.key, m.metakey, m.value.toString()]),
      [['ep-key', 'VALIDATION_PARAMETER', 'policy-bytes']],
    );
    assert.equal(text(await h.call(['getEP', 'ep-key'])), 'policy-bytes');
    assert.equal(text(await h.call(['getEP', 'k-without-ep'])), '');
    await h.call(['putPrivate', 'coll1', 'pep', 'v']);
    await h.call(['setPrivateEP', 'coll1', 'pep', 'private-policy']);
    assert.equal(text(await h.call(['getPrivateEP', 'coll1', 'pep'])), 'private-policy');
  });

  test('private data: put/get/hash/range/del/purge', async () => {
    const w = await h.call(['putPrivate', 'coll1', 'pk', 'pv']);
    assert.deepEqual(
      w.readWriteSet.writes.map((x) => [x.collection, x.key]),
      [['coll1', 'pk']],
    );
    assert.equal(text(await h.call(['getPrivate', 'coll1', 'pk'])), 'pv');
    assert.equal(text(await h.call(['getPrivate', 'coll2', 'pk'])), '', 'collections are separate');
    assert.equal(await get('pk'), '', 'private data is not public state');
    assert.equal(text(await h.call(['hashPrivate', 'coll1', 'pk'])), createHash('sha256').update('pv').digest('hex'));
    await h.call(['putPrivate', 'coll1', 'pk2', 'pv2']);
    assert.deepEqual(json<Row[]>(await h.call(['rangePrivate', 'coll1', 'pk', 'pl'])), [
      { key: 'pk', value: 'pv' },
      { key: 'pk2', value: 'pv2' },
    ]);
    await h.call(['delPrivate', 'coll1', 'pk']);
    assert.equal(text(await h.call(['getPrivate', 'coll1', 'pk'])), '');
    assert.equal(text(await h.call(['hashPrivate', 'coll1', 'pk'])), '');
    const p = await h.call(['purgePrivate', 'coll1', 'pk2']);
    assert.deepEqual(
      p.readWriteSet.writes.map((x) => [x.key, x.purge === true]),
      [['pk2', true]],
    );
    assert.equal(text(await h.call(['getPrivate', 'coll1', 'pk2'])), '');
  });

  test('transient map reaches the chaincode and not the proposal args', async () => {
    const t = json<Record<string, string>>(await h.call(['transient'], { transient: { secret: 's3cr3t', other: 'x' } }));
    assert.deepEqual(t, { secret: 's3cr3t', other: 'x' });
    await h.call(['putPrivateTransient', 'coll1', 'tk', 'secret'], { transient: { secret: 's3cr3t' } });
    assert.equal(text(await h.call(['getPrivate', 'coll1', 'tk'])), 's3cr3t');
    const info = json<{ proposalArgs: string[]; transientKeys: string[] }>(await h.call(['txinfo'], { transient: { secret: 'y' } }));
    assert.deepEqual([info.proposalArgs, info.transientKeys], [['txinfo'], ['secret']]);
  });

  test('txinfo: creator Org1MSP with a PEM certificate, channel, txid, timestamp, binding, signed proposal', async () => {
    const r = await h.call(['txinfo']);
    const i = json<Record<string, string | number | boolean | string[]>>(r);
    assert.equal(i.mspId, 'Org1MSP');
    assert.equal(i.creatorIsPem, true);
    assert.deepEqual([i.txId, i.headerTxId, i.channelId, i.headerChannelId], [r.txId, r.txId, 'mychannel', 'mychannel']);
    assert.equal(i.headerType, 3, 'ChannelHeader.type must be ENDORSER_TRANSACTION');
    assert.equal(i.headerChaincodeName, 'gocc');
    assert.equal(i.txIdMatchesNonceCreatorHash, true, 'txid = hex(sha256(nonce ‖ creator))');
    assert.match(String(i.binding), /^[0-9a-f]{64}$/);
    assert.ok(Math.abs(Number(i.seconds) - Date.now() / 1000) < 60, `timestamp ${String(i.seconds)} is not now`);
    const other = json<{ channelId: string }>(await h.call(['txinfo'], { channel: 'otherchannel' }));
    assert.equal(other.channelId, 'otherchannel');
  });

  test('InvokeChaincode: the callee runs on the same tx and its writes commit with the caller', async () => {
    const r = await h.call(['cc2cc', 'gocc2', '', 'put', 'x', 'from-gocc']);
    assert.deepEqual(json(r), { status: 200, message: '', payload: 'put x' });
    assert.deepEqual(
      r.readWriteSet.writes.map((w) => [w.chaincode, w.key]),
      [['gocc2', 'x']],
    );
    assert.equal(text(await h.pipeline.execute({ chaincode: 'gocc2:1.0', args: ['get', 'x'] })), 'from-gocc');
    assert.equal(await get('x'), '', "the callee's state is its own namespace");
    const failed = json<{ status: number; message: string }>(await h.call(['cc2cc', 'gocc2', '', 'fail', 'callee-says-no']));
    assert.deepEqual([failed.status, failed.message], [500, 'callee-says-no']);
    const missing = json<{ status: number }>(await h.call(['cc2cc', 'no-such-cc', '', 'get', 'x']));
    assert.equal(missing.status, 500);
  });

  test('SetEvent reaches the result', async () => {
    const r = await h.call(['event', 'myevent', 'event-payload']);
    assert.equal(r.event?.eventName, 'myevent');
    assert.equal(r.event?.payload.toString(), 'event-payload');
    assert.equal((await h.call(['get', 'k1'])).event, null);
  });

  test('GetMultipleStates, write batches and args round-trip', async () => {
    await h.call(['put', 'm1', 'a']);
    await h.call(['put', 'm2', 'b']);
    assert.deepEqual(json(await h.call(['getMulti', 'm1', 'm2', 'm3'])), ['a', 'b', null]);
    const b = await h.call(['batch', 'bt', '3']);
    assert.deepEqual(b.readWriteSet.writes.map((w) => [w.key, w.value?.toString()]).sort(), [
      ['bt0', 'v0'],
      ['bt1', 'v1'],
      ['bt2', 'v2'],
    ]);
    assert.deepEqual(json(await h.call(['echo', 'ünïcødé ✓', ''])), ['echo', 'ünïcødé ✓', '']);
  });

  test('20 parallel transactions on one stream all commit', async () => {
    const rs = await Promise.all(Array.from({ length: 20 }, (_, i) => h.call(['put', `par/${String(i).padStart(2, '0')}`, `v${i}`])));
    assert.equal(new Set(rs.map((r) => r.txId)).size, 20);
    assert.ok(rs.every((r) => r.validation === 'VALID'));
    const rows = json<Row[]>(await h.call(['range', 'par/', 'par0']));
    assert.equal(rows.length, 20);
    const t0 = Date.now();
    await Promise.all(Array.from({ length: 5 }, () => h.call(['sleep', '600'])));
    assert.ok(Date.now() - t0 < 2500, `5 × 600 ms sleeps took ${Date.now() - t0} ms: transactions are not concurrent`);
  });

  test('concurrent read-then-write of one key: one VALID, one MVCC_READ_CONFLICT', async () => {
    await h.call(['put', 'mvcc', 'start']);
    const rs = await Promise.all([h.run(['readSleepWrite', 'mvcc', 'A', '400']), h.run(['readSleepWrite', 'mvcc', 'B', '400'])]);
    assert.deepEqual(
      rs.map((r) => r.status),
      [200, 200],
    );
    assert.deepEqual(rs.map((r) => r.validation).sort(), ['MVCC_READ_CONFLICT', 'VALID']);
    const winner = rs.find((r) => r.validation === 'VALID');
    assert.equal(await get('mvcc'), winner === rs[0] ? 'A' : 'B');
  });

  test('an execute timeout fails the tx; the late COMPLETED is dropped and the stream stays usable', async () => {
    const diagnostics: string[] = [];
    const sub = h.peer.onDiagnostic((d) => diagnostics.push(d.message));
    try {
      const r = await h.run(['sleep', '2500'], { timeoutMs: 500 });
      assert.equal(r.status, 500);
      assert.match(r.message, /time/i);
      assert.equal(r.validation, 'NOT_COMMITTED');
      // The chaincode answers when its sleep ends, for a transaction the peer has already failed.
      await waitUntil(() => diagnostics.includes(`COMPLETED for unknown transaction mychannel/${r.txId} dropped`), 20_000, `the late COMPLETED of ${r.txId}`);
    } finally {
      sub.dispose();
    }
    assert.equal(h.peer.handlers().find((x) => x.chaincodeId === 'gocc:1.0')?.state, 'ready', h.logs());
    assert.equal(text(await h.call(['put', 'after-timeout', 'ok'])), 'put after-timeout');
  });

  test('a chaincode that exits or panics fails its pending transactions at once', async () => {
    for (const [id, fn, code] of [
      ['gocc-exit:1.0', 'exit', 3],
      ['gocc-panic:1.0', 'panic', 2],
    ] as const) {
      const p = h.start(id);
      await h.ready(id);
      const slow = h.pipeline.execute({ chaincode: id, args: ['sleep', '4000'], timeoutMs: 12_000 });
      const t0 = Date.now();
      const r = await h.pipeline.execute({ chaincode: id, args: [fn, 'now'], timeoutMs: 12_000 });
      const pending = await slow;
      assert.equal(r.status, 500, `${fn}: ${r.message}`);
      assert.equal(pending.status, 500);
      assert.ok(Date.now() - t0 < 3500, `${fn}: pending tx took ${Date.now() - t0} ms to fail (stream end must fail it at once)`);
      assert.equal(await p.exited, code, p.output());
      if (fn === 'panic')
        assert.ok(
          p.lines().some((l) => l.includes('fixture panic: now')),
          p.output(),
        );
      assert.notEqual(h.peer.handlers().find((x) => x.chaincodeId === id)?.state, 'ready');
    }
  });
});

describe('peer with the Fabric 1.4 in-tree Go shim', { skip: fixtureSkip(goFixtureStatus('fabric14')), timeout: 120_000 }, () => {
  const h = harness('fabric14', ['gocc14:1.0']);

  test('registers, runs Init and put/get/del', async () => {
    assert.equal(h.peer.handlers().find((x) => x.chaincodeId === 'gocc14:1.0')?.state, 'ready');
    assert.equal(text(await h.call(['init', 'a', '1'], { kind: 'init' })), 'init ok');
    assert.equal(text(await h.call(['get', 'a'])), '1');
    const w = await h.call(['put', 'k', 'v']);
    assert.deepEqual(
      w.readWriteSet.writes.map((x) => [x.chaincode, x.key, x.value?.toString()]),
      [['gocc14', 'k', 'v']],
    );
    assert.equal(text(await h.call(['get', 'k'])), 'v');
    await h.call(['del', 'k']);
    assert.equal(text(await h.call(['get', 'k'])), '');
  });

  test('GetState of a missing key is nil for the 1.4 shim, and a tx never reads its own writes', async () => {
    // Fabric's Go peer leaves an empty RESPONSE payload off the wire; golang/protobuf 1.2 (used by
    // the 1.4 shim) decodes a present zero-length field as []byte{} instead, which breaks the
    // idiomatic `if value == nil` existence check of 1.x chaincode.
    assert.deepEqual(json(await h.call(['putThenGet', 'fresh', 'x'])), { after: '', afterNil: true });
  });

  test('range and history', async () => {
    for (const k of ['r1', 'r2', 'r3']) await h.call(['put', k, k]);
    assert.deepEqual(
      json<Row[]>(await h.call(['range', 'r1', 'r3'])).map((r) => r.key),
      ['r1', 'r2'],
    );
    const a = await h.call(['put', 'hk', 'one']);
    const b = await h.call(['del', 'hk']);
    const rows = json<{ txId: string; value: string; isDelete: boolean }[]>(await h.call(['history', 'hk']));
    assert.deepEqual(
      rows.map((r) => [r.txId, r.value, r.isDelete]),
      [
        [b.txId, '', true],
        [a.txId, 'one', false],
      ],
    );
  });

  test('event, error and the creator', async () => {
    const e = await h.call(['event', 'evt14', 'p']);
    assert.deepEqual([e.event?.eventName, e.event?.payload.toString()], ['evt14', 'p']);
    const f = await h.run(['fail', 'old-shim-fails']);
    assert.deepEqual([f.status, f.message, f.validation], [500, 'old-shim-fails', 'NOT_COMMITTED']);
    const i = json<{ txId: string; channelId: string; mspId: string }>(await h.call(['txinfo']));
    assert.equal(i.mspId, 'Org1MSP');
    assert.equal(i.channelId, 'mychannel');
  });

  test('20 parallel transactions', async () => {
    const rs = await Promise.all(Array.from({ length: 20 }, (_, i) => h.call(['put', `p${String(i).padStart(2, '0')}`, `${i}`])));
    assert.ok(rs.every((r) => r.validation === 'VALID'));
    assert.equal(json<Row[]>(await h.call(['range', 'p00', 'p99'])).length, 20);
  });
});
