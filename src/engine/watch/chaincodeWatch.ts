/**
 * Watch and reload, state kept (the inner loop): a saved change to a chaincode's folder rebuilds it
 * (TypeScript, with the project's own build), restarts it, waits until it has registered, and runs
 * the last transaction (or the pinned ones) again on the world state as it is, then reports the
 * result and how it differs from the run before. A build error stops the reload before the restart:
 * the chaincode keeps running the code it ran.
 *
 * Saves while a reload runs are gathered into one more reload after it. The CLI prints the outcomes;
 * the editor shows them (Problems, a diff editor). This module decides nothing about either.
 */
import type { Language } from '../platforms/types';
import { Emitter } from '../util/events';
import type { BuildDiagnostic } from './buildDiagnostics';
import { FolderWatcher } from './folderWatcher';
import { lastTransaction, rerun, type Rerun, type RerunHost } from './rerun';
import { requestKey, requestOf, type RerunRequest } from './rerunRequest';
import type { Restart } from './restart';
import { TscWatch } from './tscWatch';
import { runBuild, typeScriptBuildOf, type BuildOutcome, type TypeScriptBuild } from './typescriptBuild';
import { WatchRules } from './watchRules';

/** What is watched: a chaincode the launcher runs from a folder. */
export interface WatchTarget {
  readonly ccid: string;
  readonly folder: string;
  readonly language: Language;
  /** Node written in TypeScript: built before each restart. */
  readonly typescript: boolean;
}

export interface ChaincodeWatchOptions {
  /** Where the re-runs go (the engine's transaction pipeline). */
  readonly transactions: RerunHost;
  /** Resolves once the chaincode is ready again (restart.ts). */
  readonly restart: Restart;
  readonly debounceMs?: number;
  /** Absolute paths in the folder never watched (the engine's data folder, when it is there). */
  readonly excluded?: readonly string[];
  /** Re-run these instead of the last transaction. */
  readonly pinned?: readonly RerunRequest[];
}

/** What started a reload: saved files (relative paths) and when the last one changed, or a request. */
export interface ReloadTrigger {
  readonly files: readonly string[];
  /** `performance.now()` of the last change. */
  readonly at: number;
}

export interface ReloadTimings {
  readonly buildMs: number;
  readonly restartMs: number;
  readonly rerunMs: number;
  /** From the last saved change to the last re-run's result. */
  readonly totalMs: number;
}

export type ReloadOutcome =
  | { readonly kind: 'build failed'; readonly reload: number; readonly trigger: ReloadTrigger; readonly build: BuildOutcome }
  | { readonly kind: 'restart failed'; readonly reload: number; readonly trigger: ReloadTrigger; readonly build: BuildOutcome | undefined; readonly error: Error }
  | {
      readonly kind: 'reloaded';
      readonly reload: number;
      readonly trigger: ReloadTrigger;
      readonly build: BuildOutcome | undefined;
      /** In order: the pinned ones, or the last transaction; [] when nothing had run yet. */
      readonly reruns: readonly Rerun[];
      readonly timings: ReloadTimings;
    };

/** The chaincode cannot be watched (a language whose build the watch does not run). */
export class WatchUnsupportedError extends Error {
  override readonly name = 'WatchUnsupportedError';
}

/** How long a save of a TypeScript file waits for the compiler to start on it (it waits for more saves first). */
const COMPILER_START_TIMEOUT_MS = 5000;
const COMPILER_INPUT = /(\.(ts|tsx|mts|cts)|(^|\/)tsconfig[^/]*\.json)$/;

export class ChaincodeWatch {
  private readonly reloadStarted = new Emitter<{ readonly reload: number; readonly trigger: ReloadTrigger }>();
  private readonly reloaded = new Emitter<ReloadOutcome>();
  private readonly built = new Emitter<BuildOutcome>();
  /** A reload began (the editor shows progress). */
  readonly onDidStartReload = this.reloadStarted.event;
  readonly onDidReload = this.reloaded.event;
  /** A build ended: each compilation of the running compiler, or each reload's build. Its diagnostics replace the last ones. */
  readonly onDidBuild = this.built.event;
  private readonly pins = new Map<string, RerunRequest>();
  private readonly abort = new AbortController();
  private count = 0;
  private current: Promise<ReloadOutcome> | undefined;
  /** The reload after the current one: the saves made meanwhile. */
  private queued: { trigger: ReloadTrigger; readonly run: Promise<ReloadOutcome> } | undefined;
  private disposed = false;

  private constructor(
    readonly target: WatchTarget,
    private readonly options: ChaincodeWatchOptions,
    private readonly watcher: FolderWatcher,
    private readonly build: TypeScriptBuild | undefined,
    private readonly compiler: TscWatch | undefined,
  ) {
    for (const p of options.pinned ?? []) this.pin(p);
    watcher.onDidChange((change) => void this.reload(change));
    // The compiler's verdicts, also on saves the watch does not reload for (a test file): Problems follow tsc.
    compiler?.onDidCompile((b) => this.built.fire(b));
  }

