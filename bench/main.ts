/**
 * `npm run bench`: the peer's and the launch engine's figures in one run. Figures, not assertions: medians of several runs with their ranges, ratios against the
 * targets, and as the last line one JSON object of every figure and ratio (later benchmarks add
 * their keys to it). Everything started here is stopped and removed, also on Ctrl-C.
 *
 * `npm run bench -- net` (or any of `activation wire peer dev new replay watch gateway orgs net`) runs only those sections: a quick
 * loop while working on one part. Without arguments everything runs.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Organization, orgSpec } from '../src/engine/msp';
import { Peer } from '../src/engine/peer/peer';
import type { RunningProcess } from '../test/support/nodeChaincode';
import { measureActivation } from './activation';
import { measureGateway } from './gateway';
import { measureOrgs } from './orgs';
import { InstrumentedPeer } from './instrumentedPeer';
import { measureNetMode, NetModeCase, NetModeResult } from './netMode';
import { measureNewProject } from './newProject';
import { measurePingPong } from './pingPong';
import { devModeCommand, measureDevMode, measureRestarts, npmStartCommand } from './registration';
import { measureReplay } from './replay';
import { measureWatch, type SaveResult } from './watch';
import { describe, describeBelow, describeRatio, formatNumber, round, Summary } from './stats';
import { ThinReferencePeer } from './thinPeer';
import { measureTransactions, ourPeerTx, startGetPut, thinPeerTx } from './transactions';

/** Sized for 2–3 minutes on a busy 2-core machine; net mode drops its last round if time runs short. */
const PLAN = {
  pingPongRuns: 5,
  pingPongMs: 600,
  txRounds: 7,
  sequentialMs: 700,
  sequentialSliceMs: 100,
  inFlightMs: 1000,
  inFlight: 32,
  restarts: { min: 3, max: 7, budgetMs: 8000 },
  devModeRuns: { min: 3, max: 5, budgetMs: 9000 },
  directRuns: { min: 3, max: 3, budgetMs: 0 },
  activationRuns: 9,
  /** New Project → READY: each run writes, installs (npm, from its cache) and launches a project. */
  newProjectRuns: { min: 3, max: 5, budgetMs: 30_000 },
  netModeMinRounds: 2,
  netModeMaxRounds: 3,
  replayRuns: 30,
  /** Save → result: each run edits a watched chaincode and waits for its re-run. */
  watch: {
    dev: { min: 3, max: 7, budgetMs: 15_000 },
    ts: { min: 3, max: 7, budgetMs: 20_000 },
    net: { min: 2, max: 3, budgetMs: 30_000 },
  },
  orgs: { readyRuns: 5, rounds: 5, sequentialMs: 700, sequentialSliceMs: 100 },
  gateway: { rounds: 5, sequentialMs: 600, sequentialSliceMs: 100, inFlightMs: 1000, inFlight: 32, evaluations: 300, profiledSubmits: 100 },
  /** No net-mode round starts if it would end after this (seconds since the bench started). */
  budgetSeconds: 150,
};

const CCID = 'getput:1.0';
const START_TIMEOUT_MS = 30_000;

class Results {
  readonly figures: Record<string, number | boolean> = {};
  private readonly spreads: Record<string, number> = {};

  add(key: string, s: Summary): void {
    this.figures[key] = round(s.median);
    if (s.runs > 1) this.spreads[key] = round(s.spread, 2);
  }

  set(key: string, value: number | boolean): void {
    this.figures[key] = typeof value === 'number' ? round(value) : value;
  }

  json(): string {
    return JSON.stringify({ ...this.figures, spread: this.spreads });
  }
}

/** Undo steps, newest first; run once, at the end or on Ctrl-C. */
class Cleanup {
  private readonly steps: (() => Promise<void>)[] = [];
  private done: Promise<void> = Promise.resolve();
  add(step: () => Promise<void>): void {
    this.steps.push(step);
  }
  /** Chained: a second caller (Ctrl-C during a cleanup) waits for the first to finish. */
  run(): Promise<void> {
    this.done = this.done.then(async () => {
      for (const step of this.steps.splice(0).reverse()) await step().catch((err: unknown) => console.error(`cleanup: ${(err as Error).message}`));
    });
    return this.done;
  }
}

