/**
 * Which handler serves which chaincode id, which chaincodes are being launched, and who may register
 * (Fabric 2.x's HandlerRegistry and LaunchState, core/chaincode/handler_registry.go), with Fabric's
 * known faults fixed: a refused REGISTER ends its stream and never fails someone else's launch, and
 * a handler is removed by identity, so an impostor's teardown never deregisters the legitimate one.
 */
import { Emitter, type Disposable, type Event } from '../util/events';
import type { Handler } from './handler';

export class RegistrationError extends Error {
  override readonly name = 'RegistrationError';
}

/**
 * One launch of one chaincode (Fabric's LaunchState): done once, when its chaincode is ready, or with
 * the error that ended the launch (start failure, exit, timeout). Everyone launching that chaincode
 * waits on the same state.
 */
export class LaunchState {
  private outcome: { readonly error: Error | undefined } | undefined;
  private readonly waiters = new Set<() => void>();

  get isDone(): boolean {
    return this.outcome !== undefined;
  }

  /** Why the launch failed; undefined while pending and after success. */
  get error(): Error | undefined {
    return this.outcome?.error;
  }

  /** Calls `listener` once the launch is done (at once when it is); dispose to stop waiting. */
  whenDone(listener: () => void): Disposable {
    if (this.outcome) {
      listener();
      return { dispose: () => undefined };
    }
    this.waiters.add(listener);
    return { dispose: () => this.waiters.delete(listener) };
  }

  /** The first notification wins (Fabric's Notify): an exit after READY changes nothing. */
  notify(error?: Error): void {
    if (this.outcome) return;
    this.outcome = { error };
    for (const w of [...this.waiters]) w();
    this.waiters.clear();
  }
}

/** Who may REGISTER (Fabric's allowUnsolicitedRegistration and the chaincode server's TLS interceptor). */
export interface RegistrationPolicy {
  /** Accept a REGISTER nobody is launching (Fabric's dev mode: the user runs the chaincode). */
  readonly acceptUnlaunched: boolean;
  /** The chaincode a TLS client certificate was issued for (by its fingerprint), if any. */
  readonly certificateOwner?: (fingerprint: string) => string | undefined;
}

export class HandlerRegistry {
  private readonly handlers = new Map<string, Handler>();
  private readonly launchStates = new Map<string, LaunchState>();
  private readonly changes = new Emitter<Handler>();
  /** A handler registered, changed state, or ended. */
  readonly onDidChangeHandler: Event<Handler> = this.changes.event;

  constructor(private readonly policy: RegistrationPolicy) {}

  /**
   * Fabric's Launching: the launch state of `ccid`, and whether it was already started (a launch is
   * under way, or the chaincode registered without one: then the state is done). When not, the
   * caller owns the new state: it starts the runtime and ends the state on failure.
   */
  launching(ccid: string): { readonly state: LaunchState; readonly alreadyStarted: boolean } {
    const current = this.launchStates.get(ccid);
    if (current) return { state: current, alreadyStarted: true };
    if (this.handler(ccid)) {
      const registered = new LaunchState();
      registered.notify();
      return { state: registered, alreadyStarted: true };
    }
    const state = new LaunchState();
    this.launchStates.set(ccid, state);
    return { state, alreadyStarted: false };
  }

  /** A launch of `ccid` is waiting for its registration. */
  isLaunching(ccid: string): boolean {
    return this.launchStates.get(ccid)?.isDone === false;
  }

  /**
   * Forgets the launch of `ccid` (its owner gave up on it). `state`: only if it is still that launch;
   * a newer one is left alone.
   */
  forgetLaunch(ccid: string, state?: LaunchState): void {
    if (state === undefined || this.launchStates.get(ccid) === state) this.launchStates.delete(ccid);
  }

  /**
   * Fabric's Deregister (the chaincode is stopped): a pending launch fails with `reason`, and the
   * handler's stream ends, failing its in-flight transactions.
   */
  deregister(ccid: string, reason: string): void {
    const state = this.launchStates.get(ccid);
    this.launchStates.delete(ccid);
    state?.notify(new Error(reason));
    this.handlers.get(ccid)?.close(reason);
  }

