/**
 * How each language's chaincode starts as a chaincode server (Fabric 2.x chaincode as a service):
 * the server half of what `devStart.ts` is for dev mode, with the same entry points, so that the
 * CLI's `serve` (a process) and the editor's CCaaS debug configuration (a debugger) start it alike.
 *
 * - Node: `fabric-chaincode-node server --chaincode-address HOST:PORT --chaincode-id ID` (the shim's
 *   CLI, for a contract-API chaincode), or the chaincode's own script when it calls `shim.server`.
 * - Go: the chaincode's main must run `shim.ChaincodeServer`; fabric-samples' chaincode-external
 *   reads `CHAINCODE_SERVER_ADDRESS` and `CHAINCODE_ID` (and `CHAINCODE_TLS_DISABLED`), and so do we.
 * - Java: the shim's `ContractRouter` serves when `CHAINCODE_SERVER_ADDRESS` is set, under the id in
 *   `CORE_CHAINCODE_ID_NAME` (`ContractRouter.main`, `ChaincodeBase.isServer`); it is the only entry
 *   of the Java shim that can (`ChaincodeBase.start` always dials a peer), so it runs whatever the
 *   jar's Main-Class, from the built jar on the class path.
 *
 * The server listens on loopback only, in plaintext: peers dial the relay in front of it
 * (`connectionRelay.ts`), which does the TLS.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Language } from '../platforms/types';
import { DevStartError, goPackage, nodeEntry } from '../launch/devStart';
import { findPrebuiltJar } from '../platforms/java';
import { chaincodeEnv } from '../platforms/launchParameters';

/** The Java shim's entry that serves (contract-API chaincode). */
export const JAVA_SERVING_MAIN = 'org.hyperledger.fabric.contract.ContractRouter';

export class ServeStartError extends Error {
  override readonly name = 'ServeStartError';
}

export interface ServeEnvInput {
  /** The id the chaincode registers with: the package ID the peer installed. */
  readonly packageId: string;
  /** `host:port` (loopback) the chaincode's own server listens on. */
  readonly serverAddress: string;
  /** `stub.getMspID()`: the MSP of the peers the chaincode serves (their operator sets it on a real network). */
  readonly mspId: string;
  readonly logLevel?: string;
}

/**
 * What every chaincode server gets: the peer's usual chaincode environment (TLS off: the relay does
 * it), the server address and id under the names the shims and fabric-samples read.
 */
export function serveEnv(input: ServeEnvInput): Record<string, string> {
  return {
    ...chaincodeEnv({ ccid: input.packageId, mspId: input.mspId, logLevel: input.logLevel }),
    CHAINCODE_SERVER_ADDRESS: input.serverAddress,
    CHAINCODE_ID: input.packageId,
    CHAINCODE_TLS_DISABLED: 'true',
  };
}

export interface ServeStartInput extends ServeEnvInput {
  readonly language: Language;
  readonly folder: string;
  /** Node: the script to run instead of what package.json starts; Go: the package; Java: the jar. */
  readonly program?: string;
  readonly extraArgs?: readonly string[];
}

export interface ServeStartCommand {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
}

/** The command that starts the chaincode's server; refuses a chaincode that cannot serve, saying why. */
export async function serveStartCommand(input: ServeStartInput): Promise<ServeStartCommand> {
  const env = serveEnv(input);
  const extra = input.extraArgs ?? [];
  const cwd = input.folder;
  switch (input.language) {
    case 'node': {
      const entry = nodeServerEntry(input.folder, input.program, input);
      return { command: 'node', args: [entry.program, ...entry.args, ...extra], env, cwd };
    }
    case 'golang': {
      const pkg = goPackage(input.folder, input.program);
      requireGoServer(pkg);
      return { command: 'go', args: ['run', pkg, ...extra], env, cwd };
    }
    case 'java': {
      const jar = input.program?.endsWith('.jar') ? path.resolve(input.folder, input.program) : await findPrebuiltJar(input.folder);
      if (!jar) throw new ServeStartError(`no runnable jar in ${input.folder}/target or build/libs: build it first (mvn package, or gradle shadowJar)`);
      return { command: 'java', args: ['-cp', jar, JAVA_SERVING_MAIN, ...extra], env, cwd };
    }
  }
}

export interface NodeServerEntry {
  readonly program: string;
  readonly args: readonly string[];
}

/**
 * What Node runs to serve: the shim's CLI in `server` mode where dev mode runs it in `start` mode,
 * or a script of the chaincode's own that starts a server itself (`shim.server(…)`, reading
 * CHAINCODE_SERVER_ADDRESS and CHAINCODE_ID). A script that only calls `Shim.start` dials a peer
 * and cannot serve.
 */
export function nodeServerEntry(folder: string, program: string | undefined, ids: Pick<ServeEnvInput, 'packageId' | 'serverAddress'>): NodeServerEntry {
  let entry;
  try {
    entry = nodeEntry(folder, program);
  } catch (err) {
    throw err instanceof DevStartError ? new ServeStartError(err.message, { cause: err }) : err;
  }
  if (entry.args[0] === 'start' && path.basename(entry.program) === 'cli.js') {
    return { program: entry.program, args: ['server', ...entry.args.slice(1), '--chaincode-address', ids.serverAddress, '--chaincode-id', ids.packageId] };
  }
  const source = readText(entry.program);
  if (!/\.server\s*\(/.test(source)) {
    throw new ServeStartError(
      `${path.relative(folder, entry.program) || entry.program} starts the chaincode with Shim.start, which dials a peer: to serve, ` +
        'start it with shim.server(chaincode, { ccid: process.env.CHAINCODE_ID, address: process.env.CHAINCODE_SERVER_ADDRESS }) when CHAINCODE_SERVER_ADDRESS is set, ' +
        "or make it a contract-API chaincode started by 'fabric-chaincode-node start'",
    );
  }
  return { program: entry.program, args: [] };
}

/**
 * A Go chaincode serves only if its main starts `shim.ChaincodeServer`: said before `go run`, since
 * without it the shim would try to dial a peer and fail with a message about flags.
 */
export function requireGoServer(pkg: string): void {
  const sources = fs.existsSync(pkg) && fs.statSync(pkg).isDirectory() ? fs.readdirSync(pkg).filter((f) => f.endsWith('.go') && !f.endsWith('_test.go')) : [];
  if (sources.some((f) => /\bChaincodeServer\b/.test(readText(path.join(pkg, f))))) return;
  throw new ServeStartError(
    `the Go chaincode in ${pkg} does not start a chaincode server: its main must run shim.ChaincodeServer{CCID: os.Getenv("CHAINCODE_ID"), ` +
      'Address: os.Getenv("CHAINCODE_SERVER_ADDRESS"), CC: …} when CHAINCODE_SERVER_ADDRESS is set (as fabric-samples\' chaincode-external does), and shim.Start otherwise',
  );
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
