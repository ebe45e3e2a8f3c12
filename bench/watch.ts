/**
 * Save → result (issue 12 items 3 and 6): a saved edit to a watched chaincode, through the engine's
 * watch (src/engine/watch), until the last transaction has run again and its result is compared.
 * - `saveToResultDevMs`: the example chaincode (JavaScript) in dev mode: restart the process.
 * - `saveToResultTsMs`: a TypeScript contract project from New Project's templates, dev mode: the
 *   project's compiler (`tsc --watch`) builds the edit incrementally first.
 * - `saveToResultNetMs`: the example in net mode (Docker): the edit → rebuild path of the launch flow.
 * Each run is timed from the file write to the re-run's result, and split into phases (the save
 * seen, the quiet time, build, stop, start → READY, re-run) so the output says where the time goes.
 * The start of a Node chaincode is mostly Node loading fabric-shim and fabric-contract-api: the
 * section also measures that alone.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { resolveConfig } from '../src/engine/config';
import { Engine } from '../src/engine/engine';
import type { ChaincodeDefinition } from '../src/engine/launch/types';
import { ChaincodeWatch, type ReloadOutcome } from '../src/engine/watch/chaincodeWatch';
import { relaunch } from '../src/engine/watch/restart';
import { buildBeforeLaunch } from '../src/engine/watch/typescriptBuild';
import { writeProject } from '../src/engine/scaffold';
import { EXAMPLE_CHAINCODE, REPO_ROOT } from '../test/support/nodeChaincode';
import { nodeBaseImage, removeImages } from './netMode';
import { anotherRun, RunBudget, Summary, summarize } from './stats';

export type Phases = readonly (readonly [phase: string, ms: number])[];

export interface SaveCase {
  readonly summary: Summary;
  /** The phases of the middle run. */
  readonly phases: Phases;
}

export type SaveResult = { readonly kind: 'measured'; readonly case: SaveCase } | { readonly kind: 'skipped'; readonly reason: string };

export interface WatchFigures {
  readonly dev: SaveResult;
  readonly ts: SaveResult;
  readonly net: SaveResult;
  /** Node starting and loading fabric-shim + fabric-contract-api, alone: wall and CPU ms. */
  readonly shimLoad: { readonly wallMs: number; readonly cpuMs: number };
}

export interface WatchPlan {
  readonly dev: RunBudget;
  readonly ts: RunBudget;
  readonly net: RunBudget;
}

type Cleanup = (undo: () => Promise<void>) => void;

interface Run {
  readonly ms: number;
  readonly phases: Phases;
}

/** Events a run's phases are read from: the watch's own, the runtime's, the peer's. */
interface Probe {
  restartStarted?: number;
  runtimeStarted?: number;
  ready?: number;
}

/**
 * Saves `edit()` as often as `runs` allows and times each save to its re-run's result. The watch
 * must be settled (its first build done) before.
 */
async function measureSaves(engine: Engine, watch: ChaincodeWatch, ccid: string, edit: (n: number) => void, runs: RunBudget, label: string, stopPhase = 'stop'): Promise<SaveCase> {
  const probe: Probe = {};
  const subs = [
    engine.processes.onEvent((e) => {
      if (e.ccid === ccid && e.kind === 'status' && e.status === 'running') probe.runtimeStarted ??= performance.now();
    }),
    engine.docker.onEvent((e) => {
      if (e.ccid === ccid && e.kind === 'status' && (e.status === 'building' || e.status === 'created')) probe.runtimeStarted ??= performance.now();
    }),
    engine.peer.onDidChangeHandlerState(({ handler }) => {
      if (handler.chaincodeId === ccid && handler.state === 'ready') probe.ready = performance.now();
    }),
  ];
  const done: Run[] = [];
  const startedAt = performance.now();
  try {
    while (anotherRun(runs, done.length, startedAt)) {
      let reloadStarted = 0;
      const outcome = new Promise<[ReloadOutcome, number]>((resolve) => {
        const s1 = watch.onDidStartReload(() => (reloadStarted = performance.now()));
        const s2 = watch.onDidReload((o) => {
          s1.dispose();
          s2.dispose();
          resolve([o, performance.now()]);
        });
      });
      for (const key of Object.keys(probe) as (keyof Probe)[]) delete probe[key];
      const t0 = performance.now();
      edit(done.length);
      const [o, end] = await outcome;
      if (o.kind !== 'reloaded') throw new Error(`${label}: the save did not reload: ${o.kind === 'build failed' ? JSON.stringify(o.build.diagnostics) : o.error.message}`);
      const [r] = o.reruns;
      if (!r?.result || r.result.status !== 200) throw new Error(`${label}: the re-run failed: ${r?.error ?? r?.result?.message ?? 'nothing ran'}`);
      const t = o.timings;
      const restartStart = reloadStarted + t.buildMs;
      const runtime = probe.runtimeStarted ?? restartStart;
      const ready = probe.ready ?? restartStart + t.restartMs;
      done.push({
        ms: end - t0,
        phases: [
          ['save seen', o.trigger.at - t0],
          ['quiet time', reloadStarted - o.trigger.at],
          ['build', t.buildMs],
          [stopPhase, runtime - restartStart],
          // The process spawned, or the image build begun, until the chaincode is READY.
          ['start → READY', ready - runtime],
          ['re-run', t.rerunMs],
        ],
      });
    }
  } finally {
    for (const s of subs) s.dispose();
  }
  const middle = [...done].sort((a, b) => a.ms - b.ms)[Math.floor((done.length - 1) / 2)];
  return { summary: summarize(done.map((r) => r.ms)), phases: middle?.phases ?? [] };
}

