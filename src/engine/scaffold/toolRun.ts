/**
 * Runs a tool (npm, go, mvn) in a project folder, reporting its output line by line, stoppable with
 * an AbortSignal (the whole process group: npm and Maven start children of their own), and failing
 * with the tool's last output lines so the user sees why.
 */
import { spawn } from 'child_process';
import { LineSplitter, stripAnsi } from '../util/lines';
import { commandLine, ToolStep } from './languages';
import { ToolCancelledError, ToolFailedError } from './errors';

/** How many of the last output lines an error carries. */
const LAST_LINES = 20;
/** How long a tool gets to end after SIGTERM before SIGKILL. */
const KILL_GRACE_MS = 3000;

export interface ToolLine {
  readonly stream: 'stdout' | 'stderr';
  readonly line: string;
}

export interface ToolRunOptions {
  readonly onLine?: (line: ToolLine) => void;
  readonly signal?: AbortSignal;
}

// Colour codes and carriage-return redraws (progress bars) make no sense line by line.
function cleanLine(raw: string): string {
  const visible =
    raw
      .split('\r')
      .filter((s) => s.trim())
      .pop() ?? '';
  return stripAnsi(visible).trimEnd();
}

/** Runs `step` in `folder`; resolves once it exited with 0. */
export function runTool(step: ToolStep, folder: string, options: ToolRunOptions = {}): Promise<void> {
  const line = commandLine(step);
  const { signal, onLine } = options;
  if (signal?.aborted) return Promise.reject(new ToolCancelledError(line, folder));
  const windows = process.platform === 'win32';
  const child = spawn(step.command, [...step.args], {
    cwd: folder,
    env: { ...process.env, ...(step.env ?? {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
    // POSIX: a process group of its own, so a cancel reaches what the tool started. Windows: npm and
    // mvn are .cmd scripts, which only a shell runs.
    detached: !windows,
    shell: windows,
  });
  const last: string[] = [];
  const push = (stream: ToolLine['stream'], raw: string): void => {
    const text = cleanLine(raw);
    if (!text) return;
    last.push(text);
    if (last.length > LAST_LINES) last.shift();
    onLine?.({ stream, line: text });
  };
  for (const stream of ['stdout', 'stderr'] as const) {
    const splitter = new LineSplitter((raw) => push(stream, raw));
    child[stream]?.on('data', (chunk: Buffer) => splitter.push(chunk));
    child[stream]?.on('end', () => splitter.flush());
  }
  const kill = (sig: NodeJS.Signals): void => {
    try {
      if (child.pid !== undefined && !windows) process.kill(-child.pid, sig);
      else child.kill(sig);
    } catch {
      // already gone
    }
  };
  let killer: NodeJS.Timeout | undefined;
  const onAbort = (): void => {
    kill('SIGTERM');
    killer = setTimeout(() => kill('SIGKILL'), KILL_GRACE_MS);
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  return new Promise<void>((resolve, reject) => {
    let spawnError: Error | undefined;
    child.on('error', (err) => {
      spawnError = err;
    });
    // 'close': the exit and the end of both output streams (their last lines are in `last`).
    child.on('close', (code) => {
      signal?.removeEventListener('abort', onAbort);
      if (killer) clearTimeout(killer);
      if (signal?.aborted) reject(new ToolCancelledError(line, folder));
      else if (spawnError) {
        const missing = (spawnError as NodeJS.ErrnoException).code === 'ENOENT';
        const why = missing ? `${step.command} was not found on PATH: install it, or add it to PATH` : spawnError.message;
        reject(new ToolFailedError(line, folder, null, [why], { cause: spawnError }));
      } else if (code !== 0) reject(new ToolFailedError(line, folder, code, [...last]));
      else resolve();
    });
  });
}
