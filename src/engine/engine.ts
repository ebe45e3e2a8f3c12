/**
 * The composition root: the network of organisations (each with its crypto, its peer, the runtimes
 * its chaincode instances run in and its launcher), the launcher that starts a chaincode on every
 * org's peer, and the transaction pipeline over all the peers. The CLI and the editor each make one;
 * nothing is global.
 */
import * as path from 'path';
import { DEFAULT_GATEWAY_PORT, type EngineConfig } from './config';
import { engineInstanceId } from './container/docker/instanceId';
import { openOrganizations, orgSpec } from './msp';
import { NetworkLauncher } from './network/networkLauncher';
import { OrgNode, orgPort } from './network/orgNode';
import type { Peer } from './peer/peer';
import type { LedgerBackgroundError } from './peer/types';
import type { Disposable } from './util/events';
import type { SystemChaincode } from './scc/inprocShim';
import { TransactionPipeline } from './transactions/pipeline';
import type { ChaincodeDefinitionOnChannel } from './lifecycle/definitions';
import { startEngineGateways, type EngineGateway } from './gateway/engineGateway';
import { GatewayListenError } from './gateway/gatewayServer';

/**
 * Settings a running engine read once, when it started (the peers' listeners, the data directory and
 * ledgers, the organisations and channels): a change applies to the next engine. Every other setting
 * applies to a running one through `reconfigure`.
 */
export const RESTART_SETTINGS = [
  'peerHost',
  'peerPort',
  'peerExternalAddress',
  'gatewayPort',
  'dataDir',
  'orgs',
  'mspId',
  'channel',
  'channels',
  'ledgerDurability',
] as const satisfies readonly (keyof EngineConfig)[];
export type RestartSetting = (typeof RESTART_SETTINGS)[number];

export class Engine {
  private constructor(
    private settings: EngineConfig,
    /** One node per organisation, in the configured order. */
    readonly orgs: readonly OrgNode[],
    /** Every transaction, from every front door, goes through here. */
    readonly transactions: TransactionPipeline,
    /** Launches a chaincode on every org's peer. */
    readonly launcher: NetworkLauncher,
    /** Each org's peer's Fabric Gateway, in org order; none when config.gatewayPort is null. */
    readonly gateways: readonly EngineGateway[],
  ) {}

  /** The first org's Gateway (the one the CLI and the editor announce); null when it is off. */
  get gateway(): EngineGateway | null {
    return this.gateways[0] ?? null;
  }

  /** A ledger's background work (compaction, snapshots) failed on any org's peer: someone must hear of it. */
  onLedgerError(listener: (e: LedgerBackgroundError) => void): Disposable {
    const subscriptions = this.orgs.map((n) => n.peer.onLedgerError(listener));
    return { dispose: () => subscriptions.forEach((s) => s.dispose()) };
  }

  /**
   * A debugger holds this chaincode: every org's peer stops timing its transactions, since one
   * debugged process may serve them all (a chaincode server every peer dials) and a paused process
   * stalls each org's endorsement, not only the first's.
   */
  pauseExecuteTimeout(ccid: string): void {
    for (const node of this.orgs) node.peer.pauseExecuteTimeout(ccid);
  }

  resumeExecuteTimeout(ccid: string): void {
    for (const node of this.orgs) node.peer.resumeExecuteTimeout(ccid);
  }

  /** The first org's peer: the one the editor and the CLI talk to (its address, handlers, ledgers). */
  get peer(): Peer {
    return this.orgs[0].peer;
  }

  /** The first org's Docker runtime (the Containers view, the tests). */
  get docker(): OrgNode['docker'] {
    return this.orgs[0].docker;
  }

  get processes(): OrgNode['processes'] {
    return this.orgs[0].processes;
  }

  /**
   * Defines a chaincode on a channel (default: the configured one) with its endorsement policy and
   * collections, as Fabric's approve and commit do; a later call redefines it (next sequence). From
   * then on its transactions are endorsed and validated against that policy, and its private data
   * is checked against those collections (plus the implicit ones): a collection it does not define
   * fails as on Fabric. Read the policies with lifecycle/definitionPolicies.ts' readDefinitionPolicies.
   */
  defineChaincode(
    chaincode: { readonly name: string; readonly version: string },
    policies: Pick<ChaincodeDefinitionOnChannel, 'endorsementPolicy' | 'collections'>,
    channel: string = this.settings.channel,
  ): ChaincodeDefinitionOnChannel {
    return this.transactions.definitions.define(channel, {
      name: chaincode.name,
      version: chaincode.version,
      endorsementPolicy: policies.endorsementPolicy,
      collections: policies.collections,
    });
  }

