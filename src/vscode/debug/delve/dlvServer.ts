/**
 * One `dlv dap` server for one debug session: started on a loopback port the system picks, its
 * address read from the line Delve prints ("DAP server listening at: 127.0.0.1:PORT"), tied to our
 * process so it cannot outlive the editor. Delve serves a single client and exits when that client
 * disconnects (killing the chaincode it launched); SIGTERM makes it do the same. No vscode here.
 */
import type { ChildProcess } from 'child_process';
import { signalGroup, spawnTiedToParent } from '../../../engine/container/process/tiedProcess';

/** How long Delve gets to print its address (it only opens a socket: this is generous). */
const START_TIMEOUT_MS = 15_000;
/** How long Delve gets to end after SIGTERM (it kills its debuggee first) before SIGKILL. */
const KILL_GRACE_MS = 5000;
/** How many of Delve's last output lines an error carries. */
const LAST_LINES = 20;

const LISTENING = /DAP server listening at: (\S+):(\d+)\s*$/;

export class DelveStartError extends Error {
  override readonly name = 'DelveStartError';
  constructor(
    readonly dlvPath: string,
    reason: string,
    readonly lastLines: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(`Delve (${dlvPath}) did not start its debug adapter: ${reason}` + (lastLines.length ? `; its last output lines:\n${lastLines.join('\n')}` : ''), options);
  }
}

export interface DelveServerOptions {
  /** Delve's working directory: it builds the chaincode from there (`go build` needs the module). */
  readonly cwd: string;
  /** Delve's environment (the chaincode inherits it, with the launch request's `env` on top). */
  readonly env: NodeJS.ProcessEnv;
  /** Delve's own output lines after its address (the chaincode's output comes as DAP events). */
  readonly onOutput?: (line: string) => void;
  readonly startTimeoutMs?: number;
}

export interface DelveServer {
  readonly host: string;
  readonly port: number;
  readonly pid: number | undefined;
  /** Resolves once Delve has exited, with its exit code (null after a signal). */
  readonly exited: Promise<number | null>;
  /** Ends Delve (SIGTERM, SIGKILL after a grace period); resolves once it has exited. */
  stop(): Promise<void>;
}

/** The environment Delve gets: ours without CORE_* (the chaincode gets exactly the peer's, from the launch request). */
export function delveEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(env)) if (!key.startsWith('CORE_')) out[key] = value;
  return out;
}

export function startDelveServer(dlvPath: string, options: DelveServerOptions): Promise<DelveServer> {
  const child = spawnTiedToParent(dlvPath, ['dap', '--listen=127.0.0.1:0'], { cwd: options.cwd, env: delveEnv(options.env) });
  const last: string[] = [];
  let onLine: (line: string) => void = () => undefined;
  const push = (line: string): void => {
    last.push(line);
    if (last.length > LAST_LINES) last.shift();
    onLine(line);
  };
  for (const stream of [child.stdout, child.stderr]) {
    let rest = '';
    stream?.on('data', (chunk: Buffer) => {
      const parts = (rest + chunk.toString('utf8')).split(/\r?\n/);
      rest = parts.pop() ?? '';
      for (const p of parts) if (p.trim()) push(p);
    });
  }
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', () => resolve(null));
  });

  return new Promise<DelveServer>((resolve, reject) => {
    let settled = false;
    const fail = (reason: string, cause?: unknown): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signalGroup(child, 'SIGKILL');
      reject(new DelveStartError(dlvPath, reason, [...last], cause === undefined ? undefined : { cause }));
    };
    const timeoutMs = options.startTimeoutMs ?? START_TIMEOUT_MS;
    const timer = setTimeout(() => fail(`no "DAP server listening at" line within ${timeoutMs / 1000} s`), timeoutMs);
    child.once('error', (err) => fail(err.message, err));
    void exited.then((code) => fail(`it exited (code ${code}) before listening`));
    onLine = (line) => {
      const m = LISTENING.exec(line);
      if (!m || settled) return;
      settled = true;
      clearTimeout(timer);
      onLine = (l) => options.onOutput?.(l);
      resolve(server(child, m[1], Number(m[2]), exited));
    };
  });
}

function server(child: ChildProcess, host: string, port: number, exited: Promise<number | null>): DelveServer {
  return {
    host,
    port,
    pid: child.pid,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      signalGroup(child, 'SIGTERM');
      const killer = setTimeout(() => signalGroup(child, 'SIGKILL'), KILL_GRACE_MS);
      await exited;
      clearTimeout(killer);
    },
  };
}
