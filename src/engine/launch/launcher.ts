/**
 * The launch flow, ported from Fabric's core/chaincode/chaincode_support.go (Launch,
 * launchAndWaitForRegister, sendReady, Stop) as shared/design/launch-flow.md walks through it.
 * It decides what to start and waits; the VM controller starts it; the handler registers it.
 */
import type { VMController } from '../container/controller';
import type { RuntimeEvent, StartRequest, VMKind } from '../container/types';
import type { Peer } from '../peer/peer';
import type { Handler } from '../peer/handler';
import { Emitter } from '../util/events';
import type { ChaincodeRegistry } from './chaincodeRegistry';
import {
  ChaincodeDefinition,
  chaincodeIdOf,
  ChaincodeLog,
  ChaincodeStatus,
  LaunchOptions,
  LaunchSpec,
  RunningChaincode,
} from './types';

/** What a runtime needs to start one chaincode: argv, env, files, and lazy image builders. */
export type RuntimeRecipe = Pick<StartRequest, 'args' | 'env' | 'files' | 'builder' | 'imageTag' | 'dependencies'> & { readonly vm: VMKind };

/** Produces recipes per mode (net mode: platforms + TLS; system: the in-process path). */
export interface RecipeSource {
  recipeFor(def: ChaincodeDefinition, codePackage: Buffer | undefined): Promise<RuntimeRecipe>;
}

export class LaunchError extends Error {}

interface TableEntry {
  definition: ChaincodeDefinition;
  status: ChaincodeStatus;
  since: number;
  vm?: VMKind;
  handler?: Handler;
  lastError?: string;
  container?: RunningChaincode['container'];
  recentLogs: string[];
}

export interface LauncherTimeouts {
  readonly startupTimeoutMs: number;
}

const RECENT_LOG_LINES = 20;
/** Shims print the first 8 hex characters of the txid in brackets: `[mychannel-a1b2c3d4]` or `[a1b2c3d4]`. */
const TXID_IN_LINE = /\[(?:[^\]\s]*-)?([0-9a-f]{8})[0-9a-f]*\]/;

export class ChaincodeLauncher {
  /** Fabric's "running chaincodes" table; JS runs one task at a time, so a synchronous check-and-set is its lock. */
  private readonly table = new Map<string, TableEntry>();
  private readonly changed = new Emitter<RunningChaincode>();
  private readonly logs = new Emitter<ChaincodeLog>();
  readonly onDidChangeChaincode = this.changed.event;
  readonly onLog = this.logs.event;
  private readonly subscriptions: { dispose(): void }[] = [];

  constructor(
    private readonly peer: Peer,
    private readonly registry: ChaincodeRegistry,
    private readonly vms: VMController,
    private readonly recipes: RecipeSource,
    private readonly timeouts: LauncherTimeouts,
    vmKinds: readonly VMKind[],
  ) {
    for (const kind of vmKinds) this.subscriptions.push(vms.vm(kind).onEvent((e) => this.onRuntimeEvent(e)));
    this.subscriptions.push(
      peer.onDidChangeHandlerState(({ handler }) => {
        const entry = this.table.get(handler.chaincodeId);
        if (!entry || entry.handler?.id !== handler.id) return;
        if (handler.state === 'ended' && entry.status !== 'stopped' && entry.status !== 'failed') {
          this.update(handler.chaincodeId, { status: 'failed', lastError: `chaincode disconnected: ${handler.endReason ?? 'stream ended'}` });
        }
      }),
    );
  }

  running(): RunningChaincode[] {
    return [...this.table.entries()].map(([ccid, e]) => this.snapshot(ccid, e));
  }

