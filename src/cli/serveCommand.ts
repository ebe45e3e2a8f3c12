/**
 * `chaincode-launcher serve <folder> --package-id ID`: the chaincode in <folder> as a chaincode
 * server (Fabric's chaincode as a service) that a peer with the ccaas builder dials, until Ctrl-C.
 * The chaincode runs in the process runtime as in dev mode (its output on stderr, stopped with its
 * process group); peers reach it through the relay in front (engine/ccaas/), which does the TLS and
 * reports each connection. Stdout gets one JSON line once it serves, for scripts.
 */
import { readFileSync } from 'fs';
import { parseArgs } from 'util';
import { DEFAULT_CONFIG, type LogLevel } from '../engine/config';
import { checkTlsMaterial, formatHostPort, parseHostPort, RelayError, serverAddressOnLoopback, type HostPort } from '../engine/ccaas/connectionRelay';
import { ServedChaincode } from '../engine/ccaas/servedChaincode';
import { serveStartCommand } from '../engine/ccaas/serveStart';
import type { ServingTlsMaterial } from '../engine/ccaas/types';
import { ProcessVM } from '../engine/container/process/processVM';
import { shortChaincodeId } from '../engine/chaincodeId';
import { NotChaincodeError, requireChaincode } from '../engine/workspace/detect';

export const SERVE_USAGE = `Usage:
  chaincode-launcher serve <folder> --package-id ID [--address HOST:PORT]
                           [--tls-cert FILE --tls-key FILE [--client-ca FILE]]
                           [--msp-id ID] [--log-level LEVEL] [--startup-timeout SECONDS]

Runs the chaincode in <folder> as a chaincode server (Fabric's chaincode as a service) for a peer
with the ccaas builder to dial, until Ctrl-C. Once it serves, prints one line on stdout:
{"packageId","address","tls"}; the chaincode's logs and each connection a peer makes go to stderr.
  --package-id ID      the package ID the peer installed ('chaincode-launcher package --type ccaas'
                       prints it); the chaincode registers under it
  --address HOST:PORT  where peers dial; default 127.0.0.1:9999 (this machine only): give
                       0.0.0.0:9999 for a peer on another machine
  --tls-cert FILE      PEM server certificate, --tls-key FILE its key: TLS on (the package's
                       connection.json then has tls_required and, as root_cert, this certificate's CA)
  --client-ca FILE     peers must present a certificate this CA issued (client_auth_required)
  --msp-id ID          what stub.getMspID() answers: the MSP of the serving peers' org (default ${DEFAULT_CONFIG.mspId})
  --log-level LEVEL    the chaincode's log level: debug, info, warning or error (default info)
  --startup-timeout S  how long the chaincode's server may take to listen (default ${DEFAULT_CONFIG.startupTimeoutMs / 1000})

Exit codes: 0 stopped with Ctrl-C; 2 usage error (a flag, or a folder that is not chaincode);
3 the chaincode cannot serve, or its process ended; 4 the address cannot be listened on.`;

export const SERVE_EXIT = { ok: 0, usage: 2, failed: 3, unavailable: 4 } as const;

/** The default port fabric-samples' chaincode-as-a-service examples listen on. */
const DEFAULT_ADDRESS = '127.0.0.1:9999';
const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warning', 'error'];

export class ServeUsageError extends Error {
  override readonly name = 'ServeUsageError';
}

export interface ServeCommand {
  readonly folder: string;
  readonly packageId: string;
  readonly listen: HostPort;
  readonly tls?: ServingTlsMaterial;
  readonly mspId: string;
  readonly logLevel: LogLevel;
  readonly startupTimeoutMs: number;
}

