/**
 * "Debug on a Fabric network (chaincode as a service)": the `ccaas` flavour of the `chaincode` debug
 * type. The chaincode runs under its language's debugger as a chaincode server (the engine's
 * `serveStart.ts`: the shim CLI's `server` mode for Node, `shim.ChaincodeServer` behind
 * CHAINCODE_SERVER_ADDRESS for Go, the shim's ContractRouter for Java) on a loopback port, and the
 * relay in front (engine/ccaas/) listens where the peer dials: `address`, with the TLS files given.
 * No embedded peer is started: the peer is a real network's (or the embedded one, dialling it from
 * Launch Chaincode → external). The debugger configuration is the dev-mode one of the language
 * (same js-debug, Delve or Java options), with the server's program, arguments and environment.
 * Logs and breakpoints behave as in dev mode. The execute timeout held while the debuggee is paused
 * is the dialling peer's: held when that peer is the embedded one; a network's peer applies its own
 * `chaincode.executetimeout` (30 s by default) and fails the transaction when it runs out.
 * No vscode here: unit-tested outside VS Code.
 */
import * as fs from 'fs';
import * as path from 'path';
import { checkTlsMaterial, formatHostPort, parseHostPort, type HostPort } from '../../engine/ccaas/connectionRelay';
import { JAVA_SERVING_MAIN, nodeServerEntry, requireGoServer, serveEnv, ServeStartError } from '../../engine/ccaas/serveStart';
import type { ServingTlsMaterial } from '../../engine/ccaas/types';
import type { LogLevel } from '../../engine/config';
import { goPackage } from '../../engine/launch/devStart';
import type { DetectedChaincode } from '../../engine/workspace/detect';
import type { SourceLanguage } from '../../engine/platforms/types';
import { CHAINCODE_ID_FIELD, DebugConfigError, DebuggerConfig } from './chaincodeDebug';
import { debugConfigurationFor } from './languages';

export const CCAAS_MODE = 'ccaas';
/** Where peers dial unless the configuration says: this machine only, fabric-samples' port. */
export const DEFAULT_CCAAS_ADDRESS = '127.0.0.1:9999';
/** The private field of a resolved configuration that tells the editor to serve its debuggee (`ServeSpec`). */
export const CCAAS_FIELD = '__chaincodeServe';

/** The `ccaas` launch configuration, as the user writes it (the dev-mode fields that apply, and where peers dial). */
export interface CcaasLaunchConfig {
  readonly type: string;
  readonly request: string;
  readonly name: string;
  readonly mode: typeof CCAAS_MODE;
  readonly language?: SourceLanguage;
  readonly folder?: string;
  readonly program?: string;
  readonly package?: string;
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly preLaunchTask?: string;
  readonly outFiles?: readonly string[];
  /** `HOST:PORT` the peer dials (its connection.json's `address`). */
  readonly address?: string;
  /** The package ID the peer installed; the chaincode registers under it. */
  readonly packageId?: string;
  /** PEM files: the server certificate and key (TLS on), and the CA of the peers' client certificates. */
  readonly tlsCert?: string;
  readonly tlsKey?: string;
  readonly clientCa?: string;
  readonly [key: string]: unknown;
}

export function isCcaasConfig(config: { readonly mode?: unknown }): config is CcaasLaunchConfig {
  return config.mode === CCAAS_MODE;
}

/** Absolute paths of the PEM files (never their content: the configuration goes to the debug adapter). */
export interface ServingTlsFiles {
  readonly cert: string;
  readonly key: string;
  readonly clientCa?: string;
}

/** What the editor needs when the debug session starts: where to listen, in front of what, with which TLS. */
export interface ServeSpec {
  readonly packageId: string;
  readonly listen: HostPort;
  readonly serverAddress: HostPort;
  readonly tlsFiles?: ServingTlsFiles;
}

export interface CcaasResolveInput {
  readonly config: CcaasLaunchConfig;
  readonly chaincode: DetectedChaincode;
  readonly language: SourceLanguage;
  /** The loopback address the debuggee's own server listens on (chosen free by the caller). */
  readonly serverAddress: HostPort;
  /** `stub.getMspID()`: the MSP of the serving peers' org. */
  readonly mspId: string;
  readonly logLevel: LogLevel;
  /** Resolves `${workspaceFolder}` in paths. */
  readonly substitute?: (value: string) => string;
}

