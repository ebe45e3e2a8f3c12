/**
 * (d) REGISTER → READY inside our peer over several chaincode restarts, and the launch engine's
 * dev-mode figure: the example chaincode started as dev mode starts it (`devStartCommand` on the
 * process VM: node → `fabric-chaincode-node start`), timed from spawn to READY.
 */
import { ProcessVM } from '../src/engine/container/process/processVM';
import { devStartCommand, type DevStartCommand } from '../src/engine/launch/devStart';
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

/** What dev mode runs for the example: what its start script runs, the shim's CLI, on node. */
export function devModeCommand(peerAddress: string): Promise<DevStartCommand> {
  return devStartCommand({ language: 'node', folder: EXAMPLE_CHAINCODE, ccid: DEV_MODE_CCID, peerAddress, mspId: 'Org1MSP' });
}

/** The same chaincode through `npm start`, for comparison (what a container runs). */
export async function npmStartCommand(peerAddress: string): Promise<DevStartCommand> {
  const direct = await devModeCommand(peerAddress);
  return { command: 'npm', args: ['start', '--silent', '--', '--peer.address', peerAddress], env: { ...direct.env, NPM_CONFIG_UPDATE_NOTIFIER: 'false' }, cwd: direct.cwd };
}

/** Dev mode as the launcher runs it (the process VM): spawn the start command, time to READY, stop. */
export async function measureDevMode(
  ip: InstrumentedPeer,
  runs: RunBudget,
  cmd: DevStartCommand,
  onProcess: (stop: (() => Promise<void>) | null) => void,
): Promise<DevModeFigures> {
  const ccid = DEV_MODE_CCID;
  const startToReady: number[] = [];
  const registerToReady: number[] = [];
  const startedAt = performance.now();
  while (anotherRun(runs, startToReady.length, startedAt)) {
    const lines: string[] = [];
    const before = ip.registrations.length;
    const ready = ip.whenState(ccid, 'ready', START_TIMEOUT_MS, () => `; last lines:\n${lines.slice(-10).join('\n')}`);
    const t = performance.now();
    const vm = new ProcessVM();
    const exitedEarly = new Promise<never>((_, reject) => {
      vm.onEvent((e) => {
        if (e.kind === 'log') {
          lines.push(e.line);
          if (lines.length > 50) lines.shift();
        } else if (e.kind === 'status' && e.status === 'exited') {
          reject(new Error(`the dev-mode process exited (${e.detail ?? ''}) before READY; last lines:\n${lines.slice(-10).join('\n')}`));
        }
      });
    });
    exitedEarly.catch(() => undefined); // it also "rejects" after a normal stop
    ready.catch(() => undefined);
    const stop = (): Promise<void> => vm.stop(ccid).finally(() => vm.dispose());
    onProcess(stop);
    try {
      await vm.start({ ccid, args: [cmd.command, ...cmd.args], env: cmd.env, workingDir: cmd.cwd });
      await Promise.race([ready, exitedEarly]);
      startToReady.push(since(t));
      registerToReady.push(latestRegistration(ip, before, ccid).registerToReadyMs);
    } finally {
      const ended = ip.isConnected(ccid) ? ip.whenState(ccid, 'ended', 10_000) : Promise.resolve();
      await stop();
      await ended.catch(() => undefined);
      onProcess(null);
    }
  }
  return { startToReady: summarize(startToReady), registerToReady: summarize(registerToReady) };
}
