/**
 * The Docker VM (Fabric's `core/container/dockercontroller`): start = replace any old container of
 * the name → create → (image missing: build the dependencies image if it is missing too, then the
 * image, from the lazy builders; create again) → upload files → attach → start (→ after
 * a build, remove the images it replaces), then follow the exit. Knows nothing about chaincode
 * languages.
 */
import type Dockerode from 'dockerode';
import type { DockerTlsSettings } from '../../config';
import { Emitter, type Disposable } from '../../util/events';
import { DEPENDENCIES_IMAGE_ARG, type Builder, type RuntimeEvent, type RuntimeStatus, type StartRequest, type StopOptions, type VM } from '../types';
import { filesTar } from './archive';
import { ContainerWatch } from './containerWatch';
import { dockerClient } from './client';
import { connectionKey, DEFAULT_DOCKER_ENDPOINT, pingDocker, type DockerConnectionSettings } from './endpoint';
import { DockerUnreachableError, ImageBuildError, ImageMissingError, dockerStatus, isConnectionError, isNotFound } from './errors';
import { buildImage, removeBuildLeftovers, removeStaleImages, type BuiltImage } from './imageBuild';
import { imageLabels, listManagedContainers, managedLabels, type ImageKind, watchManagedEvents, type DockerEngineEvent, type ManagedContainer } from './labels';
import { containerName, DEFAULT_NAMING, dependenciesImageRef, imageName, imageRef, peerPrefix, type VMNaming } from './names';

export interface DockerVMOptions {
  /** `unix:///var/run/docker.sock` (default), a socket path, `tcp://host:port` or `ssh://user@host`. */
  readonly endpoint?: string;
  /** The TLS files of a `tcp://` endpoint (read when the client is made). */
  readonly tls?: DockerTlsSettings;
  /** The ssh agent's socket for an `ssh://` endpoint; default SSH_AUTH_SOCK. */
  readonly sshAgent?: string;
  /** Fabric's `peer.networkId`; default 'dev'. */
  readonly networkId?: string;
  /** Fabric's `peer.id`; default 'peer0'. */
  readonly peerId?: string;
  /**
   * This engine's id among those sharing the Docker host (`engineInstanceId`): part of the peer
   * label and of container and image names, so engines never see or remove each other's.
   */
  readonly instanceId?: string;
  /** Containers (and RUN steps) use the host's network by default: they reach the peer at 127.0.0.1. */
  readonly networkMode?: string;
  /** Extra HostConfig (memory limits, log driver…); NetworkMode comes from `networkMode`. */
  readonly hostConfig?: Readonly<Dockerode.HostConfig>;
}

/** How long stop() waits for the exit to be reported before it reports 'stopped' anyway. */
const EXIT_REPORT_MS = 5000;

/** What `reconfigure` may change while containers run. */
export type DockerConnectionOptions = Pick<DockerVMOptions, 'endpoint' | 'tls' | 'sshAgent' | 'networkMode' | 'hostConfig'>;

/**
 * The client of an endpoint, or why there is none (an endpoint that is not one, a TLS file that
 * cannot be used): each use says so.
 */
type Connection = { readonly key: string; readonly endpoint: string } & ({ readonly docker: Dockerode } | { readonly error: DockerUnreachableError });

function connectionSettings(options: DockerConnectionOptions): DockerConnectionSettings {
  return {
    endpoint: options.endpoint ?? DEFAULT_DOCKER_ENDPOINT,
    ...(options.tls ? { tls: options.tls } : {}),
    ...(options.sshAgent ? { sshAgent: options.sshAgent } : {}),
  };
}

function connectTo(settings: DockerConnectionSettings): Connection {
  const base = { key: connectionKey(settings), endpoint: settings.endpoint };
  try {
    return { ...base, docker: dockerClient(settings) };
  } catch (err) {
    if (err instanceof DockerUnreachableError) return { ...base, error: err };
    throw err;
  }
}

export class DockerVM implements VM {
  readonly kind = 'docker' as const;
  readonly naming: VMNaming;
  private connection: Connection;
  private readonly emitter = new Emitter<RuntimeEvent>();
  readonly onEvent = this.emitter.event;
  private readonly watches = new Map<string, ContainerWatch>();
  /** The client each chaincode's container was created with: it stays there when the endpoint changes. */
  private readonly createdWith = new Map<string, Dockerode>();