/** Set on Ctrl-C: from then on nothing is printed or measured, only cleaned up. */
let interrupted = false;
const say = (line = ''): void => {
  if (!interrupted) process.stdout.write(`${line}\n`);
};
const loadAverage = (): string =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');

async function peerFigures(results: Results, cleanup: Cleanup, ping: Summary): Promise<void> {
  const tmp = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'ccl-bench-'));
  cleanup.add(() => fs.promises.rm(tmp, { recursive: true, force: true }));
  const ip = await InstrumentedPeer.start({ dataDir: path.join(tmp, 'peer'), port: 0 }); // the default durability
  cleanup.add(() => ip.stop());
  const diskPeer = await Peer.start({ dataDir: path.join(tmp, 'peer-disk'), port: 0, durability: 'disk' });
  cleanup.add(() => diskPeer.stop());
  const thin = await ThinReferencePeer.start(await (await Organization.open(path.join(tmp, 'thin'), orgSpec('Org1MSP'))).identity('User1'));
  cleanup.add(() => thin.stop());

  const oursReady = ip.whenState(CCID, 'ready', START_TIMEOUT_MS, () => `; output: ${ours.process.output().slice(-500)}`);
  const ours: { process: RunningProcess } = { process: startGetPut(CCID, ip.peer.address) };
  cleanup.add(() => ours.process.kill());
  const diskProcess = startGetPut(CCID, diskPeer.address);
  cleanup.add(() => diskProcess.kill());
  const thinProcess = startGetPut(CCID, thin.address);
  cleanup.add(() => thinProcess.kill());
  await Promise.all([oursReady, diskPeer.waitForReady(CCID, START_TIMEOUT_MS), thin.waitForReady(START_TIMEOUT_MS)]);

  say('Transactions: getState + putState through a real fabric-shim chaincode (a child process)');
  const peers = { ours: ourPeerTx(ip.peer, 'getput'), oursDisk: ourPeerTx(diskPeer, 'getput'), thin: thinPeerTx(thin) };
  const tx = await measureTransactions(peers, {
    rounds: PLAN.txRounds,
    sequentialMs: PLAN.sequentialMs,
    sequentialSliceMs: PLAN.sequentialSliceMs,
    inFlightMs: PLAN.inFlightMs,
    inFlight: PLAN.inFlight,
  });
  say(describe('(b) our peer, sequential', 'tx/s', tx.oursSequential));
  say(describe(`(c) our peer, ${PLAN.inFlight} in flight`, 'tx/s', tx.oursInFlight));
  say(describe('    our peer syncing every commit to disk, sequential', 'tx/s', tx.oursDiskSequential));
  say(describe(`    our peer syncing every commit to disk, ${PLAN.inFlight} in flight`, 'tx/s', tx.oursDiskInFlight));
  say(describe('(e) thin reference peer, sequential', 'tx/s', tx.thinSequential));
  say(describe(`(e) thin reference peer, ${PLAN.inFlight} in flight`, 'tx/s', tx.thinInFlight));
  const ratioSeq = tx.oursSequential.median / tx.thinSequential.median;
  const ratioInFlight = tx.oursInFlight.median / tx.thinInFlight.median;
  say(describeRatio('b ÷ e (sequential)', ratioSeq, 0.8));
  say(describeRatio(`c ÷ e (${PLAN.inFlight} in flight)`, ratioInFlight, 0.8));
  // Each round measures the peers back to back under the same load: the steadier estimate here.
  say(describeRatio('b ÷ e paired per round (median)', tx.pairedRatioSequential, 0.8));
  say(describeRatio(`c ÷ e paired per round (median)`, tx.pairedRatioInFlight, 0.8));
  const diskRatioSeq = tx.oursDiskSequential.median / tx.thinSequential.median;
  const diskRatioInFlight = tx.oursDiskInFlight.median / tx.thinInFlight.median;
  say(`  syncing every commit to disk: ${diskRatioSeq.toFixed(2)} × e sequential, ${diskRatioInFlight.toFixed(2)} × e in flight`);
  const pingsPerTx = ping.median / tx.thinSequential.median;
  say(`  A thin-peer transaction (3 round trips on the wire) takes as long as ${pingsPerTx.toFixed(1)} ping-pong round trips:`);
  say("  the rest is the shim's and the peer's per-message work, not the wire.");
  say('  Our peer writes every commit to its log before it reports the transaction committed (the');
  say('  default durability: a kill of the process loses nothing; the disk sync follows within 10 ms);');
  say('  with durability "disk" it also waits for the disk (fdatasync) first.');
  say('  The thin peer keeps a Map and nothing else: no simulation, read/write sets, history or records.');
  say();
  results.add('ourSequentialTxPerSec', tx.oursSequential);
  results.add('ourInFlight32TxPerSec', tx.oursInFlight);
  results.add('ourDiskSequentialTxPerSec', tx.oursDiskSequential);
  results.add('ourDiskInFlight32TxPerSec', tx.oursDiskInFlight);
  results.add('thinSequentialTxPerSec', tx.thinSequential);
  results.add('thinInFlight32TxPerSec', tx.thinInFlight);
  results.set('ratioSequential', ratioSeq);
  results.set('ratioInFlight32', ratioInFlight);
  results.set('pairedRatioSequential', tx.pairedRatioSequential);
  results.set('pairedRatioInFlight32', tx.pairedRatioInFlight);
  results.set('pingPongRoundTripsPerThinSequentialTx', pingsPerTx);
  results.set('diskRatioSequential', diskRatioSeq);
  results.set('diskRatioInFlight32', diskRatioInFlight);
  results.set('commitWrittenBeforeReported', true);

  say('Registration: restarts of the same chaincode');
  const restarts = await measureRestarts(ip, CCID, PLAN.restarts, ours, () => startGetPut(CCID, ip.peer.address));
  say(describeBelow('(d) REGISTER → READY inside the peer', 'ms', restarts.registerToReady, 5));
  say(describe('    stream opened → READY', 'ms', restarts.openToReady));
  say(describe('    process spawn → READY (low-level shim)', 'ms', restarts.spawnToReady));
  say();
  results.add('registerToReadyMs', restarts.registerToReady);
  results.add('streamOpenToReadyMs', restarts.openToReady);
  results.add('lowLevelSpawnToReadyMs', restarts.spawnToReady);
}