  /** Launch (Fabric's ChaincodeSupport.Launch): returns once the chaincode is ready. */
  async launch(spec: LaunchSpec, options: LaunchOptions = {}): Promise<RunningChaincode> {
    const ccid = spec.kind === 'deployment' ? chaincodeIdOf(spec.definition) : spec.chaincodeId;
    const progress = options.onProgress ?? (() => undefined);

    // 1. Already launched?
    const handler = this.peer.registry.get(ccid);
    const entry = this.table.get(ccid);
    if (entry && entry.status === 'launching' && !handler) {
      throw new LaunchError(`premature execution - chaincode (${ccid}) is being launched`);
    }
    if (handler?.state === 'ready') return this.adoptReady(ccid, handler, spec);
    if (handler?.state === 'established') return this.sendReady(ccid, handler, progress);

    // 2. Find the deployment.
    let definition: ChaincodeDefinition;
    let codePackage: Buffer | undefined;
    if (spec.kind === 'deployment') {
      definition = spec.definition;
      codePackage = spec.codePackage;
      await this.registry.put(definition);
    } else {
      const stored = this.registry.get(ccid);
      if (!stored) {
        throw new LaunchError(`chaincode ${ccid} is not deployed: launch it first (did you forget to deploy your chaincode?)`);
      }
      if (stored.mode === 'system') throw new LaunchError(`a system chaincode should be running, it cannot be launched: ${ccid}`);
      definition = stored;
    }

    // 3. Dev mode starts nothing: the user's process registers by itself.
    if (definition.mode === 'dev') {
      return this.waitForUserProcess(ccid, definition, options);
    }

    // 4–5. Code package (the recipe packages the folder lazily), builder, start and wait.
    const registered = await this.launchAndWaitForRegister(ccid, definition, codePackage, options);
    // 6. Send ready.
    return this.sendReady(ccid, registered, progress);
  }

  /** Stop: stop the runtime, drop the table entry, end the handler (its transactions fail). */
  async stop(ccid: string): Promise<void> {
    const entry = this.table.get(ccid);
    const handler = this.peer.registry.get(ccid);
    if (!entry && !handler) throw new LaunchError(`chaincode ${ccid} is not running`);
    if (entry?.vm) await this.vms.stop(entry.vm, ccid, { timeoutSeconds: 0, remove: true });
    handler?.close('the chaincode was stopped');
    // Its client certificates die with it: a stopped chaincode's old container cannot register again.
    this.peer.tlsAuthority?.revoke(ccid);
    this.update(ccid, { status: 'stopped' });
    this.table.delete(ccid);
  }

  async restart(ccid: string, options: LaunchOptions = {}): Promise<RunningChaincode> {
    const definition = this.table.get(ccid)?.definition ?? this.registry.get(ccid);
    if (!definition) throw new LaunchError(`chaincode ${ccid} is not deployed`);
    if (this.table.has(ccid) || this.peer.registry.get(ccid)) await this.stop(ccid);
    return this.launch({ kind: 'deployment', definition }, options);
  }

  /** Stops everything this launcher started (CLI exit, extension deactivation). */
  async dispose(): Promise<void> {
    for (const ccid of [...this.table.keys()]) await this.stop(ccid).catch(() => undefined);
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
    this.logs.dispose();
  }

