/**
 * A collection's own endorsement policy, as Fabric's validator applies it to the private keys a
 * transaction writes (core/common/validation/statebased/validator_keylevel.go): the collection's
 * `endorsementPolicy` when it has one, and for an implicit collection `_implicit_org_<MSPID>` that
 * org's Endorsement policy (`OR('<MSPID>.peer')` on the test network), so writing another org's
 * implicit collection needs that org's endorsement. Null: the chaincode's policy applies.
 */
import type { ChaincodeDefinitions } from '../lifecycle/definitions';
import type { ChannelMsps } from '../msp';
import {
  defaultEndorsementPolicy,
  DEFAULT_ENDORSEMENT_POLICY_REF,
  implicitCollectionMspId,
  orgEndorsementPolicy,
  SignaturePolicyEvaluator,
  type SignaturePolicyEnvelope,
} from '../policy';

export type CollectionPolicyLookup = (chaincode: string, collection: string) => SignaturePolicyEvaluator | null;

export function collectionEndorsementPolicies(definitions: ChaincodeDefinitions, channel: string, msps: ChannelMsps): CollectionPolicyLookup {
  const compiled = new Map<string, SignaturePolicyEvaluator | null>();
  return (chaincode, collection) => {
    const id = `${chaincode}\u0000${collection}`;
    if (!compiled.has(id)) {
      const envelope = collectionPolicy(definitions, channel, msps.mspIds, chaincode, collection);
      compiled.set(id, envelope ? new SignaturePolicyEvaluator(envelope, msps) : null);
    }
    return compiled.get(id) ?? null;
  };
}

function collectionPolicy(definitions: ChaincodeDefinitions, channel: string, mspIds: readonly string[], chaincode: string, collection: string): SignaturePolicyEnvelope | null {
  const defined = definitions.get(channel, chaincode);
  if (!defined) return null;
  const configured = defined.collections.find((c) => c.name === collection);
  if (!configured) {
    const implicitOrg = implicitCollectionMspId(collection);
    return implicitOrg !== null ? orgEndorsementPolicy(implicitOrg) : null;
  }
  const policy = configured.endorsementPolicy;
  if (!policy) return null;
  if (policy.kind === 'signature') return policy.envelope;
  if (policy.reference === DEFAULT_ENDORSEMENT_POLICY_REF) return defaultEndorsementPolicy(mspIds);
  // /Channel/Application/<org>/Endorsement: the org groups are named by their MSP ids here.
  const org = /^\/Channel\/Application\/([^/]+)\/Endorsement$/.exec(policy.reference)?.[1];
  return org !== undefined ? orgEndorsementPolicy(org) : null;
}