  constructor(private options: DockerVMOptions = {}) {
    this.naming = {
      networkId: options.networkId ?? DEFAULT_NAMING.networkId,
      peerId: options.peerId ?? DEFAULT_NAMING.peerId,
      ...(options.instanceId !== undefined ? { instanceId: options.instanceId } : {}),
    };
    this.connection = connectTo(connectionSettings(options));
  }

  get endpoint(): string {
    return this.connection.endpoint;
  }

  /** The client of the current endpoint; throws DockerUnreachableError when it is not a valid one or its TLS files cannot be used. */
  get docker(): Dockerode {
    if ('error' in this.connection) throw this.connection.error;
    return this.connection.docker;
  }

  /**
   * New Docker settings for what starts next (the editor's settings changed). Running containers
   * stay where they are: stopping one goes to the daemon that runs it.
   */
  reconfigure(options: DockerConnectionOptions): void {
    this.options = { ...this.options, ...options };
    const settings = connectionSettings(this.options);
    // The same settings keep the client: TLS files are read again only when a setting changed.
    if (connectionKey(settings) !== this.connection.key) this.connection = connectTo(settings);
  }

  /** Where a chaincode's container lives: the daemon it was created on, else the current one. */
  private clientOf(ccid: string): Dockerode {
    return this.createdWith.get(ccid) ?? this.docker;
  }

  /** `<networkId>-<peerId>-<instanceId>`, the value of our peer label: what this engine owns. */
  get peerLabel(): string {
    return peerPrefix(this.naming);
  }

  containerName(ccid: string): string {
    return containerName(this.naming, ccid);
  }

  /** The image repository of a chaincode; its tags are content hashes. */
  imageName(ccid: string): string {
    return imageName(this.naming, ccid);
  }

  imageRef(ccid: string, tag?: string): string {
    return imageRef(this.naming, ccid, tag);
  }

  async start(req: StartRequest): Promise<void> {
    const { ccid } = req;
    const name = this.containerName(ccid);
    const ref = this.imageRef(ccid, req.imageTag);
    await pingDocker(this.docker, this.endpoint);
    return this.guard(async () => {
      this.progress(ccid, 'removing old container');
      await this.removeContainer(ccid, name, 0);
      this.progress(ccid, 'creating container');
      const create = (): Promise<Dockerode.Container> => this.docker.createContainer(this.createOptions(req, name, ref));
      let container: Dockerode.Container;
      let built: BuiltImage | undefined;
      try {
        container = await create();
      } catch (err) {
        if (!isNoSuchImage(err)) throw err;
        if (!req.builder) throw new ImageMissingError(ref);
        built = await this.build(req, ref);
        this.progress(ccid, 'creating container');
        container = await create();
      }
      this.createdWith.set(ccid, this.docker);
      this.status(ccid, 'created', { containerId: container.id, image: ref });
      if (!built) return this.launch(req, container, ref);
      // The images the new one replaces go once its container runs: deleting their layers (a
      // dependencies image's are thousands of files) overlaps the chaincode's own start-up.
      try {
        await this.launch(req, container, ref);
      } catch (err) {
        await this.removeReplacedImages(ccid, built).catch(() => undefined); // the launch's error is the one to report
        throw err;
      }
      await this.removeReplacedImages(ccid, built);
    });
  }

  async stop(ccid: string, opts: StopOptions = {}): Promise<void> {
    const name = this.containerName(ccid);
    return this.guard(async () => {
      this.progress(ccid, 'stopping container');
      const container = this.clientOf(ccid).getContainer(name);
      let existed = true;
      try {
        await container.stop({ t: opts.timeoutSeconds ?? 0 });
      } catch (err) {
        if (isNotFound(err)) existed = false;
        else if (dockerStatus(err) !== 304) throw err; // 304: not running, fine
      }
      const watch = this.watches.get(ccid);
      // Let the exit (with its last log lines) be reported before 'stopped'.
      await watch?.exited(EXIT_REPORT_MS);
      if (existed) this.status(ccid, 'stopped', { containerId: watch?.containerId });
      if (opts.remove === false) return;
      await this.removeContainer(ccid, name, 0);
    });
  }

