/**
 * The process VM (dev mode's runtime): output and exit as RuntimeEvents, a stop that ends the whole
 * process group and escalates to SIGKILL, a missing command as a start failure, and no process that
 * outlives the one that started it (an orphaned fabric-shim spins on its broken output pipe).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'child_process';
import * as path from 'path';
import { ProcessStartError, ProcessVM, STOP_GRACE_MS } from '../../../../src/engine/container/process/processVM';
import type { RuntimeEvent, StartRequest } from '../../../../src/engine/container/types';
import { locateGo } from '../../../../src/engine/util/executables';
import { isAlive } from '../../../../src/engine/util/processes';

const PROCESS_VM_MODULE = path.resolve(__dirname, '..', '..', '..', '..', 'src', 'engine', 'container', 'process', 'processVM.js');

async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

function request(ccid: string, script: string, env: Record<string, string> = {}): StartRequest {
  return { ccid, args: ['sh', '-c', script], env, workingDir: '/' };
}

function recorder(vm: ProcessVM): RuntimeEvent[] {
  const events: RuntimeEvent[] = [];
  vm.onEvent((e) => events.push(e));
  return events;
}

/** A parent process that starts `script` through the VM and waits to be killed; `pid`: the one the script prints. */
async function parentRunning(script: string): Promise<{ parent: ChildProcess; pid: number }> {
  const parentScript = `const { ProcessVM } = require(${JSON.stringify(PROCESS_VM_MODULE)});
    const vm = new ProcessVM();
    vm.onEvent((e) => { if (e.kind === 'log') console.log(e.line); });
    void vm.start({ ccid: 'orphan:1', args: ['sh', '-c', ${JSON.stringify(script)}], env: {} });`;
  const parent = spawn(process.execPath, ['-e', parentScript], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  parent.stdout.on('data', (d: Buffer) => (out += d.toString()));
  assert.ok(await until(() => /pid \d+/.test(out), 5000), out);
  return { parent, pid: Number(/pid (\d+)/.exec(out)![1]) };
}

const lines = (events: RuntimeEvent[], ccid: string): string[] => events.flatMap((e) => (e.kind === 'log' && e.ccid === ccid ? [e.line] : []));
const statuses = (events: RuntimeEvent[], ccid: string): string[] => events.flatMap((e) => (e.kind === 'status' && e.ccid === ccid ? [e.status] : []));

describe('process VM', () => {
  test('runs the command in its folder with its environment; output and exit code are events', async () => {
    const vm = new ProcessVM();
    const events = recorder(vm);
    await vm.start(request('echo:1', 'echo "in $(pwd) as $CORE_CHAINCODE_ID_NAME"; echo oops >&2; exit 7', { CORE_CHAINCODE_ID_NAME: 'echo:1' }));
    assert.ok(await until(() => statuses(events, 'echo:1').includes('exited'), 5000), JSON.stringify(events));
    assert.ok(lines(events, 'echo:1').includes('in / as echo:1'), JSON.stringify(events));
    assert.ok(events.some((e) => e.kind === 'log' && e.stream === 'stderr' && e.line === 'oops'));
    const exited = events.find((e) => e.kind === 'status' && e.status === 'exited');
    assert.equal(exited?.kind === 'status' ? exited.exitCode : undefined, 7);
    assert.deepEqual(statuses(events, 'echo:1'), ['running', 'exited'], 'the last lines come before the exit');
    assert.equal(vm.runningProcesses, 0);
    vm.dispose();
  });

  test('CORE_* variables of whoever started the engine do not leak into the chaincode', async () => {
    process.env.CORE_PEER_TLS_ROOTCERT_FILE = '/stale/from/the/shell';
    try {
      const vm = new ProcessVM();
      const events = recorder(vm);
      await vm.start(request('env:1', 'echo "root=${CORE_PEER_TLS_ROOTCERT_FILE:-unset} id=$CORE_CHAINCODE_ID_NAME"', { CORE_CHAINCODE_ID_NAME: 'env:1' }));
      assert.ok(await until(() => statuses(events, 'env:1').includes('exited'), 5000));
      assert.ok(lines(events, 'env:1').includes('root=unset id=env:1'), JSON.stringify(lines(events, 'env:1')));
      vm.dispose();
    } finally {
      delete process.env.CORE_PEER_TLS_ROOTCERT_FILE;
    }
  });

  test('a command that is not installed is a start failure, not an exit', async () => {
    const vm = new ProcessVM();
    await assert.rejects(
      vm.start({ ccid: 'missing:1', args: ['no-such-tool-ccl', 'x'], env: {} }),
      (err: Error) => err instanceof ProcessStartError && /no-such-tool-ccl is not installed/.test(err.message),
    );
    assert.equal(vm.runningProcesses, 0);
    vm.dispose();
  });

  test('go outside PATH (an editor started from a desktop) is found where its installer puts it', async (t) => {
    const go = locateGo({ PATH: '', GOROOT: process.env.GOROOT });
    if (!go) return t.skip('no Go toolchain in GOROOT or /usr/local/go on this machine');
    const vm = new ProcessVM();
    const events = recorder(vm);
    try {
      await vm.start({ ccid: 'go:1', args: ['go', 'version'], env: { PATH: '/usr/bin:/bin' } });
      assert.ok(await until(() => lines(events, 'go:1').some((l) => /^go version go\d/.test(l)), 10_000), lines(events, 'go:1').join('\n'));
    } finally {
      vm.dispose();
    }
  });

  test('stop ends the process and its children', async () => {
    const vm = new ProcessVM();
    const events = recorder(vm);
    await vm.start(request('tree:1', 'sleep 600 & echo child $!; wait'));
    assert.ok(await until(() => lines(events, 'tree:1').some((l) => l.startsWith('child ')), 5000));
    const child = Number(
      lines(events, 'tree:1')
        .find((l) => l.startsWith('child '))!
        .split(' ')[1],
    );
    const running = events.find((e) => e.kind === 'status' && e.status === 'running');
    const pid = running?.kind === 'status' ? running.pid : undefined;
    assert.ok(pid && isAlive(pid) && isAlive(child));
    await vm.stop('tree:1');
    assert.equal(isAlive(pid), false, 'the process is gone');
    assert.ok(await until(() => !isAlive(child), 2000), 'its child is gone');
    assert.deepEqual(statuses(events, 'tree:1').slice(-2), ['exited', 'stopped']);
    vm.dispose();
  });

  test('a process that ignores SIGTERM is killed after the grace period', async () => {
    const vm = new ProcessVM();
    const events = recorder(vm);
    await vm.start(request('stubborn:1', "trap '' TERM; echo trapped; while :; do sleep 0.1; done"));
    assert.ok(await until(() => lines(events, 'stubborn:1').includes('trapped'), 5000));
    const started = Date.now();
    await vm.stop('stubborn:1');
    const took = Date.now() - started;
    assert.ok(took >= STOP_GRACE_MS - 50, `SIGKILL came after the grace period (${took} ms)`);
    const exited = events.find((e) => e.kind === 'status' && e.status === 'exited');
    assert.match(exited?.kind === 'status' ? (exited.detail ?? '') : '', /SIGKILL/);
    vm.dispose();
  });

  test('starting a chaincode that runs replaces its process', async () => {
    const vm = new ProcessVM();
    const events = recorder(vm);
    await vm.start(request('twice:1', 'echo first; sleep 600'));
    assert.ok(await until(() => lines(events, 'twice:1').includes('first'), 5000));
    await vm.start(request('twice:1', 'echo second; sleep 600'));
    assert.deepEqual(statuses(events, 'twice:1'), ['running', 'exited', 'stopped', 'running']);
    assert.equal(vm.runningProcesses, 1);
    await vm.stop('twice:1');
    vm.dispose();
  });

  test('the process group dies when the process that started it is killed with SIGKILL', async () => {
    const { parent, pid } = await parentRunning('sleep 600 & echo pid $!; wait');
    assert.ok(isAlive(pid));
    parent.kill('SIGKILL');
    assert.ok(await until(() => !isAlive(pid), 5000), 'the chaincode outlived its parent');
  });

  test('a chaincode that ignores SIGTERM does not outlive the process that started it either', async () => {
    const { parent, pid } = await parentRunning("trap '' TERM; echo pid $$; while :; do sleep 0.1; done");
    parent.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 1000));
    assert.ok(isAlive(pid), 'it got its SIGTERM first');
    assert.ok(await until(() => !isAlive(pid), 8000), 'killed after the grace period');
  });
});
