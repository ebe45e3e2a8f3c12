/**
 * The embedded peer against the real npm fabric-shim 2.5.8: a low-level chaincode started as a
 * child process, exercising every shim request, Fabric's simulation semantics and the identity.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Peer } from '../../../src/engine/peer/peer';
import { TransactionPipeline } from '../../../src/engine/transactions/pipeline';
import type { HandlerStateChange } from '../../../src/engine/peer/types';
import { RunningProcess, startLowLevelFixture } from '../../support/nodeChaincode';

const CC = 'lowlevel:1.0';

function json<T = Record<string, unknown>>(payload: Buffer): T {
  return JSON.parse(payload.toString('utf8')) as T;
}

describe('peer with a real fabric-shim low-level chaincode', () => {
  let peer: Peer;
  let pipeline: TransactionPipeline;
  let dataDir: string;
  const processes: RunningProcess[] = [];
  const changes: HandlerStateChange[] = [];

  const invoke = async (...args: string[]) => {
    const r = await pipeline.execute({ chaincode: CC, args });
    assert.equal(r.status, 200, `${args[0]} failed: ${r.message}`);
    return r;
  };
  const query = async (...args: string[]) => json((await pipeline.execute({ chaincode: CC, args, kind: 'query' })).payload);

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'peer-node-'));
    peer = await Peer.start({ dataDir, port: 0, executeTimeoutMs: 10_000, channels: ['mychannel', 'otherchannel'] });
    pipeline = new TransactionPipeline(peer);
    peer.onDidChangeHandlerState((c) => changes.push(c));
    processes.push(startLowLevelFixture(CC, peer.address));
    await peer.waitForReady(CC, 20_000).catch((e: Error) => {
      throw new Error(`${e.message}\n${processes[0].output()}`);
    });
  });

  after(async () => {
    await Promise.all(processes.map((p) => p.kill()));
    await peer.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('registers through created → established → ready', () => {
    const states = changes.filter((c) => c.handler.chaincodeId === CC || c.previous === null).map((c) => c.handler.state);
    assert.deepEqual(
      states.filter((s, i) => s !== states[i - 1]),
      ['created', 'established', 'ready'],
    );
    const info = peer.handlers().find((h) => h.chaincodeId === CC);
    assert.equal(info?.state, 'ready');
  });

  test('init runs Init', async () => {
    const r = await pipeline.execute({ chaincode: CC, args: ['initPut', 'fromInit', 'yes'], kind: 'init' });
    assert.equal(r.status, 200);
    assert.equal(r.payload.toString(), 'init ok');
    assert.equal((await query('get', 'fromInit')).value, 'yes');
  });

  test('put then get commits and records versions in the read set', async () => {
    const w = await invoke('put', 'k1', 'v1');
    assert.equal(w.validation, 'VALID');
    assert.deepEqual(
      w.readWriteSet.writes.map((x) => [x.key, x.value?.toString()]),
      [['k1', 'v1']],
    );
    const r = await pipeline.execute({ chaincode: CC, args: ['get', 'k1'] });
    assert.equal(json(r.payload).value, 'v1');
    assert.equal(r.readWriteSet.reads.length, 1);
    assert.deepEqual(r.readWriteSet.reads[0].version, { blockNum: w.blockNum, txNum: 0 });
  });

  test('a transaction never reads its own writes (Fabric simulation)', async () => {
    await invoke('put', 'own', 'before');
    const r = await invoke('putThenGet', 'own', 'after');
    assert.equal(json(r.payload).readBack, 'before');
    assert.equal((await query('get', 'own')).value, 'after');
  });

  test('an error status commits nothing', async () => {
    await invoke('put', 'guarded', 'original');
    const r = await pipeline.execute({ chaincode: CC, args: ['putThenFail', 'guarded', 'changed'] });
    assert.equal(r.status, 500);
    assert.match(r.message, /refusing after writing guarded/);
    assert.equal(r.validation, 'NOT_COMMITTED');
    assert.equal((await query('get', 'guarded')).value, 'original');
  });

  test('a chaincode that throws (and so never answers) times out and commits nothing', async () => {
    const r = await pipeline.execute({ chaincode: CC, args: ['putThenThrow', 'thrown', 'x'], timeoutMs: 1500 });
    assert.equal(r.status, 500);
    assert.match(r.message, /timeout expired/);
    assert.equal((await query('get', 'thrown')).value, null);
    const record = pipeline.transaction(r.txId);
    assert.equal(record?.validation, 'NOT_COMMITTED');
  });

  test('delete and history, newest first', async () => {
    await invoke('put', 'h', 'one');
    await invoke('put', 'h', 'two');
    const d = await invoke('del', 'h');
    const rows = json<{ txId: string; value: string | null; isDelete: boolean }[]>((await pipeline.execute({ chaincode: CC, args: ['history', 'h'] })).payload);
    assert.deepEqual(
      rows.map((r) => [r.isDelete, r.isDelete ? null : r.value]),
      [
        [true, null],
        [false, 'two'],
        [false, 'one'],
      ],
    );
    assert.equal(rows[0].txId, d.txId);
  });

  test('range queries stream more than one batch of 100 in key order', async () => {
    const pairs: string[] = [];
    for (let i = 0; i < 250; i++) pairs.push(`r${String(i).padStart(3, '0')}`, `v${i}`);
    await invoke('putMany', ...pairs);
    const rows = json<{ key: string; value: string }[]>((await pipeline.execute({ chaincode: CC, args: ['range', 'r', 'r\u{10FFFF}'] })).payload);
    assert.equal(rows.length, 250);
    assert.equal(rows[0].key, 'r000');
    assert.equal(rows[249].key, 'r249');
    assert.ok(rows.every((r, i) => i === 0 || rows[i - 1].key < r.key));
  });

  test('paginated range with bookmarks', async () => {
    const first = json<{ rows: { key: string }[]; fetched: number; bookmark: string }>(
      (await pipeline.execute({ chaincode: CC, args: ['rangePage', 'r', 'r\u{10FFFF}', '10', ''] })).payload,
    );
    assert.equal(first.rows.length, 10);
    assert.equal(first.fetched, 10);
    assert.ok(first.bookmark);
    const second = json<{ rows: { key: string }[] }>((await pipeline.execute({ chaincode: CC, args: ['rangePage', 'r', 'r\u{10FFFF}', '10', first.bookmark] })).payload);
    assert.equal(second.rows[0].key, 'r010');
  });

  test('composite keys with partial-key range queries', async () => {
    await invoke('putComposite', 'color~name', 'blue', 'a1', 'x');
    await invoke('putComposite', 'color~name', 'blue', 'a2', 'y');
    await invoke('putComposite', 'color~name', 'red', 'a3', 'z');
    const rows = json<{ objectType: string; attributes: string[]; value: string }[]>((await pipeline.execute({ chaincode: CC, args: ['partial', 'color~name', 'blue'] })).payload);
    assert.deepEqual(
      rows.map((r) => [r.objectType, ...r.attributes, r.value]),
      [
        ['color~name', 'blue', 'a1', 'x'],
        ['color~name', 'blue', 'a2', 'y'],
      ],
    );
    // An empty-start range (the shim sends \x01) skips composite keys.
    const plain = json<{ key: string }[]>((await pipeline.execute({ chaincode: CC, args: ['range', '', ''] })).payload);
    assert.ok(plain.every((r) => !r.key.startsWith('\u0000')));
  });

  test('rich queries with a Mango selector, sort and pagination', async () => {
    await invoke('put', 'm1', JSON.stringify({ docType: 'm', size: 5, color: 'blue' }));
    await invoke('put', 'm2', JSON.stringify({ docType: 'm', size: 15, color: 'red' }));
    await invoke('put', 'm3', JSON.stringify({ docType: 'm', size: 10, color: 'blue' }));
    const q = JSON.stringify({ selector: { docType: 'm', size: { $gte: 6 } }, sort: [{ size: 'desc' }] });
    const rows = json<{ key: string }[]>((await pipeline.execute({ chaincode: CC, args: ['query', q] })).payload);
    assert.deepEqual(
      rows.map((r) => r.key),
      ['m2', 'm3'],
    );
    const page = json<{ rows: { key: string }[]; bookmark: string }>(
      (await pipeline.execute({ chaincode: CC, args: ['queryPage', JSON.stringify({ selector: { docType: 'm' } }), '2', ''] })).payload,
    );
    assert.equal(page.rows.length, 2);
    const bad = await pipeline.execute({ chaincode: CC, args: ['query', '{not json'] });
    assert.equal(bad.status, 500);
  });

  test('page size 0 with no bookmark is an ordinary query without metadata, as in Fabric (handler.go isMetadataSetForPagination)', async () => {
    type Page = { rows: { key: string }[]; metadata: { fetched: number; bookmark: string } | null };
    // fabric-samples' ledger-queries GetAssetsByRangeWithPagination "" "" 0 "": on Fabric, metadata is
    // undefined and the sample's `metadata.fetchedRecordsCount` throws.
    const range = json<Page>((await invoke('rangePageAsGiven', 'r000', 'r003', '0', '')).payload);
    assert.deepEqual([range.rows.map((r) => r.key), range.metadata], [['r000', 'r001', 'r002'], null]);
    const rich = json<Page>((await invoke('queryPageAsGiven', JSON.stringify({ selector: { docType: 'm' } }), '0', '')).payload);
    assert.deepEqual([rich.rows.length > 0, rich.metadata], [true, null]);
    const paged = json<Page>((await invoke('rangePageAsGiven', 'r000', 'r003', '2', '')).payload);
    assert.deepEqual(paged.metadata, { fetched: 2, bookmark: 'r002' });
  });

  test('a bookmark before the start key starts the scan there, as in Fabric (handler.go HandleGetStateByRange)', async () => {
    type Page = { rows: { key: string }[]; metadata: { fetched: number; bookmark: string } | null };
    const page = json<Page>((await invoke('rangePageAsGiven', 'r003', 'r005', '10', 'r001')).payload);
    assert.deepEqual(
      page.rows.map((r) => r.key),
      ['r001', 'r002', 'r003', 'r004'],
    );
  });

  test('an empty key is stored, read, left out of shim ranges and deleted, as on Fabric with LevelDB', async () => {
    assert.equal((await invoke('put', '', 'nameless')).validation, 'VALID');
    assert.equal((await query('get', '')).value, 'nameless');
    // The shim sends an empty start key as "\x01", so its ranges never include "".
    const rows = json<{ key: string }[]>((await pipeline.execute({ chaincode: CC, args: ['range', '', ''] })).payload);
    assert.ok(!rows.some((r) => r.key === ''));
    await invoke('del', '');
    assert.equal((await query('get', '')).value, null);
  });

  test('the simulator restrictions reach the chaincode in Fabric\'s words (tx_simulator.go, "unsuppored" verbatim)', async () => {
    const cases: [string, string[], string, string][] = [
      ['putThenPagedRange', ['w1'], 'GET_STATE_BY_RANGE', 'Paginated queries are supported only in a read-only transaction'],
      ['pagedRangeThenPut', ['w2'], 'PUT_STATE', 'Transaction has already performed a paginated query. Writes are not allowed'],
      ['putThenPrivateQuery', ['secrets', 'w3'], 'GET_QUERY_RESULT', 'Queries on pvt data is supported only in a read-only transaction'],
      ['privateRangeThenPut', ['secrets', 'w4'], 'PUT_STATE', 'Transaction has already performed queries on pvt data. Writes are not allowed'],
    ];
    for (const [fn, args, request, detail] of cases) {
      const r = await pipeline.execute({ chaincode: CC, args: [fn, ...args], kind: 'query' });
      const { error } = json<{ error: string | null }>(r.payload);
      assert.equal(error, `${request} failed: transaction ID: ${r.txId}: txid [${r.txId}]: unsuppored transaction. ${detail}`, fn);
    }
  });

  test('state metadata (key-level endorsement policy)', async () => {
    await invoke('put', 'meta', 'v');
    await invoke('setEndorsement', 'meta', 'policy-bytes');
    assert.equal((await query('getEndorsement', 'meta')).policy, 'policy-bytes');
  });

  test('private data: transient in, value, hash, range, query, delete, purge', async () => {
    const r = await pipeline.execute({ chaincode: CC, args: ['putPrivate', 'secrets', 'p1'], transient: { value: JSON.stringify({ docType: 's', n: 1 }) } });
    assert.equal(r.status, 200, r.message);
    await invoke('putPrivate', 'secrets', 'p2', JSON.stringify({ docType: 's', n: 2 }));
    assert.equal((await query('getPrivate', 'secrets', 'p1')).value, JSON.stringify({ docType: 's', n: 1 }));
    const hash = (await query('privateHash', 'secrets', 'p1')).hash;
    assert.equal(
      hash,
      createHash('sha256')
        .update(JSON.stringify({ docType: 's', n: 1 }))
        .digest('hex'),
    );
    const range = json<{ key: string }[]>((await pipeline.execute({ chaincode: CC, args: ['rangePrivate', 'secrets', 'p', 'q'] })).payload);
    assert.deepEqual(
      range.map((x) => x.key),
      ['p1', 'p2'],
    );
    const q = json<{ key: string }[]>((await pipeline.execute({ chaincode: CC, args: ['queryPrivate', 'secrets', JSON.stringify({ selector: { n: 2 } })] })).payload);
    assert.deepEqual(
      q.map((x) => x.key),
      ['p2'],
    );
    await invoke('delPrivate', 'secrets', 'p1');
    assert.equal((await query('getPrivate', 'secrets', 'p1')).value, null);
    await invoke('purgePrivate', 'secrets', 'p2');
    assert.equal((await query('privateHash', 'secrets', 'p2')).hash, null);
    assert.equal((await query('get', 'p2')).value, null, 'private data never leaks into public state');
  });

  test('the transient map reaches the chaincode and is never recorded in state', async () => {
    const r = await pipeline.execute({ chaincode: CC, args: ['transient'], transient: { a: 'alpha', b: 'beta' } });
    assert.deepEqual(json(r.payload), { a: 'alpha', b: 'beta' });
  });

  test('creator, timestamp, channel, txid and binding', async () => {
    const before = Math.floor(Date.now() / 1000);
    const r = await pipeline.execute({ chaincode: CC, args: ['whoami'], channel: 'otherchannel' });
    const who = json<{ mspid: string; certStart: string; channel: string; txId: string; timestamp: number; binding: string; hasProposal: boolean }>(r.payload);
    assert.equal(who.mspid, 'Org1MSP');
    assert.equal(who.certStart, '-----BEGIN CERTIFICATE-----');
    assert.equal(who.channel, 'otherchannel');
    assert.equal(who.txId, r.txId);
    assert.match(r.txId, /^[0-9a-f]{64}$/);
    assert.ok(who.timestamp >= before - 1 && who.timestamp <= before + 5);
    assert.match(who.binding, /^[0-9a-f]{64}$/);
    assert.ok(who.hasProposal);
  });

  test('chaincode events come back with the result', async () => {
    const r = await invoke('event', 'Transferred', '{"id":"a1"}');
    assert.equal(r.event?.eventName, 'Transferred');
    assert.equal(r.event?.payload.toString(), '{"id":"a1"}');
    assert.equal(r.event?.txId, r.txId);
    assert.equal(pipeline.transaction(r.txId)?.event?.eventName, 'Transferred');
  });

  test('chaincode-to-chaincode: the callee writes join the caller transaction', async () => {
    const callee = startLowLevelFixture('callee:1.0', peer.address);
    processes.push(callee);
    await peer.waitForReady('callee:1.0', 20_000);
    const r = await invoke('call', 'callee', 'put', 'x2', 'from-callee');
    assert.deepEqual(json(r.payload), { status: 200, message: '', payload: JSON.stringify({ ok: true }) });
    assert.ok(r.readWriteSet.writes.some((w) => w.chaincode === 'callee' && w.key === 'x2'));
    const read = await pipeline.execute({ chaincode: 'callee:1.0', args: ['get', 'x2'] });
    assert.equal(json(read.payload).value, 'from-callee');
    const failing = await invoke('call', 'callee', 'putThenFail', 'x3', 'no');
    assert.equal(json(failing.payload).status, 500);
    // Fabric's words, as the calling chaincode sees them (core/chaincode/handler.go HandleInvokeChaincode
    // wraps "execute failed"; ChaincodeSupport.Invoke "invalid invocation"; CheckInvocation "failed to get
    // chaincode container info"; the legacy definition lookup "chaincode <name> not found").
    const missing = json<{ error: string }>((await invoke('callCatching', 'nosuchcc', 'get', 'a')).payload);
    assert.match(
      missing.error,
      /^INVOKE_CHAINCODE failed: transaction ID: [0-9a-f]{64}: execute failed: invalid invocation: \[channel mychannel\] failed to get chaincode container info for nosuchcc: chaincode nosuchcc not found$/,
    );
    // A chaincode calling itself runs on its own txid: ChaincodeSupport.execute wraps the context clash in "error sending".
    const self = json<{ error: string }>((await invoke('callCatching', 'lowlevel', 'get', 'a')).payload);
    assert.match(self.error, /execute failed: error sending: txid: [0-9a-f]{64}\(mychannel\) exists$/);
  });

  test('channels: each joined channel has its own ledger and blocks; an unjoined one is refused (endorser: channel not found)', async () => {
    const heights = () => [peer.ledger('mychannel').height, peer.ledger('otherchannel').height];
    const before = heights();
    const r = await pipeline.execute({ chaincode: CC, args: ['put', 'only-other', 'o'], channel: 'otherchannel' });
    assert.equal(r.validation, 'VALID');
    assert.equal(r.blockNum, before[1] + 1);
    assert.deepEqual(heights(), [before[0], before[1] + 1]);
    assert.equal(peer.ledger('otherchannel').state.getState({ channel: 'otherchannel', chaincode: 'lowlevel' }, 'only-other')?.value.toString(), 'o');
    assert.equal(peer.ledger('mychannel').state.getState({ channel: 'mychannel', chaincode: 'lowlevel' }, 'only-other'), undefined);
    await assert.rejects(pipeline.execute({ chaincode: CC, args: ['get', 'a'], channel: 'nosuchchannel' }), {
      name: 'ChannelNotFoundError',
      message: "channel 'nosuchchannel' not found",
    });
  });

  test('chaincode-to-chaincode across channels reads but its writes are discarded; an unknown channel fails the ACL lookup', async () => {
    await pipeline.execute({ chaincode: CC, args: ['put', 'xch', 'in-other'], channel: 'otherchannel' });
    const read = json<{ status: number; payload: string }>((await invoke('callCatching', 'lowlevel/otherchannel', 'get', 'xch')).payload);
    assert.deepEqual([read.status, JSON.parse(read.payload).value], [200, 'in-other']);
    const wrote = await invoke('callCatching', 'lowlevel/otherchannel', 'put', 'xch', 'overwritten');
    assert.equal(JSON.parse(json<{ payload: string }>(wrote.payload).payload).ok, true);
    assert.ok(!wrote.readWriteSet.writes.some((w) => w.key === 'xch'), "the callee's writes on the other channel are not in the caller's write set");
    assert.equal(peer.ledger('otherchannel').state.getState({ channel: 'otherchannel', chaincode: 'lowlevel' }, 'xch')?.value.toString(), 'in-other');
    // core/aclmgmt: the ACL check on the target channel fails first for a channel the peer has not joined.
    const unknown = json<{ error: string }>((await invoke('callCatching', 'lowlevel/nosuchchannel', 'get', 'a')).payload);
    assert.match(unknown.error, /Failed to get policy manager for channel \[nosuchchannel\]$/);
  });

  test('a response status below 200 is not committed: Fabric cannot assemble it (protoutil.CreateSignedTx)', async () => {
    const r = await pipeline.execute({ chaincode: CC, args: ['putWithStatus', 'below200', 'x', '100'] });
    assert.equal(r.status, 100);
    assert.equal(r.validation, 'NOT_COMMITTED');
    assert.equal(r.message, 'proposal response was not successful, error code 100, msg answered 100');
    assert.equal(peer.ledger().state.getState({ channel: 'mychannel', chaincode: 'lowlevel' }, 'below200'), undefined);
    assert.equal(pipeline.transaction(r.txId)?.validation, 'NOT_COMMITTED');
  });

  test('an evaluation is NOT_VALIDATED and carries no chaincode event (Fabric emits events only for committed transactions)', async () => {
    const q = await pipeline.execute({ chaincode: CC, args: ['event', 'Evaluated', 'p'], kind: 'query' });
    assert.equal(q.status, 200);
    assert.equal(q.validation, 'NOT_VALIDATED');
    assert.equal(q.event, null);
    assert.equal(pipeline.transaction(q.txId)?.event, null);
    const i = await invoke('event', 'Submitted', 'p');
    assert.equal(i.event?.eventName, 'Submitted');
  });

  test('fifty concurrent transactions on one stream', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => pipeline.execute({ chaincode: CC, args: ['put', `c${i}`, `v${i}`] })));
    assert.ok(
      results.every((r) => r.status === 200 && r.validation === 'VALID'),
      JSON.stringify(results.map((r) => r.message)),
    );
    const rows = json<{ key: string; value: string }[]>((await pipeline.execute({ chaincode: CC, args: ['range', 'c', 'c\u{10FFFF}'] })).payload);
    assert.equal(rows.filter((r) => /^c\d+$/.test(r.key)).length, 50);
    assert.ok(rows.every((r) => r.value === `v${r.key.slice(1)}`));
  });

  test('a chaincode killed mid-transaction fails it within a second and commits nothing', async () => {
    const victim = startLowLevelFixture('victim:1.0', peer.address);
    processes.push(victim);
    await peer.waitForReady('victim:1.0', 20_000);
    const pending = pipeline.execute({ chaincode: 'victim:1.0', args: ['putThenSleep', 'killed', 'x', '10000'] });
    await new Promise((r) => setTimeout(r, 500));
    const killedAt = Date.now();
    process.kill(victim.pid!, 'SIGKILL');
    const r = await pending;
    assert.ok(Date.now() - killedAt < 1000, `failed after ${Date.now() - killedAt} ms`);
    assert.equal(r.status, 500);
    assert.match(r.message, /stream terminated/);
    assert.equal((await query('get', 'killed')).value, null);
    assert.equal(
      peer.handlers().find((h) => h.chaincodeId === 'victim:1.0'),
      undefined,
    );
  });

  test('an unknown chaincode is a clear error', async () => {
    await assert.rejects(pipeline.execute({ chaincode: 'nosuch:1.0', args: ['get', 'a'] }), /chaincode nosuch:1.0 is not registered; ready: .*lowlevel:1.0/);
  });

  test('transaction records keep function, args, status and read/write sets', async () => {
    const r = await invoke('put', 'recorded', 'yes');
    const rec = pipeline.transaction(r.txId);
    assert.equal(rec?.fn, 'put');
    assert.deepEqual(rec?.args, ['recorded', 'yes']);
    assert.equal(rec?.status, 200);
    assert.equal(rec?.creator.mspId, 'Org1MSP');
    assert.equal(rec?.rwset.writes[0].key, 'recorded');
  });

  test('an argument that is not UTF-8 is recorded as base64', async () => {
    const binary = Uint8Array.from([0xff, 0xfe, 0x00, 0x41]);
    const r = await pipeline.execute({ chaincode: CC, args: ['put', 'binary', binary] });
    assert.equal(r.status, 200);
    assert.deepEqual(pipeline.transaction(r.txId)?.args, ['binary', `base64:${Buffer.from(binary).toString('base64')}`]);
  });
});