/** A chaincode launched on a fresh engine, watched; its transactions run so that a save has one to re-run. */
async function watched(
  tmp: string,
  definition: ChaincodeDefinition,
  onCleanup: Cleanup,
  settings: Parameters<typeof resolveConfig>[0] = {},
): Promise<{ engine: Engine; watch: ChaincodeWatch; ccid: string }> {
  const engine = await Engine.start(
    resolveConfig({ dataDir: path.join(tmp, 'data'), peerPort: 0, mode: definition.mode === 'net' ? 'net' : 'dev', startupTimeoutMs: 120_000, logLevel: 'warning', ...settings }),
  );
  onCleanup(() => engine.dispose());
  const ccid = `${definition.name}:${definition.version}`;
  await engine.launcher.launch({ kind: 'deployment', definition });
  const watch = await ChaincodeWatch.start(
    { ccid, folder: definition.path, language: definition.language, typescript: !!definition.typescript },
    { transactions: engine.transactions, restart: relaunch(engine.launcher, definition), excluded: [path.join(tmp, 'data')] },
  );
  onCleanup(() => watch.dispose());
  return { engine, watch, ccid };
}

/** A copy of the example: its sources, and its node_modules (linked for dev mode; net mode packages a real copy). */
async function exampleCopy(tmp: string, linkModules: boolean): Promise<string> {
  const folder = path.join(tmp, 'asset-transfer');
  await fs.promises.mkdir(folder);
  for (const name of ['index.js', 'lib', 'package.json']) await fs.promises.cp(path.join(EXAMPLE_CHAINCODE, name), path.join(folder, name), { recursive: true });
  const modules = path.join(EXAMPLE_CHAINCODE, 'node_modules');
  if (linkModules) await fs.promises.symlink(modules, path.join(folder, 'node_modules'), 'dir');
  else await fs.promises.cp(modules, path.join(folder, 'node_modules'), { recursive: true, verbatimSymlinks: true });
  return folder;
}

const appendEdit =
  (file: string) =>
  (n: number): void =>
    fs.appendFileSync(file, `\n// bench edit ${n} ${Date.now()}\n`);

async function devCase(runs: RunBudget, onCleanup: Cleanup): Promise<SaveResult> {
  const tmp = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'ccl-bench-watch-dev-'));
  onCleanup(() => fs.promises.rm(tmp, { recursive: true, force: true }));
  const folder = await exampleCopy(tmp, true);
  const definition: ChaincodeDefinition = { name: 'bench-watch', version: '1.0', mode: 'dev', language: 'node', path: folder };
  const { engine, watch, ccid } = await watched(tmp, definition, onCleanup);
  await engine.transactions.execute({ chaincode: ccid, args: ['InitLedger'] });
  await engine.transactions.execute({ chaincode: ccid, args: ['TransferAsset', 'asset1', 'Alice'] });
  return { kind: 'measured', case: await measureSaves(engine, watch, ccid, appendEdit(path.join(folder, 'lib', 'assetTransfer.js')), runs, 'dev mode') };
}

