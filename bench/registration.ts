/**
 * (d) REGISTER → READY inside our peer over several chaincode restarts, and the launch engine's
 * dev-mode figure: the example chaincode started as dev mode starts it (`devProcessCommand` +
 * `startDevProcess`: `npm start` → `fabric-chaincode-node start`), timed from spawn to READY.
 */
import * as path from 'path';
import { devProcessCommand, DevProcess, DevProcessCommand, startDevProcess } from '../src/engine/launch/devProcess';
import { EXAMPLE_CHAINCODE, type RunningProcess } from '../test/support/nodeChaincode';
import type { InstrumentedPeer, RegistrationTiming } from './instrumentedPeer';
import { anotherRun, RunBudget, since, Summary, summarize } from './stats';

const START_TIMEOUT_MS = 30_000;

export interface RestartFigures {
  readonly registerToReady: Summary;
  readonly openToReady: Summary;
  /** Process spawn → READY for the small low-level chaincode (for comparison with dev mode). */
  readonly spawnToReady: Summary;
}

/** The one registration recorded since `before` for `ccid`. */
function latestRegistration(ip: InstrumentedPeer, before: number, ccid: string): RegistrationTiming {
  const found = ip.registrations.slice(before).find((r) => r.chaincodeId === ccid);
  if (!found) throw new Error(`no registration of ${ccid} was timed`);
  return found;
}

/**
 * Restarts the chaincode (as often as `runs` allows): kill, wait until the peer has ended its handler, start it
 * again, wait for READY. `current` holds the running process and is updated in place (the caller
 * stops whatever is in it at the end).
 */
export async function measureRestarts(
  ip: InstrumentedPeer,
  ccid: string,
  runs: RunBudget,
  current: { process: RunningProcess },
  start: () => RunningProcess,
): Promise<RestartFigures> {
  const reg: number[] = [];
  const open: number[] = [];
  const spawn: number[] = [];
  const startedAt = performance.now();
  while (anotherRun(runs, reg.length, startedAt)) {
    const ended = ip.isConnected(ccid) ? ip.whenState(ccid, 'ended', 10_000) : Promise.resolve();
    await current.process.kill();
    await ended;
    const before = ip.registrations.length;
    const ready = ip.whenState(ccid, 'ready', START_TIMEOUT_MS, () => `; output: ${current.process.output().slice(-500)}`);
    const t = performance.now();
    current.process = start();
    await ready;
    spawn.push(since(t));
    const timing = latestRegistration(ip, before, ccid);
    reg.push(timing.registerToReadyMs);
    open.push(timing.openToReadyMs);
  }
  return { registerToReady: summarize(reg), openToReady: summarize(open), spawnToReady: summarize(spawn) };
}

export interface DevModeFigures {
  readonly startToReady: Summary;
  readonly registerToReady: Summary;
}

export const DEV_MODE_CCID = 'asset-transfer:1.0';

/** What dev mode runs for the example: `npm start -- --peer.address …` (it has a start script). */
export function devModeCommand(peerAddress: string): DevProcessCommand {
  return devProcessCommand('node', EXAMPLE_CHAINCODE, DEV_MODE_CCID, peerAddress);
}

/** The same shim started without npm in front (dev mode's form for a folder without a start script). */
export function directShimCommand(peerAddress: string): DevProcessCommand {
  const npm = devModeCommand(peerAddress);
  const cli = path.join(EXAMPLE_CHAINCODE, 'node_modules', 'fabric-shim', 'cli.js');
  return { command: process.execPath, args: [cli, 'start', '--peer.address', peerAddress], env: npm.env, cwd: npm.cwd };
}

/** Dev mode as the CLI runs it: spawn the example chaincode's start command, time to READY, stop. */
export async function measureDevMode(ip: InstrumentedPeer, runs: RunBudget, cmd: DevProcessCommand, onProcess: (p: DevProcess | null) => void): Promise<DevModeFigures> {
  const ccid = DEV_MODE_CCID;
  const startToReady: number[] = [];
  const registerToReady: number[] = [];
  const startedAt = performance.now();
  while (anotherRun(runs, startToReady.length, startedAt)) {
    const lines: string[] = [];
    const before = ip.registrations.length;
    const ready = ip.whenState(ccid, 'ready', START_TIMEOUT_MS, () => `; last lines:\n${lines.slice(-10).join('\n')}`);
    const t = performance.now();
    const proc = startDevProcess(cmd, (_stream, line) => {
      lines.push(line);
      if (lines.length > 50) lines.shift();
    });
    onProcess(proc);
    const exitedEarly = new Promise<never>((_, reject) => {
      void proc.exited.then((code) => reject(new Error(`the dev-mode process exited (${String(code)}) before READY; last lines:\n${lines.slice(-10).join('\n')}`)));
    });
    exitedEarly.catch(() => undefined); // it also "rejects" after a normal stop
    ready.catch(() => undefined);
    try {
      await Promise.race([ready, exitedEarly]);
      startToReady.push(since(t));
      registerToReady.push(latestRegistration(ip, before, ccid).registerToReadyMs);
    } finally {
      const ended = ip.isConnected(ccid) ? ip.whenState(ccid, 'ended', 10_000) : Promise.resolve();
      await proc.stop();
      await ended.catch(() => undefined);
      onProcess(null);
    }
  }
  return { startToReady: summarize(startToReady), registerToReady: summarize(registerToReady) };
}
