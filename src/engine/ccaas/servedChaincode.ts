/**
 * One chaincode served from this machine: its own server on loopback (a process the process runtime
 * runs, as in dev mode, or a debuggee the editor's debugger runs), and the relay peers dial in front
 * of it. Reports `starting` until the chaincode's server answers a gRPC connection, then `serving`,
 * then `stopped` (stopped, or its process ended); and each connection a peer opens or closes.
 */
import * as grpc from '@grpc/grpc-js';
import type { Language } from '../platforms/types';
import type { ProcessVM } from '../container/process/processVM';
import type { RuntimeEvent } from '../container/types';
import { Emitter, type Disposable, type Event } from '../util/events';
import { ConnectionRelay, formatHostPort, type HostPort, type RelayEvent } from './connectionRelay';
import type { ServeStartCommand } from './serveStart';
import type { ServedChaincodeInfo, ServingStatus, ServingTlsMaterial } from './types';

export class ServeError extends Error {
  override readonly name = 'ServeError';
}

export interface ServeRequest {
  readonly packageId: string;
  readonly language: Language;
  readonly folder: string;
  /** Where peers dial. */
  readonly listen: HostPort;
  readonly tls?: ServingTlsMaterial;
  /** Where the chaincode's own server listens (loopback; `serverAddressOnLoopback()` picks one). */
  readonly serverAddress: HostPort;
  /** The process runtime runs `command`; absent, someone else (a debugger) runs the chaincode. */
  readonly process?: { readonly vm: ProcessVM; readonly command: ServeStartCommand };
  /** How long its server may take to listen; absent, as long as it takes (a debugger may hold it). */
  readonly startupTimeoutMs?: number;
}

export class ServedChaincode {
  private status: ServingStatus = 'starting';
  private since = Date.now();
  private pid: number | undefined;
  private lastError: string | undefined;
  private readonly changed = new Emitter<ServedChaincodeInfo>();
  /** Any change: status, a connection opened or closed. (Its process's output: the process VM's log events.) */
  readonly onDidChange = this.changed.event;
  /** Each connection a peer opened or closed, and TLS handshakes refused. */
  readonly onConnection: Event<RelayEvent>;
  /** Settles once it is serving (resolves), or stopped before that (rejects with why). */
  readonly ready: Promise<void>;
  private settleReady!: (err?: Error) => void;
  private readonly subscriptions: Disposable[] = [];
  private readonly stopping = new AbortController();
  /** Set once a stop began; settles when it is done. */
  private stopped: Promise<void> | undefined;

  private constructor(
    private readonly request: ServeRequest,
    private readonly relay: ConnectionRelay,
  ) {
    this.onConnection = relay.onEvent;
    this.ready = new Promise<void>((resolve, reject) => {
      this.settleReady = (err) => (err ? reject(err) : resolve());
    });
    this.ready.catch(() => undefined); // the caller may only look at onDidChange
    this.subscriptions.push(relay.onEvent((e: RelayEvent) => e.kind !== 'refused' && this.fire()));
  }

  /**
   * Listens where peers dial (failing at once when that address cannot be bound), starts the
   * chaincode's process when asked to, and waits in the background for its server (`ready`).
   */
  static async start(request: ServeRequest): Promise<ServedChaincode> {
    const relay = await ConnectionRelay.open({ listen: request.listen, upstream: request.serverAddress, tls: request.tls });
    const served = new ServedChaincode(request, relay);
    try {
      if (request.process) await served.startProcess(request.process);
    } catch (err) {
      await relay.close();
      throw err;
    }
    void served.awaitServer();
    return served;
  }

  get packageId(): string {
    return this.request.packageId;
  }

  /** `host:port` peers dial. */
  get address(): string {
    return this.relay.address;
  }

