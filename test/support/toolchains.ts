/**
 * Test support for the real-shim fixtures (test/fixtures/go/*, test/fixtures/java): where their
 * built artifacts are, whether a test can run them, and how to start and reliably stop them.
 *
 * Artifacts are built by `.ci/fixtures.sh`. A missing toolchain or artifact makes a lookup answer
 * `null` with a reason so the test can skip; with `CI=true` the same lookup must fail the test
 * instead (see `fixtureSkip` and `requireFixture`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LineSplitter } from '../../src/engine/util/lines';

export type GoFixtureName = 'v2' | 'fabric14' | 'certoracle' | 'ccaas' | 'gateway';

/** Binary names under test/fixtures/go/<name>/bin/. */
const GO_BINARIES: Readonly<Record<GoFixtureName, string>> = { v2: 'gocc', fabric14: 'gocc14', certoracle: 'certoracle', ccaas: 'goccaas', gateway: 'gwclient' };

/** Where a fixture's artifact is, or why it is not usable. */
export interface FixtureStatus {
  readonly label: string;
  readonly path: string | null;
  /** Why `path` is null (toolchain or artifact missing); null when usable. */
  readonly reason: string | null;
}

/** The repository root: the nearest ancestor holding package.json (works from src and out/). */
export function repoRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'test', 'fixtures'))) {
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error(`cannot find the repository root above ${__dirname}`);
    }
    dir = parent;
  }
}

/** The absolute path of an executable on PATH, or null. */
export function findOnPath(command: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

export function isCI(): boolean {
  return process.env.CI === 'true';
}

function usable(file: string): boolean {
  try {
    return fs.statSync(file).size > 0;
  } catch {
    return false;
  }
}

export function goFixtureStatus(name: GoFixtureName): FixtureStatus {
  const bin = path.join(repoRoot(), 'test', 'fixtures', 'go', name, 'bin', GO_BINARIES[name]);
  const label = `go/${name}`;
  if (usable(bin)) return { label, path: bin, reason: null };
  const reason = findOnPath('go') ? `${label} fixture not built (${bin} missing): run .ci/fixtures.sh go` : `no go toolchain on PATH, so ${bin} was not built`;
  return { label, path: null, reason };
}

export function javaFixtureStatus(): FixtureStatus {
  const jar = path.join(repoRoot(), 'test', 'fixtures', 'java', 'target', 'javacc.jar');
  const label = 'java';
  if (!javaCommand()) return { label, path: null, reason: 'no java on PATH (nor JAVA_HOME/bin/java)' };
  if (usable(jar)) return { label, path: jar, reason: null };
  const reason = findOnPath('mvn') ? `java fixture not built (${jar} missing): run .ci/fixtures.sh java` : `no mvn on PATH, so ${jar} was not built`;
  return { label, path: null, reason };
}

function javaCommand(): string | null {
  const home = process.env.JAVA_HOME;
  if (home && usable(path.join(home, 'bin', 'java'))) return path.join(home, 'bin', 'java');
  return findOnPath('java');
}

/**
 * A value for node:test's `skip` option: the reason when the fixture is unusable, `false` when it
 * is usable. Under CI=true it never skips: the suite runs and `requireFixture` fails it loudly.
 */
export function fixtureSkip(...statuses: FixtureStatus[]): string | false {
  const missing = statuses.find((s) => s.path === null);
  if (!missing || isCI()) return false;
  return `${missing.reason ?? 'fixture missing'}`;
}

/** The artifact path, or an Error naming why it is missing (this is what fails a CI run). */
export function requireFixture(status: FixtureStatus): string {
  if (status.path !== null) return status.path;
  const ci = isCI() ? ' [CI=true: .ci/fixtures.sh must build every fixture before the tests]' : '';
  throw new Error(`${status.label}: ${status.reason ?? 'missing'}${ci}`);
}

// ---------------------------------------------------------------------------------------------
// Child processes

export interface ChaincodeProcessOptions {
  readonly command: string;
  readonly args?: readonly string[];
  /** Added to the inherited environment, from which every CORE_* variable is removed first. */
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  /** Shown in output() lines; default the command's base name. */
  readonly label?: string;
}

export interface ChaincodeProcess {
  readonly pid: number | undefined;
  readonly label: string;
  /** Resolves with the exit code once the process has exited (null when ended by a signal). */
  readonly exited: Promise<number | null>;
  /** True once the process has exited. */
  readonly hasExited: boolean;
  /** Every stdout/stderr line so far, oldest first, prefixed `[out]` or `[err]`. */
  lines(): readonly string[];
  /** The last `max` lines as one string, for assertion messages. */
  output(max?: number): string;
  /** Resolves with the first line matching `pattern`, or rejects after `timeoutMs` or on exit. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<string>;
  /** SIGTERM the process group, SIGKILL after `graceMs`; resolves once it has exited. */
  kill(graceMs?: number): Promise<void>;
}

const MAX_LINES = 5000;
const live = new Set<ChaincodeProcess>();
const liveChildren = new Set<ChildProcess>();

function childEnv(extra: Readonly<Record<string, string>> | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('CORE_') && !k.startsWith('CHAINCODE_')) env[k] = v;
  }
  return { ...env, ...(extra ?? {}) };
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal); // the child leads its own process group (detached)
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

