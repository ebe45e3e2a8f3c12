/**
 * The VM seam, ported from Fabric's `core/container`: the container layer knows nothing about
 * chaincode beyond an id, the process's argv/env and a lazy builder. One implementation per VM kind
 * (Docker; a local process for dev mode; in-process for system chaincode; a dialled connection for
 * chaincode as a service); `VMController` serialises work per container.
 */
import type { Event } from '../util/events';

export type VMKind = 'docker' | 'process' | 'inproc' | 'external';

/** A Docker build context: a tar stream holding the Dockerfile and the code. */
export interface BuildContext {
  readonly stream: NodeJS.ReadableStream;
  /** Content hash of everything that determines the image (code, Dockerfile, base image). */
  readonly recipeHash: string;
}

/** What the VM asks of a builder. */
export interface BuildRequest {
  /**
   * Labels the image must carry (who owns it). A builder puts them in its Dockerfile's one LABEL
   * line: each label given to Docker's build API instead is a build step of its own, each paid for.
   */
  readonly labels: Readonly<Record<string, string>>;
}

/** Lazy on purpose: packaging is only worth doing when the image is missing (Fabric's builder). */
export type Builder = (request?: BuildRequest) => Promise<BuildContext>;

/**
 * An image the chaincode image is built FROM, holding what changes rarely (a Node chaincode's
 * node_modules): built once, when missing, so that a code edit sends and copies only the code.
 * The chaincode's Dockerfile names it `ARG DEPENDENCIES_IMAGE` + `FROM ${DEPENDENCIES_IMAGE}`.
 */
export interface DependenciesImage {
  /** Content hash of the dependencies and their recipe: the image's tag. */
  readonly imageTag: string;
  readonly builder: Builder;
}

/** The build argument that tells a chaincode image's Dockerfile which dependencies image to start FROM. */
export const DEPENDENCIES_IMAGE_ARG = 'DEPENDENCIES_IMAGE';

/** A file copied into the container before it starts (TLS material, Fabric 1.1+). */
export interface ContainerFile {
  /** Absolute path inside the container. */
  readonly path: string;
  readonly content: Buffer;
  /** Permission bits; default 0o644. */
  readonly mode?: number;
}

export interface StartRequest {
  /** Canonical chaincode id, 'name:version' (or a 2.x package id). */
  readonly ccid: string;
  /** argv for the chaincode process (the container's Cmd; for a local process, the command first). */
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** A local process's working directory (the chaincode's folder). */
  readonly workingDir?: string;
  /** Uploaded before start, e.g. the TLS files. */
  readonly files?: readonly ContainerFile[];
  readonly builder?: Builder;
  /** Content-hash tag of the image; unchanged code → same tag → the image is reused. */
  readonly imageTag?: string;
  /** Built first if missing; `imageTag` must cover its tag (the chaincode image starts FROM it). */
  readonly dependencies?: DependenciesImage;
  /** Lets a VM skip remaining work; the controller owns the "wait, then reject" semantics. */
  readonly signal?: AbortSignal;
}

export interface StopOptions {
  /** Seconds the process gets after SIGTERM before it is killed; default 0 like Fabric's stop. */
  readonly timeoutSeconds?: number;
  /** Remove the container after stopping it; default true. */
  readonly remove?: boolean;
}

export type RuntimeStatus = 'building' | 'created' | 'running' | 'exited' | 'stopped' | 'removed';

export type RuntimeEvent =
  | {
      kind: 'status';
      ccid: string;
      status: RuntimeStatus;
      detail?: string;
      exitCode?: number;
      containerId?: string;
      /** A local process's id. */
      pid?: number;
      image?: string;
    }
  | { kind: 'log'; ccid: string; stream: 'stdout' | 'stderr'; line: string }
  /** A coarse step for a progress indicator: "building image", "creating container"… */
  | { kind: 'progress'; ccid: string; step: string };

export interface VM {
  readonly kind: VMKind;
  start(req: StartRequest): Promise<void>;
  stop(ccid: string, opts?: StopOptions): Promise<void>;
  readonly onEvent: Event<RuntimeEvent>;
}
