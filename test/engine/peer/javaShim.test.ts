/**
 * The embedded peer against the real Java shim (fabric-chaincode-shim 2.5.x, test/fixtures/java),
 * started as a developer does: `CORE_CHAINCODE_ID_NAME=… CORE_PEER_ADDRESS=… java -jar javacc.jar`.
 * Every fixture function, Fabric's simulation semantics, identity, cc2cc, concurrency and the
 * failure paths. The jar is built by .ci/fixtures.sh.
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
import { ChaincodeProcess, fixtureSkip, javaFixtureStatus, killAllChaincodeProcesses, requireFixture, startJavaFixture } from '../../support/toolchains';
import { waitUntil } from '../../support/waitUntil';

type Row = { key: string; value: string };
type Page = { rows: Row[]; fetched: number; bookmark: string };

const json = <T>(r: ExecuteResult): T => JSON.parse(r.payload.toString('utf8')) as T;
const text = (r: ExecuteResult): string => r.payload.toString('utf8');
const CC = 'javacc:1.0';

// Skips (with the reason) when not built; fails under CI=true, where .ci/fixtures.sh must build it.
test('Java fixture is built', { skip: fixtureSkip(javaFixtureStatus()) }, () => {
  requireFixture(javaFixtureStatus());
});

describe('peer with the real Java shim (fabric-chaincode-shim 2.5)', { skip: fixtureSkip(javaFixtureStatus()), timeout: 240_000 }, () => {
  let peer: Peer;
  let pipeline: TransactionPipeline;
  let dataDir = '';
  const procs = new Map<string, ChaincodeProcess>();
  const logs = (): string => [...procs.values()].map((p) => p.output(40)).join('\n');
  const start = (id: string): ChaincodeProcess => {
    const p = startJavaFixture({ peerAddress: peer.address, chaincodeId: id });
    procs.set(id, p);
    return p;
  };
  const ready = (id: string): Promise<unknown> =>
    peer.waitForReady(id, 60_000).catch((e: Error) => {
      throw new Error(`${e.message}\n${logs()}`);
    });
  const run = (args: string[], extra: Partial<ExecuteRequest> = {}): Promise<ExecuteResult> => pipeline.execute({ chaincode: CC, args, ...extra });
  const call = async (args: string[], extra: Partial<ExecuteRequest> = {}): Promise<ExecuteResult> => {
    const r = await run(args, extra);
    assert.equal(r.status, 200, `${args.join(' ')} → ${r.status} ${r.message}\n${logs()}`);
    return r;
  };
  const get = async (key: string): Promise<string> => text(await call(['get', key], { kind: 'query' }));

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'peer-java-'));
    peer = await Peer.start({ dataDir, port: 0, executeTimeoutMs: 15_000, devMode: true, channels: ['mychannel', 'otherchannel'] });
    pipeline = new TransactionPipeline(peer);
    start(CC);
    start('javacc2:1.0');
    await ready(CC);
    await ready('javacc2:1.0');
  });

  after(async () => {
    await killAllChaincodeProcesses();
    await peer?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('registers and is ready on a gRPC stream', () => {
    const info = peer.handlers().find((x) => x.chaincodeId === CC);
    assert.equal(info?.state, 'ready');
    assert.equal(info?.connection, 'grpc');
  });

  test('init runs init(); an init error is a 500 that commits nothing', async () => {
    assert.equal(text(await call(['init', 'ik', 'iv'], { kind: 'init' })), 'init ok');
    assert.equal(await get('ik'), 'iv');
    const bad = await run(['putThenFail', 'init-fail-key', 'v'], { kind: 'init' });
    assert.deepEqual([bad.status, bad.validation], [500, 'NOT_COMMITTED']);
    assert.match(bad.message, /failing after put of init-fail-key/);
    assert.equal(await get('init-fail-key'), '');
  });

  test('put, get, del: writes commit and reads record versions', async () => {
    const w = await call(['put', 'k1', 'v1']);
    assert.equal(w.validation, 'VALID');
    assert.deepEqual(
      w.readWriteSet.writes.map((x) => [x.chaincode, x.collection, x.key, x.value?.toString()]),
      [['javacc', '', 'k1', 'v1']],
    );
    const r = await call(['get', 'k1']);
    assert.equal(text(r), 'v1');
    assert.deepEqual(
      r.readWriteSet.reads.map((x) => [x.key, x.version]),
      [['k1', { blockNum: w.blockNum, txNum: 0 }]],
    );
    const d = await call(['del', 'k1']);
    assert.deepEqual(
      d.readWriteSet.writes.map((x) => [x.key, x.value]),
      [['k1', null]],
    );
    assert.equal(await get('k1'), '');
  });

  test('a transaction never reads its own writes (Fabric simulation)', async () => {
    await call(['put', 'own', 'old']);
    const r = json<{ before: string; after: string }>(await call(['putThenGet', 'own', 'new']));
    assert.deepEqual([r.before, r.after], ['old', 'old']);
    assert.equal(await get('own'), 'new');
    const fresh = json<{ beforeNil: boolean; afterNil: boolean }>(await call(['putThenGet', 'own-fresh', 'x']));
    assert.deepEqual([fresh.beforeNil, fresh.afterNil], [true, true]);
  });

  test('failures: error response, thrown exception and custom status commit nothing', async () => {
    const r = await run(['putThenFail', 'failed-key', 'v']);
    assert.deepEqual([r.status, r.validation, r.blockNum], [500, 'NOT_COMMITTED', null]);
    assert.match(r.message, /failing after put of failed-key/);
    assert.equal(await get('failed-key'), '');
    const f = await run(['fail', 'boom']);
    assert.deepEqual([f.status, f.message], [500, 'boom']);
    const t = await run(['throw', 'up']);
    assert.equal(t.status, 500);
    assert.match(t.message, /fixture throws: up/);
    assert.equal(t.validation, 'NOT_COMMITTED');
    assert.match((await run(['nope'])).message, /unknown function "nope"/);
    // The Java shim only sends statuses of its Response.Status enum (200, 400, 500).
    const s = await run(['status', '400', 'bad request']);
    assert.deepEqual([s.status, s.message, s.validation], [400, 'bad request', 'NOT_COMMITTED']);
    // Last: Fabric's endorser drops the chaincode event of a response with status >= 400.
    assert.equal(r.event, null, 'a failed transaction must not publish its chaincode event');
  });

  test('range queries and composite keys', async () => {
    for (const k of ['r/a', 'r/b', 'r/c', 'r/d']) await call(['put', k, k.toUpperCase()]);
    assert.deepEqual(json<Row[]>(await call(['range', 'r/b', 'r/d'])), [
      { key: 'r/b', value: 'R/B' },
      { key: 'r/c', value: 'R/C' },
    ]);
    await call(['putComposite', 'color', 'red', 'car1', 'V1']);
    await call(['putComposite', 'color', 'red', 'car2', 'V2']);
    await call(['putComposite', 'color', 'blue', 'car3', 'V3']);
    const red = json<{ objectType: string; attributes: string[]; value: string }[]>(await call(['partial', 'color', 'red']));
    assert.deepEqual(
      red.map((x) => [x.objectType, x.attributes, x.value]),
      [
        ['color', ['red', 'car1'], 'V1'],
        ['color', ['red', 'car2'], 'V2'],
      ],
    );
    assert.equal(json<Row[]>(await call(['partial', 'color'])).length, 3);
    const all = json<Row[]>(await call(['range', '', '']));
    assert.ok(all.some((x) => x.key === 'r/a'));
    assert.ok(!all.some((x) => x.key.startsWith('\u0000')), 'an unbounded range must not return composite keys');
  });

  test('paginated range and rich query with bookmarks', async () => {
    for (let i = 0; i < 7; i++) await call(['put', `pg${i}`, JSON.stringify({ docType: 'pg', n: i })]);
    const seen: string[] = [];
    let bookmark = '';
    for (let i = 0; i < 5; i++) {
      const p = json<Page>(await call(['rangePage', 'pg', 'ph', '3', bookmark], { kind: 'query' }));
      assert.equal(p.fetched, p.rows.length);
      seen.push(...p.rows.map((r) => r.key));
      bookmark = p.bookmark;
      if (!bookmark) break;
    }
    assert.deepEqual(seen, ['pg0', 'pg1', 'pg2', 'pg3', 'pg4', 'pg5', 'pg6']);
    const q = JSON.stringify({ selector: { docType: 'pg', n: { $gte: 4 } } });
    assert.deepEqual(
      json<Row[]>(await call(['query', q]))
        .map((r) => r.key)
        .sort(),
      ['pg4', 'pg5', 'pg6'],
    );
    const p1 = json<Page>(await call(['queryPage', q, '2', ''], { kind: 'query' }));
    const p2 = json<Page>(await call(['queryPage', q, '2', p1.bookmark], { kind: 'query' }));
    assert.deepEqual([p1.rows.length, p2.rows.length], [2, 1]);
  });

  test('GetHistoryForKey: newest first with the delete', async () => {
    const a = await call(['put', 'hist', 'one']);
    const b = await call(['put', 'hist', 'two']);
    const c = await call(['del', 'hist']);
    const rows = json<{ txId: string; value: string; isDelete: boolean; hasTimestamp: boolean }[]>(await call(['history', 'hist']));
    assert.deepEqual(
      rows.map((r) => [r.txId, r.value, r.isDelete]),
      [
        [c.txId, '', true],
        [b.txId, 'two', false],
        [a.txId, 'one', false],
      ],
    );
    assert.ok(rows.every((r) => r.hasTimestamp));
  });

  test('state metadata: validation parameters, public and private', async () => {
    await call(['put', 'ep-key', 'v']);
    const s = await call(['setEP', 'ep-key', 'policy-bytes']);
    assert.deepEqual(
      s.readWriteSet.metadataWrites.map((m) => [m.key, m.metakey, m.value.toString()]),
      [['ep-key', 'VALIDATION_PARAMETER', 'policy-bytes']],
    );
    assert.equal(text(await call(['getEP', 'ep-key'])), 'policy-bytes');
    assert.equal(text(await call(['getEP', 'no-ep'])), '');
    await call(['putPrivate', 'coll1', 'pep', 'v']);
    await call(['setPrivateEP', 'coll1', 'pep', 'private-policy']);
    assert.equal(text(await call(['getPrivateEP', 'coll1', 'pep'])), 'private-policy');
  });

  test('private data and the transient map', async () => {
    await call(['putPrivate', 'coll1', 'pk', 'pv']);
    assert.equal(text(await call(['getPrivate', 'coll1', 'pk'])), 'pv');
    assert.equal(await get('pk'), '');
    assert.equal(text(await call(['hashPrivate', 'coll1', 'pk'])), createHash('sha256').update('pv').digest('hex'));
    await call(['putPrivate', 'coll1', 'pk2', 'pv2']);
    assert.deepEqual(
      json<Row[]>(await call(['rangePrivate', 'coll1', 'pk', 'pl'])).map((r) => r.key),
      ['pk', 'pk2'],
    );
    await call(['delPrivate', 'coll1', 'pk']);
    assert.equal(text(await call(['getPrivate', 'coll1', 'pk'])), '');
    const p = await call(['purgePrivate', 'coll1', 'pk2']);
    assert.deepEqual(
      p.readWriteSet.writes.map((x) => [x.key, x.purge === true]),
      [['pk2', true]],
    );
    assert.equal(text(await call(['getPrivate', 'coll1', 'pk2'])), '');
    assert.deepEqual(json(await call(['transient'], { transient: { secret: 's3cr3t' } })), { secret: 's3cr3t' });
    await call(['putPrivateTransient', 'coll1', 'tk', 'secret'], { transient: { secret: 'from-transient' } });
    assert.equal(text(await call(['getPrivate', 'coll1', 'tk'])), 'from-transient');
  });

  test('txinfo: creator Org1MSP with a PEM certificate, channel, txid, timestamp, binding', async () => {
    const r = await call(['txinfo'], { transient: { t1: 'x' } });
    const i = json<Record<string, string | number | boolean | string[]>>(r);
    assert.equal(i.mspId, 'Org1MSP');
    assert.equal(i.creatorIsPem, true);
    assert.notEqual(i.creatorSubject, '', 'the creator certificate parses as X.509');
    assert.deepEqual([i.txId, i.headerTxId, i.channelId, i.headerChannelId], [r.txId, r.txId, 'mychannel', 'mychannel']);
    assert.equal(i.headerType, 3);
    assert.equal(i.txIdMatchesNonceCreatorHash, true);
    assert.match(String(i.binding), /^[0-9a-f]{64}$/);
    assert.ok(Math.abs(Number(i.seconds) - Date.now() / 1000) < 60);
    assert.deepEqual([i.proposalArgs, i.transientKeys], [['txinfo'], ['t1']]);
    assert.equal(json<{ channelId: string }>(await call(['txinfo'], { channel: 'otherchannel' })).channelId, 'otherchannel');
  });

  test('invokeChaincode and events', async () => {
    const r = await call(['cc2cc', 'javacc2', '', 'put', 'x', 'from-javacc']);
    assert.deepEqual(json(r), { status: 200, message: '', payload: 'put x' });
    assert.deepEqual(
      r.readWriteSet.writes.map((w) => [w.chaincode, w.key]),
      [['javacc2', 'x']],
    );
    assert.equal(text(await pipeline.execute({ chaincode: 'javacc2:1.0', args: ['get', 'x'] })), 'from-javacc');
    const failed = json<{ status: number; message: string }>(await call(['cc2cc', 'javacc2', '', 'fail', 'callee-says-no']));
    assert.deepEqual([failed.status, failed.message], [500, 'callee-says-no']);
    const e = await call(['event', 'jevent', 'jpayload']);
    assert.deepEqual([e.event?.eventName, e.event?.payload.toString()], ['jevent', 'jpayload']);
    assert.deepEqual(json(await call(['echo', 'ünïcødé ✓'])), ['echo', 'ünïcødé ✓']);
  });

  test('20 parallel transactions, and 5 run at once on the shim thread pool', async () => {
    const rs = await Promise.all(Array.from({ length: 20 }, (_, i) => call(['put', `par/${String(i).padStart(2, '0')}`, `v${i}`])));
    assert.ok(rs.every((r) => r.validation === 'VALID'));
    assert.equal(json<Row[]>(await call(['range', 'par/', 'par0'])).length, 20);
    const t0 = Date.now();
    await Promise.all(Array.from({ length: 5 }, () => call(['sleep', '600'])));
    assert.ok(Date.now() - t0 < 2500, `5 × 600 ms sleeps took ${Date.now() - t0} ms`);
  });

  test('concurrent read-then-write of one key: one VALID, one MVCC_READ_CONFLICT', async () => {
    await call(['put', 'mvcc', 'start']);
    const rs = await Promise.all([run(['readSleepWrite', 'mvcc', 'A', '400']), run(['readSleepWrite', 'mvcc', 'B', '400'])]);
    assert.deepEqual(
      rs.map((r) => r.status),
      [200, 200],
    );
    assert.deepEqual(rs.map((r) => r.validation).sort(), ['MVCC_READ_CONFLICT', 'VALID']);
  });

  test('an execute timeout fails the tx; the late COMPLETED is dropped and the stream stays usable', async () => {
    const diagnostics: string[] = [];
    const sub = peer.onDiagnostic((d) => diagnostics.push(d.message));
    try {
      const r = await run(['sleep', '2500'], { timeoutMs: 500 });
      assert.deepEqual([r.status, r.validation], [500, 'NOT_COMMITTED']);
      assert.match(r.message, /time/i);
      // The chaincode answers when its sleep ends, for a transaction the peer has already failed.
      await waitUntil(() => diagnostics.includes(`COMPLETED for unknown transaction mychannel/${r.txId} dropped`), 20_000, `the late COMPLETED of ${r.txId}`);
    } finally {
      sub.dispose();
    }
    assert.equal(peer.handlers().find((x) => x.chaincodeId === CC)?.state, 'ready', logs());
    await call(['put', 'after-timeout', 'ok']);
  });

  test('a chaincode that exits fails its pending transactions at once', async () => {
    const id = 'javacc-exit:1.0';
    const p = start(id);
    await ready(id);
    const slow = pipeline.execute({ chaincode: id, args: ['sleep', '5000'], timeoutMs: 12_000 });
    const t0 = Date.now();
    const r = await pipeline.execute({ chaincode: id, args: ['exit'], timeoutMs: 12_000 });
    assert.equal(r.status, 500);
    assert.equal((await slow).status, 500);
    assert.ok(Date.now() - t0 < 4000, `pending tx took ${Date.now() - t0} ms to fail`);
    assert.equal(await p.exited, 3, p.output());
    assert.notEqual(peer.handlers().find((x) => x.chaincodeId === id)?.state, 'ready');
  });
});

describe('peer with the Java contract API (ContractRouter)', { skip: fixtureSkip(javaFixtureStatus()), timeout: 120_000 }, () => {
  let peer: Peer;
  let pipeline: TransactionPipeline;
  let dataDir = '';
  let proc: ChaincodeProcess | undefined;
  const ID = 'javacontract:1.0';
  const run = (args: string[]): Promise<ExecuteResult> => pipeline.execute({ chaincode: ID, args });

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'peer-java-contract-'));
    peer = await Peer.start({ dataDir, port: 0, executeTimeoutMs: 15_000, devMode: true, channels: ['mychannel', 'otherchannel'] });
    pipeline = new TransactionPipeline(peer);
    proc = startJavaFixture({ peerAddress: peer.address, chaincodeId: ID, contractApi: true });
    await peer.waitForReady(ID, 60_000).catch((e: Error) => {
      throw new Error(`${e.message}\n${proc?.output()}`);
    });
  });

  after(async () => {
    await killAllChaincodeProcesses();
    await peer?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test("routes transactions, and ClientIdentity parses the peer's PEM creator", async () => {
    const p = await run(['put', 'ck', 'cv']);
    assert.equal(p.status, 200, `${p.message}\n${proc?.output()}`);
    assert.equal(text(p), 'put ck');
    assert.equal(text(await run(['fixture:get', 'ck'])), 'cv');
    const who = await run(['whoami']);
    assert.equal(who.status, 200, `${who.message}\n${proc?.output()}`);
    const w = json<{ mspId: string; id: string; txId: string }>(who);
    assert.equal(w.mspId, 'Org1MSP');
    assert.match(w.id, /^x509::.+::.+$/);
    assert.equal(w.txId, who.txId);
    const e = await run(['event', 'cevent', 'cpayload']);
    assert.deepEqual([e.status, e.event?.eventName, e.event?.payload.toString()], [200, 'cevent', 'cpayload']);
  });

  test('a ChaincodeException is a 500 that commits nothing; an unknown function is refused', async () => {
    const r = await run(['putThenThrow', 'ck2', 'contract-says-no']);
    assert.deepEqual([r.status, r.validation], [500, 'NOT_COMMITTED']);
    assert.match(r.message, /contract-says-no/);
    assert.equal(text(await run(['get', 'ck2'])), '');
    const u = await run(['noSuchFunction']);
    assert.equal(u.status, 500);
  });
});
