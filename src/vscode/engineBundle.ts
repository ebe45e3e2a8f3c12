/**
 * The entry point of the extension's second bundle, dist/engine.js: everything heavy the editor
 * drives (the embedded peer and launcher with gRPC, protobufjs, X.509 and the Docker client). The
 * extension loads it on first use through engineAssembly.ts, so activation does not pay for it.
 * Never imports `vscode`.
 */
import Dockerode from 'dockerode';
import type { EngineConfig } from '../engine/config';
import { dockerClientOptions } from '../engine/container/docker/endpoint';
import { Engine } from '../engine/engine';

/** Replay and Export as Test (src/vscode/commands/replayCommands.ts) run here, beside the engine. */
export { replayTransaction } from '../engine/replay/replay';
export { recordedSequence } from '../engine/replay/recordedLedger';
export { defaultTestFile, exportTest } from '../engine/replay/testExport';

/** F5 starts chaincode itself, so the editor's peer always accepts a registration nobody launched. */
export function startEngine(config: EngineConfig): Promise<Engine> {
  return Engine.start(config, { acceptUnlaunched: true });
}

/** A Docker client for the Containers view, which lists our containers without a running peer. */
export function dockerClient(endpoint: string): Dockerode {
  return new Dockerode(dockerClientOptions(endpoint));
}