  /** Decides a REGISTER; throws RegistrationError with the reason to send back. READY follows at once. */
  register(handler: Handler): void {
    const ccid = handler.chaincodeId;
    const existing = this.handlers.get(ccid);
    if (existing && existing !== handler && existing.state !== 'ended') {
      throw new RegistrationError(`duplicate chaincode id ${ccid}: another process is already registered under it`);
    }
    const fingerprint = handler.stream.clientCertFingerprint;
    if (fingerprint !== undefined) {
      // Fabric's interceptor: the REGISTERed name must be the one the client certificate was issued for.
      const issuedFor = this.policy.certificateOwner?.(fingerprint);
      if (issuedFor !== ccid) throw new RegistrationError(`the TLS client certificate was issued for ${issuedFor ?? 'an unknown chaincode'}, not ${ccid}`);
    }
    if (!this.launchStates.has(ccid) && !this.policy.acceptUnlaunched) {
      throw new RegistrationError(`the peer will not accept a connection for ${ccid}: it is not being launched (start it with Launch Chaincode, or use dev mode)`);
    }
    this.handlers.set(ccid, handler);
    this.changes.fire(handler);
  }

  /** Called on every state change of a handler: READY ends its launch (Fabric's Ready); the end removes it. */
  notify(handler: Handler): void {
    if (handler.state === 'ready' && this.handlers.get(handler.chaincodeId) === handler) this.launchStates.get(handler.chaincodeId)?.notify();
    if (handler.state === 'ended') this.detach(handler);
    this.changes.fire(handler);
  }

  /** The stream is gone. */
  remove(handler: Handler): void {
    if (this.detach(handler)) this.changes.fire(handler);
  }

  /** The live handler of `ccid`. */
  handler(ccid: string): Handler | undefined {
    const h = this.handlers.get(ccid);
    return h && h.state !== 'ended' ? h : undefined;
  }

  get(ccid: string): Handler | undefined {
    return this.handlers.get(ccid);
  }

  all(): Handler[] {
    return [...this.handlers.values()];
  }

  /**
   * Finds the handler for a name as users type it: the exact id (`name:version`), or a bare
   * name when exactly one version of it is registered.
   */
  resolve(nameOrId: string): Handler | undefined {
    const exact = this.handlers.get(nameOrId);
    if (exact) return exact;
    if (nameOrId.includes(':')) return undefined;
    const matches = this.all().filter((h) => h.chaincodeName === nameOrId && h.state !== 'ended');
    return matches.length === 1 ? matches[0] : matches.find((h) => h.state === 'ready');
  }

  /**
   * Resolves once `ccid` has a handler in one of `states`; rejects on timeout or abort.
   * Also resolves from the state it is in right now.
   */
  waitFor(ccid: string, states: readonly Handler['state'][], timeoutMs: number, signal?: AbortSignal): Promise<Handler> {
    return new Promise((resolve, reject) => {
      const matches = (h: Handler | undefined): h is Handler => !!h && h.chaincodeId === ccid && states.includes(h.state);
      const current = this.handlers.get(ccid);
      if (matches(current)) return resolve(current);
      const cleanup = (): void => {
        clearTimeout(timer);
        sub.dispose();
        signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = (): void => {
        cleanup();
        reject(signal?.reason instanceof Error ? signal.reason : new Error('cancelled'));
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timeout expired while waiting for chaincode ${ccid} to register (${Math.round(timeoutMs / 1000)} s)`));
      }, timeoutMs);
      const sub = this.changes.event((h) => {
        if (matches(h)) {
          cleanup();
          resolve(h);
        }
      });
      signal?.addEventListener('abort', onAbort);
    });
  }

  /** Removes `handler` if it is the one registered for its id (never by name alone); true when it was. */
  private detach(handler: Handler): boolean {
    const ccid = handler.chaincodeId;
    if (this.handlers.get(ccid) !== handler) return false;
    this.handlers.delete(ccid);
    // Its launch is over: the next launch (or re-registration) gets a fresh state.
    if (this.launchStates.get(ccid)?.isDone) this.launchStates.delete(ccid);
    return true;
  }
}
