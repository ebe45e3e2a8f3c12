/**
 * The launcher alone (Fabric 2.x's RuntimeLauncher.Launch, core/chaincode/runtime_launcher.go): no
 * Engine, no peer, a fake VM; real handlers over in-memory streams register with the real handler
 * registry. One wait per launch, on the chaincode's launch state: registration, start failure, exit,
 * timeout, cancellation; concurrent launches share it; a dev-mode chaincode that leaves is waited for.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { VMController } from '../../../src/engine/container/controller';
import type { RuntimeEvent, StartRequest, VM } from '../../../src/engine/container/types';
import { ChaincodeLauncher, LaunchError } from '../../../src/engine/launch/launcher';
import type { ChaincodeDefinition, RunningChaincode } from '../../../src/engine/launch/types';
import { chaincodeId } from '../../../src/engine/chaincodeId';
import { Handler, type HandlerHost } from '../../../src/engine/peer/handler';
import { HandlerRegistry, type RegistrationPolicy } from '../../../src/engine/peer/handlerRegistry';
import type { ChaincodeStream } from '../../../src/engine/peer/stream';
import { createMemoryStreamPair } from '../../../src/engine/scc/memoryStream';
import { Emitter } from '../../../src/engine/util/events';
import { codecs } from '../../../src/engine/wire/codec';
import { MessageType } from '../../../src/engine/wire/messages';
import { waitUntil } from '../../support/waitUntil';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
/** A REGISTER answered: taken (ready) or refused (ended). */
const answered = (handler: Handler): boolean => handler.state === 'ready' || handler.state === 'ended';
/** Until the launcher shows `status` for its (only) chaincode: frames cross the memory streams a turn of the event loop at a time. */
const statusShown = (launcher: ChaincodeLauncher, status: RunningChaincode['status']): Promise<void> =>
  waitUntil(() => launcher.running()[0]?.status === status, 5000, `the launcher to show "${status}"`, 5);

function hostFor(registry: HandlerRegistry): HandlerHost {
  return {
    register: (h) => registry.register(h),
    ready: () => undefined,
    changed: (h) => registry.notify(h),
    ended: (h) => registry.remove(h),
    diagnostic: () => undefined,
    invokeChaincode: () => Promise.reject(new Error('no chaincode-to-chaincode calls here')),
  };
}

/** A stream that presents a TLS client certificate (by its fingerprint). */
function withCertificate(stream: ChaincodeStream, fingerprint: string): ChaincodeStream {
  return {
    kind: stream.kind,
    remote: stream.remote,
    clientCertFingerprint: fingerprint,
    write: (f) => stream.write(f),
    onFrame: (l) => stream.onFrame(l),
    onClose: (l) => stream.onClose(l),
    end: (r) => stream.end(r),
  };
}

interface Connection {
  readonly handler: Handler;
  /** The chaincode's side: ending it is the chaincode leaving. */
  readonly chaincode: ChaincodeStream;
}

/** A chaincode process connecting and sending REGISTER as `name`; the peer side is a real Handler. */
function connect(registry: HandlerRegistry, name: string, fingerprint?: string): Connection {
  const [peerSide, chaincode] = createMemoryStreamPair(name);
  const handler = new Handler(fingerprint ? withCertificate(peerSide, fingerprint) : peerSide, hostFor(registry));
  chaincode.write(codecs.ChaincodeMessage.encode({ type: MessageType.REGISTER, payload: codecs.ChaincodeID.encode({ name }) }));
  return { handler, chaincode };
}

type Behaviour = (vm: FakeVM, req: StartRequest) => Promise<void>;

/** Starts nothing real: each start runs the test's behaviour (register, fail, exit, stay silent…). */
class FakeVM implements VM {
  readonly kind = 'process' as const;
  private readonly events = new Emitter<RuntimeEvent>();
  readonly onEvent = this.events.event;
  readonly starts: string[] = [];
  readonly stops: string[] = [];
  readonly connections: Connection[] = [];

  constructor(
    readonly registry: HandlerRegistry,
    public behaviour: Behaviour,
  ) {}

  async start(req: StartRequest): Promise<void> {
    this.starts.push(req.ccid);
    await this.behaviour(this, req);
  }

  async stop(ccid: string): Promise<void> {
    this.stops.push(ccid);
    for (const c of this.connections) if (c.handler.chaincodeId === ccid) c.chaincode.end('the process was stopped');
  }

  fire(e: RuntimeEvent): void {
    this.events.fire(e);
  }

  register(name: string, fingerprint?: string): Connection {
    const c = connect(this.registry, name, fingerprint);
    this.connections.push(c);
    return c;
  }
}

