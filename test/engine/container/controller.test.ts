import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { describe, test } from 'node:test';
import { UnknownVMKindError, VMController } from '../../../src/engine/container/controller';
import { KeyedMutex } from '../../../src/engine/container/keyedMutex';
import type { RuntimeEvent, StartRequest, VM, VMKind } from '../../../src/engine/container/types';
import { Emitter } from '../../../src/engine/util/events';

/** A VM whose start/stop take as long as the test says, recording overlaps. */
class ScriptedVM implements VM {
  readonly emitter = new Emitter<RuntimeEvent>();
  readonly onEvent = this.emitter.event;
  readonly log: string[] = [];
  private readonly active = new Set<string>();
  maxConcurrentPerId = 0;
  maxConcurrent = 0;
  failStart: Error | undefined;

  constructor(
    readonly kind: VMKind,
    private readonly delayMs = 20,
  ) {}

  async start(req: StartRequest): Promise<void> {
    await this.work(`start ${req.ccid}`, req.ccid);
    if (this.failStart) throw this.failStart;
  }

  async stop(ccid: string): Promise<void> {
    await this.work(`stop ${ccid}`, ccid);
  }

  private async work(label: string, id: string): Promise<void> {
    if (this.active.has(id)) this.maxConcurrentPerId = 2;
    this.active.add(id);
    this.maxConcurrent = Math.max(this.maxConcurrent, this.active.size);
    this.log.push(`${label} begin`);
    await new Promise((r) => setTimeout(r, this.delayMs));
    this.log.push(`${label} end`);
    this.active.delete(id);
  }
}

const request = (ccid: string, signal?: AbortSignal): StartRequest => ({
  ccid,
  args: [],
  env: {},
  ...(signal ? { signal } : {}),
});

describe('VMController', () => {
  test('an unknown VM kind is an error', async () => {
    const controller = new VMController([new ScriptedVM('docker')]);
    await assert.rejects(controller.start('inproc', request('a:1')), UnknownVMKindError);
    assert.throws(() => controller.vm('inproc'), /unknown VM type: inproc/);
    assert.equal(controller.pendingContainers, 0);
  });

  test('requests for one container run one at a time, in order', async () => {
    const vm = new ScriptedVM('docker');
    const controller = new VMController([vm]);
    await Promise.all([controller.start('docker', request('a:1')), controller.stop('docker', 'a:1'), controller.start('docker', request('a:1'))]);
    assert.equal(vm.maxConcurrentPerId, 0);
    assert.deepEqual(vm.log, ['start a:1 begin', 'start a:1 end', 'stop a:1 begin', 'stop a:1 end', 'start a:1 begin', 'start a:1 end']);
    assert.equal(controller.pendingContainers, 0, 'no lock entry outlives its requests');
  });

  test('different containers proceed in parallel', async () => {
    const vm = new ScriptedVM('docker', 40);
    const controller = new VMController([vm]);
    await Promise.all(['a:1', 'b:1', 'c:1'].map((id) => controller.start('docker', request(id))));
    assert.equal(vm.maxConcurrent, 3);
    assert.equal(controller.pendingContainers, 0);
  });

  test('a failing request releases its lock and reports its own error', async () => {
    const vm = new ScriptedVM('docker');
    vm.failStart = new Error('boom');
    const controller = new VMController([vm]);
    await assert.rejects(controller.start('docker', request('a:1')), /boom/);
    assert.equal(controller.pendingContainers, 0);
    vm.failStart = undefined;
    await controller.start('docker', request('a:1')); // not deadlocked
  });

  test('cancellation: waits for the in-flight request, then rejects with the reason', async () => {
    const vm = new ScriptedVM('docker', 80);
    const controller = new VMController([vm]);
    const abort = new AbortController();
    const started = Date.now();
    const pending = controller.start('docker', request('a:1', abort.signal));
    setTimeout(() => abort.abort(new Error('caller gave up')), 10);
    await assert.rejects(pending, /caller gave up/);
    assert.ok(Date.now() - started >= 70, 'rejected only after the request finished');
    assert.deepEqual(vm.log, ['start a:1 begin', 'start a:1 end']);
    assert.equal(getEventListeners(abort.signal, 'abort').length, 0, 'no listener left on the signal');
    assert.equal(controller.pendingContainers, 0);
  });

  test('cancellation while queued behind another request still waits for its turn to finish', async () => {
    const vm = new ScriptedVM('docker', 40);
    const controller = new VMController([vm]);
    const abort = new AbortController();
    const first = controller.start('docker', request('a:1'));
    const second = controller.stop('docker', 'a:1', {}, abort.signal);
    abort.abort();
    await first;
    await assert.rejects(second, (err: Error) => err.name === 'AbortError');
    assert.deepEqual(vm.log, ['start a:1 begin', 'start a:1 end', 'stop a:1 begin', 'stop a:1 end']);
    assert.equal(controller.pendingContainers, 0);
  });

  test('a request that finishes before the signal fires resolves normally', async () => {
    const controller = new VMController([new ScriptedVM('docker', 5)]);
    const abort = new AbortController();
    await controller.start('docker', request('a:1', abort.signal));
    abort.abort();
    assert.equal(getEventListeners(abort.signal, 'abort').length, 0);
  });

  test('an already-aborted signal rejects without running anything', async () => {
    const vm = new ScriptedVM('docker');
    const controller = new VMController([vm]);
    await assert.rejects(controller.start('docker', request('a:1', AbortSignal.abort())), (err: Error) => err.name === 'AbortError');
    assert.deepEqual(vm.log, []);
    assert.equal(controller.pendingContainers, 0);
  });

  test('KeyedMutex: many waiters on one key, entry removed when all are done', async () => {
    const mutex = new KeyedMutex();
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        mutex.run('k', async () => {
          assert.equal(mutex.size, 1);
          await new Promise((r) => setTimeout(r, i % 3));
          order.push(i);
        }),
      ),
    );
    assert.deepEqual(
      order,
      Array.from({ length: 20 }, (_, i) => i),
    );
    assert.equal(mutex.size, 0);
  });
});
