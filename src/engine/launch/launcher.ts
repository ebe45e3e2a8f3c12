/**
 * The launch flow, ported from Fabric 2.x's ChaincodeSupport.Launch and RuntimeLauncher.Launch
 * (core/chaincode/chaincode_support.go, runtime_launcher.go). It decides what to start, then waits in one place, on the chaincode's launch state, for
 * its registration, a start failure, an exit or the startup timeout. The VM controller starts the
 * runtime; the handler registers the chaincode and ends the launch state (handler_registry.go).
 */
import type { VMController } from '../container/controller';
import type { StartRequest, VMKind } from '../container/types';
import type { Handler } from '../peer/handler';
import type { HandlerRegistry, LaunchState } from '../peer/handlerRegistry';
import type { Disposable } from '../util/events';
import type { ChaincodeRegistry } from './chaincodeRegistry';
import { ChaincodeTable, type TableEntry } from './chaincodeTable';
import { ChaincodeDefinition, LaunchOptions, LaunchSpec, RunningChaincode } from './types';
import { chaincodeId, chaincodeVersionOf } from '../chaincodeId';

/** What a runtime needs to start one chaincode: argv, env, files, lazy image builders, and where. */
export type RuntimeRecipe = Pick<StartRequest, 'args' | 'env' | 'files' | 'builder' | 'imageTag' | 'dependencies' | 'workingDir'> & { readonly vm: VMKind };

/** Produces recipes per mode (net mode: platforms + TLS; dev mode: a local process; system: in-process). */
export interface RecipeSource {
  recipeFor(def: ChaincodeDefinition, codePackage: Buffer | undefined): Promise<RuntimeRecipe>;
}

export class LaunchError extends Error {
  override readonly name = 'LaunchError';
}

/** What the launcher needs of the handler registry: launch states, and which handler is registered. */
export type LaunchRegistry = Pick<HandlerRegistry, 'launching' | 'forgetLaunch' | 'deregister' | 'handler' | 'onDidChangeHandler'>;

/** Our LSCC, as the launcher uses it. */
export type DefinitionStore = Pick<ChaincodeRegistry, 'get' | 'put'>;

export interface LauncherDependencies {
  readonly handlers: LaunchRegistry;
  readonly definitions: DefinitionStore;
  readonly vms: VMController;
  readonly recipes: RecipeSource;
  /** Fabric's chaincode.startuptimeout (ms). */
  readonly startupTimeoutMs: number;
  /** A stopped chaincode's credentials (TLS client certificates) die with it. */
  readonly revokeCredentials?: (ccid: string) => void;
  /** Where a chaincode the user starts should connect (for the hint while waiting). */
  readonly peerAddress?: () => string;
}

type Outcome = { readonly ok: true } | { readonly ok: false; readonly cause: Error; readonly startFailed?: boolean; readonly cancelled?: boolean };

export class ChaincodeLauncher {
  private readonly table = new ChaincodeTable();
  readonly onDidChangeChaincode = this.table.onDidChangeChaincode;
  readonly onLog = this.table.onLog;
  private readonly subscriptions: Disposable[];

  constructor(private readonly deps: LauncherDependencies) {
    this.subscriptions = [
      deps.vms.onEvent((e) => {
        this.table.record(e);
        if (e.kind === 'status' && e.status === 'exited') this.onExit(e.ccid, e.vm, e.exitCode);
      }),
      deps.handlers.onDidChangeHandler((h) => this.onHandlerChange(h)),
    ];
  }

  running(): RunningChaincode[] {
    return this.table.all();
  }

  /** Launch (Fabric's ChaincodeSupport.Launch): returns once the chaincode is ready. */
  async launch(spec: LaunchSpec, options: LaunchOptions = {}): Promise<RunningChaincode> {
    const ccid = spec.kind === 'deployment' ? chaincodeId(spec.definition.name, spec.definition.version) : spec.chaincodeId;
    // 1. Already running: at once.
    const registered = this.deps.handlers.handler(ccid);
    if (registered?.state === 'ready') return this.adopt(ccid, registered, spec);
    // 2. Find the deployment.
    const { definition, codePackage } = await this.findDefinition(ccid, spec);
    // 3–5. Start the runtime (unless the user runs it) and wait for the registration.
    await this.launchAndWaitForRegister(ccid, definition, codePackage, options);
    const handler = this.deps.handlers.handler(ccid);
    const running = this.table.snapshot(ccid) ?? (handler ? this.adopt(ccid, handler, spec) : undefined);
    if (!running) throw new LaunchError(`chaincode ${ccid} registered and left at once`);
    return running;
  }

