/**
 * Go chaincode under Delve, with no Go extension: the configuration keeps the `chaincode` type, and
 * this extension's own adapter (delve/adapterFactory.ts) starts `dlv dap` for it; this is Delve's
 * `launch` request. Delve builds the package (optimisations off) and runs it with the peer's
 * environment; the v2 shim reads the peer address only from the `-peer.address` flag and refuses to
 * start without CORE_PEER_TLS_ENABLED.
 */
import * as os from 'os';
import * as path from 'path';
import { goArgs, goPackage } from '../../engine/launch/devStart';
import { ChaincodeDebugConfiguration, DebuggerConfig, ResolveInput } from './chaincodeDebug';

/**
 * Where Delve writes the debug build: outside the chaincode's folder (Delve's default is its working
 * directory), so the build appears in no file view or watcher. Delve deletes it when the session ends.
 */
export function debugBinaryPath(ccid: string): string {
  return path.join(os.tmpdir(), `__debug_bin-${ccid.replace(/[^\w.-]+/g, '-')}-${process.pid}`);
}

/** The launch configuration's `buildFlags` when it is Delve's form (a string, or a list of strings). */
function buildFlags(value: unknown): string | string[] | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
  return undefined;
}

export class GoDebugConfiguration extends ChaincodeDebugConfiguration {
  readonly language = 'golang' as const;
  /** Our own debug type: its adapter is Delve (see delve/adapterFactory.ts). */
  readonly debuggerType = 'chaincode';
  readonly debuggerExtension = undefined;

  protected debuggerConfig(input: ResolveInput, env: Record<string, string>): Omit<DebuggerConfig, 'type' | 'request' | 'name'> {
    const folder = input.chaincode.folder;
    const flags = buildFlags(input.config.buildFlags);
    return {
      mode: 'debug',
      program: goPackage(folder, input.config.package),
      args: [...goArgs(input.peerAddress), ...(input.config.args ?? [])],
      cwd: folder,
      // Delve runs `go build` from its own working directory: the chaincode's module.
      dlvCwd: folder,
      env,
      output: debugBinaryPath(this.chaincodeId(input)),
      // The chaincode's stdout and stderr as DAP output events: the chaincode's log shows them.
      outputMode: 'remote',
      ...(flags ? { buildFlags: flags } : {}),
    };
  }
}