async function devModeFigures(results: Results, cleanup: Cleanup): Promise<void> {
  const tmp = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'ccl-bench-dev-'));
  cleanup.add(() => fs.promises.rm(tmp, { recursive: true, force: true }));
  const ip = await InstrumentedPeer.start({ dataDir: path.join(tmp, 'peer'), port: 0 });
  cleanup.add(() => ip.stop());
  say('Launch engine, dev mode: examples/asset-transfer started as dev mode starts it (node, the shim CLI)');
  let stopDev: (() => Promise<void>) | null = null;
  cleanup.add(async () => void (await stopDev?.()));
  const devFigures = await measureDevMode(ip, PLAN.devModeRuns, await devModeCommand(ip.peer.address), (stop) => (stopDev = stop));
  say(describeBelow('process start → READY', 'ms', devFigures.startToReady, 1000));
  const npm = await measureDevMode(ip, PLAN.directRuns, await npmStartCommand(ip.peer.address), (stop) => (stopDev = stop));
  say(describe('    the same through npm start', 'ms', npm.startToReady));
  say();
  results.add('devModeStartToReadyMs', devFigures.startToReady);
  results.add('devModeNpmStartToReadyMs', npm.startToReady);
}

async function newProjectFigures(results: Results, cleanup: Cleanup): Promise<void> {
  say("New Project → ready: a JavaScript contract project written, installed from npm's cache, launched in dev mode");
  const fig = await measureNewProject(PLAN.newProjectRuns, (undo) => cleanup.add(undo));
  say(describeBelow('write → npm install → peer + chaincode READY', 'ms', fig.toReady, 20_000));
  say(describe('    write the project', 'ms', fig.write));
  say(describe('    npm install (dependencies in the cache)', 'ms', fig.install));
  say(describe('    peer start + chaincode start → READY', 'ms', fig.launch));
  say();
  results.add('newProjectToReadyMs', fig.toReady);
  results.add('newProjectWriteMs', fig.write);
  results.add('newProjectInstallMs', fig.install);
  results.add('newProjectLaunchToReadyMs', fig.launch);
}

