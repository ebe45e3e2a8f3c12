/**
 * Building a chaincode image from a builder's tar stream (Fabric's `DockerVM.deployImage`), and
 * the image cache's housekeeping: once a new content-tagged image exists, older ones go.
 */
import type Dockerode from 'dockerode';
import type { BuildContext } from '../types';
import { describe, dockerStatus, ImageBuildError } from './errors';
import { LABEL_CCID, LABEL_DEPENDENCIES, LABEL_IMAGE_KIND, LABEL_PEER, MANAGED_FILTER } from './labels';
import { LineSplitter } from '../../util/lines';

const KEPT_LINES = 20;
const STEP_LINE = /^Step (\d+\/\d+) : (.*)$/;
const STEP_IMAGE = /^ ---> ([0-9a-f]{12,64})$/;

export interface BuildReporter {
  /** A Dockerfile step started, e.g. "step 2/5: RUN npm ci". */
  step(text: string): void;
  /** One line of build output. */
  line(text: string): void;
}

export interface ImageBuildOptions {
  /** Build arguments (`ARG` in the Dockerfile), e.g. the dependencies image to start FROM. */
  readonly buildArgs?: Readonly<Record<string, string>>;
  /** RUN steps' network; host by default, like the containers (`vm.docker.hostConfig.NetworkMode`). */
  readonly networkMode: string;
  readonly signal?: AbortSignal;
}

interface BuildMessage {
  stream?: unknown;
  error?: unknown;
  errorDetail?: { message?: unknown };
}

export interface BuiltImage {
  readonly id: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Every image id the build printed (" ---> <id>"): intermediate layers and stage results. */
  readonly stepImages: readonly string[];
}