async function tsCase(runs: RunBudget, onCleanup: Cleanup): Promise<SaveResult> {
  const tmp = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'ccl-bench-watch-ts-'));
  onCleanup(() => fs.promises.rm(tmp, { recursive: true, force: true }));
  const project = await writeProject({ folder: path.join(tmp, 'benchts'), language: 'typescript', name: 'benchts' });
  // The repository's node_modules holds the compiler, fabric-contract-api and the declarations the template names: no install.
  await fs.promises.symlink(path.join(REPO_ROOT, 'node_modules'), path.join(project.folder, 'node_modules'), 'dir');
  await buildBeforeLaunch(project.folder);
  const definition: ChaincodeDefinition = { name: 'benchts', version: '1.0.0', mode: 'dev', language: 'node', path: project.folder, typescript: true };
  const { engine, watch, ccid } = await watched(tmp, definition, onCleanup);
  const first = new Promise<void>((resolve) => watch.onDidBuild(() => resolve()));
  await engine.transactions.execute({ chaincode: ccid, args: ['CreateAsset', 'asset1', 'blue', '5', 'Tomoko', '300'] });
  await engine.transactions.execute({ chaincode: ccid, args: ['ReadAsset', 'asset1'], kind: 'query' });
  await first; // tsc --watch has compiled the project once: from now on it compiles what changes
  return { kind: 'measured', case: await measureSaves(engine, watch, ccid, appendEdit(path.join(project.folder, 'src', 'assetContract.ts')), runs, 'TypeScript') };
}

async function netCase(runs: RunBudget, onCleanup: Cleanup): Promise<SaveResult> {
  const base = await nodeBaseImage();
  if ('skipped' in base) return { kind: 'skipped', reason: base.skipped };
  const tmp = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'ccl-bench-watch-net-'));
  onCleanup(() => fs.promises.rm(tmp, { recursive: true, force: true }));
  const folder = await exampleCopy(tmp, false);
  const name = `bench-watch-net-${process.pid}`;
  const definition: ChaincodeDefinition = { name, version: '1.0', mode: 'net', language: 'node', path: folder };
  const { engine, watch, ccid } = await watched(tmp, definition, onCleanup, { baseImages: { node: base.image } });
  onCleanup(() => removeImages(engine, ccid));
  await engine.transactions.execute({ chaincode: ccid, args: ['InitLedger'] });
  await engine.transactions.execute({ chaincode: ccid, args: ['TransferAsset', 'asset1', 'Alice'] });
  return { kind: 'measured', case: await measureSaves(engine, watch, ccid, appendEdit(path.join(folder, 'lib', 'assetTransfer.js')), runs, 'net mode', 'stop, package') };
}

/** What Node alone costs to start and load the shim and the contract API, from the example's folder. */
function shimLoad(): { wallMs: number; cpuMs: number } {
  const script =
    "require('fabric-shim'); require('fabric-contract-api'); const u = process.cpuUsage(); console.log(JSON.stringify({ wallMs: process.uptime() * 1000, cpuMs: (u.user + u.system) / 1000 }))";
  const samples = [0, 1, 2].map(
    () => JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: EXAMPLE_CHAINCODE, encoding: 'utf8' })) as { wallMs: number; cpuMs: number },
  );
  return { wallMs: summarize(samples.map((s) => s.wallMs)).median, cpuMs: summarize(samples.map((s) => s.cpuMs)).median };
}

/** Each case cleans up after itself; a case that fails is reported as skipped with its reason. */
export async function measureWatch(plan: WatchPlan, onCleanup: Cleanup, runCleanup: () => Promise<void>): Promise<WatchFigures> {
  const attempt = async (what: string, run: () => Promise<SaveResult>): Promise<SaveResult> => {
    try {
      return await run();
    } catch (err) {
      return { kind: 'skipped', reason: `${what} failed: ${(err as Error).message.split('\n')[0]}` };
    } finally {
      await runCleanup();
    }
  };
  const dev = await attempt('dev mode', () => devCase(plan.dev, onCleanup));
  const ts = await attempt('TypeScript', () => tsCase(plan.ts, onCleanup));
  const net = await attempt('net mode', () => netCase(plan.net, onCleanup));
  return { dev, ts, net, shimLoad: shimLoad() };
}
