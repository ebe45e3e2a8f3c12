/**
 * Deploy's plan and progress as lines of text, for the CLI's stderr and the editor's log.
 */
import type { DeployPlan, DeployProgress } from './deploy';
import type { PeerEndpoint } from './deployTarget';

/** What will be sent, before it is: the package, the definition (sequence, policy, collections), who sends it. */
export function describePlan(plan: DeployPlan, peer: PeerEndpoint): string[] {
  return [
    `package ${plan.packageId}`,
    `channel ${plan.channel}: chaincode ${plan.name} version ${plan.version}, sequence ${plan.sequence}`,
    `endorsement policy: ${plan.endorsementPolicy}`,
    `collections: ${plan.collections.length ? plan.collections.join(', ') : 'none'}`,
    `peer ${peer.address}${peer.hostAlias ? ` (${peer.hostAlias})` : ''}: ${plan.approvers[0]} installs and commits; approving: ${plan.approvers.join(', ')}`,
  ];
}

export function describeProgress(p: DeployProgress): string | null {
  switch (p.step) {
    case 'plan':
      return null;
    case 'installed':
      return p.already ? `already installed: ${p.packageId}` : `installed ${p.packageId}`;
    case 'approved':
      return `approved for ${p.mspId} (tx ${p.txId}, block ${p.blockNumber})`;
    case 'readiness':
      return `commit readiness: ${Object.entries(p.approvals)
        .map(([org, ok]) => `${org} ${ok ? 'approved' : 'not approved'}`)
        .join(', ')}`;
    case 'committed':
      return `committed (tx ${p.txId}, block ${p.blockNumber})`;
  }
}
