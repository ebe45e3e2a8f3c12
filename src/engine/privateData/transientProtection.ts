/**
 * Fabric's gateway protects transient data (internal/pkg/gateway/endorse.go planFromFirstEndorser):
 * a proposal with a transient map that writes private data may only be endorsed by orgs in the
 * distribution policy (the member orgs) of every collection it writes, unless the client named the
 * endorsing orgs itself; otherwise the gateway refuses with FAILED_PRECONDITION.
 */
import type { ChaincodeDefinitions } from '../lifecycle/definitions';
import type { ReadWriteSet } from '../ledger/types';
import { collectionMemberOrgs, implicitCollectionMspId } from '../policy';

/** The endorsing orgs that are not members of every collection `rwset` writes ([] when all are). */
export function orgsOutsideDistribution(definitions: ChaincodeDefinitions, channel: string, rwset: ReadWriteSet, endorsingMspIds: readonly string[]): string[] {
  const members: string[][] = [];
  for (const w of [...rwset.writes, ...rwset.metadataWrites]) {
    if (w.collection === '') continue;
    const defined = definitions.get(channel, w.chaincode);
    if (!defined) continue; // nobody defined the chaincode: no collection configuration to protect by
    const collection = defined.collections.find((c) => c.name === w.collection);
    const implicitOrg = implicitCollectionMspId(w.collection);
    if (collection) members.push(collectionMemberOrgs(collection));
    else if (implicitOrg !== null) members.push([implicitOrg]);
  }
  return [...new Set(endorsingMspIds)].filter((org) => !members.every((m) => m.includes(org)));
}