/** The language's debugger configuration for the chaincode server, with the serve spec attached. */
export function resolveCcaasConfiguration(input: CcaasResolveInput): DebuggerConfig {
  const { config, chaincode } = input;
  const packageId = config.packageId?.trim();
  if (!packageId) {
    throw new DebugConfigError(
      'Set "packageId" in the launch configuration: the package ID the peer installed (the Package for Fabric command, or chaincode-launcher package --type ccaas, prints it).',
    );
  }
  let listen: HostPort;
  try {
    listen = parseHostPort(config.address ?? DEFAULT_CCAAS_ADDRESS, '"address"');
  } catch (err) {
    throw new DebugConfigError((err as Error).message, { cause: err });
  }
  const tlsFiles = tlsFilesOf(config, chaincode.folder, input.substitute ?? ((v) => v));
  if (tlsFiles) readServingTls(tlsFiles); // a wrong file is a configuration error, not a failed session
  const server = formatHostPort(input.serverAddress);
  const env = { ...serveEnv({ packageId, serverAddress: server, mspId: input.mspId, logLevel: input.logLevel }), ...(config.env ?? {}) };
  // The dev-mode configuration of the language, for its debugger options; the peer is not dialled.
  const dev = debugConfigurationFor(input.language).resolve({
    config: { ...config, mode: 'dev', chaincodeName: undefined, version: undefined, env: undefined },
    chaincode,
    peerAddress: server,
    mspId: input.mspId,
    logLevel: input.logLevel,
  });
  const own = [...(config.args ?? [])];
  let command: Record<string, unknown>;
  try {
    command = serverCommand(input.language, chaincode.folder, config, { packageId, serverAddress: server }, own);
  } catch (err) {
    throw err instanceof ServeStartError ? new DebugConfigError(err.message, { cause: err }) : err;
  }
  const spec: ServeSpec = { packageId, listen, serverAddress: input.serverAddress, ...(tlsFiles ? { tlsFiles } : {}) };
  return { ...dev, ...command, env, [CHAINCODE_ID_FIELD]: packageId, [CCAAS_FIELD]: spec };
}

/** What differs from dev mode in the debugger configuration: the program (Node) and the arguments. */
function serverCommand(
  language: SourceLanguage,
  folder: string,
  config: CcaasLaunchConfig,
  ids: { packageId: string; serverAddress: string },
  own: string[],
): Record<string, unknown> {
  switch (language) {
    case 'node':
    case 'typescript': {
      const entry = nodeServerEntry(folder, config.program, ids);
      return { program: entry.program, args: [...entry.args, ...own] };
    }
    case 'golang':
      requireGoServer(goPackage(folder, config.package));
      return { args: own };
    case 'java':
      // Only the shim's ContractRouter serves (when CHAINCODE_SERVER_ADDRESS is set), whatever the build's main class.
      return { mainClass: config.program && !config.program.endsWith('.jar') ? config.program : JAVA_SERVING_MAIN, args: own };
  }
}

function tlsFilesOf(config: CcaasLaunchConfig, folder: string, substitute: (value: string) => string): ServingTlsFiles | undefined {
  const { tlsCert, tlsKey, clientCa } = config;
  if ((tlsCert === undefined) !== (tlsKey === undefined)) throw new DebugConfigError('"tlsCert" and "tlsKey" go together: the server certificate and its key.');
  if (tlsCert === undefined || tlsKey === undefined) {
    if (clientCa !== undefined) throw new DebugConfigError('"clientCa" needs TLS: set "tlsCert" and "tlsKey" too.');
    return undefined;
  }
  const full = (file: string): string => path.resolve(folder, substitute(file));
  return { cert: full(tlsCert), key: full(tlsKey), ...(clientCa !== undefined ? { clientCa: full(clientCa) } : {}) };
}

/** The PEM material of the files, checked (a certificate and key that belong together, a CA that parses). */
export function readServingTls(files: ServingTlsFiles): ServingTlsMaterial {
  const read = (field: string, file: string): string => {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch (err) {
      throw new DebugConfigError(`"${field}": cannot read ${file}: ${(err as Error).message}`, { cause: err });
    }
  };
  const material: ServingTlsMaterial = {
    certPem: read('tlsCert', files.cert),
    keyPem: read('tlsKey', files.key),
    ...(files.clientCa !== undefined ? { clientCaPem: read('clientCa', files.clientCa) } : {}),
  };
  try {
    checkTlsMaterial(material);
  } catch (err) {
    throw new DebugConfigError((err as Error).message, { cause: err });
  }
  return material;
}