const running = (ccid: string): RuntimeEvent => ({ kind: 'status', ccid, status: 'running', pid: 4242 });
const registers =
  (delayMs = 0): Behaviour =>
  async (vm, req) => {
    vm.fire(running(req.ccid));
    setTimeout(() => vm.register(req.ccid), delayMs);
  };
const silent: Behaviour = async (vm, req) => vm.fire(running(req.ccid));

function definition(name: string, mode: ChaincodeDefinition['mode'] = 'dev'): ChaincodeDefinition {
  return { name, version: '1.0', mode, language: 'node', path: `/src/${name}` };
}

function setup(behaviour: Behaviour, options: { startupTimeoutMs?: number; policy?: Partial<RegistrationPolicy> } = {}) {
  const registry = new HandlerRegistry({ acceptUnlaunched: false, ...options.policy });
  const vm = new FakeVM(registry, behaviour);
  const stored = new Map<string, ChaincodeDefinition>();
  const changes: RunningChaincode[] = [];
  const launcher = new ChaincodeLauncher({
    handlers: registry,
    definitions: { get: (ccid) => stored.get(ccid), put: async (def) => void stored.set(chaincodeId(def.name, def.version), def) },
    vms: new VMController([vm]),
    recipes: { recipeFor: async (def) => ({ vm: 'process', args: ['run', def.name], env: { CORE_CHAINCODE_ID_NAME: chaincodeId(def.name, def.version) }, workingDir: def.path }) },
    startupTimeoutMs: options.startupTimeoutMs ?? 3000,
  });
  launcher.onDidChangeChaincode((c) => changes.push(c));
  const statuses = (ccid: string): string[] => [...new Set(changes.filter((c) => c.ccid === ccid).map((c) => c.status))];
  return { registry, vm, launcher, statuses };
}

const launch = (launcher: ChaincodeLauncher, def: ChaincodeDefinition, options = {}): Promise<RunningChaincode> =>
  launcher.launch({ kind: 'deployment', definition: def }, options);

