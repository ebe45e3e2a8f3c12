/**
 * The entry point of the extension's second bundle, dist/engine.js: everything heavy the editor
 * drives (the embedded peer and launcher with gRPC, protobufjs, X.509 and the Docker client). The
 * extension loads it on first use through engineAssembly.ts, so activation does not pay for it.
 * Never imports `vscode`.
 */
import type Dockerode from 'dockerode';
import type { EngineConfig } from '../engine/config';
import { dockerClient as connect } from '../engine/container/docker/client';
import type { DockerConnectionSettings } from '../engine/container/docker/endpoint';
import { ServedChaincode, type ServeRequest } from '../engine/ccaas/servedChaincode';
import { Engine } from '../engine/engine';

/** The Blocks view's documents (src/vscode/documents/documents.ts). */
export { blockToJson } from '../engine/ledger/blocks/blockJson';
/** Replay and Export as Test (src/vscode/commands/replayCommands.ts) run here, beside the engine. */
export { replayTransaction } from '../engine/replay/replay';
export { recordedSequence } from '../engine/replay/recordedLedger';
export { defaultTestFile, exportTest } from '../engine/replay/testExport';
/** Watch and reload, and the TypeScript build before a launch (src/vscode/commands/watch*.ts, launchChaincode.ts). */
export { ChaincodeWatch } from '../engine/watch/chaincodeWatch';
export { awaitNewRegistration, relaunch } from '../engine/watch/restart';
export { buildBeforeLaunch } from '../engine/watch/typescriptBuild';
/** Identities and endorsement policies (src/vscode/identities, endorsementPolicy.ts): parsed as the engine parses them. */
export { checkIdentitySpec, customAttributes, parseAttributeList } from '../engine/msp/fabricCa';
export { parsePolicy } from '../engine/policy/policyDsl';

/** F5 starts chaincode itself, so the editor's peer always accepts a registration nobody launched. */
export function startEngine(config: EngineConfig, onGatewayPortTaken: (note: string) => void): Promise<Engine> {
  return Engine.start(config, { acceptUnlaunched: true, onGatewayPortTaken });
}

/** A chaincode served for a peer to dial, its debuggee run by the editor's debugger (the CCaaS F5). */
export function serveChaincode(request: ServeRequest): Promise<ServedChaincode> {
  return ServedChaincode.start(request);
}

/** A Docker client for the Containers view, which lists our containers without a running peer. */
export function dockerClient(settings: DockerConnectionSettings): Dockerode {
  return connect(settings);
}
