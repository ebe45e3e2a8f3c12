/**
 * Go chaincode under Delve (`type: go`, from the Go extension). The v2 shim reads the peer address
 * only from the `-peer.address` flag and refuses to start without CORE_PEER_TLS_ENABLED.
 */
import { goArgs, goPackage } from '../../engine/launch/devStart';
import { ChaincodeDebugConfiguration, DebuggerConfig, ResolveInput } from './chaincodeDebug';

export class GoDebugConfiguration extends ChaincodeDebugConfiguration {
  readonly language = 'golang' as const;
  readonly debuggerType = 'go';
  readonly debuggerExtension = 'golang.go';

  protected debuggerConfig(input: ResolveInput, env: Record<string, string>): Omit<DebuggerConfig, 'type' | 'request' | 'name'> {
    const folder = input.chaincode.folder;
    return { mode: 'debug', program: goPackage(folder, input.config.package), args: [...goArgs(input.peerAddress), ...(input.config.args ?? [])], cwd: folder, env };
  }
}
