/**
 * The VM controller (Fabric's `VMCProcess`, `core/container/controller.go`): finds the VM for a
 * kind, runs each request under a per-container lock, and honours the caller's cancellation.
 */
import type { Disposable } from '../util/events';
import { KeyedMutex } from './keyedMutex';
import type { RuntimeEvent, StartRequest, StopOptions, VM, VMKind } from './types';

export class UnknownVMKindError extends Error {
  override readonly name = 'UnknownVMKindError';
  constructor(readonly vmKind: string) {
    super(`unknown VM type: ${vmKind}`);
  }
}

export class VMController {
  private readonly vms = new Map<VMKind, VM>();
  private readonly locks = new KeyedMutex();

  constructor(vms: Iterable<VM>) {
    for (const vm of vms) this.vms.set(vm.kind, vm);
  }

  vm(kind: VMKind): VM {
    const vm = this.vms.get(kind);
    if (!vm) throw new UnknownVMKindError(kind);
    return vm;
  }

  /** Every VM's events (what the launcher follows: logs, exits, progress). */
  onEvent(listener: (event: RuntimeEvent & { readonly vm: VMKind }) => void): Disposable {
    const subscriptions = [...this.vms.values()].map((vm) => vm.onEvent((e) => listener({ ...e, vm: vm.kind })));
    return { dispose: () => subscriptions.forEach((s) => s.dispose()) };
  }

  /** Starts `req.ccid` on the VM of `kind`; cancellable through `req.signal`. */
  start(kind: VMKind, req: StartRequest): Promise<void> {
    return this.process(kind, req.ccid, (vm) => vm.start(req), req.signal);
  }

  stop(kind: VMKind, ccid: string, opts?: StopOptions, signal?: AbortSignal): Promise<void> {
    return this.process(kind, ccid, (vm) => vm.stop(ccid, opts), signal);
  }

  /**
   * Runs `work` under the lock of `containerId`. If `signal` fires before the work settles, the
   * work is still awaited (so nothing runs behind the caller's back while it moves on, and the lock
   * order stays intact), then the promise rejects with `signal.reason` as Node's own APIs do.
   * An already-aborted signal rejects at once without running anything.
   */
  async process<T>(kind: VMKind, containerId: string, work: (vm: VM) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const vm = this.vm(kind);
    if (signal?.aborted) throw signal.reason;
    if (!signal) return this.locks.run(containerId, () => work(vm));

    let cancelled = false;
    const onAbort = (): void => {
      cancelled = true;
    };
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const result = await this.locks
        .run(containerId, () => work(vm))
        .catch((err: unknown) => {
          if (cancelled) throw signal.reason;
          throw err;
        });
      if (cancelled) throw signal.reason;
      return result;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  /** Containers with a request in flight or queued; 0 when idle. */
  get pendingContainers(): number {
    return this.locks.size;
  }
}