/** Spawns a chaincode process in its own process group, capturing its output line by line. */
export function startChaincodeProcess(opts: ChaincodeProcessOptions): ChaincodeProcess {
  const label = opts.label ?? path.basename(opts.command);
  const child = spawn(opts.command, [...(opts.args ?? [])], {
    cwd: opts.cwd,
    env: childEnv(opts.env),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  liveChildren.add(child);
  const captured: string[] = [];
  const waiters = new Set<(line: string | null) => void>();
  let done = false;

  const push = (line: string): void => {
    captured.push(line);
    if (captured.length > MAX_LINES) captured.splice(0, captured.length - MAX_LINES);
    for (const w of [...waiters]) w(line);
  };
  const reader = (tag: string) => {
    const lines = new LineSplitter((line) => push(`[${tag}] ${line}`));
    return (chunk: Buffer): void => lines.push(chunk);
  };
  child.stdout?.on('data', reader('out'));
  child.stderr?.on('data', reader('err'));

  const exited = new Promise<number | null>((resolve) => {
    let settled = false;
    const finish = (code: number | null, why: string): void => {
      if (settled) return;
      settled = true;
      done = true;
      push(`[${label}] ${why}`);
      for (const w of [...waiters]) w(null);
      liveChildren.delete(child);
      resolve(code);
    };
    child.on('error', (err) => finish(null, `spawn error: ${err.message}`));
    child.on('exit', (code, signal) => finish(code, `exited code=${code} signal=${signal ?? 'none'}`));
  });

  const proc: ChaincodeProcess = {
    pid: child.pid,
    label,
    exited,
    get hasExited() {
      return done;
    },
    lines: () => [...captured],
    output: (max = 80) =>
      captured
        .slice(-max)
        .map((l) => `  ${label} ${l}`)
        .join('\n'),
    waitForLine: (pattern, timeoutMs) =>
      new Promise<string>((resolve, reject) => {
        const hit = captured.find((l) => pattern.test(l));
        if (hit !== undefined) return resolve(hit);
        if (done) return reject(new Error(`${label} exited before printing ${pattern}`));
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`${label} printed no line matching ${pattern} within ${timeoutMs} ms`));
        }, timeoutMs);
        const waiter = (line: string | null): void => {
          if (line !== null && !pattern.test(line)) return;
          clearTimeout(timer);
          waiters.delete(waiter);
          if (line === null) reject(new Error(`${label} exited before printing ${pattern}`));
          else resolve(line);
        };
        waiters.add(waiter);
      }),
    kill: async (graceMs = 3000) => {
      if (!done) {
        signalGroup(child, 'SIGTERM');
        const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      live.delete(proc);
    },
  };
  live.add(proc);
  void exited.then(() => live.delete(proc));
  return proc;
}

/** Kills every chaincode process started by this module that is still running (for `after`). */
export async function killAllChaincodeProcesses(): Promise<void> {
  await Promise.all([...live].map((p) => p.kill()));
}

// Last resort when the test process exits without `after` running (a crash, process.exit): kill
// the groups synchronously so no chaincode outlives the run.
process.on('exit', () => {
  for (const child of liveChildren) signalGroup(child, 'SIGKILL');
});

// ---------------------------------------------------------------------------------------------
// Fixture starters

export interface FixtureStartOptions {
  /** host:port of the peer's chaincode endpoint, e.g. peer.address. */
  readonly peerAddress: string;
  /** CORE_CHAINCODE_ID_NAME, e.g. 'gocc:1.0'. */
  readonly chaincodeId: string;
  /** Extra environment (e.g. CORE_CHAINCODE_LOGGING_SHIM=debug). */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * Starts a Go fixture as a developer does:
 * `CORE_CHAINCODE_ID_NAME=… CORE_PEER_TLS_ENABLED=false ./bin -peer.address=HOST:PORT`.
 * Throws (with the reason) when the binary is not built.
 */
export function startGoFixture(name: GoFixtureName, opts: FixtureStartOptions): ChaincodeProcess {
  const bin = requireFixture(goFixtureStatus(name));
  return startChaincodeProcess({
    command: bin,
    args: [`-peer.address=${opts.peerAddress}`],
    env: { CORE_CHAINCODE_ID_NAME: opts.chaincodeId, CORE_PEER_TLS_ENABLED: 'false', ...(opts.env ?? {}) },
    cwd: path.dirname(bin),
    label: opts.chaincodeId,
  });
}

export interface JavaFixtureStartOptions extends FixtureStartOptions {
  /** Run the jar's contract-API chaincode (ContractRouter) instead of the low-level main class. */
  readonly contractApi?: boolean;
}

/**
 * Starts the Java fixture as a developer does:
 * `CORE_CHAINCODE_ID_NAME=… CORE_PEER_ADDRESS=HOST:PORT CORE_PEER_TLS_ENABLED=false java -jar javacc.jar`
 * (or `java -cp javacc.jar org.hyperledger.fabric.contract.ContractRouter` with `contractApi`).
 */
export function startJavaFixture(opts: JavaFixtureStartOptions): ChaincodeProcess {
  const jar = requireFixture(javaFixtureStatus());
  const java = javaCommand();
  if (!java) throw new Error('java: not found on PATH');
  return startChaincodeProcess({
    command: java,
    // Quicker JVM start for short test runs; the shim itself is unchanged.
    args: ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', ...(opts.contractApi ? ['-cp', jar, 'org.hyperledger.fabric.contract.ContractRouter'] : ['-jar', jar])],
    env: {
      CORE_CHAINCODE_ID_NAME: opts.chaincodeId,
      CORE_PEER_ADDRESS: opts.peerAddress,
      CORE_PEER_TLS_ENABLED: 'false',
      ...(opts.env ?? {}),
    },
    cwd: path.dirname(jar),
    label: opts.chaincodeId,
  });
}
