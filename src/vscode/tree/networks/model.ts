/**
 * The Networks view's model: where the editor can run transactions. The embedded peer is the first
 * entry; each connection to a Fabric network follows, with the chaincodes defined on its channel
 * (`_lifecycle` QueryChaincodeDefinitions) and its recent blocks, newest first. No vscode here.
 */
import type { ViewNode } from '../viewNode';
import { blockRow } from '../blocks/model';

export interface EmbeddedPeerInfo {
  /** The peer's chaincode address when it runs; undefined when stopped. */
  readonly address?: string;
  /** `localhost:<port>` of its Gateway, when it has one. */
  readonly gateway?: string;
}

export interface NetworkBlockInfo {
  readonly number: number;
  /** The validation code of each of its transactions. */
  readonly validationCodes: readonly number[];
}

export interface NetworkDefinitionInfo {
  readonly name: string;
  readonly version: string;
  readonly sequence: number;
  readonly collections: readonly string[];
}

export interface NetworkInfo {
  readonly id: string;
  /** The network file's name. */
  readonly label: string;
  readonly file: string;
  readonly endpoint: string;
  readonly channel: string;
  readonly mspId: string;
  /** The chaincodes defined on the channel, the reason they could not be listed, or undefined while asked. */
  readonly definitions: readonly NetworkDefinitionInfo[] | { readonly error: string } | undefined;
  /** The channel's height, and the blocks read so far (any order). */
  readonly height: number;
  readonly blocks: readonly NetworkBlockInfo[];
  /** Why following its blocks stopped, when it did. */
  readonly blocksError?: string;
}

/** The newest blocks listed per connection. */
export const NETWORK_BLOCK_LIMIT = 20;

export function networkNodes(embedded: EmbeddedPeerInfo, networks: readonly NetworkInfo[]): ViewNode[] {
  return [embeddedNode(embedded), ...networks.map(networkNode)];
}

function embeddedNode(e: EmbeddedPeerInfo): ViewNode {
  return {
    id: 'network:embedded',
    label: 'Embedded peer',
    description: e.address ? (e.gateway ? `Gateway ${e.gateway}` : e.address) : 'stopped',
    tooltip: 'The peer inside the editor: Invoke and Query run here unless you pick a connection.',
    icon: e.address ? { id: 'vm-running', color: 'testing.iconPassed' } : { id: 'vm-outline' },
    contextValue: e.address ? 'runningEmbeddedNetwork' : 'stoppedEmbeddedNetwork',
    target: { kind: 'network', networkId: 'embedded' },
  };
}

function networkNode(n: NetworkInfo): ViewNode {
  const target = { kind: 'network' as const, networkId: n.id };
  return {
    id: `network:${n.id}`,
    label: n.label,
    description: `${n.mspId} · ${n.channel} · ${n.endpoint}`,
    tooltip: `${n.file}\n${n.mspId} on channel ${n.channel} through the Gateway at ${n.endpoint}`,
    icon: { id: 'plug' },
    contextValue: 'networkConnection',
    target,
    expanded: true,
    children: [definitionsNode(n), blocksNode(n)],
  };
}

function definitionsNode(n: NetworkInfo): ViewNode {
  const id = `network:${n.id}/chaincodes`;
  const defs = n.definitions;
  if (defs === undefined) return { id, label: 'Chaincodes', description: 'asking _lifecycle…', icon: { id: 'loading~spin' } };
  if (!Array.isArray(defs)) {
    const error = (defs as { error: string }).error;
    return { id, label: 'Chaincodes', description: 'not listed', tooltip: error, icon: { id: 'warning', color: 'problemsWarningIcon.foreground' } };
  }
  const list = defs as readonly NetworkDefinitionInfo[];
  return {
    id,
    label: 'Chaincodes',
    description: list.length === 0 ? `none defined on ${n.channel}` : `${list.length} on ${n.channel}`,
    icon: { id: 'symbol-method' },
    expanded: true,
    children: [...list]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((d) => ({
        id: `${id}/${d.name}`,
        label: d.name,
        description: `${d.version} · sequence ${d.sequence}${d.collections.length ? ` · collections ${d.collections.join(', ')}` : ''}`,
        icon: { id: 'symbol-method' },
        contextValue: 'networkChaincode',
        target: { kind: 'networkChaincode' as const, networkId: n.id, chaincode: d.name },
      })),
  };
}

function blocksNode(n: NetworkInfo): ViewNode {
  const newest = [...n.blocks].sort((a, b) => b.number - a.number).slice(0, NETWORK_BLOCK_LIMIT);
  return {
    id: `network:${n.id}/blocks`,
    label: 'Blocks',
    description: n.blocksError ? `height ${n.height} · not following` : `height ${n.height}`,
    ...(n.blocksError ? { tooltip: n.blocksError } : {}),
    icon: n.blocksError ? { id: 'warning', color: 'problemsWarningIcon.foreground' } : { id: 'database' },
    children: newest.map((b) =>
      blockRow(
        `network:${n.id}/block/${b.number}`,
        b.number,
        b.validationCodes,
        'networkBlock',
        { kind: 'networkBlock', networkId: n.id, number: b.number },
        'chaincode.openNetworkBlock',
      ),
    ),
  };
}