function reportNetMode(net: NetModeResult, results: Results): void {
  if (net.kind === 'skipped') {
    say(`  net mode: skipped (${net.reason})`);
    return;
  }
  const phases = (c: NetModeCase): void => say(`      a middle run, ms: ${c.phases.map(([step, ms]) => `${step} ${formatNumber(ms)}`).join(' · ')}`);
  say(describe('cold launch (image build) → READY', 'ms', net.cold.summary));
  phases(net.cold);
  say(describeBelow('warm relaunch (cached image) → READY', 'ms', net.warm.summary, 1500));
  phases(net.warm);
  say(describeBelow('edit → rebuild → READY', 'ms', net.editRebuild.summary, 5000));
  phases(net.editRebuild);
  for (const note of net.notes) say(`  note: ${note}`);
  results.add('netColdLaunchToReadyMs', net.cold.summary);
  results.add('netWarmRelaunchToReadyMs', net.warm.summary);
  results.add('netEditRebuildToReadyMs', net.editRebuild.summary);
}

async function activationFigures(results: Results): Promise<void> {
  say('Activation: the production bundles loaded and activate() called, a fresh Node process per run');
  say("  (a stand-in for the vscode module; VS Code's own figures are in the e2e run's output)");
  const a = await measureActivation(PLAN.activationRuns);
  const kib = (bytes: number): string => `${Math.round(bytes / 1024)} KiB`;
  const total = a.bundles.reduce((sum, b) => sum + b.bytes, 0);
  say(`  bundles: ${a.bundles.map((b) => `dist/${b.name} ${kib(b.bytes)}`).join(', ')}; ${kib(total)} together (limit 2 MB)`);
  say(describeBelow('activation (code loading + activate call)', 'ms', a.activation, 50));
  say(describe('    loading dist/extension.js', 'ms', a.codeLoad));
  say(describe('    activate()', 'ms', a.activateCall));
  say(describe('first engine use: loading dist/engine.js', 'ms', a.engineLoad));
  say(a.engineLoadedAtActivation ? '  NOT lazy: activation loaded dist/engine.js' : '  dist/engine.js is loaded on first use, not at activation');
  say();
  results.add('activationMs', a.activation);
  results.add('activationCodeLoadMs', a.codeLoad);
  results.add('activationCallMs', a.activateCall);
  results.add('engineBundleLoadMs', a.engineLoad);
  results.set('engineLoadedAtActivation', a.engineLoadedAtActivation);
  for (const b of a.bundles) results.set(`${b.name.replace('.js', '')}BundleBytes`, b.bytes);
}

