/**
 * Labels that mark what this engine created, so it (and the editor's Docker view) can find its
 * containers and images without confusing them with the user's own.
 */
import type Dockerode from 'dockerode';
import type { Disposable } from '../../util/events';
import { LineSplitter } from '../../util/lines';

export const LABEL_MANAGED = 'org.chaincode-launcher.managed';
export const LABEL_CCID = 'org.chaincode-launcher.ccid';
/** `<networkId>-<peerId>-<instanceId>`: two engines (say, two workspaces) keep apart. */
export const LABEL_PEER = 'org.chaincode-launcher.peer';

/** What an image of ours is: `chaincode`, or `dependencies` (an image chaincode images start FROM). */
export const LABEL_IMAGE_KIND = 'org.chaincode-launcher.image';
/** On a chaincode image built on a dependencies image: that image's reference (what keeps it in use). */
export const LABEL_DEPENDENCIES = 'org.chaincode-launcher.dependencies';

export const MANAGED_FILTER = `${LABEL_MANAGED}=true`;

export type ImageKind = 'chaincode' | 'dependencies';

export function managedLabels(ccid: string, peer: string): Record<string, string> {
  return { [LABEL_MANAGED]: 'true', [LABEL_CCID]: ccid, [LABEL_PEER]: peer };
}

/**
 * An image's labels. A chaincode image inherits its dependencies image's labels, so it states
 * its own kind (and a missing `dependencies` label means it was not built on one).
 */
export function imageLabels(ccid: string, peer: string, kind: ImageKind, dependencies?: string): Record<string, string> {
  return { ...managedLabels(ccid, peer), [LABEL_IMAGE_KIND]: kind, ...(dependencies !== undefined ? { [LABEL_DEPENDENCIES]: dependencies } : {}) };
}

export interface ManagedContainer {
  readonly id: string;
  readonly name: string;
  readonly ccid: string;
  readonly peer: string;
  readonly image: string;
  /** Docker's state: 'created' | 'running' | 'exited' | … */
  readonly state: string;
  /** Docker's human text, e.g. "Up 3 seconds". */
  readonly status: string;
}

/** Our containers (all states), optionally only those of one peer or chaincode id. */
export async function listManagedContainers(docker: Dockerode, filter: { peer?: string; ccid?: string } = {}): Promise<ManagedContainer[]> {
  const label = [MANAGED_FILTER];
  if (filter.peer !== undefined) label.push(`${LABEL_PEER}=${filter.peer}`);
  if (filter.ccid !== undefined) label.push(`${LABEL_CCID}=${filter.ccid}`);
  const infos = await docker.listContainers({ all: true, filters: { label } });
  return infos.map((info) => ({
    id: info.Id,
    name: (info.Names[0] ?? '').replace(/^\//, ''),
    ccid: info.Labels[LABEL_CCID] ?? '',
    peer: info.Labels[LABEL_PEER] ?? '',
    image: info.Image,
    state: info.State,
    status: info.Status,
  }));
}

export interface DockerEngineEvent {
  /** 'container' | 'image' | … */
  readonly type: string;
  /** 'create' | 'start' | 'die' | 'destroy' | 'tag' | 'delete' | … */
  readonly action: string;
  readonly id: string;
  readonly attributes: Readonly<Record<string, string>>;
  /** Unix seconds. */
  readonly time: number;
}

interface RawEvent {
  Type?: unknown;
  Action?: unknown;
  Actor?: { ID?: unknown; Attributes?: Record<string, unknown> };
  time?: unknown;
}

function toEngineEvent(raw: RawEvent): DockerEngineEvent | undefined {
  if (typeof raw.Type !== 'string' || typeof raw.Action !== 'string') return undefined;
  const attributes: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw.Actor?.Attributes ?? {})) {
    if (typeof value === 'string') attributes[key] = value;
  }
  return {
    type: raw.Type,
    action: raw.Action,
    id: typeof raw.Actor?.ID === 'string' ? raw.Actor.ID : '',
    attributes,
    time: typeof raw.time === 'number' ? raw.time : 0,
  };
}

/**
 * Follows Docker's event stream for our labelled objects (the editor refreshes its views from it
 * instead of polling). Resolves once subscribed; dispose to unsubscribe. `onEnd` reports the stream
 * ending on its own (daemon gone), so the caller can show it and resubscribe.
 */
export async function watchManagedEvents(docker: Dockerode, listener: (event: DockerEngineEvent) => void, onEnd?: (err?: Error) => void): Promise<Disposable> {
  const stream = await docker.getEvents({ filters: { label: [MANAGED_FILTER] } });
  let disposed = false;
  const lines = new LineSplitter((line) => {
    if (line.trim() === '') return;
    try {
      const event = toEngineEvent(JSON.parse(line) as RawEvent);
      if (event) listener(event);
    } catch {
      // A malformed line from the daemon is not worth tearing the subscription down for.
    }
  });
  stream.on('data', (chunk: Buffer) => lines.push(chunk));
  stream.on('error', (err: Error) => {
    if (!disposed) onEnd?.(err);
  });
  stream.on('end', () => {
    if (!disposed) onEnd?.();
  });
  return {
    dispose: () => {
      disposed = true;
      // Destroying the HTTP response closes the connection: the daemon stops streaming.
      (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
    },
  };
}
