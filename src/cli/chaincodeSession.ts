/**
 * What every CLI command that runs chaincode shares (launch, replay): exit codes, stderr logging,
 * starting the engine, and launching the chaincode of a folder until it is ready.
 */
import { Engine } from '../engine/engine';
import type { EngineConfig } from '../engine/config';
import type { ChaincodeDefinition } from '../engine/launch/types';
import { BuildFailedError, buildBeforeLaunch, diagnosticText } from '../engine/watch';
import { sourceLanguageOf } from '../engine/workspace/detect';
import { requireChaincode } from '../engine/workspace/detect';
import type { LaunchRuntime } from './options';
import { chaincodeId } from '../engine/chaincodeId';

export const EXIT = { ok: 0, txFailed: 1, usage: 2, launchFailed: 3, unavailable: 4 } as const;

export const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

/** Handler states, the peer's warnings, the ledgers' background failures and the chaincode's logs, on stderr. */
export function watchEngine(engine: Engine): void {
  engine.peer.onDidChangeHandlerState(({ handler, previous }) => {
    if (handler.state !== previous)
      log(
        `[peer] handler ${handler.id} (${handler.connection}) ${handler.chaincodeId || '(unregistered)'}: ${previous ?? 'new'} → ${handler.state}${handler.endReason ? ` (${handler.endReason})` : ''}`,
      );
  });
  engine.peer.onDiagnostic((d) => {
    if (d.level !== 'info') log(`[peer] ${d.level}: ${d.message}`);
  });
  engine.onLedgerError(({ peer, channel, error }) => log(`[ledger ${channel} on ${peer}] error: ${error.message}`));
  // Each org's peer runs its own instance: lines of the others carry their peer's name.
  engine.launcher.onLog((l) => log(`[${l.ccid}${l.peer ? ` on ${l.peer}` : ''}] ${l.line}`));
}

/**
 * The engine, or exit 4 (the peer cannot start: a port in use, a ledger another process holds).
 * When another process has the Gateway's usual port (another peer, a Fabric test network), the
 * Gateway takes a free one: the PEER_ENDPOINT line says which.
 */
export async function startEngine(config: EngineConfig): Promise<Engine> {
  try {
    return await Engine.start(config, { onGatewayPortTaken: (note) => log(`${note} (--gateway-port N chooses one)`) });
  } catch (err) {
    log(`error: ${(err as Error).message}`);
    process.exit(EXIT.unavailable);
  }
}

/** Which chaincode to launch: a folder, optional name and version, and where it runs. */
export interface ChaincodeSpec {
  readonly folder: string;
  readonly name?: string;
  readonly version?: string;
  readonly runtime: LaunchRuntime;
}

/** A launched chaincode, ready (the engine stops it when disposed). */
export interface LaunchedChaincode {
  readonly ccid: string;
}

/** The folder is not chaincode (thrown by requireChaincode as NotChaincodeError): nothing started. */
export function chaincodeDefinition(spec: ChaincodeSpec): ChaincodeDefinition {
  const folder = requireChaincode(spec.folder);
  const { runtime } = spec;
  const external = runtime.mode === 'external' ? { address: runtime.address, ...(runtime.connection ? { connection: runtime.connection } : {}) } : {};
  if (runtime.mode === 'external' && runtime.packageId !== undefined) {
    // The id the server registers with, as a Fabric peer expects the installed package's (label:hash).
    const colon = runtime.packageId.indexOf(':');
    return { name: runtime.packageId.slice(0, colon), version: runtime.packageId.slice(colon + 1), mode: 'external', language: folder.language, path: folder.folder, ...external };
  }
  if (!spec.name && folder.name !== folder.declaredName) {
    log(`chaincode name ${folder.name}, from "${folder.declaredName}" (Fabric's names allow letters, digits, and - or _ between them); pass --name to choose another`);
  }
  return {
    name: spec.name ?? folder.name,
    version: spec.version ?? folder.version,
    mode: runtime.mode,
    language: folder.language,
    path: folder.folder,
    ...(folder.typescript ? { typescript: true } : {}),
    ...external,
  };
}

/**
 * A TypeScript chaincode the launcher starts is built first, so what runs is what the folder says
 * (a stale compiled output would run silently otherwise). False when the build failed (said why).
 */
export async function buildFirst(definition: ChaincodeDefinition, runtime: LaunchRuntime): Promise<boolean> {
  const startsIt = runtime.mode === 'net' || (runtime.mode === 'dev' && runtime.startProcess);
  if (!definition.typescript || !startsIt) return true;
  try {
    const built = await buildBeforeLaunch(definition.path);
    if (built) log(`[build] ${built.commandLine}: done in ${Math.round(built.durationMs)} ms`);
    for (const d of built?.diagnostics ?? []) log(`  ${diagnosticText(d, process.cwd())}`);
    return true;
  } catch (err) {
    if (!(err instanceof BuildFailedError)) throw err;
    log(`error: ${err.message}`);
    for (const d of err.outcome.diagnostics) log(`  ${diagnosticText(d, process.cwd())}`);
    return false;
  }
}

/** Launches the chaincode and waits until it is ready; undefined when the launch failed (logged). */
export async function launchChaincode(engine: Engine, definition: ChaincodeDefinition, runtime: LaunchRuntime): Promise<LaunchedChaincode | undefined> {
  const ccid = chaincodeId(definition.name, definition.version);
  if (!(await buildFirst(definition, runtime))) return undefined;
  const where = runtime.mode === 'external' ? `the chaincode server at ${runtime.address}${runtime.connection?.tls ? ' (TLS)' : ''}` : definition.path;
  log(`peer listening on ${engine.peer.address}; launching ${ccid} (${definition.mode} mode, ${sourceLanguageOf(definition)}) from ${where}`);
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
    return undefined;
  } finally {
    process.removeListener('SIGINT', onInterrupt);
  }
  return { ccid };
}

export function untilInterrupted(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
}