async function gatewayFigures(results: Results, cleanup: Cleanup): Promise<void> {
  say('Fabric Gateway: the real @hyperledger/fabric-gateway Node client (TLS, signed requests) against');
  say('  examples/asset-transfer in dev mode, and the same CreateAsset transactions through engine.transactions.execute');
  const g = await measureGateway(PLAN.gateway, (undo) => cleanup.add(undo));
  say(describe('Gateway submit + commit status, sequential', 'tx/s', g.gatewaySequential));
  say(describe(`Gateway submit + commit status, ${PLAN.gateway.inFlight} in flight`, 'tx/s', g.gatewayInFlight));
  say(describe('direct path, sequential', 'tx/s', g.directSequential));
  say(describe(`direct path, ${PLAN.gateway.inFlight} in flight`, 'tx/s', g.directInFlight));
  say(describeRatio('Gateway ÷ direct, sequential (paired rounds)', g.ratioSequential, 0.7));
  say(describeRatio(`Gateway ÷ direct, ${PLAN.gateway.inFlight} in flight (paired rounds)`, g.ratioInFlight, 0.7));
  say(
    `  ${'Gateway evaluate p50'.padEnd(44)} ${g.evaluateP50Ms.toFixed(2).padStart(9)} ms  [target < 3 ms: ${g.evaluateP50Ms < 3 ? 'met' : 'NOT met'}] (direct query p50 ${g.directQueryP50Ms.toFixed(2)} ms)`,
  );
  const p = g.profile;
  say(`  where a sequential Gateway submit's time goes (medians, ms): Endorse ${p.endorse.toFixed(2)} · Submit ${p.submit.toFixed(2)} · CommitStatus ${p.commitStatus.toFixed(2)}`);
  say(
    `    one bare Gateway round trip (CommitStatus of a committed transaction): ${p.roundTrip.toFixed(2)} ms; one client signature: ${p.clientSign.toFixed(2)} ms, three per submit`,
  );
  say(`    the direct path: ${p.direct.toFixed(2)} ms for the whole transaction`);
  if (g.ratioSequential < 0.7 || g.ratioInFlight < 0.7) {
    // From the profiled submits, measured back to back with direct transactions.
    const gatewayMs = p.endorse + p.submit + p.commitStatus;
    const directMs = p.direct;
    const extra = gatewayMs - directMs;
    const rest = extra - 3 * p.roundTrip - 3 * p.clientSign;
    say(`  Where the Gateway's extra time goes, sequential: ${gatewayMs.toFixed(2)} ms a transaction against ${directMs.toFixed(2)} ms direct, ${extra.toFixed(2)} ms more:`);
    say(`    three bare round trips ${(3 * p.roundTrip).toFixed(2)} ms (Endorse, Submit, CommitStatus over gRPC+TLS, from another process),`);
    say(`    the client's three signatures ${(3 * p.clientSign).toFixed(2)} ms, and ${rest.toFixed(2)} ms for the rest: the peer's signature checks and`);
    say('    endorsement signature, encoding both ways, and three processes (client, peer, chaincode) taking turns on the CPU.');
    say("  The direct path is one in-process call that signs nothing; the round trips and signatures are the protocol's.");
  }
  say();
  results.add('gatewaySubmitSeqTxPerSec', g.gatewaySequential);
  results.add('gatewaySubmitInFlight32TxPerSec', g.gatewayInFlight);
  results.add('gatewayDirectSeqTxPerSec', g.directSequential);
  results.add('gatewayDirectInFlight32TxPerSec', g.directInFlight);
  results.set('gatewayRatioSequential', g.ratioSequential);
  results.set('gatewayRatioInFlight32', g.ratioInFlight);
  results.set('gatewayEvaluateP50Ms', g.evaluateP50Ms);
  results.set('gatewayDirectQueryP50Ms', g.directQueryP50Ms);
  results.set('gatewayEndorseMs', p.endorse);
  results.set('gatewaySubmitMs', p.submit);
  results.set('gatewayCommitStatusMs', p.commitStatus);
  results.set('gatewayClientSignMs', p.clientSign);
  results.set('gatewayRoundTripMs', p.roundTrip);
}