const FLAGS = {
  'package-id': { type: 'string' },
  address: { type: 'string' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  'client-ca': { type: 'string' },
  'msp-id': { type: 'string' },
  'log-level': { type: 'string' },
  'startup-timeout': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function parseServeCommand(argv: readonly string[]): ServeCommand | 'help' {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, options: FLAGS });
  } catch (err) {
    throw new ServeUsageError((err as Error).message, { cause: err });
  }
  const { values: v, positionals } = parsed;
  if (v.help) return 'help';
  const [folder, ...extra] = positionals;
  if (!folder) throw new ServeUsageError('serve needs a chaincode folder');
  if (extra.length) throw new ServeUsageError(`unexpected arguments: ${extra.join(' ')}`);
  const packageId = v['package-id']?.trim();
  if (!packageId) throw new ServeUsageError("serve needs --package-id ID: the package ID the peer installed (e.g. what 'chaincode-launcher package --type ccaas' printed)");
  if (/\s/.test(packageId)) throw new ServeUsageError(`--package-id must not contain spaces, got '${packageId}'`);
  let listen: HostPort;
  try {
    listen = parseHostPort(v.address ?? DEFAULT_ADDRESS, '--address');
  } catch (err) {
    throw new ServeUsageError((err as Error).message, { cause: err });
  }
  const logLevel = (v['log-level'] ?? DEFAULT_CONFIG.logLevel) as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) throw new ServeUsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}, got ${v['log-level']}`);
  const timeout = v['startup-timeout'] === undefined ? DEFAULT_CONFIG.startupTimeoutMs / 1000 : Number(v['startup-timeout']);
  if (!Number.isFinite(timeout) || timeout <= 0) throw new ServeUsageError(`--startup-timeout must be a positive number of seconds, got ${v['startup-timeout']}`);
  const tls = tlsMaterial(v['tls-cert'], v['tls-key'], v['client-ca']);
  return { folder, packageId, listen, ...(tls ? { tls } : {}), mspId: v['msp-id'] ?? DEFAULT_CONFIG.mspId, logLevel, startupTimeoutMs: Math.round(timeout * 1000) };
}

function tlsMaterial(cert: string | undefined, key: string | undefined, clientCa: string | undefined): ServingTlsMaterial | undefined {
  if ((cert === undefined) !== (key === undefined)) throw new ServeUsageError('--tls-cert and --tls-key go together');
  if (cert === undefined || key === undefined) {
    if (clientCa !== undefined) throw new ServeUsageError('--client-ca needs TLS: add --tls-cert and --tls-key');
    return undefined;
  }
  const material: ServingTlsMaterial = {
    certPem: readPem('--tls-cert', cert),
    keyPem: readPem('--tls-key', key),
    ...(clientCa !== undefined ? { clientCaPem: readPem('--client-ca', clientCa) } : {}),
  };
  try {
    checkTlsMaterial(material);
  } catch (err) {
    throw new ServeUsageError((err as Error).message, { cause: err });
  }
  return material;
}

function readPem(flag: string, file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new ServeUsageError(`${flag} ${file}: ${(err as Error).message}`, { cause: err });
  }
}

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

/** Runs the command; resolves with the exit code. */
export async function runServeCommand(argv: readonly string[]): Promise<number> {
  let command: ServeCommand | 'help';
  let chaincode;
  try {
    command = parseServeCommand(argv);
    if (command === 'help') {
      process.stdout.write(`${SERVE_USAGE}\n`);
      return SERVE_EXIT.ok;
    }
    chaincode = requireChaincode(command.folder);
  } catch (err) {
    if (err instanceof NotChaincodeError) {
      log(`error: ${err.message}`);
      return SERVE_EXIT.usage;
    }
    log(`error: ${(err as Error).message}\n\n${SERVE_USAGE}`);
    return SERVE_EXIT.usage;
  }
  const { packageId } = command;
  const interrupted = new Promise<'interrupted'>((resolve) => {
    process.once('SIGINT', () => resolve('interrupted'));
    process.once('SIGTERM', () => resolve('interrupted'));
  });
  const vm = new ProcessVM();
  const tag = `[${shortChaincodeId(packageId)}]`;
  // From its first line (the command it runs), as launch prints a dev-mode chaincode's.
  vm.onEvent((e) => e.kind === 'log' && log(`${tag} ${e.line}`));
  let served: ServedChaincode;
  try {
    const serverAddress = await serverAddressOnLoopback();
    const start = await serveStartCommand({
      language: chaincode.language,
      folder: chaincode.folder,
      packageId,
      serverAddress: formatHostPort(serverAddress),
      mspId: command.mspId,
      logLevel: command.logLevel,
    });
    served = await ServedChaincode.start({
      packageId,
      language: chaincode.language,
      folder: chaincode.folder,
      listen: command.listen,
      ...(command.tls ? { tls: command.tls } : {}),
      serverAddress,
      process: { vm, command: start },
      startupTimeoutMs: command.startupTimeoutMs,
    });
  } catch (err) {
    log(`error: ${(err as Error).message}`);
    vm.dispose();
    return err instanceof RelayError ? SERVE_EXIT.unavailable : SERVE_EXIT.failed;
  }
  served.onConnection((e) => {
    if (e.kind === 'connected') log(`[serve] a peer connected from ${e.connection.remote}${e.connection.clientSubject ? ` (${e.connection.clientSubject})` : ''}`);
    else if (e.kind === 'disconnected') log(`[serve] the connection from ${e.connection.remote} closed${e.reason ? `: ${e.reason}` : ''}`);
    else log(`[serve] refused a connection from ${e.remote}: TLS handshake failed: ${e.reason}`);
  });
  log(`[serve] starting ${packageId} (${chaincode.language}) from ${chaincode.folder}; peers dial ${served.address}${command.tls ? ' over TLS' : ''}`);

  const ready = served.ready.then(
    () => 'serving' as const,
    (err: Error) => err,
  );
  const first = await Promise.race([ready, interrupted]);
  if (first instanceof Error) {
    log(`error: ${first.message}`);
    await served.stop();
    return SERVE_EXIT.failed;
  }
  if (first === 'interrupted') {
    await served.stop();
    return SERVE_EXIT.ok;
  }
  const info = served.info();
  process.stdout.write(`${JSON.stringify({ packageId, address: info.address, tls: info.tls })}\n`);
  log(`[serve] serving ${packageId} on ${info.address}; press Ctrl-C to stop`);
  const ended = new Promise<string>((resolve) => {
    served.onDidChange((i) => i.status === 'stopped' && resolve(i.lastError ?? 'stopped'));
    const now = served.info();
    if (now.status === 'stopped') resolve(now.lastError ?? 'stopped');
  });
  const outcome = await Promise.race([interrupted, ended]);
  if (outcome === 'interrupted') {
    await served.stop();
    log(`[serve] stopped`);
    return SERVE_EXIT.ok;
  }
  log(`error: ${outcome}`);
  return SERVE_EXIT.failed;
}
