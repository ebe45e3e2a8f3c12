/** Every command of the extension, registered through one error-handling wrapper. */
import type { Ctx } from '../ctx';
import type { ChaincodeDocuments } from '../documents/documents';
import type { ChaincodeViews } from '../tree/views';
import { restartChaincode, showLogs, startPeer, stopChaincode, stopPeer } from './chaincodeCommands';
import { copyClientEnvironment } from './gatewayCommands';
import { removeContainer, restartContainer, showContainerLogs, stopContainer } from './containerCommands';
import { identityCommands } from './identityCommands';
import { invokeAs } from './invokeTransaction';
import { launchChaincode, LaunchRequest } from './launchChaincode';
import { networkCommands } from './networkCommands';
import { runOnTarget } from './networkTransaction';
import { newProject, NewProjectRequest } from './newProject';
import { packageChaincode } from './packageChaincode';
import { deployToFabric, type DeployToFabricRequest } from './deployToFabric';
import { registerCommands, targetOf } from './registerCommands';
import { replayCommands } from './replayCommands';
import { openBlock, openStateKey, openTransaction, rerunTransaction, selectNamespace } from './viewCommands';
import { watchCommands } from './watchCommands';

export function registerAllCommands(ctx: Ctx, views: ChaincodeViews, docs: ChaincodeDocuments): void {
  const watch = watchCommands(ctx, docs);
  views.followWatch(watch.controller);
  registerCommands(ctx, {
    'chaincode.launchChaincode': (request?: LaunchRequest) => launchChaincode(ctx, request && typeof request === 'object' && !targetOf(request) ? request : {}),
    'chaincode.stopChaincode': (arg?: unknown) => stopChaincode(ctx, arg),
    'chaincode.restartChaincode': (arg?: unknown) => restartChaincode(ctx, arg),
    'chaincode.invokeTransaction': (arg?: unknown) => runOnTarget(ctx, docs, 'invoke', arg),
    'chaincode.queryChaincode': (arg?: unknown) => runOnTarget(ctx, docs, 'query', arg),
    'chaincode.invokeAs': (arg?: unknown) => invokeAs(ctx, docs, arg),
    'chaincode.showLogs': (arg?: unknown) => (targetOf(arg)?.kind === 'container' ? showContainerLogs(ctx, views.docker, arg) : showLogs(ctx, arg)),
    'chaincode.startPeer': () => startPeer(ctx),
    'chaincode.stopPeer': () => stopPeer(ctx),
    'chaincode.copyClientEnvironment': () => copyClientEnvironment(ctx),
    'chaincode.newProject': (request?: NewProjectRequest) => newProject(ctx, request && typeof request === 'object' ? request : {}),
    'chaincode.packageChaincode': (arg?: { folder?: string; output?: string }) => packageChaincode(ctx, arg),
    'chaincode.deployToFabric': (request?: DeployToFabricRequest) => deployToFabric(ctx, request && typeof request === 'object' && !targetOf(request) ? request : {}),
    'chaincode.showExtensionLog': () => ctx.log.show(),
    'chaincode.refreshContainers': () => views.docker.refresh(),
    'chaincode.restartContainer': (arg?: unknown) => restartContainer(views.docker, arg),
    'chaincode.stopContainer': (arg?: unknown) => stopContainer(views.docker, arg),
    'chaincode.removeContainer': (arg?: unknown, options?: { confirm?: boolean }) => removeContainer(ctx, views.docker, arg, options),
    'chaincode.selectNamespace': (arg?: unknown) => selectNamespace(ctx, views, arg),
    'chaincode.refreshWorldState': () => views.worldState.refresh(),
    'chaincode.openStateKey': (arg?: unknown) => openStateKey(ctx, docs, arg),
    'chaincode.openTransaction': (arg?: unknown) => openTransaction(ctx, docs, arg),
    'chaincode.openBlock': (arg?: unknown) => openBlock(ctx, docs, arg),
    'chaincode.refreshBlocks': () => views.blocks.refresh(),
    'chaincode.rerunTransaction': (arg?: unknown) => rerunTransaction(ctx, arg),
    'chaincode.clearTransactions': () => views.clearTransactions(),
    ...identityCommands(ctx, views),
    ...replayCommands(ctx, docs),
    ...networkCommands(ctx, docs),
    ...watch.commands,
  });
}
