/**
 * The composition root: one peer, its chaincode registry, the VMs (Docker, local process, in-process,
 * chaincode as a service) behind one controller, and the launcher over them. The CLI and the editor
 * each make one; nothing is global.
 */
import * as path from 'path';
import type { EngineConfig } from './config';
import { VMController } from './container/controller';
import { DockerVM } from './container/docker/dockerVM';
import { ProcessVM } from './container/process/processVM';
import { engineInstanceId } from './container/docker/instanceId';
import { ChaincodeRegistry } from './launch/chaincodeRegistry';
import { ChaincodeLauncher } from './launch/launcher';
import { EngineRecipes } from './launch/recipes';
import { Peer } from './peer/peer';
import { InProcVM } from './scc/inprocVM';
import { ExternalVM } from './launch/externalVM';
import { TransactionPipeline } from './transactions/pipeline';
import { startEngineGateway, type EngineGateway } from './gateway/engineGateway';
import { openGatewayOrg } from './gateway/gatewayOrg';
import { ledgerBlocks } from './gateway/ledgerBlocks';

/**
 * Settings a running engine read once, when it started (the peer's listener, its data directory and
 * ledgers, its identity): a change applies to the next engine. Every other setting applies to a
 * running one through `reconfigure`.
 */
export const RESTART_SETTINGS = ['peerHost', 'peerPort', 'gatewayPort', 'dataDir', 'mspId', 'channel', 'ledgerDurability'] as const satisfies readonly (keyof EngineConfig)[];
export type RestartSetting = (typeof RESTART_SETTINGS)[number];

/** What the Docker VM is told of the Docker settings. */
function dockerOptions(config: EngineConfig): { endpoint: string; networkMode: string; hostConfig: { ExtraHosts: string[] } | undefined } {
  return {
    endpoint: config.dockerEndpoint,
    networkMode: config.networkMode === 'host' ? 'host' : 'bridge',
    hostConfig: config.networkMode === 'host' ? undefined : { ExtraHosts: ['host.docker.internal:host-gateway'] },
  };
}

export class Engine {
  private constructor(
    private settings: EngineConfig,
    readonly peer: Peer,
    /** Every transaction, from every front door, goes through here. */
    readonly transactions: TransactionPipeline,
    readonly launcher: ChaincodeLauncher,
    readonly docker: DockerVM,
    readonly processes: ProcessVM,
    readonly systemChaincodes: InProcVM,
    private readonly live: { readonly recipes: EngineRecipes; readonly timeouts: { startupTimeoutMs: number } },
    /** The Fabric Gateway client applications connect to; null when config.gatewayPort is null. */
    readonly gateway: EngineGateway | null,
  ) {}

  /** The settings in force: those the engine started with, and what `reconfigure` changed since. */
  get config(): EngineConfig {
    return this.settings;
  }

  /**
   * Applies what a running engine can take without a restart, from the next launch or transaction
   * on: the Docker endpoint and network mode, base images, net-mode TLS, the log level chaincode is
   * started with, the startup and execute timeouts, the default mode. (Running chaincodes keep what
   * they were started with; the peer keeps the registration policy it started with.) Returns the
   * restart-only settings that differ, which are not applied.
   */
  reconfigure(next: EngineConfig): RestartSetting[] {
    const pending = RESTART_SETTINGS.filter((key) => next[key] !== this.settings[key]);
    const kept = Object.fromEntries(RESTART_SETTINGS.map((key) => [key, this.settings[key]])) as Pick<EngineConfig, RestartSetting>;
    this.settings = { ...next, ...kept };
    this.docker.reconfigure(dockerOptions(this.settings));
    this.live.recipes.configure(this.settings);
    this.live.timeouts.startupTimeoutMs = this.settings.startupTimeoutMs;
    this.peer.executeTimeoutMs = this.settings.executeTimeoutMs;
    return pending;
  }

  /**
   * `acceptUnlaunched`: accept a REGISTER nobody launched (Fabric's --peer-chaincodedev); default
   * when the configured mode is dev. The editor always accepts them: F5 starts chaincode itself.
   */
  static async start(config: EngineConfig, options: { acceptUnlaunched?: boolean } = {}): Promise<Engine> {
    const dataDir = path.resolve(config.dataDir);
    const gatewayOrg = config.gatewayPort === null ? null : await openGatewayOrg(dataDir, config.mspId);
    const peer = await Peer.start({
      dataDir,
      host: config.peerHost,
      port: config.peerPort,
      mspId: config.mspId,
      channel: config.channel,
      executeTimeoutMs: config.executeTimeoutMs,
      devMode: options.acceptUnlaunched ?? config.mode === 'dev',
      durability: config.ledgerDurability,
      identity: gatewayOrg?.peerIdentity,
    });
    try {
      const registry = await ChaincodeRegistry.open(dataDir);
      const docker = new DockerVM({ ...dockerOptions(config), instanceId: await engineInstanceId(dataDir) });
      const processes = new ProcessVM();
      const inproc = new InProcVM((stream) => peer.attachStream(stream));
      const external = new ExternalVM((stream) => peer.attachStream(stream));
      const recipes = new EngineRecipes(peer, config, config.mspId);
      // The launcher reads it at each launch: reconfigure changes it in place.
      const timeouts = { startupTimeoutMs: config.startupTimeoutMs };
      const launcher = new ChaincodeLauncher({
        handlers: peer.registry,
        definitions: registry,
        vms: new VMController([docker, processes, inproc, external]),
        recipes,
        get startupTimeoutMs() {
          return timeouts.startupTimeoutMs;
        },
        revokeCredentials: (ccid) => peer.tlsAuthority?.revoke(ccid),
        peerAddress: () => peer.address,
      });
      // A transaction to a dev-mode chaincode whose process is gone waits for it to come back.
      peer.awaitHandler = (chaincode) => launcher.awaitReady(chaincode);
      const pipeline = new TransactionPipeline(peer);
      const gateway =
        gatewayOrg && config.gatewayPort !== null
          ? await startEngineGateway({ config, peer, pipeline, launcher, systemChaincodes: inproc, org: gatewayOrg, blocks: ledgerBlocks(peer) }, config.gatewayPort).catch(async (err: unknown) => {
              await launcher.dispose();
              throw err;
            })
          : null;
      return new Engine(config, peer, pipeline, launcher, docker, processes, inproc, { recipes, timeouts }, gateway);
    } catch (err) {
      await peer.stop();
      throw err;
    }
  }

  /** Stops every chaincode it launched (containers stopped and removed), then the peer. */
  async dispose(): Promise<void> {
    await this.gateway?.server.stop();
    await this.launcher.dispose();
    this.docker.dispose();
    this.processes.dispose();
    await this.peer.stop();
    this.transactions.dispose();
  }
}
