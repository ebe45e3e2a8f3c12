/**
 * The Containers view's model: our chaincode containers (found by label), with status, image and
 * Docker's uptime text; `contextValue` = state + kind (`runningContainer`, `exitedContainer`).
 */
import { preview, ViewNode } from '../viewNode';

/** The engine's ManagedContainer, structurally. */
export interface ContainerInfo {
  readonly id: string;
  readonly name: string;
  readonly ccid: string;
  readonly image: string;
  /** Docker's state: created | running | paused | restarting | removing | exited | dead */
  readonly state: string;
  /** Docker's text, e.g. "Up 3 minutes", "Exited (0) 2 seconds ago". */
  readonly status: string;
}

export function containerContextValue(state: string): string {
  const known = ['running', 'exited', 'created', 'paused', 'restarting', 'dead'];
  return `${known.includes(state) ? state : 'other'}Container`;
}

function icon(state: string): ViewNode['icon'] {
  switch (state) {
    case 'running':
      return { id: 'vm-running', color: 'testing.iconPassed' };
    case 'exited':
    case 'dead':
      return { id: 'vm-outline', color: 'disabledForeground' };
    case 'restarting':
    case 'created':
      return { id: 'loading~spin' };
    default:
      return { id: 'vm' };
  }
}

/**
 * Docker's uptime text in whole minutes: its seconds ("Up Less than a second", "Up 3 seconds",
 * "Exited (0) 12 seconds ago") would change on every refresh. Minutes and hours are kept as Docker
 * says them, and move on as the view re-lists (tree/containers/uptimeRefresh.ts).
 */
export function coarseStatus(status: string): string {
  return status
    .replace(/^Up (?:Less than a second|\d+ seconds?)/i, 'Up less than a minute')
    .replace(/\b(?:Less than a second|\d+ seconds?) ago\b/i, 'less than a minute ago')
    .replace(/\s*\((?:healthy|unhealthy|health: starting)\)/, '')
    .trim();
}

export function containerNodes(containers: readonly ContainerInfo[]): ViewNode[] {
  return [...containers]
    .sort((a, b) => a.ccid.localeCompare(b.ccid) || a.name.localeCompare(b.name))
    .map((c) => ({
      id: `container:${c.id}`,
      label: c.ccid || c.name,
      description: `${coarseStatus(c.status)} · ${preview(c.image, 50)}`,
      tooltip: `${c.name}\nimage: ${c.image}\nstate: ${c.state} (${c.status})\nid: ${c.id.slice(0, 12)}`,
      icon: icon(c.state),
      contextValue: containerContextValue(c.state),
      target: { kind: 'container', containerId: c.id, chaincodeId: c.ccid },
    }));
}
