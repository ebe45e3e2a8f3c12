/**
 * The World State view's model: the keys of one chaincode on one channel, composite keys decoded,
 * a preview of each value; a row opens the key's value and history.
 */
import type { StateEntry } from '../../../engine/ledger/types';
import { preview, ViewNode } from '../viewNode';

/** Fabric's composite keys: U+0000 objectType U+0000 attr1 U+0000 attr2 U+0000 … */
export function decodeCompositeKey(key: string): { objectType: string; attributes: string[] } | undefined {
  if (!key.startsWith('\u0000') || !key.endsWith('\u0000')) return undefined;
  const parts = key.slice(1, -1).split('\u0000');
  if (parts.length === 0 || parts[0] === '') return undefined;
  return { objectType: parts[0], attributes: parts.slice(1) };
}

/** How a key reads in the tree: `objectType ▸ a ▸ b` for composite keys, else the key itself. */
export function displayKey(key: string): string {
  const ck = decodeCompositeKey(key);
  if (ck) return [ck.objectType, ...ck.attributes].join(' ▸ ');
  return key.replaceAll('\u0000', '␀');
}

/** Compact text of a value: JSON re-serialised compactly, text as is, binary as base64. */
export function valuePreview(value: Buffer, max = 60): string {
  const text = value.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(value)) return `base64:${preview(value.toString('base64'), max - 7)}`;
  try {
    return preview(JSON.stringify(JSON.parse(text)), max);
  } catch {
    return preview(text, max);
  }
}

export interface WorldStateSelection {
  readonly channel: string;
  readonly chaincode: string;
}

export function stateKeyNodes(selection: WorldStateSelection, entries: readonly StateEntry[], limit: number): ViewNode[] {
  const nodes: ViewNode[] = entries.slice(0, limit).map((e) => {
    const target = { kind: 'stateKey' as const, channel: selection.channel, chaincode: selection.chaincode, key: e.key };
    const composite = decodeCompositeKey(e.key) !== undefined;
    return {
      id: `state:${selection.channel}/${selection.chaincode}/${e.key}`,
      label: displayKey(e.key),
      description: valuePreview(e.value),
      tooltip: `${composite ? 'composite key' : 'key'} ${JSON.stringify(e.key)}\nversion ${e.version.blockNum}:${e.version.txNum} · ${e.value.length} bytes`,
      icon: { id: composite ? 'symbol-structure' : 'symbol-key' },
      contextValue: 'stateKey',
      target,
      command: { command: 'chaincode.openStateKey', title: 'Open Key', arguments: [target] },
    };
  });
  if (entries.length > limit) {
    nodes.push({ id: `state:${selection.channel}/${selection.chaincode}/(more)`, label: `… ${entries.length - limit} more keys`, icon: { id: 'ellipsis' } });
  }
  return nodes;
}