  /** Our containers for this peer (the editor's view and leak checks). */
  listContainers(): Promise<ManagedContainer[]> {
    return this.guard(() => listManagedContainers(this.docker, { peer: this.peerLabel }));
  }

  /** Docker's event stream, filtered to our labelled containers and images. */
  watchEvents(listener: (event: DockerEngineEvent) => void, onEnd?: (err?: Error) => void): Promise<Disposable> {
    return this.guard(() => watchManagedEvents(this.docker, listener, onEnd));
  }

  /** Containers currently followed (log + exit); 0 once all are stopped or exited. */
  get followedContainers(): number {
    return this.watches.size;
  }

  /** Stops following every container (they keep running) and drops all listeners. */
  dispose(): void {
    for (const watch of this.watches.values()) watch.dispose();
    this.watches.clear();
    this.emitter.dispose();
  }

  get listenerCount(): number {
    return this.emitter.listenerCount;
  }

  private createOptions(req: StartRequest, name: string, ref: string): Dockerode.ContainerCreateOptions {
    return {
      name,
      Image: ref,
      Cmd: [...req.args],
      Env: Object.entries(req.env).map(([key, value]) => `${key}=${value}`),
      Labels: managedLabels(req.ccid, this.peerLabel),
      // Container output streams as 'log' events (Fabric's `vm.docker.attachStdout`, always on here).
      AttachStdout: true,
      AttachStderr: true,
      Tty: false,
      // An init process as PID 1 (Docker's tini) passes SIGTERM on and reaps zombies. Without it
      // the chaincode's own first process is PID 1, and the kernel drops signals PID 1 has no
      // handler for: `sh -c "npm start"` ignores SIGTERM, so a stop waits out its whole grace
      // period and ends in SIGKILL.
      HostConfig: { Init: true, ...this.options.hostConfig, NetworkMode: this.options.networkMode ?? 'host' },
    };
  }

  /** Builds the chaincode image `ref`, and first its dependencies image when it has one that is missing. */
  private async build(req: StartRequest, ref: string): Promise<BuiltImage> {
    const { ccid, builder } = req;
    if (!builder) throw new ImageMissingError(ref);
    req.signal?.throwIfAborted();
    this.status(ccid, 'building', { image: ref });
    let dependencies: string | undefined;
    if (req.dependencies) {
      dependencies = dependenciesImageRef(this.naming, ccid, req.dependencies.imageTag);
      if (!(await this.imageExists(dependencies))) {
        await this.buildOne(req, 'dependencies', dependencies, req.dependencies.builder, req.dependencies.imageTag);
      }
    }
    return this.buildOne(req, 'chaincode', ref, builder, req.imageTag, dependencies);
  }

  private async removeReplacedImages(ccid: string, built: BuiltImage): Promise<void> {
    this.progress(ccid, 'removing older images');
    await removeStaleImages(this.docker, { ccid, peer: this.peerLabel }, built.id);
  }

