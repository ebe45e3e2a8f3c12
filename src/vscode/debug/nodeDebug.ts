/**
 * Node.js and TypeScript chaincode under VS Code's JavaScript debugger (`type: node`, js-debug). It
 * runs what dev mode runs without a debugger (the engine's `nodeEntry`: what package.json starts);
 * the shim reads the peer address from `--peer.address`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { nodeArgs, nodeEntry, readPackageJson } from '../../engine/launch/devStart';
import { ChaincodeDebugConfiguration, DebuggerConfig, ResolveInput } from './chaincodeDebug';

export class NodeDebugConfiguration extends ChaincodeDebugConfiguration {
  readonly language: 'node' | 'typescript' = 'node';
  readonly debuggerType = 'node';
  readonly debuggerExtension = undefined; // js-debug is built into VS Code

  protected debuggerConfig(input: ResolveInput, env: Record<string, string>): Omit<DebuggerConfig, 'type' | 'request' | 'name'> {
    const entry = nodeEntry(input.chaincode.folder, input.config.program);
    return {
      program: entry.program,
      args: [...nodeArgs(entry, input.peerAddress), ...(input.config.args ?? [])],
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
