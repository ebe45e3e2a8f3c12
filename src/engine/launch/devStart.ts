/**
 * How a developer starts each language's chaincode on their own machine in dev mode (the peer's
 * address as each shim reads it: `--peer.address`, `-peer.address=`, `CORE_PEER_ADDRESS`), with the environment a Fabric peer gives it: one function for the launcher's process
 * runtime (the CLI's and the editor's Launch), and the same entry points for the editor's debugger
 * configurations (F5), so a chaincode starts the same way with and without a debugger.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Language } from '../platforms/types';
import { findPrebuiltJar } from '../platforms/java';
import { chaincodeEnv } from '../platforms/launchParameters';

export class DevStartError extends Error {
  override readonly name = 'DevStartError';
}

/** What decides a dev-mode chaincode's environment: its id and the peer it registers with. */
export interface DevEnvInput {
  readonly ccid: string;
  /** host:port of the peer's (plaintext) chaincode listener. */
  readonly peerAddress: string;
  /** The MSP id of that peer. */
  readonly mspId: string;
  /** Fabric's `chaincode.logging.level`. */
  readonly logLevel?: string;
}

/**
 * The peer's environment (TLS off: dev mode is plaintext on loopback, as Fabric's), plus
 * CORE_PEER_ADDRESS, where the Java shim (and Fabric 1.x's Go shim) read the address when no flag
 * names it.
 */
export function devEnv(input: DevEnvInput): Record<string, string> {
  return { ...chaincodeEnv({ ccid: input.ccid, mspId: input.mspId, logLevel: input.logLevel }), CORE_PEER_ADDRESS: input.peerAddress };
}

export interface DevStartInput extends DevEnvInput {
  readonly language: Language;
  /** The chaincode's folder: the process's working directory. */
  readonly folder: string;
  /** Node: the script to run instead of what package.json starts; Go: the package; Java: the jar. */
  readonly program?: string;
  /** More argv after the peer address. */
  readonly extraArgs?: readonly string[];
}

export interface DevStartCommand {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
}

/** The command that starts a dev-mode chaincode, with the peer address in the form its shim reads. */
export async function devStartCommand(input: DevStartInput): Promise<DevStartCommand> {
  const env = devEnv(input);
  const extra = input.extraArgs ?? [];
  const cwd = input.folder;
  switch (input.language) {
    case 'node': {
      const entry = nodeEntry(input.folder, input.program);
      return { command: 'node', args: [entry.program, ...nodeArgs(entry, input.peerAddress), ...extra], env, cwd };
    }
    case 'golang':
      return { command: 'go', args: ['run', goPackage(input.folder, input.program), ...goArgs(input.peerAddress), ...extra], env, cwd };
    case 'java': {
      const jar = input.program?.endsWith('.jar') ? path.resolve(input.folder, input.program) : await findPrebuiltJar(input.folder);
      if (!jar) throw new DevStartError(`no runnable jar in ${input.folder}/target or build/libs: build it first (mvn package, or gradle shadowJar)`);
      return { command: 'java', args: ['-jar', jar, '--peerAddress', input.peerAddress, ...extra], env, cwd };
    }
  }
}

/** Go: the v2 shim reads the address only from this flag. */
export function goArgs(peerAddress: string): string[] {
  return [`-peer.address=${peerAddress}`];
}

/** The Go package to run: the configured one, or the chaincode's folder. */
export function goPackage(folder: string, pkg: string | undefined): string {
  return pkg ? path.resolve(folder, pkg) : folder;
}

export interface NodeEntry {
  /** The script Node runs. */
  readonly program: string;
  /** Its arguments before the peer address (e.g. the shim CLI's `start`). */
  readonly args: readonly string[];
}

/** The Node shim reads the address from `--peer.address`. */
export function nodeArgs(entry: NodeEntry, peerAddress: string): string[] {
  return [...entry.args, '--peer.address', peerAddress];
}

export interface PackageJson {
  main?: string;
  scripts?: Record<string, string>;
}

export function readPackageJson(folder: string): PackageJson {
  try {
    return JSON.parse(fs.readFileSync(path.join(folder, 'package.json'), 'utf8')) as PackageJson;
  } catch {
    return {};
  }
}

/** node_modules/fabric-shim/cli.js as Node would resolve it from `folder` (walking up). */
export function findShimCli(folder: string): string | undefined {
  let dir = path.resolve(folder);
  for (;;) {
    const cli = path.join(dir, 'node_modules', 'fabric-shim', 'cli.js');
    if (fs.existsSync(cli)) return cli;
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/** Splits a simple script line into words (quotes respected; no shell features). */
function words(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]);
}

/**
 * What to run for a Node chaincode, without the peer address: what its package.json's start script
 * runs (`fabric-chaincode-node start` → the shim's CLI; `node file.js` → that file), else `main`
 * (through the shim's CLI when it only exports contracts). Run directly rather than through
 * `npm start`, so that a debugger attaches to the chaincode itself, and the start costs no npm.
 */
export function nodeEntry(folder: string, program: string | undefined): NodeEntry {
  if (program) return { program: path.resolve(folder, program), args: [] };
  const pkg = readPackageJson(folder);
  const start = words(pkg.scripts?.start ?? '');
  const cliAt = start.indexOf('fabric-chaincode-node');
  if (cliAt >= 0 && start[cliAt + 1] === 'start') {
    const cli = findShimCli(folder);
    if (!cli) throw new DevStartError(`fabric-shim is not installed in ${folder}: run npm install first`);
    return { program: cli, args: ['start', ...stripPeerAddress(start.slice(cliAt + 2))] };
  }
  if (start[0] === 'node' && start[1]) return { program: path.resolve(folder, start[1]), args: stripPeerAddress(start.slice(2)) };
  const mainPath = path.resolve(folder, pkg.main ?? 'index.js');
  // A contract-API chaincode's main only exports contracts: it is started through the shim's CLI.
  const cli = findShimCli(folder);
  if (cli && fs.existsSync(mainPath) && !/\.start\s*\(/.test(fs.readFileSync(mainPath, 'utf8'))) return { program: cli, args: ['start'] };
  return { program: mainPath, args: [] };
}

function stripPeerAddress(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--peer.address') i++;
    else if (!args[i].startsWith('--peer.address=')) out.push(args[i]);
  }
  return out;
}
