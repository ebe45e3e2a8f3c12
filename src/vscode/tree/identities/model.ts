/**
 * The Identities view's model: each organisation of the network, and under it its identities
 * (User1, Admin, those created) with their NodeOU type and the attributes their certificate carries;
 * the one transactions are signed as is marked. A row's menu copies its certificate or key path,
 * invokes as it, or makes it the calling identity.
 */
import type { Attributes } from '../../../engine/msp';
import { identityRefText, sameIdentity, type IdentityRef } from '../../identities/identityRef';
import type { ListedIdentity, OrgIdentities } from '../../identities/networkIdentities';
import { clockTime, preview, type ViewNode } from '../viewNode';

export interface IdentitiesInput {
  readonly orgs: readonly OrgIdentities[];
  /** The calling identity (`chaincode.identity`). */
  readonly current: IdentityRef;
}

/** Attributes as `k=v, k2=v2`, in name order. */
export function attributesText(attributes: Attributes): string {
  return Object.entries(attributes)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

const ROLE_ICON: Record<string, string> = { client: 'account', admin: 'shield', peer: 'server', orderer: 'server' };

function identityNode(id: ListedIdentity, current: boolean, now: number): ViewNode {
  const ref = { mspId: id.mspId, name: id.name };
  const attrs = attributesText(id.customAttributes);
  const type = id.role ?? 'no type';
  return {
    id: `identity:${identityRefText(ref)}`,
    label: id.name,
    description: [type, attrs ? preview(attrs, 60) : '', current ? 'calling identity' : ''].filter(Boolean).join(' · '),
    tooltip: [
      `${identityRefText(ref)} (${type})${current ? ': transactions from the editor are signed as this identity' : ''}`,
      id.subject,
      attrs ? `attributes: ${attrs}` : 'no attributes',
      `expires ${clockTime(id.notAfter.getTime(), now)}`,
      `certificate ${id.files.certFile}`,
      `key ${id.files.keyFile}`,
    ].join('\n'),
    icon: { id: ROLE_ICON[id.role ?? ''] ?? 'account', ...(current ? { color: 'testing.iconPassed' } : {}) },
    contextValue: current ? 'currentIdentity' : 'identity',
    target: { kind: 'identity', mspId: id.mspId, name: id.name, certFile: id.files.certFile, keyFile: id.files.keyFile },
  };
}

export function identityNodes(input: IdentitiesInput, now = Date.now()): ViewNode[] {
  return input.orgs.map((org) => ({
    id: `org:${org.mspId}`,
    label: org.mspId,
    description: org.domain,
    tooltip: `${org.mspId}: CA and peer of ${org.domain}\n${org.cryptoPath}`,
    icon: { id: 'organization' },
    contextValue: 'organization',
    expanded: true,
    target: { kind: 'organization', mspId: org.mspId },
    children: org.identities.map((id) => identityNode(id, sameIdentity(input.current, { mspId: id.mspId, name: id.name }), now)),
  }));
}
