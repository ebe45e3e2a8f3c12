/**
 * Our chaincode containers, live: listed by label from Docker and refreshed from Docker's event
 * stream (no polling). Docker being unreachable is a state the view shows, not an error. The
 * endpoint is the one the settings name now: a change drops the old client and its event stream.
 */
import type Dockerode from 'dockerode';
import * as vscode from 'vscode';
import { connectionKey, pingDocker, type DockerConnectionSettings } from '../../../engine/container/docker/endpoint';
import { listManagedContainers, watchManagedEvents } from '../../../engine/container/docker/labels';
import { dockerClient } from '../../engineAssembly';
import type { ContainerInfo } from './model';

export class DockerContainers implements vscode.Disposable {
  private docker: Dockerode | undefined;
  /** The settings the client was made with (connectionKey). */
  private key = '';
  private watch: { dispose(): void } | undefined;
  private containers: ContainerInfo[] = [];
  private reachable: boolean | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private connecting: { key: string; done: Promise<void> } | undefined;

  /** `connectionOf` is read on every use: a changed `chaincode.docker.endpoint` (or TLS setting) applies at once. */
  constructor(
    private readonly connectionOf: () => DockerConnectionSettings,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** A client of the configured endpoint (a new one once the setting changed). */
  client(): Dockerode {
    const settings = this.connectionOf();
    const key = connectionKey(settings);
    if (!this.docker || key !== this.key) {
      this.watch?.dispose();
      this.watch = undefined;
      this.containers = [];
      this.key = key;
      this.docker = undefined; // stays so when the endpoint is not a valid one (the next call tries again)
      this.docker = dockerClient(settings); // loads the engine bundle on first use
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
    return this.watch !== undefined && this.key === connectionKey(this.connectionOf());
  }

  private connect(): Promise<void> {
    const settings = this.connectionOf();
    const { endpoint } = settings;
    const key = connectionKey(settings);
    if (this.connecting?.key === key) return this.connecting.done;
    const done = (async () => {
      // A connection to an endpoint the settings no longer name is dropped when it completes.
      const current = (): boolean => connectionKey(this.connectionOf()) === key;
      try {
        const docker = this.client();
        await pingDocker(docker, endpoint, 3000);
        const watch = await watchManagedEvents(
          docker,
          () => void this.load().then(() => this.changed.fire()),
          (err) => {
            this.log.warn(`Docker event stream ended${err ? `: ${err.message}` : ''}`);
            if (this.watch !== watch) return;
            this.watch = undefined;
            this.setReachable(false);
            this.changed.fire();
          },
        );
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
    this.connecting = { key, done };
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
