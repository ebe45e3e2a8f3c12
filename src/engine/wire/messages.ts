/**
 * TypeScript shapes of the Fabric protobuf messages the peer speaks with chaincode shims.
 * Field names follow the .proto files in ./proto (loaded with keepCase), so a decoded message
 * can be read with these types directly. Bytes are Node Buffers (protobufjs uses Buffer on Node).
 */

/** protos.ChaincodeMessage.Type: the numbers never changed between Fabric versions. */
export enum MessageType {
  UNDEFINED = 0,
  REGISTER = 1,
  REGISTERED = 2,
  INIT = 3,
  READY = 4,
  TRANSACTION = 5,
  COMPLETED = 6,
  ERROR = 7,
  GET_STATE = 8,
  PUT_STATE = 9,
  DEL_STATE = 10,
  INVOKE_CHAINCODE = 11,
  RESPONSE = 13,
  GET_STATE_BY_RANGE = 14,
  GET_QUERY_RESULT = 15,
  QUERY_STATE_NEXT = 16,
  QUERY_STATE_CLOSE = 17,
  KEEPALIVE = 18,
  GET_HISTORY_FOR_KEY = 19,
  GET_STATE_METADATA = 20,
  PUT_STATE_METADATA = 21,
  GET_PRIVATE_DATA_HASH = 22,
  PURGE_PRIVATE_DATA = 23,
  WRITE_BATCH_STATE = 24,
  GET_STATE_MULTIPLE = 25,
}

/** The name of a message type for logs and errors, including numbers we do not know. */
export function messageTypeName(type: number): string {
  return MessageType[type] ?? `UNKNOWN(${type})`;
}

export interface Timestamp {
  seconds: number | string | { toString(): string };
  nanos: number;
}

export interface ChaincodeEvent {
  chaincode_id: string;
  tx_id: string;
  event_name: string;
  payload: Uint8Array;
}

export interface SignedProposal {
  proposal_bytes: Uint8Array;
  signature: Uint8Array;
}

export interface ChaincodeMessage {
  type: MessageType;
  timestamp?: Timestamp | null;
  payload: Uint8Array;
  txid: string;
  proposal?: SignedProposal | null;
  chaincode_event?: ChaincodeEvent | null;
  channel_id: string;
}

export interface ChaincodeID {
  path: string;
  name: string;
  version: string;
}

export interface ChaincodeInput {
  args: Uint8Array[];
  decorations: Record<string, Uint8Array>;
  is_init: boolean;
}

export enum ChaincodeLanguage {
  UNDEFINED = 0,
  GOLANG = 1,
  NODE = 2,
  CAR = 3,
  JAVA = 4,
}

export interface ChaincodeSpec {
  type: ChaincodeLanguage;
  chaincode_id?: Partial<ChaincodeID> | null;
  input?: Partial<ChaincodeInput> | null;
  timeout: number;
}

export interface ChaincodeDeploymentSpec {
  chaincode_spec?: Partial<ChaincodeSpec> | null;
  code_package: Uint8Array;
}

export interface ChaincodeInvocationSpec {
  chaincode_spec?: Partial<ChaincodeSpec> | null;
}

export interface Response {
  status: number;
  message: string;
  payload: Uint8Array;
}

export interface Proposal {
  header: Uint8Array;
  payload: Uint8Array;
  extension: Uint8Array;
}

export interface ChaincodeProposalPayload {
  input: Uint8Array;
  TransientMap: Record<string, Uint8Array>;
}

export interface ChaincodeHeaderExtension {
  chaincode_id?: Partial<ChaincodeID> | null;
}

export interface Header {
  channel_header: Uint8Array;
  signature_header: Uint8Array;
}

export interface ChannelHeader {
  type: number;
  version: number;
  timestamp?: Timestamp | null;
  channel_id: string;
  tx_id: string;
  epoch: number | string | { toString(): string };
  extension: Uint8Array;
  tls_cert_hash: Uint8Array;
}

export interface SignatureHeader {
  creator: Uint8Array;
  nonce: Uint8Array;
}

export interface SerializedIdentity {
  mspid: string;
  id_bytes: Uint8Array;
}

