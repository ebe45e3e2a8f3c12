/**
 * Our chaincode containers, live: listed by label from Docker and refreshed from Docker's event
 * stream (no polling). Docker being unreachable is a state the view shows, not an error. The
 * endpoint is the one the settings name now: a change drops the old client and its event stream.
 */
import type Dockerode from 'dockerode';
import * as vscode from 'vscode';
import { pingDocker } from '../../../engine/container/docker/endpoint';
import { listManagedContainers, watchManagedEvents } from '../../../engine/container/docker/labels';
import { dockerClient } from '../../engineAssembly';
import type { ContainerInfo } from './model';

export class DockerContainers implements vscode.Disposable {
  private docker: Dockerode | undefined;
  private endpoint = '';
  private watch: { dispose(): void } | undefined;
  private containers: ContainerInfo[] = [];
  private reachable: boolean | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private connecting: { endpoint: string; done: Promise<void> } | undefined;

  /** `endpointOf` is read on every use: a changed `chaincode.docker.endpoint` applies at once. */
  constructor(private readonly endpointOf: () => string, private readonly log: vscode.LogOutputChannel) {}

  /** A client of the configured endpoint (a new one once the setting changed). */
  client(): Dockerode {
    const endpoint = this.endpointOf();
    if (!this.docker || endpoint !== this.endpoint) {
      this.watch?.dispose();
      this.watch = undefined;
      this.containers = [];
      this.endpoint = endpoint;
      this.docker = undefined; // stays so when the endpoint is not a valid one (the next call tries again)
      this.docker = dockerClient(endpoint); // loads the engine bundle on first use
    }
    return this.docker;
  }

  /** The containers as last listed, without asking Docker. */
  listed(): readonly ContainerInfo[] {
    return this.containers;
  }

  /** The containers as last listed; connects and subscribes to events on first use. */
  async list(): Promise<ContainerInfo[]> {
    if (!this.connected()) await this.connect();
    return this.containers;
  }

  /** Re-list now (Refresh; after our own actions; the endpoint setting changed). */
  async refresh(): Promise<void> {
    if (!this.connected()) return this.connect();
    await this.load();
    this.changed.fire();
  }

  /** Subscribed to the events of the endpoint the settings name now. */
  private connected(): boolean {
    return this.watch !== undefined && this.endpoint === this.endpointOf();
  }

  private connect(): Promise<void> {
    const endpoint = this.endpointOf();
    if (this.connecting?.endpoint === endpoint) return this.connecting.done;
    const done = (async () => {
      // A connection to an endpoint the settings no longer name is dropped when it completes.
      const current = (): boolean => this.endpointOf() === endpoint;
      try {
        const docker = this.client();
        await pingDocker(docker, endpoint, 3000);
        const watch = await watchManagedEvents(docker, () => void this.load().then(() => this.changed.fire()), (err) => {
          this.log.warn(`Docker event stream ended${err ? `: ${err.message}` : ''}`);
          if (this.watch !== watch) return;
          this.watch = undefined;
          this.setReachable(false);
          this.changed.fire();
        });
        if (!current() || this.docker !== docker) return watch.dispose();
        this.watch = watch;
        await this.load();
        this.setReachable(true);
      } catch (err) {
        if (!current()) return;
        this.containers = [];
        this.log.info(`Docker is not reachable at ${endpoint}: ${(err as Error).message}`);
        this.setReachable(false);
      } finally {
        this.changed.fire();
      }
    })().finally(() => {
      if (this.connecting?.done === done) this.connecting = undefined;
    });
    this.connecting = { endpoint, done };
    return done;
  }

  private async load(): Promise<void> {
    const docker = this.docker;
    if (!docker) return;
    try {
      const listed = await listManagedContainers(docker);
      if (this.docker === docker) this.containers = listed;
    } catch (err) {
      this.log.warn(`cannot list containers: ${(err as Error).message}`);
    }
  }

  private setReachable(ok: boolean): void {
    if (this.reachable === ok) return;
    this.reachable = ok;
    void vscode.commands.executeCommand('setContext', 'chaincode.dockerUnavailable', !ok);
  }

  dispose(): void {
    this.watch?.dispose();
    this.changed.dispose();
  }
}
