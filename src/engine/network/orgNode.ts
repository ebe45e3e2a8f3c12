/**
 * One organisation's node of the network: its peer (chaincode server, handlers, a ledger per
 * channel, signing as peer0 of the org), the runtimes its chaincode instances run in (Docker, local
 * process, in-process, chaincode as a service) and the launcher over them. Each org's peer runs its
 * own instance of every chaincode, as on a real multi-org network.
 */
import type { EngineConfig } from '../config';
import { VMController } from '../container/controller';
import { DockerVM, type DockerConnectionOptions } from '../container/docker/dockerVM';
import { ProcessVM } from '../container/process/processVM';
import { ChaincodeRegistry } from '../launch/chaincodeRegistry';
import { peerDataDir } from '../ledger/channelDirectories';
import { ExternalVM } from '../launch/externalVM';
import { ChaincodeLauncher } from '../launch/launcher';
import { EngineRecipes } from '../launch/recipes';
import type { Organization } from '../msp';
import { Peer } from '../peer/peer';
import { InProcVM } from '../scc/inprocVM';

/** What the Docker VMs are told of the Docker settings. */
export function dockerOptions(config: EngineConfig): DockerConnectionOptions {
  return {
    endpoint: config.dockerEndpoint,
    tls: config.dockerTls,
    networkMode: config.networkMode === 'host' ? 'host' : 'bridge',
    hostConfig: config.networkMode === 'host' ? undefined : { ExtraHosts: ['host.docker.internal:host-gateway'] },
  };
}

/**
 * The chaincode port of the org at `index`, as Fabric's test network spaces them: Org1 7052, Org2
 * 9052, Org3 11052 (2000 apart) from the configured first port; 0 stays 0 (ephemeral) for all.
 */
export function orgPort(firstPort: number, index: number): number {
  return firstPort === 0 ? 0 : firstPort + 2000 * index;
}

export interface OrgNodeOptions {
  /** Which org of the network (0: the first, the editor's and the CLI's own). */
  readonly index: number;
  readonly dataDir: string;
  /** This engine's id among those sharing the Docker host. */
  readonly instanceId: string;
  readonly acceptUnlaunched: boolean;
}

export class OrgNode {
  private constructor(
    readonly org: Organization,
    readonly peer: Peer,
    readonly launcher: ChaincodeLauncher,
    readonly docker: DockerVM,
    readonly processes: ProcessVM,
    readonly systemChaincodes: InProcVM,
    private readonly recipes: EngineRecipes,
    /** The launcher reads it at each launch: reconfigure changes it in place. */
    private readonly timeouts: { startupTimeoutMs: number },
  ) {}

  static async start(org: Organization, config: EngineConfig, options: OrgNodeOptions): Promise<OrgNode> {
    // Each peer keeps its own data, as real peers do: ledgers, the chaincodes it launched.
    const dataDir = peerDataDir(options.dataDir, org.mspId);
    const peer = await Peer.start({
      dataDir,
      org,
      host: config.peerHost,
      port: orgPort(config.peerPort, options.index),
      channel: config.channel,
      channels: config.channels,
      executeTimeoutMs: config.executeTimeoutMs,
      devMode: options.acceptUnlaunched,
      durability: config.ledgerDurability,
    });
    try {
      const registry = await ChaincodeRegistry.open(dataDir);
      const docker = new DockerVM({ ...dockerOptions(config), peerId: peer.name, instanceId: options.instanceId });
      const processes = new ProcessVM();
      const inproc = new InProcVM((stream) => peer.attachStream(stream));
      const external = new ExternalVM((stream) => peer.attachStream(stream));
      const recipes = new EngineRecipes(peer, config, org.mspId);
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
      return new OrgNode(org, peer, launcher, docker, processes, inproc, recipes, timeouts);
    } catch (err) {
      await peer.stop();
      throw err;
    }
  }

  /** Applies settings a running node can take (see Engine.reconfigure). */
  reconfigure(config: EngineConfig): void {
    this.docker.reconfigure(dockerOptions(config));
    this.recipes.configure(config);
    this.timeouts.startupTimeoutMs = config.startupTimeoutMs;
    this.peer.executeTimeoutMs = config.executeTimeoutMs;
  }

  /** Stops every chaincode instance it launched, then the peer. */
  async dispose(): Promise<void> {
    await this.launcher.dispose();
    this.docker.dispose();
    this.processes.dispose();
    await this.peer.stop();
  }
}
