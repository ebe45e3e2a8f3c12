/**
 * Assembles the engine the editor drives: the embedded peer and, over it, the launcher (chaincode
 * registry, VM controller with the Docker VM, the recipe source for net mode). The one place that
 * knows the engine's constructors; everything else talks to `Engine`.
 */
import { DockerVM } from '../engine/container/docker/dockerVM';
import { VMController } from '../engine/container/controller';
import type { EngineConfig } from '../engine/config';
import { ChaincodeRegistry } from '../engine/launch/chaincodeRegistry';
import { ChaincodeLauncher, LaunchError, RecipeSource } from '../engine/launch/launcher';
import { Peer } from '../engine/peer/peer';

export interface Engine {
  readonly peer: Peer;
  readonly launcher: ChaincodeLauncher;
  readonly docker: DockerVM;
  dispose(): Promise<void>;
}

/** Net-mode recipes come from the engine's platforms; until those are wired, say so clearly. */
function recipeSource(): RecipeSource {
  return {
    recipeFor: async (def) => {
      throw new LaunchError(`net mode is not available in this build for ${def.name}:${def.version}; use dev mode`);
    },
  };
}

export async function startEngine(config: EngineConfig): Promise<Engine> {
  const peer = await Peer.start({
    dataDir: config.dataDir,
    host: config.peerHost,
    port: config.peerPort,
    mspId: config.mspId,
    channel: config.channel,
    executeTimeoutMs: config.executeTimeoutMs,
    devMode: true,
  });
  try {
    const registry = await ChaincodeRegistry.open(config.dataDir);
    const docker = new DockerVM({ endpoint: config.dockerEndpoint, networkMode: config.networkMode === 'host' ? 'host' : undefined });
    const vms = new VMController([docker]);
    const launcher = new ChaincodeLauncher(peer, registry, vms, recipeSource(), { startupTimeoutMs: config.startupTimeoutMs }, ['docker']);
    return {
      peer,
      launcher,
      docker,
      dispose: async () => {
        await launcher.dispose().catch(() => undefined);
        await peer.stop();
      },
    };
  } catch (err) {
    await peer.stop().catch(() => undefined);
    throw err;
  }
}
