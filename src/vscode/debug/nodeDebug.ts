/**
 * Node.js and TypeScript chaincode under VS Code's JavaScript debugger (`type: node`, js-debug).
 * The start mirrors what the chaincode's package.json does: `fabric-chaincode-node start` (the contract
 * API's usual start script) runs the shim's CLI; `node file.js` runs that file; otherwise `main`. The
 * shim reads the peer address from `--peer.address`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ChaincodeDebugConfiguration, DebugConfigError, DebuggerConfig, ProcessPlan, ResolveInput } from './chaincodeDebug';

interface PackageJson {
  main?: string;
  scripts?: Record<string, string>;
}

function readPackageJson(folder: string): PackageJson {
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

export interface NodeEntry {
  readonly program: string;
  readonly args: readonly string[];
}

/** What to run for this chaincode, without the peer address. */
export function nodeEntry(folder: string, program: string | undefined): NodeEntry {
  if (program) return { program: path.resolve(folder, program), args: [] };
  const pkg = readPackageJson(folder);
  const start = words(pkg.scripts?.start ?? '');
  const cliAt = start.indexOf('fabric-chaincode-node');
  if (cliAt >= 0 && start[cliAt + 1] === 'start') {
    const cli = findShimCli(folder);
    if (!cli) throw new DebugConfigError(`fabric-shim is not installed in ${folder}: run npm install first`);
    return { program: cli, args: ['start', ...stripPeerAddress(start.slice(cliAt + 2))] };
  }
  if (start[0] === 'node' && start[1]) return { program: path.resolve(folder, start[1]), args: stripPeerAddress(start.slice(2)) };
  const main = pkg.main ?? 'index.js';
  const mainPath = path.resolve(folder, main);
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

export class NodeDebugConfiguration extends ChaincodeDebugConfiguration {
  readonly language: 'node' | 'typescript' = 'node';
  readonly debuggerType = 'node';
  readonly debuggerExtension = undefined; // js-debug is built into VS Code

  protected args(input: ResolveInput, entry: NodeEntry): string[] {
    return [...entry.args, '--peer.address', input.peerAddress, ...(input.config.args ?? [])];
  }

  protected debuggerConfig(input: ResolveInput, env: Record<string, string>): Omit<DebuggerConfig, 'type' | 'request' | 'name'> {
    const entry = nodeEntry(input.chaincode.folder, input.config.program);
    return {
      program: entry.program,
      args: this.args(input, entry),
      cwd: input.chaincode.folder,
      env,
      console: 'internalConsole',
      skipFiles: ['<node_internals>/**'],
      autoAttachChildProcesses: false,
      // Plain JavaScript: no source maps to look for. (Scanning the folder for them, node_modules
      // included through symlinks, kept the extension host busy for seconds.)
      sourceMaps: false,
      outFiles: [],
      pauseForSourceMap: false,
    };
  }

  processPlan(input: ResolveInput): ProcessPlan {
    const entry = nodeEntry(input.chaincode.folder, input.config.program);
    return { command: 'node', args: [entry.program, ...this.args(input, entry)], cwd: input.chaincode.folder, env: this.env(input) };
  }
}

/** TypeScript: the same start, after a build (`npm: build` when package.json has one), with source maps. */
export class TypeScriptDebugConfiguration extends NodeDebugConfiguration {
  override readonly language = 'typescript' as const;

  protected override debuggerConfig(input: ResolveInput, env: Record<string, string>): Omit<DebuggerConfig, 'type' | 'request' | 'name'> {
    const folder = input.chaincode.folder;
    const pkg = readPackageJson(folder);
    const preLaunchTask = input.config.preLaunchTask ?? (pkg.scripts?.build ? 'npm: build' : undefined);
    return {
      ...super.debuggerConfig(input, env),
      sourceMaps: true,
      outFiles: input.config.outFiles ?? [path.join(folder, outDir(folder), '**', '*.js')],
      resolveSourceMapLocations: [path.join(folder, '**'), '!**/node_modules/**'],
      ...(preLaunchTask ? { preLaunchTask } : {}),
    };
  }
}

/** tsconfig's outDir (comments allowed in tsconfig, so a lenient read), default `dist`. */
export function outDir(folder: string): string {
  try {
    const text = fs.readFileSync(path.join(folder, 'tsconfig.json'), 'utf8');
    return /"outDir"\s*:\s*"([^"]+)"/.exec(text)?.[1]?.replace(/^\.\//, '') ?? 'dist';
  } catch {
    return 'dist';
  }
}
