/**
 * Policies and collections as parsed values with their evaluators: the public surface the peer's
 * endorsement and validation, the Gateway and the CLI import.
 */
export { parsePolicy, PolicyParseError } from './policyDsl';
export {
  decodeSignaturePolicyEnvelope,
  encodeSignaturePolicyEnvelope,
  envelopeFromProto,
  envelopeToProto,
  nOutOf,
  principalMspIds,
  signedBy,
  PolicyDecodeError,
  type SignaturePolicyEnvelope,
  type SignaturePolicyRule,
} from './signaturePolicy';
export {
  SignaturePolicyEvaluator,
  validIdentities,
  PolicyCompileError,
  PolicyNotSatisfiedError,
  type PolicyEvaluation,
  type RejectedSigner,
  type SignedData,
} from './policyEvaluator';
export {
  defaultEndorsementPolicy,
  implicitMetaThreshold,
  orgEndorsementPolicy,
  parseImplicitMetaRule,
  DEFAULT_ENDORSEMENT_POLICY_REF,
  ImplicitMetaError,
  ImplicitMetaEvaluator,
  type ImplicitMetaPolicyValue,
  type ImplicitMetaRule,
  type SignedDataPolicy,
} from './implicitMeta';
export { applicationPolicyFrom, decodeApplicationPolicy, encodeApplicationPolicy, ApplicationPolicyError, type ApplicationPolicy } from './applicationPolicy';
export { decodeValidationParameter, keyPolicyOrgs, VALIDATION_PARAMETER } from './stateBasedEndorsement';
export {
  checkCollectionMembers,
  checkCollections,
  collectionAccess,
  collectionMemberOrgs,
  encodeCollectionConfigPackage,
  implicitCollection,
  implicitCollectionMspId,
  implicitCollectionName,
  parseCollectionsConfig,
  CollectionConfigError,
  IMPLICIT_COLLECTION_PREFIX,
  type CollectionDefinition,
} from './collections';