  private async launchAndWaitForRegister(ccid: string, definition: ChaincodeDefinition, codePackage: Buffer | undefined, options: LaunchOptions): Promise<Handler> {
    const progress = options.onProgress ?? (() => undefined);
    if (!ccid || !definition.name) throw new LaunchError('chaincode name must not be empty');
    // Concurrent launches of one chaincode never both start a runtime.
    if (this.table.has(ccid) && this.table.get(ccid)?.status !== 'failed' && this.table.get(ccid)?.status !== 'stopped') {
      throw new LaunchError(`chaincode is being launched: ${ccid}`);
    }
    this.table.set(ccid, { definition, status: 'launching', since: Date.now(), recentLogs: [] });
    this.fire(ccid);

    let recipe: RuntimeRecipe;
    try {
      progress('preparing');
      recipe = await this.recipes.recipeFor(definition, codePackage);
    } catch (err) {
      this.fail(ccid, `cannot prepare ${ccid}: ${(err as Error).message}`);
      throw new LaunchError(`cannot prepare ${ccid}: ${(err as Error).message}`);
    }
    this.table.get(ccid)!.vm = recipe.vm;

    let expectation: { dispose(): void } | undefined;
    let exited: Promise<never> | undefined;
    const registration = new AbortController();
    const onAbort = (): void => registration.abort(options.signal?.reason);
    options.signal?.addEventListener('abort', onAbort);
    // The runtime's own steps ("building image: step 2/5…") are the ones worth showing while it starts.
    const forwardProgress = this.vms.vm(recipe.vm).onEvent((e) => {
      if (e.kind === 'progress' && e.ccid === ccid) progress(e.step);
    });
    try {
      try {
        await this.vms.start(recipe.vm, {
          ccid,
          args: recipe.args,
          env: recipe.env,
          files: recipe.files,
          builder: recipe.builder,
          imageTag: recipe.imageTag,
          dependencies: recipe.dependencies,
          signal: options.signal,
          // Armed at the last moment: the window in which another process could register as us is small.
          prelaunch: async () => {
            expectation = this.peer.registry.expect(ccid);
            // From here on, not once start returns: the VM may still be busy (removing replaced images)
            // while the container runs, and an early exit must not go unnoticed.
            exited = this.exitNotification(ccid, registration.signal);
            exited.catch(() => undefined); // raced below; until then, not an unhandled rejection
            progress('waiting for the chaincode to register');
          },
        });
      } catch (err) {
        const message = `error starting container: ${(err as Error).message}`;
        this.fail(ccid, message);
        this.table.delete(ccid);
        throw new LaunchError(message);
      } finally {
        forwardProgress.dispose();
      }
      try {
        const handler = await Promise.race([
          this.peer.registry.waitFor(ccid, ['established', 'ready'], this.timeouts.startupTimeoutMs, registration.signal),
          exited ?? this.exitNotification(ccid, registration.signal),
        ]);
        return handler;
      } catch (err) {
        const cause = (err as Error).message.replace(/^timeout expired while waiting for chaincode .* to register/, `timeout expired while starting chaincode ${ccid}`);
        const logs = this.table.get(ccid)?.recentLogs ?? [];
        const message = logs.length ? `${cause}; last log lines:\n${logs.slice(-10).join('\n')}` : cause;
        this.fail(ccid, message);
        await this.vms.stop(recipe.vm, ccid, { timeoutSeconds: 0, remove: true }).catch(() => undefined);
        throw new LaunchError(message);
      }
    } finally {
      registration.abort();
      options.signal?.removeEventListener('abort', onAbort);
      expectation?.dispose();
    }
  }

  /** Rejects when the runtime exits before it registers (Fabric 2.x's Wait → launch state). */
  private exitNotification(ccid: string, signal: AbortSignal): Promise<never> {
    return new Promise((_, reject) => {
      const sub = this.vms.vm(this.table.get(ccid)?.vm ?? 'docker').onEvent((e) => {
        if (e.ccid === ccid && e.kind === 'status' && e.status === 'exited') {
          sub.dispose();
          reject(new Error(`chaincode ${ccid} exited${e.exitCode !== undefined ? ` with code ${e.exitCode}` : ''} before registering`));
        }
      });
      signal.addEventListener('abort', () => sub.dispose());
    });
  }

  private async sendReady(ccid: string, handler: Handler, progress: (step: string) => void): Promise<RunningChaincode> {
    progress('sending ready');
    try {
      if (handler.state === 'established') handler.sendReady();
      await this.peer.registry.waitFor(ccid, ['ready'], this.timeouts.startupTimeoutMs);
    } catch (err) {
      const message = `failed to init chaincode (${ccid}): ${(err as Error).message}`;
      this.fail(ccid, message);
      const vm = this.table.get(ccid)?.vm;
      if (vm) await this.vms.stop(vm, ccid, { timeoutSeconds: 0, remove: true }).catch(() => undefined);
      throw new LaunchError(message);
    }
    const entry = this.table.get(ccid);
    if (entry) {
      entry.handler = handler;
      this.update(ccid, { status: 'ready', lastError: undefined });
    }
    return this.snapshot(ccid, this.table.get(ccid)!);
  }