async function orgsFigures(results: Results, cleanup: Cleanup): Promise<void> {
  say('Organisations: the two-org network (Org1MSP, Org2MSP) in one process, against one org, the getput chaincode on every peer');
  const o = await measureOrgs(PLAN.orgs, (undo) => cleanup.add(undo));
  say(describeBelow("engine start → both orgs' peers serving (fresh data directory: crypto written)", 'ms', o.networkReady, 1000));
  say(describe('    the same with the crypto already there (a restart)', 'ms', o.networkRestartReady));
  say(describe('two orgs, sequential (both peers execute, responses compared, policy checked, committed on both)', 'tx/s', o.twoOrgSequential));
  say(describe('one org, sequential', 'tx/s', o.oneOrgSequential));
  say(describeRatio('two orgs ÷ one org, sequential (paired rounds)', o.ratioSequential, 0.45));
  say();
  results.add('twoOrgNetworkReadyMs', o.networkReady);
  results.add('twoOrgNetworkRestartReadyMs', o.networkRestartReady);
  results.add('twoOrgSeqTxPerSec', o.twoOrgSequential);
  results.add('oneOrgSeqTxPerSec', o.oneOrgSequential);
  results.set('twoOrgRatioSequential', o.ratioSequential);
}

async function replayFigures(results: Results, cleanup: Cleanup): Promise<void> {
  say('Replay: a recorded TransferAsset of examples/asset-transfer, on its current code, against the state it read');
  const r = await measureReplay(PLAN.replayRuns, (undo) => cleanup.add(undo));
  say(describeBelow('replay of a transaction → diffed result', 'ms', r.replay, 100));
  say(describe('    replay of an evaluation (ReadAsset)', 'ms', r.replayRead));
  say();
  results.add('replayMs', r.replay);
  results.add('replayReadMs', r.replayRead);
}

async function watchFigures(results: Results, cleanup: Cleanup): Promise<void> {
  say('Watch: a saved edit → rebuilt, restarted, registered, the last transaction run again → its result');
  const w = await measureWatch(
    PLAN.watch,
    (undo) => cleanup.add(undo),
    () => cleanup.run(),
  );
  const report = (label: string, key: string, r: SaveResult, target: number): void => {
    if (r.kind === 'skipped') {
      say(`  ${label}: skipped (${r.reason})`);
      return;
    }
    say(describeBelow(label, 'ms', r.case.summary, target));
    say(`      a middle run, ms: ${r.case.phases.map(([phase, ms]) => `${phase} ${formatNumber(ms)}`).join(' · ')}`);
    results.add(key, r.case.summary);
    for (const [phase, ms] of r.case.phases)
      if (phase === 'build' || phase === 'start → READY') results.set(`${key.replace(/Ms$/, '')}${phase === 'build' ? 'Build' : 'StartToReady'}Ms`, ms);
  };
  report('example (JavaScript), dev mode', 'saveToResultDevMs', w.dev, 1000);
  report('TypeScript project, dev mode (tsc --watch)', 'saveToResultTsMs', w.ts, 2000);
  report('example, net mode (Docker image rebuilt)', 'saveToResultNetMs', w.net, 5000);
  say(`  Where the time goes: "start → READY" is a new chaincode process (or container) starting; Node alone, loading`);
  say(`  fabric-shim and fabric-contract-api from the example's folder, takes ${formatNumber(w.shimLoad.wallMs)} ms here (${formatNumber(w.shimLoad.cpuMs)} ms of CPU):`);
  say('  the rest is the contract\'s own code, the connection and REGISTER (under 5 ms in the peer, see (d)). "build" for');
  say('  TypeScript waits for tsc --watch, which starts compiling 250 ms after it sees a change (its own quiet time).');
  say('  "save seen" is the file system\'s notice; "quiet time" the watch\'s own wait for more saves (100 ms).');
  say();
  results.set('nodeShimLoadMs', w.shimLoad.wallMs);
  results.set('nodeShimLoadCpuMs', w.shimLoad.cpuMs);
}

const SECTIONS = ['activation', 'wire', 'peer', 'dev', 'new', 'replay', 'watch', 'gateway', 'orgs', 'net'] as const;

/** The sections named on the command line; none named: all of them. */
function selectedSections(args: readonly string[]): Set<string> {
  const unknown = args.filter((a) => !(SECTIONS as readonly string[]).includes(a));
  if (unknown.length) {
    console.error(`unknown bench section(s): ${unknown.join(', ')}; choose from ${SECTIONS.join(', ')} (none: all)`);
    process.exit(2);
  }
  return new Set(args.length ? args : SECTIONS);
}

