#!/usr/bin/env node
/**
 * `chaincode-launcher`: the launch engine from a terminal. Logs and handler states go to stderr;
 * transaction results go to stdout, one JSON object per line, so scripts can read them.
 */
import { Engine } from '../engine/engine';
import type { EngineConfig } from '../engine/config';
import { chaincodeIdOf, type ChaincodeDefinition } from '../engine/launch/types';
import { NotChaincodeError, requireChaincode } from '../engine/workspace/detect';
import { LaunchCommand, parseCli, USAGE, UsageError } from './options';
import { runSteps } from './steps';
import { runPackageCommand } from './packageCommand';
import { announceGateway } from './gatewayLines';

export const EXIT = { ok: 0, txFailed: 1, usage: 2, launchFailed: 3, unavailable: 4 } as const;

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

function watchEngine(engine: Engine): void {
  engine.peer.onDidChangeHandlerState(({ handler, previous }) => {
    if (handler.state !== previous) log(`[peer] handler ${handler.id} (${handler.connection}) ${handler.chaincodeId || '(unregistered)'}: ${previous ?? 'new'} → ${handler.state}${handler.endReason ? ` (${handler.endReason})` : ''}`);
  });
  engine.peer.onDiagnostic((d) => {
    if (d.level !== 'info') log(`[peer] ${d.level}: ${d.message}`);
  });
  engine.launcher.onLog((l) => log(`[${l.ccid}] ${l.line}`));
}

async function startEngine(config: EngineConfig): Promise<Engine> {
  try {
    return await Engine.start(config);
  } catch (err) {
    log(`error: ${(err as Error).message}`);
    process.exit(EXIT.unavailable);
  }
}

async function runPeer(config: EngineConfig): Promise<void> {
  const engine = await startEngine({ ...config, mode: 'dev' });
  watchEngine(engine);
  log(`peer listening on ${engine.peer.address} (dev mode, data in ${config.dataDir})`);
  announceGateway(engine, (line) => process.stdout.write(`${line}\n`), log);
  log(`start a chaincode against it, e.g.:`);
  log(`  CORE_CHAINCODE_ID_NAME=mycc:1.0 CORE_PEER_TLS_ENABLED=false npx fabric-chaincode-node start --peer.address ${engine.peer.address}`);
  await untilInterrupted();
  await engine.dispose();
}

function untilInterrupted(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
}

async function runLaunch(cmd: LaunchCommand): Promise<number> {
  const folder = requireChaincode(cmd.folder);
  const { runtime } = cmd;
  const definition: ChaincodeDefinition = {
    name: cmd.name ?? folder.name,
    version: cmd.version ?? folder.version,
    mode: runtime.mode,
    language: folder.language,
    path: folder.folder,
    ...(runtime.mode === 'external' ? { address: runtime.address } : {}),
  };
  if (!cmd.name && folder.name !== folder.declaredName) {
    log(`chaincode name ${folder.name}, from "${folder.declaredName}" (Fabric's names allow letters, digits, and - or _ between them); pass --name to choose another`);
  }
  const ccid = chaincodeIdOf(definition);
  const engine = await startEngine(cmd.config);
  watchEngine(engine);
  const where = runtime.mode === 'external' ? `the chaincode server at ${runtime.address}` : folder.folder;
  log(`peer listening on ${engine.peer.address}; launching ${ccid} (${definition.mode} mode, ${definition.language}) from ${where}`);
  announceGateway(engine, (line) => process.stdout.write(`${line}\n`), log);
  const abort = new AbortController();
  const onInterrupt = (): void => abort.abort(new Error('interrupted'));
  process.once('SIGINT', onInterrupt);
  try {
    // Dev mode: the launcher runs the chaincode as a process, unless the user starts it (--no-start).
    const userRunsChaincode = runtime.mode === 'dev' && !runtime.startProcess;
    await engine.launcher.launch({ kind: 'deployment', definition }, { signal: abort.signal, onProgress: (step) => log(`[launch] ${step}`), userRunsChaincode });
    log(`[launch] ${ccid} is ready`);
  } catch (err) {
    log(`error: launch failed: ${(err as Error).message}`);
    await engine.dispose();
    return EXIT.launchFailed;
  } finally {
    process.removeListener('SIGINT', onInterrupt);
  }

  const run = await runSteps(engine, ccid, cmd.steps, cmd.parallel, (line) => process.stdout.write(`${JSON.stringify(line)}\n`));
  if (cmd.parallel) log(`[parallel] ${cmd.steps.length} steps; most transactions in flight at once on ${ccid}'s handler: ${run.peakInFlight}`);
  if (!cmd.once) {
    log(`${ccid} is running; press Ctrl-C to stop it and exit`);
    await untilInterrupted();
  }
  await engine.dispose();
  return run.failed ? EXIT.txFailed : EXIT.ok;
}

export async function main(argv: readonly string[]): Promise<number> {
  if (argv[0] === 'package') return runPackageCommand(argv.slice(1));
  try {
    const cmd = parseCli(argv);
    if (cmd.command === 'help') {
      process.stdout.write(`${USAGE}\n`);
      return EXIT.ok;
    }
    if (cmd.command === 'peer') {
      await runPeer(cmd.config);
      return EXIT.ok;
    }
    return await runLaunch(cmd);
  } catch (err) {
    if (err instanceof UsageError) {
      log(`error: ${err.message}\n\n${USAGE}`);
      return EXIT.usage;
    }
    // The folder argument is wrong, as a flag can be: nothing was started, and retrying will not help.
    if (err instanceof NotChaincodeError) {
      log(`error: ${err.message}`);
      return EXIT.usage;
    }
    log(`error: ${(err as Error).message}`);
    return EXIT.launchFailed;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => process.exit(code));
}
