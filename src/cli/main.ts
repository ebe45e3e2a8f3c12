#!/usr/bin/env node
/**
 * `chaincode-launcher`: the launch engine from a terminal. Logs and handler states go to stderr;
 * transaction results go to stdout, one JSON object per line, so scripts can read them.
 */
import { Engine } from '../engine/engine';
import type { EngineConfig } from '../engine/config';
import type { ChaincodeDefinition } from '../engine/launch/types';
import { devProcessCommand, startDevProcess, DevProcess } from '../engine/launch/devProcess';
import { describeChaincodeFolder } from './chaincodeFolder';
import { runNewCommand } from './newCommand';
import { LaunchCommand, parseCli, USAGE, UsageError } from './options';

export const EXIT = { ok: 0, txFailed: 1, usage: 2, launchFailed: 3, unavailable: 4 } as const;

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

function printResult(args: readonly string[], r: { txId: string; status: number; message: string; payload: Buffer; validation: string; event: { eventName: string; payload: Buffer } | null }): void {
  const text = r.payload.toString('utf8');
  let payload: unknown = text;
  try {
    payload = text ? JSON.parse(text) : text;
  } catch {
    /* not JSON: keep the text */
  }
  const event = r.event ? { name: r.event.eventName, payload: r.event.payload.toString('utf8') } : null;
  process.stdout.write(`${JSON.stringify({ tx: args, txId: r.txId, status: r.status, message: r.message, payload, validation: r.validation, event })}\n`);
}

function watchEngine(engine: Engine): void {
  engine.peer.onDidChangeHandlerState(({ handler, previous }) => {
    if (handler.state !== previous) log(`[peer] handler ${handler.id} ${handler.chaincodeId || '(unregistered)'}: ${previous ?? 'new'} → ${handler.state}${handler.endReason ? ` (${handler.endReason})` : ''}`);
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
  const folder = await describeChaincodeFolder(cmd.folder);
  const definition: ChaincodeDefinition = {
    name: cmd.name ?? folder.name,
    version: cmd.version ?? folder.version,
    mode: cmd.config.mode,
    language: folder.language,
    path: folder.folder,
  };
  const ccid = `${definition.name}:${definition.version}`;
  const engine = await startEngine(cmd.config);
  watchEngine(engine);
  log(`peer listening on ${engine.peer.address}; launching ${ccid} (${definition.mode} mode, ${definition.language}) from ${folder.folder}`);
  let devProcess: DevProcess | undefined;
  const abort = new AbortController();
  const onInterrupt = (): void => abort.abort(new Error('interrupted'));
  process.once('SIGINT', onInterrupt);
  try {
    const launching = engine.launcher.launch({ kind: 'deployment', definition }, { signal: abort.signal, onProgress: (step) => log(`[launch] ${step}`) });
    if (definition.mode === 'dev' && !cmd.noStart) {
      devProcess = startDevProcess(devProcessCommand(definition.language, folder.folder, ccid, engine.peer.address), (_s, line) => log(`[${ccid}] ${line}`));
      void devProcess.exited.then((code) => {
        if (engine.peer.registry.get(ccid)?.state !== 'ready') abort.abort(new Error(`the chaincode process exited with code ${code} before it was ready`));
      });
    }
    await launching;
    log(`[launch] ${ccid} is ready`);
  } catch (err) {
    log(`error: launch failed: ${(err as Error).message}`);
    await devProcess?.stop();
    await engine.dispose();
    return EXIT.launchFailed;
  } finally {
    process.removeListener('SIGINT', onInterrupt);
  }

  let failed = 0;
  for (const tx of cmd.transactions) {
    const isQuery = tx[0] === '__query__';
    const args = isQuery ? tx.slice(1) : tx;
    try {
      const r = await engine.peer.execute({ chaincode: ccid, args, kind: isQuery ? 'query' : 'invoke' });
      printResult(args, r);
      if (r.status >= 400 || (r.validation !== 'VALID')) failed++;
    } catch (err) {
      failed++;
      process.stdout.write(`${JSON.stringify({ tx: args, error: (err as Error).message })}\n`);
    }
  }
  if (!cmd.once) {
    log(`${ccid} is running; press Ctrl-C to stop it and exit`);
    await untilInterrupted();
  }
  await devProcess?.stop();
  await engine.dispose();
  return failed ? EXIT.txFailed : EXIT.ok;
}

export async function main(argv: readonly string[]): Promise<number> {
  if (argv[0] === 'new') return runNewCommand(argv.slice(1));
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
    log(`error: ${(err as Error).message}`);
    return EXIT.launchFailed;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => process.exit(code));
}