async function main(): Promise<void> {
  const selected = selectedSections(process.argv.slice(2));
  const started = performance.now();
  const results = new Results();
  const cleanup = new Cleanup();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      say(`\n${signal}: stopping and removing what the bench started`);
      interrupted = true;
      void cleanup.run().finally(() => process.exit(130));
    });
  }
  say(`Chaincode Launcher benchmark: node ${process.version}, ${os.cpus().length} CPUs, load average ${loadAverage()} at start`);
  say('Medians of several runs; the range and spread ((max − min) ÷ median) show how noisy they were.');
  say();
  results.set('loadAverageAtStart', os.loadavg()[0] ?? 0);

  const sections: string[] = [];
  let sectionStart = performance.now();
  const endSection = (name: string): void => {
    sections.push(`${name} ${Math.round((performance.now() - sectionStart) / 1000)} s`);
    sectionStart = performance.now();
  };

  if (selected.has('activation')) {
    await activationFigures(results);
    endSection('activation');
  }

  if (selected.has('wire') || selected.has('peer')) {
    say('Wire: the physical limit on this machine');
    const ping = await measurePingPong(PLAN.pingPongRuns, PLAN.pingPongMs);
    say(describe('(a) grpc-js bidi ping-pong, loopback', 'round trips/s', ping));
    say('    (100-byte Buffers, server here, client in a child process: the peer/shim topology)');
    say();
    results.add('pingPongRoundTripsPerSec', ping);
    endSection('wire');

    if (selected.has('peer')) {
      try {
        await peerFigures(results, cleanup, ping);
      } finally {
        await cleanup.run();
      }
      endSection('peer');
    }
  }

  if (selected.has('dev')) {
    try {
      await devModeFigures(results, cleanup);
    } finally {
      await cleanup.run();
    }
    endSection('dev mode');
  }

  if (selected.has('new')) {
    try {
      await newProjectFigures(results, cleanup);
    } finally {
      await cleanup.run();
    }
    endSection('new project');
  }
  if (selected.has('replay')) {
    try {
      await replayFigures(results, cleanup);
    } finally {
      await cleanup.run();
    }
    endSection('replay');
  }

  if (selected.has('watch')) {
    try {
      await watchFigures(results, cleanup);
    } finally {
      await cleanup.run();
    }
    endSection('watch');
  }

  if (selected.has('gateway')) {
    try {
      await gatewayFigures(results, cleanup);
    } finally {
      await cleanup.run();
    }
    endSection('gateway');
  }

  if (selected.has('orgs')) {
    try {
      await orgsFigures(results, cleanup);
    } finally {
      await cleanup.run();
    }
    endSection('organisations');
  }

  if (selected.has('net')) {
    say(`Launch engine, net mode (Docker): a temp copy of examples/asset-transfer, rounds of cold → warm → edit`);
    const net = await measureNetMode({
      minRounds: PLAN.netModeMinRounds,
      maxRounds: PLAN.netModeMaxRounds,
      deadline: started + PLAN.budgetSeconds * 1000,
      onCleanup: (undo) => cleanup.add(undo),
    });
    await cleanup.run();
    reportNetMode(net, results);
    say();
    endSection('net mode');
  }

  results.set('loadAverageAtEnd', os.loadavg()[0] ?? 0);
  results.set('benchSeconds', (performance.now() - started) / 1000);
  say(`Done in ${Math.round((performance.now() - started) / 1000)} s (${sections.join(', ')}); load average ${loadAverage()} at the end.`);
  say(results.json());
}

main().then(
  () => {
    if (!interrupted) process.exit(0); // else the signal handler exits once the cleanup is done
  },
  (err: unknown) => {
    if (interrupted) return;
    console.error(`bench failed: ${(err as Error).stack ?? String(err)}`);
    process.exit(1);
  },
);
