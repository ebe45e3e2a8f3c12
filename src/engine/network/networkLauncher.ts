/**
 * Launching a chaincode on the network: every org's peer gets its own instance (a process, a
 * container, a connection to the chaincode server), as on a real multi-org network where each org
 * installs and runs the chaincode on its peers. The first org's instance is the one the user may run
 * under a debugger (`userRunsChaincode`); the others are started by their org's launcher.
 *
 * The editor and the CLI see the first org's instance as "the" chaincode (status, process,
 * container); the other orgs' instances follow it, and their logs come tagged with their peer.
 */
import { Emitter, type Disposable } from '../util/events';
import type { Handler } from '../peer/handler';
import { LaunchError, type ChaincodeLauncher } from '../launch/launcher';
import type { ChaincodeLog, LaunchOptions, LaunchSpec, RunningChaincode } from '../launch/types';

/** One org's launcher and the name of its peer. */
export interface OrgLauncher {
  readonly peerName: string;
  readonly launcher: ChaincodeLauncher;
}

/** A log line of a chaincode instance, with the peer it runs for (undefined: the first org's). */
export interface NetworkChaincodeLog extends ChaincodeLog {
  readonly peer?: string;
}

export class NetworkLauncher {
  private readonly logs = new Emitter<NetworkChaincodeLog>();
  /** The first org's instances: status, process, container (what the views show). */
  readonly onDidChangeChaincode;
  /** Every instance's output; other orgs' lines carry their peer's name. */
  readonly onLog = this.logs.event;
  private readonly subscriptions: Disposable[];

  constructor(private readonly orgs: readonly OrgLauncher[]) {
    if (orgs.length === 0) throw new Error('a network has at least one organisation');
    this.onDidChangeChaincode = orgs[0].launcher.onDidChangeChaincode;
    this.subscriptions = orgs.map((o, i) => o.launcher.onLog((l) => this.logs.fire(i === 0 ? l : { ...l, peer: o.peerName })));
  }

  private get primary(): ChaincodeLauncher {
    return this.orgs[0].launcher;
  }

  running(): RunningChaincode[] {
    return this.primary.running();
  }

  /**
   * Launches the chaincode on every org's peer; returns the first org's once all are ready. If one
   * org's instance cannot start, the others are stopped and the error names that org's peer.
   */
  async launch(spec: LaunchSpec, options: LaunchOptions = {}): Promise<RunningChaincode> {
    const results = await Promise.allSettled(
      this.orgs.map((o, i) =>
        o.launcher.launch(
          spec,
          i === 0 ? options : { signal: options.signal, onProgress: options.onProgress ? (step) => options.onProgress?.(`${o.peerName}: ${step}`) : undefined },
        ),
      ),
    );
    const failed = results.findIndex((r) => r.status === 'rejected');
    if (failed < 0) return (results[0] as PromiseFulfilledResult<RunningChaincode>).value;
    const cause = (results[failed] as PromiseRejectedResult).reason as Error;
    const ccid = spec.kind === 'deployment' ? `${spec.definition.name}:${spec.definition.version}` : spec.chaincodeId;
    await Promise.all(this.orgs.map((o, i) => (results[i].status === 'fulfilled' ? o.launcher.stop(ccid).catch(() => undefined) : Promise.resolve())));
    if (failed === 0) throw cause;
    throw new LaunchError(`${this.orgs[failed].peerName}: ${cause.message}`, { cause });
  }

  /** Waits for the first org's instance to register again (see ChaincodeLauncher.awaitReady). */
  awaitReady(chaincode: string, options?: { timeoutMs?: number; signal?: AbortSignal }): Promise<Handler | undefined> {
    return this.primary.awaitReady(chaincode, options);
  }

  /** Stops the chaincode on every peer that runs it. */
  async stop(ccid: string): Promise<void> {
    const results = await Promise.allSettled(this.orgs.map((o) => o.launcher.stop(ccid)));
    if (results.every((r) => r.status === 'rejected')) throw results[0].reason;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.logs.dispose();
  }
}
