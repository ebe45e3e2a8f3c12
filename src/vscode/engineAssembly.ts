/**
 * The engine the editor drives: the embedded peer and the launcher over it (Docker and in-process
 * VMs, net-mode recipes), made by the engine's own composition root, and the Docker client of the
 * Containers view. All of it lives in a second bundle (engineBundle.ts → dist/engine.js) that is
 * loaded the first time something needs it (Start Peer, Launch, F5, the Containers view), not at
 * activation: loading gRPC, protobufjs and dockerode costs several times what activation may.
 * Elsewhere the editor layer imports the engine's modules as types, or only light ones.
 */
import type Dockerode from 'dockerode';
import type { EngineConfig } from '../engine/config';
import type { DockerConnectionSettings } from '../engine/container/docker/endpoint';
import type { ServedChaincode, ServeRequest } from '../engine/ccaas/servedChaincode';
import type { Engine } from '../engine/engine';
import type * as EngineBundle from './engineBundle';

export type { Engine };

let loaded: typeof EngineBundle | undefined;

/** The engine bundle, loaded (synchronously, once) on first use. */
export function engineBundle(): typeof EngineBundle {
  // A require, not an import, so it runs only here. scripts/bundle.js keeps it out of
  // dist/extension.js and points it at dist/engine.js; compiled by tsc it loads ./engineBundle.js.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the lazy load described above
  loaded ??= require('./engineBundle') as typeof EngineBundle;
  return loaded;
}

export function startEngine(config: EngineConfig, onGatewayPortTaken: (note: string) => void): Promise<Engine> {
  return engineBundle().startEngine(config, onGatewayPortTaken);
}

export function serveChaincode(request: ServeRequest): Promise<ServedChaincode> {
  return engineBundle().serveChaincode(request);
}

export function dockerClient(settings: DockerConnectionSettings): Dockerode {
  return engineBundle().dockerClient(settings);
}
