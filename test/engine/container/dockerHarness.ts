/** Shared set-up for the tests that drive a real Docker engine: event capture and cleanup. */
import Dockerode from 'dockerode';
import { Readable } from 'node:stream';
import type { Builder, BuildRequest, RuntimeEvent, VM } from '../../../src/engine/container/types';
import { LABEL_CCID, LABEL_IMAGE_KIND, LABEL_PEER, MANAGED_FILTER } from '../../../src/engine/container/docker/labels';
import { readTar } from '../platforms/helpers';
import type { Disposable } from '../../../src/engine/util/events';

export class EventLog {
  readonly events: RuntimeEvent[] = [];
  private readonly subscription: Disposable;
  private waiters: { match: (e: RuntimeEvent) => boolean; resolve: (e: RuntimeEvent) => void }[] = [];

  constructor(vm: VM) {
    this.subscription = vm.onEvent((event) => {
      this.events.push(event);
      for (const waiter of [...this.waiters]) {
        if (waiter.match(event)) {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          waiter.resolve(event);
        }
      }
    });
  }

  /** The first event (already seen or still to come) matching, or a timeout error. */
  waitFor(match: (e: RuntimeEvent) => boolean, timeoutMs = 30_000, what = 'event'): Promise<RuntimeEvent> {
    const seen = this.events.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        reject(new Error(`timed out waiting for ${what}; events: ${JSON.stringify(this.events.slice(-15))}`));
      }, timeoutMs);
      const done = (e: RuntimeEvent): void => {
        clearTimeout(timer);
        resolve(e);
      };
      this.waiters.push({ match, resolve: done });
    });
  }

  exited(ccid: string, timeoutMs?: number): Promise<RuntimeEvent> {
    return this.waitFor((e) => e.kind === 'status' && e.ccid === ccid && e.status === 'exited', timeoutMs, `${ccid} exited`);
  }

  logs(ccid: string, stream?: 'stdout' | 'stderr'): string[] {
    return this.events.flatMap((e) => (e.kind === 'log' && e.ccid === ccid && (!stream || e.stream === stream) ? [e.line] : []));
  }

  statuses(ccid: string): string[] {
    return this.events.flatMap((e) => (e.kind === 'status' && e.ccid === ccid ? [e.status] : []));
  }

  clear(): void {
    this.events.length = 0;
  }

  dispose(): void {
    this.subscription.dispose();
  }
}

/** Wraps a builder to count its calls. */
export function countingBuilder(builder: Builder): Builder & { calls: number } {
  const counted = Object.assign(
    async (request?: BuildRequest) => {
      counted.calls++;
      return builder(request);
    },
    { calls: 0 },
  );
  return counted;
}

/**
 * Wraps a builder to record the names in each build context it streams (read whole, then replayed);
 * a tar inside the context (an archive the Dockerfile ADDs) is listed as `name/` + its own names.
 */
export function recordingBuilder(builder: Builder): Builder & { contexts: string[][] } {
  const recorded = Object.assign(
    async (request?: BuildRequest) => {
      const context = await builder(request);
      const { entries, bytes } = await readTar(context.stream);
      const names: string[] = [];
      for (const e of entries) {
        names.push(e.name);
        if (e.name.endsWith('.tar')) names.push(...(await readTar(Readable.from([e.body]))).entries.map((inner) => `${e.name}/${inner.name}`));
      }
      recorded.contexts.push(names);
      return { recipeHash: context.recipeHash, stream: Readable.from([bytes]) };
    },
    { contexts: [] as string[][] },
  );
  return recorded;
}

/** Removes every container and image labelled with this peer (test isolation, also after failures). */
export async function removeEverythingOf(docker: Dockerode, peer: string): Promise<void> {
  const label = [MANAGED_FILTER, `${LABEL_PEER}=${peer}`];
  for (const c of await docker.listContainers({ all: true, filters: { label } })) {
    await docker
      .getContainer(c.Id)
      .remove({ force: true })
      .catch(() => undefined);
  }
  await removeImagesLabelled(docker, label);
}

/** Our images with all these labels; chaincode images first (Docker refuses to remove a parent first). */
export async function removeImagesLabelled(docker: Dockerode, label: string[]): Promise<void> {
  const images = await docker.listImages({ filters: { label } });
  const dependencies = (i: Dockerode.ImageInfo): number => (i.Labels?.[LABEL_IMAGE_KIND] === 'dependencies' ? 1 : 0);
  for (const image of images.sort((a, b) => dependencies(a) - dependencies(b))) {
    await docker
      .getImage(image.Id)
      .remove({ force: true })
      .catch(() => undefined);
  }
}

/** Tags of our images of one chaincode id, by kind. */
export async function imagesOf(docker: Dockerode, ccid: string): Promise<{ chaincode: string[]; dependencies: string[] }> {
  const images = await docker.listImages({ filters: { label: [MANAGED_FILTER, `${LABEL_CCID}=${ccid}`] } });
  const tags = (kind: string): string[] =>
    images
      .filter((i) => (i.Labels?.[LABEL_IMAGE_KIND] ?? 'chaincode') === kind)
      .flatMap((i) => (i.RepoTags ?? []).filter((t) => t !== '<none>:<none>'))
      .sort();
  return { chaincode: tags('chaincode'), dependencies: tags('dependencies') };
}

export async function imageExists(docker: Dockerode, ref: string): Promise<boolean> {
  return docker
    .getImage(ref)
    .inspect()
    .then(
      () => true,
      () => false,
    );
}

/** A small Node "chaincode" that prints to both streams and can stay up, show a file or fail. */
export const NODE_SCRIPT = `
const greeting = require('greeting');
console.log(greeting + ' from ' + process.env.CORE_CHAINCODE_ID_NAME);
console.error('a line on stderr');
console.log('args: ' + process.argv.slice(2).join(' '));
if (process.env.SHOW_FILE) console.log('file: ' + require('fs').readFileSync(process.env.SHOW_FILE, 'utf8').trim());
if (process.env.STAY) setInterval(() => {}, 1000);
process.exitCode = Number(process.env.EXIT_CODE || 0);
`;

export const NODE_PROJECT = {
  'package.json': JSON.stringify({ name: 'cc', version: '1.0.0', scripts: { start: 'node index.js' } }),
  'index.js': NODE_SCRIPT,
  // A packaged dependency: proves the workspace's node_modules reaches the image (no install step).
  'node_modules/greeting/index.js': "module.exports = 'hello';",
  'node_modules/greeting/package.json': '{"name":"greeting","version":"1.0.0","main":"index.js"}',
};