  info(): ServedChaincodeInfo {
    const { packageId, language, folder } = this.request;
    return {
      packageId,
      language,
      folder,
      address: this.relay.address,
      tls: this.relay.tls,
      status: this.status,
      since: this.since,
      connections: this.status === 'stopped' ? [] : this.relay.connections(),
      ...(this.pid !== undefined ? { pid: this.pid } : {}),
      ...(this.lastError !== undefined ? { lastError: this.lastError } : {}),
    };
  }

  /**
   * Stops the process (its whole group, as dev mode does) and the relay; peers' connections end.
   * `failure`: why it stops when the user did not ask (the process ended, its server never listened).
   */
  stop(failure?: string): Promise<void> {
    this.stopped ??= this.stopNow(failure);
    return this.stopped;
  }

  private async stopNow(failure: string | undefined): Promise<void> {
    if (failure) this.lastError = failure;
    await this.request.process?.vm.stop(this.request.packageId);
    await this.relay.close();
    for (const s of this.subscriptions) s.dispose();
    this.status = 'stopped';
    this.since = Date.now();
    this.fire();
    // Last: once `ready` says it stopped, the address is free again.
    this.stopping.abort();
    this.changed.dispose();
  }

  private async startProcess({ vm, command }: NonNullable<ServeRequest['process']>): Promise<void> {
    const ccid = this.request.packageId;
    this.subscriptions.push(
      vm.onEvent((e: RuntimeEvent) => {
        if (e.ccid !== ccid) return;
        if (e.kind === 'status' && e.status === 'running') {
          this.pid = e.pid;
          this.fire();
        } else if (e.kind === 'status' && e.status === 'exited') {
          void this.stop(`the chaincode exited (${e.detail ?? `exit code ${e.exitCode ?? '?'}`})`);
        }
      }),
    );
    await vm.start({ ccid, args: [command.command, ...command.args], env: command.env, workingDir: command.cwd });
  }

  /** The one place `ready` settles. */
  private async awaitServer(): Promise<void> {
    const address = formatHostPort(this.request.serverAddress);
    const stoppedFirst = (): ServeError => new ServeError(this.lastError ?? `${this.request.packageId} was stopped before its server listened`);
    try {
      await waitForChaincodeServer(address, { timeoutMs: this.request.startupTimeoutMs, signal: this.stopping.signal });
    } catch (err) {
      if (this.stopping.signal.aborted) return this.settleReady(stoppedFirst());
      const message = `the chaincode's server did not listen on ${address} within ${Math.round((this.request.startupTimeoutMs ?? 0) / 1000)} s`;
      await this.stop(message);
      return this.settleReady(new ServeError(message, { cause: err }));
    }
    if (this.stopped) {
      // Its server answered while it was being stopped: stopped it is, once the address is free.
      await this.stopped;
      return this.settleReady(stoppedFirst());
    }
    this.status = 'serving';
    this.since = Date.now();
    this.fire();
    this.settleReady();
  }

  private fire(): void {
    this.changed.fire(this.info());
  }
}

/**
 * Resolves once a gRPC client can connect to `address` (an HTTP/2 handshake, then a clean close: no
 * half-open probe for the server to log), retrying quickly while the server starts.
 */
export async function waitForChaincodeServer(address: string, options: { timeoutMs?: number; signal?: AbortSignal }): Promise<void> {
  const client = new grpc.Client(address, grpc.credentials.createInsecure(), {
    'grpc.initial_reconnect_backoff_ms': 100,
    'grpc.max_reconnect_backoff_ms': 500,
  });
  const until = options.timeoutMs === undefined ? Infinity : Date.now() + options.timeoutMs;
  try {
    for (;;) {
      options.signal?.throwIfAborted();
      // Short rounds so that an abort is noticed soon, and an unbounded wait still polls.
      const deadline = Math.min(until, Date.now() + 1000);
      const connected = await new Promise<boolean>((resolve) => client.waitForReady(deadline, (err) => resolve(!err)));
      if (connected) return;
      if (Date.now() >= until) throw new ServeError(`nothing answered on ${address}`);
    }
  } finally {
    client.close();
  }
}
