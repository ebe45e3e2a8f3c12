/**
 * The launch flow's branches (core/chaincode/chaincode_support.go Launch) with real parts: dev mode with a real fabric-shim
 * process the user starts, system chaincode in-process, the registry (our LSCC), and the guards.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { resolveConfig } from '../../../src/engine/config';
import { Engine } from '../../../src/engine/engine';
import { ChaincodeRegistry } from '../../../src/engine/launch/chaincodeRegistry';
import type { ChaincodeDefinition, RunningChaincode } from '../../../src/engine/launch/types';
import type { SystemChaincode } from '../../../src/engine/scc/inprocShim';
import { waitUntil } from '../../support/netChaincode';
import { RunningProcess, startLowLevelFixture } from '../../support/nodeChaincode';

const FIXTURE = path.join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'node', 'lowlevel');

const devDefinition = (name: string): ChaincodeDefinition => ({ name, version: '1.0', mode: 'dev', language: 'node', path: FIXTURE });

/** A system chaincode counting calls in its own namespace; `crash` throws inside the chaincode. */
const counterScc: SystemChaincode = {
  init: async () => ({ status: 200 }),
  invoke: async (stub) => {
    const fn = stub.args[0]?.toString();
    if (fn === 'crash') throw new Error('system chaincode crashed on purpose');
    const current = Number((await stub.getState('count')).toString() || '0');
    await stub.putState('count', Buffer.from(String(current + 1)));
    return { status: 200, payload: Buffer.from(String(current + 1)) };
  },
};

