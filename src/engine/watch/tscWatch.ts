/**
 * The project's compiler kept running while a TypeScript chaincode is watched (`tsc --watch`, or
 * `tsc --build --watch` when its build script uses build mode): it keeps the program in memory, so
 * a save is checked and emitted again for what changed only, where a fresh `tsc` reads and checks
 * the whole program (the standard library's and Node's declarations included) every time.
 *
 * tsc sees the same file changes the folder watcher does, and prints each compilation it starts
 * ("File change detected. Starting incremental compilation...") and ends ("Found N errors.
 * Watching for file changes."). It waits a moment after a change before it starts, so the
 * compilation that covers a save is the first one that starts after it: `buildAfter` waits for
 * that one (and for any that follows it at once), or reports that none started (the saved file is
 * not part of the program).
 */
import type { ChildProcess } from 'child_process';
import * as path from 'path';
import { LineSplitter } from '../util/lines';
import { Emitter } from '../util/events';
import { signalGroup, spawnTiedToParent } from '../container/process/tiedProcess';
import { DiagnosticReader } from './buildDiagnostics';
import { sortDiagnostics, type BuildOutcome, type TypeScriptBuild } from './typescriptBuild';

const STARTED = /(Starting compilation in watch mode|File change detected\. Starting incremental compilation)/;
const FOUND = /Found (\d+) errors?\. Watching for file changes\./;
const KEPT_LINES = 40;

/** tsc --watch ended (it should run until disposed): its last output says why. */
export class TscWatchExitedError extends Error {
  override readonly name = 'TscWatchExitedError';
}

interface Compilation {
  readonly startedAt: number;
  outcome?: BuildOutcome;
}

export class TscWatch {
  private readonly child: ChildProcess;
  private readonly reader: DiagnosticReader;
  private readonly compilations: Compilation[] = [];
  private readonly lines: string[] = [];
  private readonly waiters = new Set<() => void>();
  private exited: TscWatchExitedError | undefined;
  private readonly compiled = new Emitter<BuildOutcome>();
  /** Every compilation's outcome, the first one's included, whatever started it. */
  readonly onDidCompile = this.compiled.event;
  readonly commandLine: string;

  constructor(build: Extract<TypeScriptBuild, { kind: 'tsc' }>) {
    const project = path.relative(build.folder, build.project) || build.project;
    const args = build.buildMode
      ? [build.tsc, '--build', '--watch', '--preserveWatchOutput', '--pretty', 'false', build.project]
      : [build.tsc, '--watch', '--preserveWatchOutput', '--pretty', 'false', '--project', build.project];
    this.commandLine = build.buildMode ? `tsc --build --watch ${project}` : `tsc --watch --project ${project}`;
    this.reader = new DiagnosticReader(build.folder);
    this.child = spawnTiedToParent('node', args, { cwd: build.folder, env: { ...process.env } });
    const splitter = new LineSplitter((line) => this.onLine(line));
    this.child.stdout?.on('data', (chunk: Buffer) => splitter.push(chunk));
    this.child.stderr?.on('data', (chunk: Buffer) => splitter.push(chunk));
    this.child.on('error', (err) => this.onExit(`could not start: ${err.message}`));
    this.child.on('exit', (code, signal) => {
      splitter.flush();
      this.onExit(signal ? `killed by ${signal}` : `exit code ${code}`);
    });
  }

  /**
   * The outcome of the compilations that started at or after `at` (a `performance.now()` time): once
   * one has, and none is still running, the newest's. Undefined when none starts within
   * `startTimeoutMs` of tsc being idle: the changes were not part of the program.
   */
  async buildAfter(at: number, startTimeoutMs: number): Promise<BuildOutcome | undefined> {
    const started = (): Compilation[] => this.compilations.filter((c) => c.startedAt >= at);
    // A compilation under way that started before the change: tsc takes the change up after it.
    await this.waitFor(() => started().length > 0 || !this.compiling() || undefined);
    if (!(await this.waitFor(() => started().length > 0 || undefined, startTimeoutMs))) return undefined;
    return this.waitFor(() => {
      const since = started();
      return since.every((c) => c.outcome) ? since[since.length - 1]?.outcome : undefined;
    });
  }

  /** Once no compilation is running (the first one has ended): the newest outcome. */
  settled(): Promise<BuildOutcome> {
    return this.waitFor(() => {
      const newest = this.compilations[this.compilations.length - 1];
      return newest?.outcome;
    });
  }

  private compiling(): boolean {
    const newest = this.compilations[this.compilations.length - 1];
    return !!newest && !newest.outcome;
  }

  dispose(): void {
    this.compiled.dispose();
    if (!this.exited) this.exited = new TscWatchExitedError(`${this.commandLine} was stopped`);
    signalGroup(this.child, 'SIGTERM');
    this.wake();
  }

  private onLine(line: string): void {
    this.lines.push(line);
    if (this.lines.length > KEPT_LINES) this.lines.shift();
    if (STARTED.test(line)) {
      this.reader.take();
      this.compilations.push({ startedAt: performance.now() });
      if (this.compilations.length > 20) this.compilations.splice(0, this.compilations.length - 20);
      return;
    }
    const found = FOUND.exec(line);
    const current = this.compilations[this.compilations.length - 1];
    if (!found || !current || current.outcome) {
      this.reader.line(line);
      return;
    }
    const diagnostics = sortDiagnostics(this.reader.take());
    current.outcome = {
      ok: !diagnostics.some((d) => d.severity === 'error') && Number(found[1]) === 0,
      diagnostics,
      commandLine: this.commandLine,
      durationMs: performance.now() - current.startedAt,
      output: [...this.lines],
    };
    this.compiled.fire(current.outcome);
    this.wake();
  }

  private onExit(why: string): void {
    if (!this.exited) this.exited = new TscWatchExitedError(`${this.commandLine} ended (${why}); its last output lines:\n${this.lines.slice(-10).join('\n')}`);
    this.wake();
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }

  /** Resolves with `test()` once it is defined (undefined after `timeoutMs`, if given); rejects once tsc has ended. */
  private waitFor<T>(test: () => T | undefined): Promise<T>;
  private waitFor<T>(test: () => T | undefined, timeoutMs: number): Promise<T | undefined>;
  private waitFor<T>(test: () => T | undefined, timeoutMs?: number): Promise<T | undefined> {
    return new Promise<T | undefined>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const settle = (): void => {
        this.waiters.delete(check);
        if (timer) clearTimeout(timer);
      };
      const check = (): void => {
        const value = test();
        if (value !== undefined) {
          settle();
          resolve(value);
        } else if (this.exited) {
          settle();
          reject(this.exited);
        }
      };
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          settle();
          resolve(undefined);
        }, timeoutMs);
      }
      this.waiters.add(check);
      check();
    });
  }
}