  /**
   * Waits until `chaincode` (an id, or a name of one chaincode we launched) is ready again, when it is
   * a dev-mode chaincode we launched and its process is gone (a debugger restart, a crash): Fabric
   * 2.x launches on the transaction, and in dev mode that means waiting for the user's process to
   * register. Undefined when there is nothing to wait for (not ours, not dev mode, stopped).
   */
  async awaitReady(chaincode: string, options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<Handler | undefined> {
    const ccid = this.idOf(chaincode);
    const entry = ccid === undefined ? undefined : this.table.get(ccid);
    if (ccid === undefined || !entry || entry.definition.mode !== 'dev' || entry.stopping) return undefined;
    const live = this.deps.handlers.handler(ccid);
    if (live?.state === 'ready') return live;
    const { state, alreadyStarted } = this.deps.handlers.launching(ccid);
    if (!alreadyStarted) this.awaitReregistration(ccid, entry, state);
    const timeoutMs = options.timeoutMs ?? this.deps.startupTimeoutMs;
    const outcome = await this.waitOn(state, {
      timeoutMs,
      // Not the launch's end: the registration stays welcome; only this transaction gives up.
      onTimeout: () => new Error(`timeout expired while waiting for chaincode ${ccid} to register again (${Math.round(timeoutMs / 1000)} s)`),
      signal: options.signal,
    });
    if (!outcome.ok) throw outcome.cancelled ? outcome.cause : new LaunchError(this.table.describe(ccid, outcome.cause), { cause: outcome.cause });
    return this.deps.handlers.handler(ccid);
  }

  /** Stop: stop the runtime, end the handler (its transactions fail) and any launch, forget the chaincode. */
  async stop(ccid: string): Promise<void> {
    const entry = this.table.get(ccid);
    if (!entry && !this.deps.handlers.handler(ccid)) throw new LaunchError(`chaincode ${ccid} is not running`);
    if (entry) entry.stopping = true;
    if (entry?.vm) await this.deps.vms.stop(entry.vm, ccid);
    this.deps.handlers.deregister(ccid, 'the chaincode was stopped');
    this.deps.revokeCredentials?.(ccid);
    if (this.table.get(ccid) === entry) this.table.remove(ccid, 'stopped');
  }

  /** Stops everything this launcher started (CLI exit, extension deactivation). */
  async dispose(): Promise<void> {
    for (const ccid of this.table.ids()) await this.stop(ccid).catch(() => undefined);
    for (const s of this.subscriptions) s.dispose();
    this.table.dispose();
  }

  private async findDefinition(ccid: string, spec: LaunchSpec): Promise<{ definition: ChaincodeDefinition; codePackage?: Buffer }> {
    if (spec.kind === 'deployment') {
      if (!spec.definition.name) throw new LaunchError('chaincode name must not be empty');
      await this.deps.definitions.put(spec.definition);
      return { definition: spec.definition, codePackage: spec.codePackage };
    }
    const stored = this.deps.definitions.get(ccid);
    if (!stored) throw new LaunchError(`chaincode ${ccid} is not deployed: launch it first (did you forget to deploy your chaincode?)`);
    if (stored.mode === 'system') throw new LaunchError(`a system chaincode should be running, it cannot be launched: ${ccid}`);
    return { definition: stored };
  }

  /**
   * Fabric's RuntimeLauncher.Launch: the first launch of a chaincode owns its launch state and starts
   * the runtime; a concurrent launch waits on the same state and gets the same chaincode.
   */
  private launchAndWaitForRegister(ccid: string, definition: ChaincodeDefinition, codePackage: Buffer | undefined, options: LaunchOptions): Promise<void> {
    const { state, alreadyStarted } = this.deps.handlers.launching(ccid);
    // A state that only waits for a dev-mode chaincode to come back: this launch takes it over.
    const takeOver = alreadyStarted && this.table.get(ccid)?.reregistration === state;
    if (alreadyStarted && !takeOver) return this.joinLaunch(ccid, state, options);
    return this.ownLaunch(ccid, state, definition, codePackage, options);
  }

  private async joinLaunch(ccid: string, state: LaunchState, options: LaunchOptions): Promise<void> {
    if (!state.isDone) options.onProgress?.(`waiting for the launch of ${ccid} under way`);
    const outcome = await this.waitOn(state, {
      timeoutMs: this.deps.startupTimeoutMs,
      onTimeout: () => new Error(`timeout expired while waiting for chaincode ${ccid} to register`),
      signal: options.signal,
    });
    if (!outcome.ok) throw outcome.cancelled ? outcome.cause : new LaunchError(this.table.describe(ccid, outcome.cause), { cause: outcome.cause });
  }

  private async ownLaunch(ccid: string, state: LaunchState, definition: ChaincodeDefinition, codePackage: Buffer | undefined, options: LaunchOptions): Promise<void> {
    const progress = options.onProgress ?? (() => undefined);
    const userRuns = definition.mode === 'dev' && options.userRunsChaincode === true;
    const entry = this.table.begin(ccid, definition, userRuns ? 'waiting for registration' : 'launching');
    entry.launch = state;
    let startFailure: Promise<Outcome> | undefined;
    if (userRuns) {
      const address = this.deps.peerAddress?.();
      progress(`waiting for ${ccid} to register (start it with CORE_CHAINCODE_ID_NAME=${ccid}${address ? ` and --peer.address ${address}` : ''})`);
    } else {
      startFailure = this.startRuntime(ccid, entry, definition, codePackage, options);
    }
    const timeoutMs = this.deps.startupTimeoutMs;
    const outcome = await this.waitOn(state, {
      timeoutMs,
      onTimeout: () =>
        new Error(
          userRuns ? `timeout expired while waiting for chaincode ${ccid} to register (${Math.round(timeoutMs / 1000)} s)` : `timeout expired while starting chaincode ${ccid}`,
        ),
      signal: options.signal,
      startFailure,
    });
    const current = (): boolean => this.table.get(ccid) === entry;
    if (outcome.ok) {
      entry.launch = undefined;
      const handler = this.deps.handlers.handler(ccid);
      if (!current()) return;
      if (handler) this.table.update(ccid, { status: 'ready', handler, lastError: undefined });
      else this.lost(ccid, entry, `chaincode ${ccid} disconnected right after registering`);
      return;
    }
    // The launch failed: everyone waiting on it learns why; the runtime is stopped and the launch forgotten.
    state.notify(outcome.cause);
    this.deps.handlers.forgetLaunch(ccid, state);
    const message = outcome.cancelled ? outcome.cause.message : this.table.describe(ccid, outcome.cause);
    if (entry.vm) await this.deps.vms.stop(entry.vm, ccid).catch(() => undefined); // the launch's error is the one to report
    if (current()) {
      this.table.update(ccid, { status: 'failed', lastError: message });
      // Nothing ran: nothing to show (the error goes to the caller).
      if (outcome.startFailed) this.table.remove(ccid, 'failed');
    }
    throw outcome.cancelled ? outcome.cause : new LaunchError(message, { cause: outcome.cause });
  }

  /** Prepares the recipe and starts the runtime; settles only when that fails. */
  private async startRuntime(ccid: string, entry: TableEntry, definition: ChaincodeDefinition, codePackage: Buffer | undefined, options: LaunchOptions): Promise<Outcome> {
    const progress = options.onProgress ?? (() => undefined);
    let recipe: RuntimeRecipe;
    try {
      progress('preparing');
      recipe = await this.deps.recipes.recipeFor(definition, codePackage);
    } catch (err) {
      return { ok: false, cause: new Error(`cannot prepare ${ccid}: ${(err as Error).message}`, { cause: err }) };
    }
    const { vm, ...start } = recipe;
    entry.vm = vm;
    // The runtime's own steps ("building image: step 2/5…") are the ones worth showing while it starts.
    const forward = this.deps.vms.vm(vm).onEvent((e) => {
      if (e.kind === 'progress' && e.ccid === ccid) progress(e.step);
    });
    try {
      await this.deps.vms.start(vm, { ccid, ...start, signal: options.signal });
    } catch (err) {
      if (options.signal?.aborted) return { ok: false, cause: reasonOf(options.signal), cancelled: true };
      const what = vm === 'process' ? 'process' : 'container';
      return { ok: false, cause: new Error(`error starting ${what}: ${(err as Error).message}`, { cause: err }), startFailed: true };
    } finally {
      forward.dispose();
    }
    progress('waiting for the chaincode to register');
    return new Promise<never>(() => undefined); // the launch state decides from here
  }

  /** The one place a launch waits: its state's end, a start failure, the timeout, or the caller giving up. */
  private waitOn(state: LaunchState, opts: { timeoutMs: number; onTimeout: () => Error; signal?: AbortSignal; startFailure?: Promise<Outcome> }): Promise<Outcome> {
    return new Promise<Outcome>((resolve) => {
      let settled = false;
      const finish = (outcome: Outcome): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        done?.dispose();
        resolve(outcome);
      };
      const onAbort = (): void => finish({ ok: false, cause: reasonOf(opts.signal), cancelled: true });
      const timer = setTimeout(() => finish({ ok: false, cause: opts.onTimeout() }), opts.timeoutMs);
      // `let`: a launch that is done already calls back at once, before `whenDone` returns, and
      // `finish` must then read `done` as undefined (a `const` would throw there, not yet initialised).
      // eslint-disable-next-line prefer-const
      let done: Disposable | undefined;
      done = state.whenDone(() => finish(state.error ? { ok: false, cause: state.error } : { ok: true }));
      if (settled) return done.dispose();
      if (opts.signal?.aborted) return onAbort();
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      void opts.startFailure?.then(finish);
    });
  }