export interface GetState { key: string; collection: string }
export interface GetStateMetadata { key: string; collection: string }
export interface PutState { key: string; value: Uint8Array; collection: string }
export interface StateMetadata { metakey: string; value: Uint8Array }
export interface PutStateMetadata { key: string; collection: string; metadata?: StateMetadata | null }
export interface DelState { key: string; collection: string }
export interface GetStateByRange { startKey: string; endKey: string; collection: string; metadata: Uint8Array }
export interface GetQueryResult { query: string; collection: string; metadata: Uint8Array }
export interface QueryMetadata { pageSize: number; bookmark: string }
export interface GetHistoryForKey { key: string }
export interface QueryStateNext { id: string }
export interface QueryStateClose { id: string }
export interface QueryResultBytes { resultBytes: Uint8Array }
export interface QueryResponse { results: QueryResultBytes[]; has_more: boolean; id: string; metadata: Uint8Array }
export interface QueryResponseMetadata { fetched_records_count: number; bookmark: string }
export interface StateMetadataResult { entries: StateMetadata[] }
export interface GetStateMultiple { keys: string[]; collection: string }
export interface GetStateMultipleResult { values: Uint8Array[] }
export enum WriteRecordType { UNDEFINED = 0, PUT_STATE = 9, DEL_STATE = 10, PUT_STATE_METADATA = 21, PURGE_PRIVATE_DATA = 23 }
export interface WriteRecord { key: string; value: Uint8Array; collection: string; metadata?: StateMetadata | null; type: WriteRecordType }
export interface WriteBatchState { rec: WriteRecord[] }
export interface ChaincodeAdditionalParams {
  use_write_batch: boolean;
  max_size_write_batch: number;
  use_get_multiple_keys: boolean;
  max_size_get_multiple_keys: number;
}

export interface KV { namespace: string; key: string; value: Uint8Array }
export interface KeyModification { tx_id: string; value: Uint8Array; timestamp?: Timestamp | null; is_delete: boolean }

// ---- msp/msp_principal.proto, common/policies.proto, peer/policy.proto, peer/collection.proto ----
// A decoded message tells which oneof member is set through a virtual property named after the
// oneof (protobufjs), e.g. `Type: 'n_out_of'`; the unset members still read as their defaults
// (`signed_by` reads 0), so decide with that property, never with the members' values.

/** MSPPrincipal.Classification */
export enum PrincipalClassification { ROLE = 0, ORGANIZATION_UNIT = 1, IDENTITY = 2, ANONYMITY = 3, COMBINED = 4 }
export interface MSPPrincipal { principal_classification: PrincipalClassification; principal: Uint8Array }
export interface MSPRole { msp_identifier: string; role: number }
export interface OrganizationUnit { msp_identifier: string; organizational_unit_identifier: string; certifiers_identifier: Uint8Array }
export interface MSPIdentityAnonymity { anonymity_type: number }
export interface CombinedPrincipal { principals: MSPPrincipal[] }

/** Policy.PolicyType */
export enum PolicyType { UNKNOWN = 0, SIGNATURE = 1, MSP = 2, IMPLICIT_META = 3 }
export interface Policy { type: number; value: Uint8Array }
export interface SignaturePolicyNOutOf { n: number; rules: SignaturePolicy[] }
export interface SignaturePolicy { signed_by?: number | null; n_out_of?: SignaturePolicyNOutOf | null; readonly Type?: 'signed_by' | 'n_out_of' }
export interface SignaturePolicyEnvelope { version: number; rule?: SignaturePolicy | null; identities: MSPPrincipal[] }
/** ImplicitMetaPolicy.Rule */
export enum ImplicitMetaRule { ANY = 0, ALL = 1, MAJORITY = 2 }
export interface ImplicitMetaPolicy { sub_policy: string; rule: ImplicitMetaRule }
export interface ApplicationPolicy {
  signature_policy?: SignaturePolicyEnvelope | null;
  channel_config_policy_reference?: string | null;
  readonly Type?: 'signature_policy' | 'channel_config_policy_reference';
}

export interface CollectionPolicyConfig { signature_policy?: SignaturePolicyEnvelope | null; readonly payload?: 'signature_policy' }
export interface StaticCollectionConfig {
  name: string;
  member_orgs_policy?: CollectionPolicyConfig | null;
  required_peer_count: number;
  maximum_peer_count: number;
  block_to_live: number | string | { toString(): string };
  member_only_read: boolean;
  member_only_write: boolean;
  endorsement_policy?: ApplicationPolicy | null;
}
export interface CollectionConfig { static_collection_config?: StaticCollectionConfig | null; readonly payload?: 'static_collection_config' }
export interface CollectionConfigPackage { config: CollectionConfig[] }