  /** Watches from now on (the folder's watches are in place when this resolves). */
  static async start(target: WatchTarget, options: ChaincodeWatchOptions): Promise<ChaincodeWatch> {
    if (target.language === 'java') {
      throw new WatchUnsupportedError(`watch rebuilds Node, TypeScript and Go chaincode; ${target.ccid} is Java: build its jar (mvn package) and restart it instead`);
    }
    const build = target.typescript ? typeScriptBuildOf(target.folder) : undefined;
    const rules = await WatchRules.forFolder(target.folder, { excluded: options.excluded, typescript: target.typescript });
    const watcher = await FolderWatcher.start(target.folder, rules, { debounceMs: options.debounceMs });
    const compiler = build?.kind === 'tsc' ? new TscWatch(build) : undefined;
    return new ChaincodeWatch(target, options, watcher, build, compiler);
  }

  /** The folder's directories being watched. */
  get directories(): readonly string[] {
    return this.watcher.directories;
  }

  get pinned(): readonly RerunRequest[] {
    return [...this.pins.values()];
  }

  pin(request: RerunRequest): void {
    this.pins.set(requestKey(request), request);
  }

  unpin(request: RerunRequest): void {
    this.pins.delete(requestKey(request));
  }

  /**
   * Reloads now (or once the running reload has ended; requests meanwhile share the next one).
   * Without a trigger, as if every file had just been saved.
   */
  reload(trigger: ReloadTrigger = { files: [], at: performance.now() }): Promise<ReloadOutcome> {
    if (!this.current) return this.begin(trigger);
    if (this.queued) {
      this.queued.trigger = mergeTriggers(this.queued.trigger, trigger);
      return this.queued.run;
    }
    const afterCurrent = (): Promise<ReloadOutcome> => {
      const queued = this.queued;
      this.queued = undefined;
      return this.begin(queued?.trigger ?? trigger);
    };
    const run = this.current.then(afterCurrent, afterCurrent);
    this.queued = { trigger, run };
    return run;
  }

  /** Stops watching; a reload under way is cancelled (its restart fails with the abort). */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.abort.abort(new Error('the watch was turned off'));
    this.watcher.dispose();
    this.compiler?.dispose();
    await this.current?.catch(() => undefined);
    this.reloadStarted.dispose();
    this.reloaded.dispose();
    this.built.dispose();
  }

  private begin(trigger: ReloadTrigger): Promise<ReloadOutcome> {
    const running: Promise<ReloadOutcome> = this.run(trigger).finally(() => {
      if (this.current === running) this.current = undefined;
    });
    this.current = running;
    return running;
  }

  private async run(trigger: ReloadTrigger): Promise<ReloadOutcome> {
    const reload = ++this.count;
    this.reloadStarted.fire({ reload, trigger });
    const started = performance.now();
    const build = await this.buildFor(trigger);
    if (build && !this.compiler) this.built.fire(build);
    if (build && !build.ok) return this.report({ kind: 'build failed', reload, trigger, build });
    // What ran last is decided before the restart: the restart runs no transaction of its own.
    const targets = this.pins.size ? this.pinned : [lastTransaction(this.options.transactions, this.target.ccid)].flatMap((r) => (r ? [requestOf(r)] : []));
    const built = performance.now();
    try {
      this.abort.signal.throwIfAborted();
      await this.options.restart(this.abort.signal);
    } catch (err) {
      return this.report({ kind: 'restart failed', reload, trigger, build, error: err instanceof Error ? err : new Error(String(err)) });
    }
    const restarted = performance.now();
    const reruns: Rerun[] = [];
    for (const request of targets) reruns.push(await rerun(this.options.transactions, this.target.ccid, request));
    const ended = performance.now();
    const timings = { buildMs: built - started, restartMs: restarted - built, rerunMs: ended - restarted, totalMs: ended - Math.min(trigger.at, started) };
    return this.report({ kind: 'reloaded', reload, trigger, build, reruns, timings });
  }

  private report(outcome: ReloadOutcome): ReloadOutcome {
    if (!this.disposed) this.reloaded.fire(outcome);
    return outcome;
  }

  /** The build for these changes: the running compiler's compilation of them, or the build script run now. */
  private async buildFor(trigger: ReloadTrigger): Promise<BuildOutcome | undefined> {
    if (!this.build) return undefined;
    try {
      if (this.compiler) {
        const compiles = trigger.files.some((f) => COMPILER_INPUT.test(f));
        // A save the compiler does not compile (a .js, a .json) still restarts on what it built last.
        const covering = compiles && trigger.files.length ? await this.compiler.buildAfter(trigger.at, COMPILER_START_TIMEOUT_MS) : undefined;
        return covering ?? (await this.compiler.settled());
      }
      return await runBuild(this.build, { signal: this.abort.signal });
    } catch (err) {
      const failed = failedBuild(this.build, err as Error);
      if (this.compiler) this.built.fire(failed); // the compiler itself ended: say so where its errors show
      return failed;
    }
  }
}

function mergeTriggers(a: ReloadTrigger, b: ReloadTrigger): ReloadTrigger {
  return { files: [...new Set([...a.files, ...b.files])].sort(), at: Math.max(a.at, b.at) };
}

/** A build that could not run at all (the compiler ended, npm is missing) fails with its reason. */
function failedBuild(build: TypeScriptBuild, err: Error): BuildOutcome {
  const diagnostic: BuildDiagnostic = { severity: 'error', code: err.name, message: err.message };
  return { ok: false, diagnostics: [diagnostic], commandLine: build.kind === 'tsc' ? 'tsc' : 'npm run build', durationMs: 0, output: err.message.split('\n') };
}