  /** Fabric 2.x: the runtime's exit ends its launch (a no-op once it is ready). */
  private onExit(ccid: string, vm: VMKind, exitCode: number | undefined): void {
    const entry = this.table.get(ccid);
    if (!entry || entry.vm !== vm || !entry.runtimeStarted || entry.stopping) return;
    const code = exitCode !== undefined ? ` with code ${exitCode}` : '';
    entry.launch?.notify(new Error(`chaincode ${ccid} exited${code} before registering`));
    if (entry.status !== 'ready') return;
    // Dev mode: its handler's end makes it wait for the chaincode to come back.
    if (entry.definition.mode === 'dev') this.table.update(ccid, { lastError: `the chaincode exited${code}` });
    else this.table.update(ccid, { status: 'failed', lastError: `the chaincode exited${code}` });
  }

  private onHandlerChange(h: Handler): void {
    const ccid = h.chaincodeId;
    const entry = ccid ? this.table.get(ccid) : undefined;
    if (!entry || entry.stopping) return;
    if (h.state === 'ready' && this.deps.handlers.handler(ccid) === h) {
      // Its launch's own registration, or a dev-mode chaincode coming back.
      entry.reregistration = undefined;
      this.table.update(ccid, { status: 'ready', handler: h, lastError: undefined });
    } else if (h.state === 'ended' && entry.handler === h) {
      this.lost(ccid, entry, entry.lastError ?? `chaincode disconnected: ${h.info().endReason ?? 'stream ended'}`);
    }
  }