describe('launcher (fake VM, real handlers)', () => {
  test('a launch starts the runtime once and returns when the chaincode is ready; a later launch returns at once', async () => {
    const { registry, vm, launcher, statuses } = setup(registers(20));
    const first = await launch(launcher, definition('cc'));
    assert.equal(first.status, 'ready');
    assert.equal(registry.handler('cc:1.0')?.state, 'ready');
    assert.equal(first.handlerId, registry.handler('cc:1.0')?.id);
    assert.deepEqual(first.process, { pid: 4242, status: 'running' });
    assert.deepEqual(statuses('cc:1.0'), ['launching', 'ready']);
    assert.equal(registry.isLaunching('cc:1.0'), false);
    const again = await launcher.launch({ kind: 'invocation', chaincodeId: 'cc:1.0' });
    assert.equal(again.handlerId, first.handlerId);
    assert.deepEqual(vm.starts, ['cc:1.0'], 'one runtime');
    await launcher.dispose();
  });

  test('concurrent launches of one chaincode start one runtime and both get the same running chaincode', async () => {
    const { vm, launcher } = setup(registers(150));
    const results = await Promise.all([
      launch(launcher, definition('twin')),
      launch(launcher, definition('twin')),
      launcher.launch({ kind: 'invocation', chaincodeId: 'twin:1.0' }),
    ]);
    assert.deepEqual(vm.starts, ['twin:1.0']);
    assert.deepEqual(
      results.map((r) => r.status),
      ['ready', 'ready', 'ready'],
    );
    assert.equal(new Set(results.map((r) => r.handlerId)).size, 1, 'the same handler');
    await launcher.dispose();
  });

  test('a start failure ends every launch waiting on it with "error starting process", and leaves nothing behind', async () => {
    const { registry, launcher } = setup(async () => {
      await sleep(50);
      throw new Error('node is not installed');
    });
    const outcomes = await Promise.allSettled([launch(launcher, definition('broken')), launch(launcher, definition('broken'))]);
    for (const o of outcomes) {
      assert.equal(o.status, 'rejected');
      const err = o.reason as Error;
      assert.ok(err instanceof LaunchError, String(err));
      assert.match(err.message, /^error starting process: node is not installed/);
    }
    assert.deepEqual(launcher.running(), [], 'no table entry');
    assert.equal(registry.isLaunching('broken:1.0'), false, 'no launch state left');
  });

  test('an exit before registering ends the launch at once, quoting the last output; the runtime is stopped', async () => {
    const { vm, registry, launcher } = setup(async (fake, req) => {
      fake.fire(running(req.ccid));
      fake.fire({ kind: 'log', ccid: req.ccid, stream: 'stderr', line: 'Error: Cannot find module fabric-shim' });
      setTimeout(() => fake.fire({ kind: 'status', ccid: req.ccid, status: 'exited', exitCode: 1 }), 20);
    });
    const started = Date.now();
    await assert.rejects(launch(launcher, definition('crasher')), (err: Error) => {
      assert.match(err.message, /^chaincode crasher:1\.0 exited with code 1 before registering; last log lines:\nError: Cannot find module fabric-shim$/);
      return true;
    });
    assert.ok(Date.now() - started < 1000, 'not the startup timeout');
    assert.deepEqual(vm.stops, ['crasher:1.0']);
    assert.equal(launcher.running()[0]?.status, 'failed');
    assert.equal(registry.isLaunching('crasher:1.0'), false);
    await launcher.dispose();
  });

  test('an exit reported while the VM still works on the start (it came up and died) ends the launch', async () => {
    const { launcher } = setup(async (fake, req) => {
      fake.fire(running(req.ccid));
      fake.fire({ kind: 'status', ccid: req.ccid, status: 'exited', exitCode: 3 });
      await sleep(200); // the VM's own work after the process started
    });
    await assert.rejects(launch(launcher, definition('early')), /chaincode early:1\.0 exited with code 3 before registering/);
    await launcher.dispose();
  });

  test('the exit of the runtime being replaced (reported before this start runs anything) does not end the launch', async () => {
    const { launcher } = setup(async (fake, req) => {
      fake.fire({ kind: 'status', ccid: req.ccid, status: 'exited', exitCode: 143 }); // the old process
      await registers(10)(fake, req);
    });
    assert.equal((await launch(launcher, definition('replaced'))).status, 'ready');
    await launcher.dispose();
  });

  test("a chaincode that never registers: the startup timeout ends the launch (Fabric's wording), the runtime is stopped", async () => {
    const { vm, launcher } = setup(silent, { startupTimeoutMs: 300 });
    await assert.rejects(
      launch(launcher, definition('mute', 'net')),
      (err: Error) => err instanceof LaunchError && err.message === 'timeout expired while starting chaincode mute:1.0',
    );
    assert.deepEqual(vm.stops, ['mute:1.0']);
    assert.equal(launcher.running()[0]?.status, 'failed');
    await launcher.dispose();
  });

  test("the caller's cancellation ends the launch with the caller's reason; the runtime is stopped", async () => {
    const { vm, launcher } = setup(silent);
    const abort = new AbortController();
    class Cancelled extends Error {}
    setTimeout(() => abort.abort(new Cancelled('cancelled by the user')), 50);
    await assert.rejects(launch(launcher, definition('cancelme'), { signal: abort.signal }), Cancelled);
    assert.deepEqual(vm.stops, ['cancelme:1.0']);
    await launcher.dispose();
  });

  test('the user runs it (F5, --no-start): nothing is started, the launch waits for the registration', async () => {
    const { vm, registry, launcher, statuses } = setup(silent);
    const steps: string[] = [];
    const launching = launch(launcher, definition('byhand'), { userRunsChaincode: true, onProgress: (s: string) => steps.push(s) });
    await statusShown(launcher, 'waiting for registration');
    assert.equal(registry.isLaunching('byhand:1.0'), true, 'the peer takes its REGISTER (dev mode off)');
    connect(registry, 'byhand:1.0');
    assert.equal((await launching).status, 'ready');
    assert.deepEqual(vm.starts, []);
    assert.deepEqual(statuses('byhand:1.0'), ['waiting for registration', 'ready']);
    assert.match(steps[0] ?? '', /CORE_CHAINCODE_ID_NAME=byhand:1\.0/);
    await launcher.dispose();
  });

  test('a REGISTER refused for its certificate (an impostor) does not end the launch; the real chaincode registers after it', async () => {
    const { registry, launcher } = setup(silent, { policy: { certificateOwner: (fp) => (fp === 'real' ? 'guarded:1.0' : 'other:1.0') } });
    const launching = launch(launcher, definition('guarded', 'net'));
    await waitUntil(() => registry.isLaunching('guarded:1.0'), 5000, 'the launch of guarded:1.0', 5);
    const impostor = connect(registry, 'guarded:1.0', 'stolen');
    await waitUntil(() => answered(impostor.handler), 5000, "the impostor's REGISTER to be answered", 5);
    assert.equal(impostor.handler.state, 'ended', 'refused');
    assert.match(impostor.handler.info().lastError ?? '', /issued for other:1\.0, not guarded:1\.0/);
    assert.equal(registry.isLaunching('guarded:1.0'), true, 'the launch still waits');
    const real = connect(registry, 'guarded:1.0', 'real');
    const result = await launching;
    assert.equal(result.handlerId, real.handler.id);
    await launcher.dispose();
  });

  test('dev mode: a chaincode that leaves is waited for; a transaction waits until it registers again', async () => {
    const { vm, registry, launcher, statuses } = setup(registers());
    await launch(launcher, definition('comeback'));
    const [first] = vm.connections;
    first.chaincode.end('the debugger restarted it');
    await statusShown(launcher, 'waiting for registration');
    const waiting = launcher.running()[0];
    assert.match(waiting?.lastError ?? '', /chaincode disconnected: the debugger restarted it/);
    assert.equal(registry.isLaunching('comeback:1.0'), true, 'its REGISTER is welcome (dev mode off)');

    const tx = launcher.awaitReady('comeback'); // by name, as transactions name it
    await sleep(100);
    const second = connect(registry, 'comeback:1.0');
    assert.equal(await tx, second.handler);
    assert.equal(launcher.running()[0]?.status, 'ready');
    assert.deepEqual(statuses('comeback:1.0'), ['launching', 'ready', 'waiting for registration']);
    assert.equal(vm.starts.length, 1, 'nothing restarted by the launcher');
    await launcher.dispose();
  });

  test('dev mode: an impostor that registers and leaves while nobody waits does not keep the real chaincode out', async () => {
    const { vm, registry, launcher } = setup(registers());
    await launch(launcher, definition('target'));
    vm.connections[0].chaincode.end('crashed');
    await statusShown(launcher, 'waiting for registration');
    const impostor = connect(registry, 'target:1.0');
    await waitUntil(() => answered(impostor.handler), 5000, "the impostor's REGISTER to be answered", 5);
    assert.equal(impostor.handler.state, 'ready');
    impostor.chaincode.end('the impostor left');
    await waitUntil(() => impostor.handler.state === 'ended', 5000, 'the impostor to be gone', 5);
    await statusShown(launcher, 'waiting for registration');
    const tx = launcher.awaitReady('target:1.0');
    const real = connect(registry, 'target:1.0');
    assert.equal(await tx, real.handler);
    await launcher.dispose();
  });

  test('waiting for a dev-mode chaincode gives up after the timeout (it stays welcome) and ends when it is stopped', async () => {
    const { vm, registry, launcher } = setup(registers());
    await launch(launcher, definition('gone'));
    vm.connections[0].chaincode.end('crashed');
    await statusShown(launcher, 'waiting for registration');
    await assert.rejects(
      launcher.awaitReady('gone:1.0', { timeoutMs: 100 }),
      (err: Error) => err instanceof LaunchError && /timeout expired while waiting for chaincode gone:1\.0 to register again/.test(err.message),
    );
    assert.equal(launcher.running()[0]?.status, 'waiting for registration');
    const pending = launcher.awaitReady('gone:1.0');
    await launcher.stop('gone:1.0');
    await assert.rejects(pending, /the chaincode was stopped/);
    assert.equal(registry.isLaunching('gone:1.0'), false);
    assert.equal(await launcher.awaitReady('gone:1.0'), undefined, 'a stopped chaincode is not waited for');
    await launcher.dispose();
  });

  test('net mode: a chaincode that leaves is failed, not waited for', async () => {
    const { vm, launcher } = setup(registers());
    await launch(launcher, definition('netcc', 'net'));
    vm.connections[0].chaincode.end('container died');
    await statusShown(launcher, 'failed');
    assert.equal(await launcher.awaitReady('netcc:1.0'), undefined);
    await launcher.dispose();
  });

  test('a later launch of a dev-mode chaincode waiting for registration starts its runtime again', async () => {
    const { vm, launcher } = setup(registers());
    await launch(launcher, definition('restart'));
    vm.connections[0].chaincode.end('crashed');
    await statusShown(launcher, 'waiting for registration');
    const tx = launcher.awaitReady('restart:1.0');
    const relaunched = await launch(launcher, definition('restart'));
    assert.equal(relaunched.status, 'ready');
    assert.equal(vm.starts.length, 2);
    assert.equal((await tx)?.id, relaunched.handlerId, 'the waiting transaction gets the relaunched chaincode');
    await launcher.dispose();
  });

  test('stop ends the handler and forgets the chaincode; stopping it again is an error', async () => {
    const { vm, registry, launcher } = setup(registers());
    await launch(launcher, definition('stopme'));
    await launcher.stop('stopme:1.0');
    assert.deepEqual(vm.stops, ['stopme:1.0']);
    assert.equal(registry.handler('stopme:1.0'), undefined);
    assert.deepEqual(launcher.running(), []);
    await assert.rejects(launcher.stop('stopme:1.0'), /stopme:1\.0 is not running/);
    await launcher.dispose();
  });
});
