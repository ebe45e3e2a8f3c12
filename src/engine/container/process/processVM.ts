/**
 * The process VM: dev-mode chaincode as a local process, the runtime beside Docker and in-process.
 * Knows nothing about chaincode languages: it runs `args` (the command first) in `workingDir` with
 * `env`, reports its output and exit as RuntimeEvents like the Docker VM, and stops it with its whole
 * process group (SIGTERM, then SIGKILL after a grace period). The process never outlives us.
 */
import type { ChildProcess } from 'child_process';
import { constants } from 'os';
import * as path from 'path';
import { Emitter } from '../../util/events';
import { isExecutableFile, locateGo, onPath, withFolderOnPath } from '../../util/executables';
import { LineSplitter } from '../../util/lines';
import type { RuntimeEvent, RuntimeStatus, StartRequest, StopOptions, VM } from '../types';
import { signalGroup, spawnTiedToParent } from './tiedProcess';

export class ProcessStartError extends Error {
  override readonly name = 'ProcessStartError';
}

/** How long a stopped process gets between SIGTERM and SIGKILL when the stop names no timeout. */
export const STOP_GRACE_MS = 3000;

interface RunningProcess {
  readonly child: ChildProcess;
  /** Settles once the exit has been reported. */
  readonly reported: Promise<void>;
}

/** How long the exit report waits for the output pipes to close, so the last lines come before 'exited'. */
const OUTPUT_DRAIN_MS = 2000;

export class ProcessVM implements VM {
  readonly kind = 'process' as const;
  private readonly processes = new Map<string, RunningProcess>();
  private readonly events = new Emitter<RuntimeEvent>();
  readonly onEvent = this.events.event;

  async start(req: StartRequest): Promise<void> {
    const { ccid } = req;
    const [command, ...args] = req.args;
    if (!command) throw new ProcessStartError(`no command to start ${ccid}`);
    // Like a container of the same name, an old process of this chaincode goes first.
    await this.stop(ccid);
    req.signal?.throwIfAborted();
    let env = processEnv(req.env);
    if (!isRunnable(command, env.PATH ?? '', req.workingDir)) {
      // The Go toolchain is often installed where PATH does not reach (an editor started from a desktop).
      const toolchain = command === 'go' ? locateGo(env) : undefined;
      if (!toolchain) throw new ProcessStartError(`cannot start ${ccid}: ${command} is not installed (not found on PATH)`);
      env = withFolderOnPath(env, toolchain);
    }
    this.log(ccid, 'stdout', `$ ${[command, ...args].join(' ')}${req.workingDir ? `   (in ${req.workingDir})` : ''}`);
    const child = spawnTiedToParent(command, args, { cwd: req.workingDir, env });
    try {
      await spawned(child);
    } catch (err) {
      throw new ProcessStartError(`cannot start ${command}: ${(err as Error).message}`, { cause: err });
    }
    child.on('error', () => undefined); // after the spawn, its failures show as the exit
    const reported = this.follow(ccid, child);
    this.processes.set(ccid, { child, reported });
    this.status(ccid, 'running', { pid: child.pid });
  }

  /** Stops the process group: SIGTERM, SIGKILL after the grace period; resolves once it has exited. */
  async stop(ccid: string, opts: StopOptions = {}): Promise<void> {
    const running = this.processes.get(ccid);
    if (!running) return;
    const { child } = running;
    const graceMs = opts.timeoutSeconds !== undefined ? opts.timeoutSeconds * 1000 : STOP_GRACE_MS;
    signalGroup(child, 'SIGTERM');
    const killer = setTimeout(() => signalGroup(child, 'SIGKILL'), graceMs);
    try {
      await running.reported;
    } finally {
      clearTimeout(killer);
    }
    this.status(ccid, 'stopped', { pid: child.pid });
  }

  /** Processes running now (0 once every one is stopped or exited). */
  get runningProcesses(): number {
    return this.processes.size;
  }

  /** Kills every process at once (the engine is going away without stopping them one by one). */
  dispose(): void {
    for (const { child } of this.processes.values()) signalGroup(child, 'SIGKILL');
    this.processes.clear();
    this.events.dispose();
  }

  /** Output as log lines; the exit once the output has drained. */
  private follow(ccid: string, child: ChildProcess): Promise<void> {
    const splitters = (['stdout', 'stderr'] as const).map((stream) => {
      const splitter = new LineSplitter((line) => this.log(ccid, stream, line));
      child[stream]?.on('data', (chunk: Buffer) => splitter.push(chunk));
      return splitter;
    });
    const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
    return new Promise<void>((resolve) => {
      child.once('exit', (code, signal) => {
        // A grandchild that ignores SIGTERM may keep the pipes open: report the exit anyway.
        const drained = new Promise<void>((r) => setTimeout(r, OUTPUT_DRAIN_MS).unref());
        void Promise.race([closed, drained]).then(() => {
          for (const s of splitters) s.flush();
          if (this.processes.get(ccid)?.child === child) this.processes.delete(ccid);
          const detail = exitDetail(code, signal);
          this.status(ccid, 'exited', { pid: child.pid, exitCode: code ?? undefined, detail });
          resolve();
        });
      });
    });
  }

  private log(ccid: string, stream: 'stdout' | 'stderr', line: string): void {
    this.events.fire({ kind: 'log', ccid, stream, line });
  }

  private status(ccid: string, status: RuntimeStatus, extra: { pid?: number; exitCode?: number; detail?: string }): void {
    this.events.fire({ kind: 'status', ccid, status, ...extra });
  }
}

/** Our environment without the CORE_* variables of whoever started us: the chaincode gets exactly the peer's. */
function processEnv(own: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('CORE_')) env[key] = value;
  return { ...env, ...own };
}

/** Whether `command` names an executable (a path, or a name on PATH), so a missing tool is a start failure. */
function isRunnable(command: string, searchPath: string, cwd: string | undefined): boolean {
  if (command.includes(path.sep)) return isExecutableFile(path.resolve(cwd ?? '.', command));
  if (process.platform === 'win32') return true; // PATHEXT rules: let spawn decide
  return onPath(command, searchPath) !== undefined;
}

function spawned(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    child.once('spawn', () => resolve());
    child.once('error', reject);
  });
}

/** "exit code 1", or the signal that ended it (the wrapper's shell reports a killed command as 128 + n). */
function exitDetail(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal) return `killed by ${signal}`;
  const killedBy = code !== null && code > 128 ? Object.entries(constants.signals).find(([, n]) => n === code - 128)?.[0] : undefined;
  return killedBy ? `exit code ${code} (killed by ${killedBy})` : `exit code ${code}`;
}
