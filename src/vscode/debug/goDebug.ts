/**
 * Go chaincode under Delve (`type: go`, from the Go extension). The v2 shim reads the peer address
 * only from the `-peer.address` flag and refuses to start without CORE_PEER_TLS_ENABLED.
 */
import * as path from 'path';
import { ChaincodeDebugConfiguration, DebuggerConfig, ProcessPlan, ResolveInput } from './chaincodeDebug';

export class GoDebugConfiguration extends ChaincodeDebugConfiguration {
  readonly language = 'golang' as const;
  readonly debuggerType = 'go';
  readonly debuggerExtension = 'golang.go';

  private pkg(input: ResolveInput): string {
    return input.config.package ? path.resolve(input.chaincode.folder, input.config.package) : input.chaincode.folder;
  }

  private args(input: ResolveInput): string[] {
    return [`-peer.address=${input.peerAddress}`, ...(input.config.args ?? [])];
  }

  protected debuggerConfig(input: ResolveInput, env: Record<string, string>): Omit<DebuggerConfig, 'type' | 'request' | 'name'> {
    return { mode: 'debug', program: this.pkg(input), args: this.args(input), cwd: input.chaincode.folder, env };
  }

  processPlan(input: ResolveInput): ProcessPlan {
    return { command: 'go', args: ['run', this.pkg(input), ...this.args(input)], cwd: input.chaincode.folder, env: this.env(input) };
  }
}
