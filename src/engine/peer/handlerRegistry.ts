/**
 * Which handler serves which chaincode id, and who is waiting for one to register
 * (Fabric's HandlerRegistry, with its two known faults fixed: refusals end the stream, and a
 * handler is removed by identity so a rejected duplicate never deregisters the legitimate one).
 */
import { Emitter } from '../util/events';
import type { Handler } from './handler';

export class RegistrationError extends Error {}

interface Expectation {
  /** True when a launch is waiting: it sends READY itself (launch-flow step 6). */
  readonly launcherSendsReady: boolean;
}

export class HandlerRegistry {
  private readonly byId = new Map<string, Handler>();
  private readonly expected = new Map<string, Expectation>();
  private readonly changes = new Emitter<Handler>();

  /** devMode: accept a REGISTER nobody is waiting for (the user started the chaincode). */
  constructor(private devMode: boolean) {}

  setDevMode(devMode: boolean): void {
    this.devMode = devMode;
  }

  /** Arms the one-shot expectation for `ccid` (the launch flow's pre-launch hook). */
  expect(ccid: string, launcherSendsReady = true): { dispose(): void } {
    this.expected.set(ccid, { launcherSendsReady });
    return { dispose: () => this.expected.delete(ccid) };
  }

  isExpected(ccid: string): boolean {
    return this.expected.has(ccid);
  }

  /** Decides a REGISTER; throws RegistrationError with the reason to send back. */
  register(handler: Handler): 'ready-now' | 'launcher-sends-ready' {
    const ccid = handler.chaincodeId;
    const existing = this.byId.get(ccid);
    if (existing && existing !== handler && existing.state !== 'ended') {
      throw new RegistrationError(`duplicate chaincode id ${ccid}: another process is already registered under it`);
    }
    const expectation = this.expected.get(ccid);
    if (!expectation && !this.devMode) {
      throw new RegistrationError(`the peer will not accept a connection for ${ccid}: it is not being launched (start it with Launch Chaincode, or use dev mode)`);
    }
    this.byId.set(ccid, handler);
    this.changes.fire(handler);
    return expectation?.launcherSendsReady ? 'launcher-sends-ready' : 'ready-now';
  }

  /** Called on every state change of a registered handler. */
  notify(handler: Handler): void {
    this.changes.fire(handler);
  }

  remove(handler: Handler): void {
    if (this.byId.get(handler.chaincodeId) === handler) this.byId.delete(handler.chaincodeId);
    this.changes.fire(handler);
  }

  get(ccid: string): Handler | undefined {
    return this.byId.get(ccid);
  }

  all(): Handler[] {
    return [...this.byId.values()];
  }

  /**
   * Finds the handler for a name as users type it: the exact id (`name:version`), or a bare
   * name when exactly one version of it is registered.
   */
  resolve(nameOrId: string): Handler | undefined {
    const exact = this.byId.get(nameOrId);
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
      const current = this.byId.get(ccid);
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
}