  private async waitForUserProcess(ccid: string, definition: ChaincodeDefinition, options: LaunchOptions): Promise<RunningChaincode> {
    const progress = options.onProgress ?? (() => undefined);
    this.table.set(ccid, { definition, status: 'launching', since: Date.now(), recentLogs: [] });
    this.fire(ccid);
    const expectation = this.peer.registry.expect(ccid);
    progress(`waiting for ${ccid} to register (start it with CORE_CHAINCODE_ID_NAME=${ccid} and --peer.address ${this.peer.address})`);
    try {
      const handler = await this.peer.registry.waitFor(ccid, ['established', 'ready'], this.timeouts.startupTimeoutMs, options.signal);
      return await this.sendReady(ccid, handler, progress);
    } catch (err) {
      const message = (err as Error).message;
      this.fail(ccid, message);
      throw err instanceof LaunchError ? err : new LaunchError(message);
    } finally {
      expectation.dispose();
    }
  }

  /** A chaincode that registered on its own (dev mode) becomes one we track. */
  private adoptReady(ccid: string, handler: Handler, spec: LaunchSpec): RunningChaincode {
    const existing = this.table.get(ccid);
    if (!existing) {
      const definition = spec.kind === 'deployment' ? spec.definition : (this.registry.get(ccid) ?? { name: handler.chaincodeName, version: ccid.split(':')[1] ?? '', mode: 'dev', language: 'node', path: '' });
      this.table.set(ccid, { definition, status: 'ready', since: Date.now(), handler, recentLogs: [] });
      this.fire(ccid);
    }
    return this.snapshot(ccid, this.table.get(ccid)!);
  }

  private onRuntimeEvent(e: RuntimeEvent): void {
    const entry = this.table.get(e.ccid);
    if (e.kind === 'log') {
      // Blank lines (npm prints some) are worth nothing in an error message.
      if (entry && e.line.trim() !== '') {
        entry.recentLogs.push(e.line);
        if (entry.recentLogs.length > RECENT_LOG_LINES) entry.recentLogs.shift();
      }
      const match = TXID_IN_LINE.exec(e.line);
      this.logs.fire({ ccid: e.ccid, stream: e.stream, line: e.line, txId: match?.[1] });
      return;
    }
    if (e.kind === 'status' && entry) {
      // A new container: what an error quotes is its output, not the image build's that came before.
      if (e.status === 'created') entry.recentLogs.length = 0;
      entry.container = {
        name: entry.container?.name ?? e.ccid,
        id: e.containerId ?? entry.container?.id,
        image: e.image ?? entry.container?.image,
        status: e.status,
      };
      if (e.status === 'exited' && entry.status === 'ready') {
        entry.status = 'failed';
        entry.lastError = `the chaincode exited${e.exitCode !== undefined ? ` with code ${e.exitCode}` : ''}`;
      }
      this.fire(e.ccid);
    }
  }

  private fail(ccid: string, message: string): void {
    this.update(ccid, { status: 'failed', lastError: message });
  }

  private update(ccid: string, patch: Partial<Pick<TableEntry, 'status' | 'lastError'>>): void {
    const entry = this.table.get(ccid);
    if (!entry) return;
    if (patch.status && patch.status !== entry.status) entry.since = Date.now();
    Object.assign(entry, patch);
    this.fire(ccid);
  }

  private fire(ccid: string): void {
    const entry = this.table.get(ccid);
    if (entry) this.changed.fire(this.snapshot(ccid, entry));
  }

  private snapshot(ccid: string, e: TableEntry): RunningChaincode {
    return {
      ccid,
      definition: e.definition,
      status: e.status,
      since: e.since,
      handlerId: e.handler?.id,
      container: e.container,
      lastError: e.lastError,
    };
  }
}