  /** One image from its builder's context: labelled as ours, its build's leftovers removed. */
  private async buildOne(req: StartRequest, kind: ImageKind, ref: string, builder: Builder, tag: string | undefined, dependencies?: string): Promise<BuiltImage> {
    const { ccid } = req;
    const what = kind === 'dependencies' ? 'dependencies image' : 'image';
    this.progress(ccid, kind === 'dependencies' ? 'packaging dependencies' : 'packaging code');
    const labels = imageLabels(ccid, this.peerLabel, kind, dependencies);
    const context = await builder({ labels });
    const discard = (): void => (context.stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
    if (req.signal?.aborted) {
      discard();
      throw req.signal.reason;
    }
    if (tag !== undefined && context.recipeHash !== tag) {
      // The tag promises "this content"; a builder that packed something else would break the cache.
      discard();
      throw new ImageBuildError(ref, `the build context's hash ${context.recipeHash} does not match the tag`, []);
    }
    this.progress(ccid, `building ${what}`);
    const built = await buildImage(
      this.docker,
      ref,
      context,
      {
        ...(dependencies !== undefined ? { buildArgs: { [DEPENDENCIES_IMAGE_ARG]: dependencies } } : {}),
        networkMode: this.options.networkMode ?? 'host',
        signal: req.signal,
      },
      {
        step: (text) => this.progress(ccid, `building ${what}: ${text}`),
        line: (text) => this.emitter.fire({ kind: 'log', ccid, stream: 'stdout', line: text }),
      },
    );
    await removeBuildLeftovers(this.docker, built);
    const unlabelled = Object.keys(labels).filter((key) => built.labels[key] !== labels[key]);
    if (unlabelled.length) {
      // Unlabelled, the image would escape every cleanup (ours and the editor's).
      await this.docker
        .getImage(ref)
        .remove()
        .catch(() => undefined);
      throw new ImageBuildError(ref, `the builder did not label the image (${unlabelled.join(', ')})`, []);
    }
    return built;
  }

  private async imageExists(ref: string): Promise<boolean> {
    try {
      await this.docker.getImage(ref).inspect();
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  /** Upload → attach → start; on any failure the created container is removed. */
  private async launch(req: StartRequest, container: Dockerode.Container, ref: string): Promise<void> {
    const { ccid } = req;
    const watch = new ContainerWatch(this.docker, container.id, {
      line: (stream, line) => this.emitter.fire({ kind: 'log', ccid, stream, line }),
      exited: (exitCode, detail) => {
        if (this.watches.get(ccid) === watch) this.watches.delete(ccid);
        this.status(ccid, 'exited', { containerId: container.id, image: ref, exitCode, detail: detail ?? `exit code ${exitCode}` });
      },
    });
    try {
      if (req.files?.length) {
        this.progress(ccid, 'uploading files');
        await container.putArchive(await filesTar(req.files), { path: '/' });
      }
      await watch.attach();
      req.signal?.throwIfAborted();
      this.progress(ccid, 'starting container');
      await container.start();
    } catch (err) {
      watch.dispose();
      await container.remove({ force: true }).catch(() => undefined);
      this.status(ccid, 'removed', { containerId: container.id, detail: 'start failed' });
      throw err;
    }
    this.watches.get(ccid)?.dispose(); // a previous container of this id is gone by now
    this.watches.set(ccid, watch);
    this.status(ccid, 'running', { containerId: container.id, image: ref });
    watch.watchExit();
  }

  /** Fabric's `stopInternal`: stop (timeout) and force-remove, "not found" is fine. */
  private async removeContainer(ccid: string, name: string, timeoutSeconds: number): Promise<void> {
    const container = this.clientOf(ccid).getContainer(name);
    let id: string | undefined;
    try {
      id = (await container.inspect()).Id;
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    try {
      await container.stop({ t: timeoutSeconds });
    } catch (err) {
      if (!isNotFound(err) && dockerStatus(err) !== 304) throw err;
    }
    const watch = this.watches.get(ccid);
    if (watch?.containerId === id) {
      await watch.exited(EXIT_REPORT_MS);
      watch.dispose();
      this.watches.delete(ccid);
    }
    try {
      await container.remove({ force: true });
    } catch (err) {
      // 409: removal already in progress (another remove raced us) — the outcome is the same.
      if (!isNotFound(err) && dockerStatus(err) !== 409) throw err;
    }
    this.createdWith.delete(ccid);
    this.status(ccid, 'removed', { containerId: id });
  }

  /** Socket failures anywhere become the one error a user can act on. */
  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (isConnectionError(err)) throw new DockerUnreachableError(this.endpoint, err);
      throw err;
    }
  }

  private status(ccid: string, status: RuntimeStatus, extra: { containerId?: string; image?: string; exitCode?: number; detail?: string } = {}): void {
    this.emitter.fire({ kind: 'status', ccid, status, ...extra });
  }

  private progress(ccid: string, step: string): void {
    this.emitter.fire({ kind: 'progress', ccid, step });
  }
}

function isNoSuchImage(err: unknown): boolean {
  return isNotFound(err) && err instanceof Error && /no such image/i.test(err.message);
}
