/**
 * The entry point of the extension's third bundle, dist/network.js: what talks to a Fabric network
 * through the Gateway client (@hyperledger/fabric-gateway with its protos and gRPC): connections
 * read from a network file, and Deploy (`_lifecycle` install, approve, commit). The extension loads
 * it through networkAssembly.ts the first time the user connects or deploys, so neither activation
 * nor the embedded peer pays for it. Never imports `vscode`.
 */
import { NetworkConnection, type ConnectOptions } from '../engine/connection/networkConnection';
import { readNetworkFile } from '../engine/connection/networkFile';

/** Deploy to Fabric (src/vscode/commands/deployToFabric.ts): the lifecycle calls through a peer's Gateway. */
export { planDeploy } from '../engine/lifecycle/deploy';
export { cryptoFolderTarget, deployTo } from '../engine/lifecycle/deployTarget';
export { connectionDeployTarget } from '../engine/lifecycle/connectionTarget';
export { describePlan, describeProgress } from '../engine/lifecycle/deployDescription';
export { parsePolicy as checkPolicy } from '../engine/policy';

/** Reads a network file (any of its forms) and connects through the Gateway it names. */
export function connectNetwork(file: string, options?: ConnectOptions): Promise<NetworkConnection> {
  return NetworkConnection.connect(readNetworkFile(file), options);
}
