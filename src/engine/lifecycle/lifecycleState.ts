/**
 * What `_lifecycle` keeps in the channel's world state, and what a committed definition means to the
 * transaction pipeline. Fabric keeps each org's approvals in the org's implicit private collection
 * and the committed definitions in `_lifecycle`'s public namespace; the embedded network's peers all
 * live in one process and see every org's data anyway, so approvals are public keys here too, one
 * per org, and each org's approval keys need only that org's peer to endorse them (as Fabric's
 * implicit collections need only the org's own Endorsement policy). Layout, all in `_lifecycle`:
 *   namespaces                          JSON array of the names defined on the channel
 *   namespaces/<name>                   the committed definition (QueryChaincodeDefinitionsResult.ChaincodeDefinition)
 *   orgs/<MSPID>/approved/<name>#<seq>  the org's approval (ApproveChaincodeDefinitionForMyOrgArgs)
 */
import type { CollectionDefinition, SignaturePolicyEnvelope } from '../policy';
import { decodeApplicationPolicy, encodeApplicationPolicy, encodeCollectionConfigPackage, envelopeFromProto, orgEndorsementPolicy } from '../policy';
import { applicationPolicyFromProto } from '../policy/applicationPolicy';
import { codecs } from '../wire/codec';
import type { DefinitionParameters } from '../wire/lifecycleMessages';
import type { CollectionConfigPackage } from '../wire/messages';
import type { ChaincodeDefinitionOnChannel } from './definitions';

export const LIFECYCLE_NAME = '_lifecycle';

/** The channel policy a definition without a validation parameter refers to. */
export const DEFAULT_ENDORSEMENT_REFERENCE = '/Channel/Application/Endorsement';

export const NAMES_KEY = 'namespaces';
export const definitionKey = (name: string): string => `namespaces/${name}`;
export const approvalKey = (mspId: string, name: string, sequence: number): string => `orgs/${mspId}/approved/${name}#${sequence}`;

const APPROVAL_KEY = /^orgs\/([^/]+)\/approved\//;

/**
 * The policy a `_lifecycle` key needs its writers to satisfy, when not the namespace's own
 * (LifecycleEndorsement): an org's approvals need that org's peer, as the org's implicit collection
 * does in Fabric. null: the namespace's policy applies.
 */
export function lifecycleKeyPolicy(namespace: string, key: string): SignaturePolicyEnvelope | null {
  if (namespace !== LIFECYCLE_NAME) return null;
  const m = APPROVAL_KEY.exec(key);
  return m ? orgEndorsementPolicy(m[1]) : null;
}

/** A committed definition as stored (and as QueryChaincodeDefinitions lists it). */
export function decodeDefinition(bytes: Uint8Array): DefinitionParameters {
  return codecs.LifecycleQueryChaincodeDefinitionsResult_ChaincodeDefinition.decode(bytes);
}

export function encodeDefinition(def: DefinitionParameters): Buffer {
  return codecs.LifecycleQueryChaincodeDefinitionsResult_ChaincodeDefinition.encode(def);
}

/**
 * What the pipeline endorses and validates against: the definition's policy (a signature policy; a
 * reference to the channel's Endorsement policy is the default, null) and its collections.
 */
export function definitionOnChannel(def: DefinitionParameters): ChaincodeDefinitionOnChannel {
  const policy = def.validation_parameter.length > 0 ? decodeApplicationPolicy(def.validation_parameter) : null;
  return {
    name: def.name,
    version: def.version,
    sequence: Number(def.sequence),
    endorsementPolicy: policy?.kind === 'signature' ? policy.envelope : null,
    collections: collectionsFromPackage(def.collections),
  };
}

/**
 * The parameters `_lifecycle` answers for a definition (the inverse of definitionOnChannel), with
 * Fabric's defaults for what it leaves open: escc, vscc, the channel's Endorsement policy.
 */
export function definitionParameters(def: ChaincodeDefinitionOnChannel): DefinitionParameters {
  return {
    sequence: def.sequence,
    name: def.name,
    version: def.version,
    endorsement_plugin: 'escc',
    validation_plugin: 'vscc',
    validation_parameter: encodeApplicationPolicy(
      def.endorsementPolicy ? { kind: 'signature', envelope: def.endorsementPolicy } : { kind: 'channelConfig', reference: DEFAULT_ENDORSEMENT_REFERENCE },
    ),
    collections: def.collections.length > 0 ? codecs.CollectionConfigPackage.decode(encodeCollectionConfigPackage(def.collections)) : null,
    init_required: false,
  };
}

/** A CollectionConfigPackage as the policy room's collection definitions. */
export function collectionsFromPackage(pkg: CollectionConfigPackage | null | undefined): CollectionDefinition[] {
  return (pkg?.config ?? []).flatMap((c) => {
    const s = c.static_collection_config;
    if (!s) return [];
    return [
      {
        name: s.name,
        memberPolicy: envelopeFromProto(s.member_orgs_policy?.signature_policy ?? { version: 0, rule: null, identities: [] }),
        requiredPeerCount: s.required_peer_count,
        maxPeerCount: s.maximum_peer_count,
        blockToLive: Number(s.block_to_live),
        memberOnlyRead: s.member_only_read,
        memberOnlyWrite: s.member_only_write,
        endorsementPolicy: s.endorsement_policy ? applicationPolicyFromProto(s.endorsement_policy) : null,
        implicit: false,
      },
    ];
  });
}