  /** Makes a system chaincode (run in-process) available to every org's peer under `path`. */
  registerSystemChaincode(path: string, chaincode: SystemChaincode): void {
    for (const node of this.orgs) node.systemChaincodes.register(path, chaincode);
  }

  /** The settings in force: those the engine started with, and what `reconfigure` changed since. */
  get config(): EngineConfig {
    return this.settings;
  }

  /**
   * Applies what a running engine can take without a restart, from the next launch or transaction
   * on: the Docker endpoint and network mode, base images, net-mode TLS, the log level chaincode is
   * started with, the startup and execute timeouts, the default mode. (Running chaincodes keep what
   * they were started with; the peers keep the registration policy they started with.) Returns the
   * restart-only settings that differ, which are not applied.
   */
  reconfigure(next: EngineConfig): RestartSetting[] {
    const pending = RESTART_SETTINGS.filter((key) => JSON.stringify(next[key]) !== JSON.stringify(this.settings[key]));
    const kept = Object.fromEntries(RESTART_SETTINGS.map((key) => [key, this.settings[key]])) as Pick<EngineConfig, RestartSetting>;
    this.settings = { ...next, ...kept };
    for (const node of this.orgs) node.reconfigure(this.settings);
    return pending;
  }

  /**
   * `acceptUnlaunched`: accept a REGISTER nobody launched (Fabric's --peer-chaincodedev); default
   * when the configured mode is dev. The editor always accepts them: F5 starts chaincode itself.
   * `onGatewayPortTaken`: when another process (another peer, a Fabric test network) has the
   * Gateway's usual port, the Gateway listens on a free one and this hears why; without it, that
   * is an error. A port the user chose is never swapped.
   */
  static async start(config: EngineConfig, options: { acceptUnlaunched?: boolean; onGatewayPortTaken?: (note: string) => void } = {}): Promise<Engine> {
    const dataDir = path.resolve(config.dataDir);
    if (config.orgs.length === 0) throw new Error('the network needs at least one organisation');
    if (!config.orgs.includes(config.mspId)) throw new Error(`the calling identity's organisation ${config.mspId} is not one of the network's (${config.orgs.join(', ')})`);
    const orgs = await openOrganizations(
      dataDir,
      config.orgs.map((mspId) => orgSpec(mspId)),
    );
    const instanceId = await engineInstanceId(dataDir);
    const nodes: OrgNode[] = [];
    try {
      // In parallel: each peer opens its ledgers and binds its port on its own.
      const started = await Promise.allSettled(
        orgs.map((org, index) => OrgNode.start(org, config, { index, dataDir, instanceId, acceptUnlaunched: options.acceptUnlaunched ?? config.mode === 'dev' })),
      );
      for (const r of started) if (r.status === 'fulfilled') nodes.push(r.value);
      const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
      const caller = nodes.find((n) => n.org.mspId === config.mspId) ?? nodes[0];
      const launcher = new NetworkLauncher(nodes.map((n) => ({ peerName: n.peer.name, launcher: n.launcher })));
      const transactions = new TransactionPipeline(
        nodes.map((n) => n.peer),
        caller.peer.creator,
      );
      const gatewayParts = { config, nodes, pipeline: transactions, launcher };
      const { onGatewayPortTaken } = options;
      const gateways =
        config.gatewayPort === null
          ? []
          : await startEngineGateways(gatewayParts, config.gatewayPort, (index, err) => {
              // Another process (another peer, a Fabric test network) has the usual port: a free one.
              if (!(err instanceof GatewayListenError && err.portInUse && config.gatewayPort === DEFAULT_GATEWAY_PORT && onGatewayPortTaken)) return undefined;
              onGatewayPortTaken(`port ${orgPort(DEFAULT_GATEWAY_PORT, index)} is in use: ${nodes[index].peer.name}'s Fabric Gateway listens on a free port instead`);
              return 0;
            });
      return new Engine(config, nodes, transactions, launcher, gateways);
    } catch (err) {
      await Promise.all(nodes.map((n) => n.dispose().catch(() => undefined)));
      throw err;
    }
  }

  /** Stops every chaincode it launched (containers stopped and removed), then the peers. */
  async dispose(): Promise<void> {
    await Promise.all(this.gateways.map((g) => g.server.stop()));
    this.launcher.dispose();
    await Promise.all(this.orgs.map((n) => n.dispose()));
    this.transactions.dispose();
  }
}