  /** The chaincode's handler is gone. A dev-mode chaincode may come back: the peer takes its REGISTER. */
  private lost(ccid: string, entry: TableEntry, reason: string): void {
    if (entry.definition.mode !== 'dev') {
      this.table.update(ccid, { status: 'failed', handler: undefined, lastError: reason });
      return;
    }
    const { state, alreadyStarted } = this.deps.handlers.launching(ccid);
    if (!alreadyStarted) this.awaitReregistration(ccid, entry, state, reason);
    else this.table.update(ccid, { handler: undefined, lastError: reason });
  }

  private awaitReregistration(ccid: string, entry: TableEntry, state: LaunchState, reason = entry.lastError): void {
    entry.reregistration = state;
    this.table.update(ccid, { status: 'waiting for registration', handler: undefined, lastError: reason });
  }

  /** A chaincode that registered without a launch (dev mode) becomes one we track. */
  private adopt(ccid: string, handler: Handler, spec: LaunchSpec): RunningChaincode {
    if (!this.table.get(ccid)) {
      const definition =
        spec.kind === 'deployment'
          ? spec.definition
          : (this.deps.definitions.get(ccid) ?? { name: handler.chaincodeName, version: chaincodeVersionOf(ccid), mode: 'dev', language: 'node', path: '' });
      this.table.begin(ccid, definition, 'ready', handler);
    }
    return this.table.snapshot(ccid)!;
  }

  /** The id of a chaincode we launched, from its id or its name (when only one version is ours). */
  private idOf(chaincode: string): string | undefined {
    if (this.table.get(chaincode)) return chaincode;
    if (chaincode.includes(':')) return undefined;
    const ids = this.table.ids().filter((ccid) => this.table.get(ccid)?.definition.name === chaincode);
    return ids.length === 1 ? ids[0] : undefined;
  }
}

function reasonOf(signal: AbortSignal | undefined): Error {
  return signal?.reason instanceof Error ? signal.reason : new Error('cancelled');
}