describe('launch engine', () => {
  let engine: Engine;
  let dataDir: string;
  const processes: RunningProcess[] = [];
  const changes: RunningChaincode[] = [];

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'launcher-'));
    engine = await Engine.start(resolveConfig({ dataDir, peerPort: 0, mode: 'net', startupTimeoutMs: 8000, executeTimeoutMs: 5000 }), { acceptUnlaunched: false });
    engine.launcher.onDidChangeChaincode((c) => changes.push(c));
    engine.registerSystemChaincode('counter', counterScc);
  });

  after(async () => {
    await Promise.all(processes.map((p) => p.kill()));
    await engine.dispose();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('dev mode with the user running the chaincode starts nothing and waits for the user process', async () => {
    const launching = engine.launcher.launch({ kind: 'deployment', definition: devDefinition('devcc') }, { userRunsChaincode: true });
    // Nothing registers until the user's process starts: the launch shows it is waiting (however long the definition takes to be kept).
    await waitUntil(() => engine.launcher.running().find((c) => c.ccid === 'devcc:1.0')?.status === 'waiting for registration', 5000, 'devcc:1.0 waiting for registration');
    // Launched but not registered yet: a second launch waits on the same launch (Fabric 2.x), not "premature execution".
    const second = engine.launcher.launch({ kind: 'invocation', chaincodeId: 'devcc:1.0' });
    processes.push(startLowLevelFixture('devcc:1.0', engine.peer.address));
    const running = await launching;
    assert.equal(running.status, 'ready');
    assert.equal((await second).handlerId, running.handlerId, 'the same running chaincode');
    assert.equal(engine.peer.handlers().find((h) => h.chaincodeId === 'devcc:1.0')?.state, 'ready');
    const statuses = changes.filter((c) => c.ccid === 'devcc:1.0').map((c) => c.status);
    assert.deepEqual([...new Set(statuses)], ['waiting for registration', 'ready']);
    // Already running: return at once.
    const again = await engine.launcher.launch({ kind: 'invocation', chaincodeId: 'devcc:1.0' });
    assert.equal(again.status, 'ready');
    const r = await engine.transactions.execute({ chaincode: 'devcc:1.0', args: ['put', 'a', 'b'] });
    assert.equal(r.status, 200);
  });

  test('the registry (our LSCC) persists deployment specs and decodes them', async () => {
    const registry = await ChaincodeRegistry.open(path.join(dataDir, 'peers', engine.peer.name));
    const def = registry.get('devcc:1.0');
    assert.deepEqual(def, devDefinition('devcc'));
  });

  test('an invocation of a chaincode never deployed is a clear error', async () => {
    await assert.rejects(engine.launcher.launch({ kind: 'invocation', chaincodeId: 'ghost:9' }), /ghost:9 is not deployed.*did you forget to deploy your chaincode\?/);
  });

  test('with only expected names accepted, an unlaunched chaincode is refused with a logged reason', async () => {
    const reasons: string[] = [];
    const sub = engine.peer.onDiagnostic((d) => reasons.push(d.message));
    const stray = startLowLevelFixture('stray:1.0', engine.peer.address);
    processes.push(stray);
    // The refusal is the peer's part; whether the shim then exits is the shim's (`after` stops it if not).
    await waitUntil(() => reasons.some((r) => r.includes('registration of stray:1.0 refused')), 10_000, "the peer's refusal of stray:1.0");
    sub.dispose();
    assert.ok(
      reasons.some((r) => /registration of stray:1.0 refused: .*not being launched/.test(r)),
      reasons.join('\n'),
    );
    assert.equal(
      engine.peer.handlers().find((h) => h.chaincodeId === 'stray:1.0'),
      undefined,
    );
  });

  test('dev mode waits no longer than the startup timeout', async () => {
    const started = Date.now();
    await assert.rejects(
      engine.launcher.launch({ kind: 'deployment', definition: devDefinition('neverstarts') }, { userRunsChaincode: true }),
      /timeout expired while waiting for chaincode neverstarts:1.0 to register/,
    );
    assert.ok(Date.now() - started >= 7000);
    assert.equal(engine.launcher.running().find((c) => c.ccid === 'neverstarts:1.0')?.status, 'failed');
  });

  test('system chaincode runs in-process, its writes commit, and a crash fails only its transaction', async () => {
    const def: ChaincodeDefinition = { name: 'counter', version: '1.0', mode: 'system', language: 'node', path: 'counter' };
    const running = await engine.launcher.launch({ kind: 'deployment', definition: def });
    assert.equal(running.status, 'ready');
    assert.equal(engine.peer.handlers().find((h) => h.chaincodeId === 'counter:1.0')?.connection, 'inproc');
    assert.equal((await engine.transactions.execute({ chaincode: 'counter:1.0', args: ['inc'] })).payload.toString(), '1');
    assert.equal((await engine.transactions.execute({ chaincode: 'counter:1.0', args: ['inc'] })).payload.toString(), '2');
    const crash = await engine.transactions.execute({ chaincode: 'counter:1.0', args: ['crash'] });
    assert.equal(crash.status, 500);
    assert.match(crash.message, /crashed on purpose/);
    assert.equal((await engine.transactions.execute({ chaincode: 'counter:1.0', args: ['inc'] })).payload.toString(), '3');
  });

  test('a system chaincode that is not running cannot be launched by invocation', async () => {
    await engine.launcher.stop('counter:1.0');
    await assert.rejects(engine.launcher.launch({ kind: 'invocation', chaincodeId: 'counter:1.0' }), /a system chaincode should be running, it cannot be launched/);
  });

  test('an unknown system chaincode path fails the start and leaves nothing in the table', async () => {
    const def: ChaincodeDefinition = { name: 'nosuchscc', version: '1.0', mode: 'system', language: 'node', path: 'nosuch' };
    await assert.rejects(engine.launcher.launch({ kind: 'deployment', definition: def }), /error starting container: system chaincode path nosuch is not registered/);
    assert.equal(
      engine.launcher.running().find((c) => c.ccid === 'nosuchscc:1.0'),
      undefined,
    );
  });

  test('an empty chaincode name is refused', async () => {
    const def: ChaincodeDefinition = { name: '', version: '1.0', mode: 'system', language: 'node', path: 'counter' };
    await assert.rejects(engine.launcher.launch({ kind: 'deployment', definition: def }), /chaincode name must not be empty/);
  });

  test('stop ends the handler; its in-flight transaction fails with a clear error', async () => {
    const pending = engine.transactions.execute({ chaincode: 'devcc:1.0', args: ['putThenSleep', 'stopped', 'x', '5000'] });
    // Stopped while the chaincode runs it (not before it got there: that is the launch's own refusal).
    await waitUntil(() => (engine.peer.handlers().find((h) => h.chaincodeId === 'devcc:1.0')?.inFlight.length ?? 0) > 0, 5000, 'the transaction in flight at devcc:1.0');
    await engine.launcher.stop('devcc:1.0');
    const r = await pending;
    assert.equal(r.status, 500);
    assert.match(r.message, /stream terminated/);
    assert.equal(
      engine.launcher.running().find((c) => c.ccid === 'devcc:1.0'),
      undefined,
    );
    await assert.rejects(engine.launcher.stop('devcc:1.0'), /not running/);
  });
});
