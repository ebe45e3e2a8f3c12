/**
 * Our chaincode containers, live: listed by label from Docker and refreshed from Docker's event
 * stream (no polling). Docker being unreachable is a state the view shows, not an error.
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
  private connecting: Promise<void> | undefined;

  constructor(private readonly endpointOf: () => string, private readonly log: vscode.LogOutputChannel) {}

  get available(): boolean | undefined {
    return this.reachable;
  }

  client(): Dockerode {
    const endpoint = this.endpointOf();
    if (!this.docker || endpoint !== this.endpoint) {
      this.watch?.dispose();
      this.watch = undefined;
      this.endpoint = endpoint;
      this.docker = dockerClient(endpoint); // loads the engine bundle on first use
    }
    return this.docker;
  }

  /** The containers as last listed; connects and subscribes to events on first use. */
  async list(): Promise<ContainerInfo[]> {
    if (!this.watch) await this.connect();
    return this.containers;
  }

  /** Re-list now (Refresh; after our own actions). */
  async refresh(): Promise<void> {
    if (!this.watch) return this.connect();
    await this.load();
    this.changed.fire();
  }

  private connect(): Promise<void> {
    this.connecting ??= (async () => {
      const docker = this.client();
      try {
        await pingDocker(docker, this.endpoint, 3000);
        this.watch = await watchManagedEvents(docker, () => void this.load().then(() => this.changed.fire()), (err) => {
          this.log.warn(`Docker event stream ended${err ? `: ${err.message}` : ''}`);
          this.watch = undefined;
          this.setReachable(false);
        });
        await this.load();
        this.setReachable(true);
      } catch (err) {
        this.containers = [];
        this.log.info(`Docker is not reachable at ${this.endpoint}: ${(err as Error).message}`);
        this.setReachable(false);
      }
    })().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async load(): Promise<void> {
    if (!this.docker) return;
    try {
      this.containers = await listManagedContainers(this.docker);
    } catch (err) {
      this.log.warn(`cannot list containers: ${(err as Error).message}`);
    }
  }

  private setReachable(ok: boolean): void {
    if (this.reachable === ok) return;
    this.reachable = ok;
    void vscode.commands.executeCommand('setContext', 'chaincode.dockerUnavailable', !ok);
    this.changed.fire();
  }

  dispose(): void {
    this.watch?.dispose();
    this.changed.dispose();
  }
}