/** Builds `ref` from the context. */
export async function buildImage(docker: Dockerode, ref: string, context: BuildContext, options: ImageBuildOptions, report: BuildReporter): Promise<BuiltImage> {
  const stepImages: string[] = [];
  const lastLines: string[] = [];
  const keep = (line: string): void => {
    lastLines.push(line);
    if (lastLines.length > KEPT_LINES) lastLines.shift();
  };
  // A failing context stream (say, the code changed while it was packed) would otherwise leave the
  // daemon waiting for the rest of the tar: abort the request instead.
  const abort = new AbortController();
  let contextError: unknown;
  const onContextError = (err: unknown): void => {
    contextError = err;
    abort.abort();
  };
  context.stream.on('error', onContextError);
  const onCallerAbort = (): void => abort.abort();
  if (options.signal?.aborted) abort.abort();
  options.signal?.addEventListener('abort', onCallerAbort, { once: true });

  let buildError: string | undefined;
  try {
    const response = await docker.buildImage(context.stream, {
      t: ref,
      // No `labels` here: the classic builder adds a LABEL step per label; the builder's Dockerfile has them.
      ...(options.buildArgs ? { buildargs: { ...options.buildArgs } } : {}),
      networkmode: options.networkMode,
      rm: true,
      forcerm: true,
      abortSignal: abort.signal,
    });
    const lines = new LineSplitter((raw) => {
      if (raw.trim() === '') return;
      let message: BuildMessage;
      try {
        message = JSON.parse(raw) as BuildMessage;
      } catch {
        return;
      }
      if (typeof message.stream === 'string') {
        for (const line of message.stream.split('\n')) {
          const text = line.trimEnd();
          if (text === '') continue;
          keep(text);
          report.line(text);
          const step = STEP_LINE.exec(text);
          if (step) report.step(`step ${step[1]}: ${step[2]}`);
          const image = STEP_IMAGE.exec(text);
          if (image) stepImages.push(image[1]);
        }
      }
      if (typeof message.error === 'string') buildError = message.error.trim();
      else if (typeof message.errorDetail?.message === 'string') buildError = message.errorDetail.message.trim();
    });
    await new Promise<void>((resolve, reject) => {
      response.on('data', (chunk: Buffer) => lines.push(chunk));
      response.on('end', () => {
        lines.flush();
        resolve();
      });
      response.on('error', reject);
    });
  } catch (err) {
    if (contextError !== undefined) {
      throw new ImageBuildError(ref, `the build context failed: ${describe(contextError)}`, lastLines, { cause: contextError });
    }
    if (options.signal?.aborted) throw options.signal.reason;
    throw new ImageBuildError(ref, describe(err), lastLines, { cause: err });
  } finally {
    context.stream.removeListener('error', onContextError);
    options.signal?.removeEventListener('abort', onCallerAbort);
    // Unread after a failure, the context would hold its packer (and open promises) forever.
    (context.stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
  }
  if (contextError !== undefined) {
    throw new ImageBuildError(ref, `the build context failed: ${describe(contextError)}`, lastLines, { cause: contextError });
  }
  if (buildError !== undefined) throw new ImageBuildError(ref, buildError, lastLines);
  try {
    const info = await docker.getImage(ref).inspect();
    return { id: info.Id, labels: info.Config?.Labels ?? {}, stepImages };
  } catch (err) {
    throw new ImageBuildError(ref, `the build reported success but the image is missing (${describe(err)})`, lastLines, { cause: err });
  }
}

/**
 * Removes this chaincode's other images (older content tags, or the dangling image a rebuilt tag
 * left behind), then the dependencies images no remaining chaincode image is built on. Images
 * still used by some container are kept: Docker refuses with 409, which is fine, and a
 * dependencies image such a one is built on stays too (removing its tag would only untag it, and
 * lose it for the next build). Resolves with the references removed.
 */
export async function removeStaleImages(docker: Dockerode, owner: { ccid: string; peer: string }, keepImageId: string): Promise<string[]> {
  const images = await docker.listImages({
    all: false,
    filters: { label: [MANAGED_FILTER, `${LABEL_CCID}=${owner.ccid}`, `${LABEL_PEER}=${owner.peer}`] },
  });
  const isDependencies = (image: Dockerode.ImageInfo): boolean => image.Labels?.[LABEL_IMAGE_KIND] === 'dependencies';
  const removed: string[] = [];
  const inUse = new Set<string>();
  for (const image of images.filter((i) => !isDependencies(i))) {
    const gone = image.Id !== keepImageId && (await removeImage(docker, image, removed));
    const dependencies = image.Labels?.[LABEL_DEPENDENCIES];
    if (!gone && dependencies) inUse.add(dependencies);
  }
  for (const image of images.filter(isDependencies)) {
    if ((image.RepoTags ?? []).some((tag) => inUse.has(tag))) continue;
    await removeImage(docker, image, removed);
  }
  return removed;
}

/** Removes every tag of the image (or the image, untagged); false when Docker refuses (in use). */
async function removeImage(docker: Dockerode, image: Dockerode.ImageInfo, removed: string[]): Promise<boolean> {
  const tags = (image.RepoTags ?? []).filter((tag) => tag !== '<none>:<none>');
  let all = true;
  // Remove by tag (an id with several tags needs force, which would also hit images in use).
  for (const ref of tags.length ? tags : [image.Id]) {
    try {
      await docker.getImage(ref).remove();
      removed.push(ref);
    } catch (err) {
      const status = dockerStatus(err);
      if (status !== 409 && status !== 404) throw err;
      if (status === 409) all = false;
    }
  }
  return all;
}

/**
 * The classic builder leaves each non-final stage of a multi-stage build (Go's compile stage,
 * hundreds of MB with its build cache) as a dangling image: remove those this build made. Only
 * untagged images go; ancestors of the new image are refused by Docker (409, they have children).
 */
export async function removeBuildLeftovers(docker: Dockerode, built: BuiltImage): Promise<string[]> {
  const removed: string[] = [];
  for (const id of [...new Set(built.stepImages)].reverse()) {
    if (built.id.replace(/^sha256:/, '').startsWith(id)) continue;
    try {
      const info = await docker.getImage(id).inspect();
      if ((info.RepoTags ?? []).some((tag) => tag !== '<none>:<none>')) continue; // a base image
      await docker.getImage(id).remove();
      removed.push(id);
    } catch (err) {
      const status = dockerStatus(err);
      if (status !== 409 && status !== 404) throw err;
    }
  }
  return removed;
}
