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

/**
 * A 64-bit integer field: a number when encoding (or a decimal string beyond 2^53); decoded, a
 * protobufjs Long (read it with Number(x) or String(x)).
 */
export type Int64 = number | string | { toString(): string };

export interface Timestamp {
  seconds: Int64;
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

/** Fabric's `ChaincodeSpec.Type` on the wire; the engine's own name for a language is platforms' `Language`. */
export enum ChaincodeSpecType {
  UNDEFINED = 0,
  GOLANG = 1,
  NODE = 2,
  CAR = 3,
  JAVA = 4,
}

export interface ChaincodeSpec {
  type: ChaincodeSpecType;
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
  epoch: Int64;
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

export interface GetState {
  key: string;
  collection: string;
}
export interface GetStateMetadata {
  key: string;
  collection: string;
}
export interface PutState {
  key: string;
  value: Uint8Array;
  collection: string;
}
export interface StateMetadata {
  metakey: string;
  value: Uint8Array;
}
export interface PutStateMetadata {
  key: string;
  collection: string;
  metadata?: StateMetadata | null;
}
export interface DelState {
  key: string;
  collection: string;
}
export interface GetStateByRange {
  startKey: string;
  endKey: string;
  collection: string;
  metadata: Uint8Array;
}
export interface GetQueryResult {
  query: string;
  collection: string;
  metadata: Uint8Array;
}
export interface QueryMetadata {
  pageSize: number;
  bookmark: string;
}
export interface GetHistoryForKey {
  key: string;
}
export interface QueryStateNext {
  id: string;
}
export interface QueryStateClose {
  id: string;
}
export interface QueryResultBytes {
  resultBytes: Uint8Array;
}
export interface QueryResponse {
  results: QueryResultBytes[];
  has_more: boolean;
  id: string;
  metadata: Uint8Array;
}
export interface QueryResponseMetadata {
  fetched_records_count: number;
  bookmark: string;
}
export interface StateMetadataResult {
  entries: StateMetadata[];
}
export interface GetStateMultiple {
  keys: string[];
  collection: string;
}
export interface GetStateMultipleResult {
  values: Uint8Array[];
}
export enum WriteRecordType {
  UNDEFINED = 0,
  PUT_STATE = 9,
  DEL_STATE = 10,
  PUT_STATE_METADATA = 21,
  PURGE_PRIVATE_DATA = 23,
}
export interface WriteRecord {
  key: string;
  value: Uint8Array;
  collection: string;
  metadata?: StateMetadata | null;
  type: WriteRecordType;
}
export interface WriteBatchState {
  rec: WriteRecord[];
}
export interface ChaincodeAdditionalParams {
  use_write_batch: boolean;
  max_size_write_batch: number;
  use_get_multiple_keys: boolean;
  max_size_get_multiple_keys: number;
}

export interface KV {
  namespace: string;
  key: string;
  value: Uint8Array;
}
export interface KeyModification {
  tx_id: string;
  value: Uint8Array;
  timestamp?: Timestamp | null;
  is_delete: boolean;
}

// ---- Proposal responses and transactions (peer/proposal*.proto, peer/transaction.proto) ----

export interface ChaincodeAction {
  /** A marshalled rwset.TxReadWriteSet. */
  results: Uint8Array;
  /** A marshalled ChaincodeEvent, or empty. */
  events: Uint8Array;
  response?: Partial<Response> | null;
  chaincode_id?: Partial<ChaincodeID> | null;
}
export interface ProposalResponsePayload {
  proposal_hash: Uint8Array;
  extension: Uint8Array;
}
export interface Endorsement {
  endorser: Uint8Array;
  signature: Uint8Array;
}

/** protos.TxValidationCode: the byte a committing peer records for each transaction of a block. */
export enum TxValidationCode {
  VALID = 0,
  NIL_ENVELOPE = 1,
  BAD_PAYLOAD = 2,
  BAD_COMMON_HEADER = 3,
  BAD_CREATOR_SIGNATURE = 4,
  INVALID_ENDORSER_TRANSACTION = 5,
  INVALID_CONFIG_TRANSACTION = 6,
  UNSUPPORTED_TX_PAYLOAD = 7,
  BAD_PROPOSAL_TXID = 8,
  DUPLICATE_TXID = 9,
  ENDORSEMENT_POLICY_FAILURE = 10,
  MVCC_READ_CONFLICT = 11,
  PHANTOM_READ_CONFLICT = 12,
  UNKNOWN_TX_TYPE = 13,
  TARGET_CHAIN_NOT_FOUND = 14,
  MARSHAL_TX_ERROR = 15,
  NIL_TXACTION = 16,
  EXPIRED_CHAINCODE = 17,
  CHAINCODE_VERSION_CONFLICT = 18,
  BAD_HEADER_EXTENSION = 19,
  BAD_CHANNEL_HEADER = 20,
  BAD_RESPONSE_PAYLOAD = 21,
  BAD_RWSET = 22,
  ILLEGAL_WRITESET = 23,
  INVALID_WRITESET = 24,
  INVALID_CHAINCODE = 25,
  NOT_VALIDATED = 254,
  INVALID_OTHER_REASON = 255,
}

/** protos.MetaDataKeys: a key's metadata entry names (KVMetadataEntry.name is the enum name). */
export enum MetaDataKeys {
  VALIDATION_PARAMETER = 0,
  VALIDATION_PARAMETER_V2 = 1,
}

export interface ProcessedTransaction {
  transactionEnvelope?: Partial<Envelope> | null;
  validationCode: number;
}
export interface Transaction {
  actions: Partial<TransactionAction>[];
}
export interface TransactionAction {
  header: Uint8Array;
  payload: Uint8Array;
}
export interface ChaincodeActionPayload {
  chaincode_proposal_payload: Uint8Array;
  action?: Partial<ChaincodeEndorsedAction> | null;
}
export interface ChaincodeEndorsedAction {
  proposal_response_payload: Uint8Array;
  endorsements: Partial<Endorsement>[];
}

// ---- Envelopes and blocks (common/common.proto) ----

/** common.HeaderType: ChannelHeader.type. */
export enum HeaderType {
  MESSAGE = 0,
  CONFIG = 1,
  CONFIG_UPDATE = 2,
  ENDORSER_TRANSACTION = 3,
  ORDERER_TRANSACTION = 4,
  DELIVER_SEEK_INFO = 5,
  CHAINCODE_PACKAGE = 6,
}

/** common.Status: Deliver's final status, BroadcastResponse.status. */
export enum Status {
  UNKNOWN = 0,
  SUCCESS = 200,
  BAD_REQUEST = 400,
  FORBIDDEN = 403,
  NOT_FOUND = 404,
  REQUEST_ENTITY_TOO_LARGE = 413,
  INTERNAL_SERVER_ERROR = 500,
  NOT_IMPLEMENTED = 501,
  SERVICE_UNAVAILABLE = 503,
}

/** common.BlockMetadataIndex: positions in BlockMetadata.metadata. */
export enum BlockMetadataIndex {
  SIGNATURES = 0,
  LAST_CONFIG = 1,
  TRANSACTIONS_FILTER = 2,
  ORDERER = 3,
  COMMIT_HASH = 4,
}

export interface Payload {
  header?: Partial<Header> | null;
  data: Uint8Array;
}
export interface Envelope {
  payload: Uint8Array;
  signature: Uint8Array;
}
export interface LastConfig {
  index: Int64;
}
export interface MetadataSignature {
  signature_header: Uint8Array;
  signature: Uint8Array;
  identifier_header: Uint8Array;
}
export interface Metadata {
  value: Uint8Array;
  signatures: Partial<MetadataSignature>[];
}
export interface IdentifierHeader {
  identifier: number;
  nonce: Uint8Array;
}
export interface OrdererBlockMetadata {
  last_config?: Partial<LastConfig> | null;
  consenter_metadata: Uint8Array;
}
export interface BlockHeader {
  number: Int64;
  previous_hash: Uint8Array;
  data_hash: Uint8Array;
}
export interface BlockData {
  data: Uint8Array[];
}
export interface BlockMetadata {
  metadata: Uint8Array[];
}
export interface Block {
  header?: Partial<BlockHeader> | null;
  data?: Partial<BlockData> | null;
  metadata?: Partial<BlockMetadata> | null;
}
/** common.BlockchainInfo (common/ledger.proto): qscc GetChainInfo's answer. */
export interface BlockchainInfo {
  height: Int64;
  currentBlockHash: Uint8Array;
  previousBlockHash: Uint8Array;
  bootstrappingSnapshotInfo?: { lastBlockInSnapshot: Int64 } | null;
}

// ---- Read-write sets (ledger/rwset/rwset.proto, ledger/rwset/kvrwset/kv_rwset.proto) ----

export interface TxReadWriteSet {
  data_model: number;
  ns_rwset: Partial<NsReadWriteSet>[];
}
export interface NsReadWriteSet {
  namespace: string;
  rwset: Uint8Array;
  collection_hashed_rwset: Partial<CollectionHashedReadWriteSet>[];
}
export interface CollectionHashedReadWriteSet {
  collection_name: string;
  hashed_rwset: Uint8Array;
  pvt_rwset_hash: Uint8Array;
}
export interface TxPvtReadWriteSet {
  data_model: number;
  ns_pvt_rwset: Partial<NsPvtReadWriteSet>[];
}
export interface NsPvtReadWriteSet {
  namespace: string;
  collection_pvt_rwset: Partial<CollectionPvtReadWriteSet>[];
}
export interface CollectionPvtReadWriteSet {
  collection_name: string;
  rwset: Uint8Array;
}

export interface KVVersion {
  block_num: Int64;
  tx_num: Int64;
}
export interface KVRead {
  key: string;
  version?: Partial<KVVersion> | null;
}
export interface KVWrite {
  key: string;
  is_delete: boolean;
  value: Uint8Array;
}
export interface KVMetadataEntry {
  name: string;
  value: Uint8Array;
}
export interface KVMetadataWrite {
  key: string;
  entries: Partial<KVMetadataEntry>[];
}
export interface KVReadHash {
  key_hash: Uint8Array;
  version?: Partial<KVVersion> | null;
}
export interface KVWriteHash {
  key_hash: Uint8Array;
  is_delete: boolean;
  value_hash: Uint8Array;
  is_purge: boolean;
}
export interface KVMetadataWriteHash {
  key_hash: Uint8Array;
  entries: Partial<KVMetadataEntry>[];
}
export interface QueryReads {
  kv_reads: Partial<KVRead>[];
}
export interface QueryReadsMerkleSummary {
  max_degree: number;
  max_level: number;
  max_level_hashes: Uint8Array[];
}
/** Set at most one of raw_reads / reads_merkle_hashes (a oneof). */
export interface RangeQueryInfo {
  start_key: string;
  end_key: string;
  itr_exhausted: boolean;
  raw_reads?: Partial<QueryReads> | null;
  reads_merkle_hashes?: Partial<QueryReadsMerkleSummary> | null;
}
export interface KVRWSet {
  reads: Partial<KVRead>[];
  range_queries_info: Partial<RangeQueryInfo>[];
  writes: Partial<KVWrite>[];
  metadata_writes: Partial<KVMetadataWrite>[];
}
export interface HashedRWSet {
  hashed_reads: Partial<KVReadHash>[];
  hashed_writes: Partial<KVWriteHash>[];
  metadata_writes: Partial<KVMetadataWriteHash>[];
}

// ---- Deliver (orderer/ab.proto, peer/events.proto) ----

export enum SeekBehavior {
  BLOCK_UNTIL_READY = 0,
  FAIL_IF_NOT_READY = 1,
}
export enum SeekErrorResponse {
  STRICT = 0,
  BEST_EFFORT = 1,
}
export enum SeekContentType {
  BLOCK = 0,
  HEADER_WITH_SIG = 1,
}

/** Set exactly one member (a oneof); Fabric's Deliver rejects a position with none. */
export interface SeekPosition {
  newest?: Record<string, never> | null;
  oldest?: Record<string, never> | null;
  specified?: { number: Int64 } | null;
  next_commit?: Record<string, never> | null;
}
export interface SeekInfo {
  start?: SeekPosition | null;
  stop?: SeekPosition | null;
  behavior: SeekBehavior;
  error_response: SeekErrorResponse;
  content_type: SeekContentType;
}
export interface BroadcastResponse {
  status: Status;
  info: string;
}
/** orderer.DeliverResponse: one of status / block. */
export interface OrdererDeliverResponse {
  status?: Status;
  block?: Block | null;
}

export interface FilteredChaincodeAction {
  chaincode_event?: Partial<ChaincodeEvent> | null;
}
export interface FilteredTransactionActions {
  chaincode_actions: Partial<FilteredChaincodeAction>[];
}
export interface FilteredTransaction {
  txid: string;
  type: HeaderType;
  tx_validation_code: TxValidationCode;
  transaction_actions?: Partial<FilteredTransactionActions> | null;
}
export interface FilteredBlock {
  channel_id: string;
  number: Int64;
  filtered_transactions: Partial<FilteredTransaction>[];
}
/** private_data_map: the transaction's index in the block (decimal string) → its private write set. */
export interface BlockAndPrivateData {
  block?: Block | null;
  private_data_map: Record<string, Partial<TxPvtReadWriteSet>>;
}
/** protos.DeliverResponse: exactly one of the four. */
export interface DeliverResponse {
  status?: Status;
  block?: Block | null;
  filtered_block?: Partial<FilteredBlock> | null;
  block_and_private_data?: Partial<BlockAndPrivateData> | null;
}

// ---- The Gateway (gateway/gateway.proto) and gRPC error details (google/rpc/status.proto) ----

export interface EndorseRequest {
  transaction_id: string;
  channel_id: string;
  proposed_transaction?: Partial<SignedProposal> | null;
  endorsing_organizations: string[];
}
export interface EndorseResponse {
  prepared_transaction?: Partial<Envelope> | null;
}
export interface SubmitRequest {
  transaction_id: string;
  channel_id: string;
  prepared_transaction?: Partial<Envelope> | null;
}
export type SubmitResponse = Record<string, never>;
export interface SignedCommitStatusRequest {
  request: Uint8Array;
  signature: Uint8Array;
}
export interface CommitStatusRequest {
  transaction_id: string;
  channel_id: string;
  identity: Uint8Array;
}
export interface CommitStatusResponse {
  result: TxValidationCode;
  block_number: Int64;
}
export interface EvaluateRequest {
  transaction_id: string;
  channel_id: string;
  proposed_transaction?: Partial<SignedProposal> | null;
  target_organizations: string[];
}
export interface EvaluateResponse {
  result?: Partial<Response> | null;
}
export interface SignedChaincodeEventsRequest {
  request: Uint8Array;
  signature: Uint8Array;
}
export interface ChaincodeEventsRequest {
  channel_id: string;
  chaincode_id: string;
  identity: Uint8Array;
  start_position?: SeekPosition | null;
  after_transaction_id: string;
}
export interface ChaincodeEventsResponse {
  events: Partial<ChaincodeEvent>[];
  block_number: Int64;
}
export interface ErrorDetail {
  address: string;
  msp_id: string;
  message: string;
}
export interface ProposedTransaction {
  transaction_id: string;
  proposal?: Partial<SignedProposal> | null;
  endorsing_organizations: string[];
}
export interface PreparedTransaction {
  transaction_id: string;
  envelope?: Partial<Envelope> | null;
}

/** google.protobuf.Any: a message and the URL of its type ("type.googleapis.com/gateway.ErrorDetail"). */
export interface Any {
  type_url: string;
  value: Uint8Array;
}
/** google.rpc.Status: the `grpc-status-details-bin` trailer. */
export interface RpcStatus {
  code: number;
  message: string;
  details: Partial<Any>[];
}
// ---- msp/msp_principal.proto, common/policies.proto, peer/policy.proto, peer/collection.proto ----
// A decoded message tells which oneof member is set through a virtual property named after the
// oneof (protobufjs), e.g. `Type: 'n_out_of'`; the unset members still read as their defaults
// (`signed_by` reads 0), so decide with that property, never with the members' values.

/** MSPPrincipal.Classification */
export enum PrincipalClassification {
  ROLE = 0,
  ORGANIZATION_UNIT = 1,
  IDENTITY = 2,
  ANONYMITY = 3,
  COMBINED = 4,
}
export interface MSPPrincipal {
  principal_classification: PrincipalClassification;
  principal: Uint8Array;
}
export interface MSPRole {
  msp_identifier: string;
  role: number;
}
export interface OrganizationUnit {
  msp_identifier: string;
  organizational_unit_identifier: string;
  certifiers_identifier: Uint8Array;
}
export interface MSPIdentityAnonymity {
  anonymity_type: number;
}
export interface CombinedPrincipal {
  principals: MSPPrincipal[];
}

/** Policy.PolicyType */
export enum PolicyType {
  UNKNOWN = 0,
  SIGNATURE = 1,
  MSP = 2,
  IMPLICIT_META = 3,
}
export interface Policy {
  type: number;
  value: Uint8Array;
}
export interface SignaturePolicyNOutOf {
  n: number;
  rules: SignaturePolicy[];
}
export interface SignaturePolicy {
  signed_by?: number | null;
  n_out_of?: SignaturePolicyNOutOf | null;
  readonly Type?: 'signed_by' | 'n_out_of';
}
export interface SignaturePolicyEnvelope {
  version: number;
  rule?: SignaturePolicy | null;
  identities: MSPPrincipal[];
}
/** ImplicitMetaPolicy.Rule */
export enum ImplicitMetaRule {
  ANY = 0,
  ALL = 1,
  MAJORITY = 2,
}
export interface ImplicitMetaPolicy {
  sub_policy: string;
  rule: ImplicitMetaRule;
}
export interface ApplicationPolicy {
  signature_policy?: SignaturePolicyEnvelope | null;
  channel_config_policy_reference?: string | null;
  readonly Type?: 'signature_policy' | 'channel_config_policy_reference';
}

export interface CollectionPolicyConfig {
  signature_policy?: SignaturePolicyEnvelope | null;
  readonly payload?: 'signature_policy';
}
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
export interface CollectionConfig {
  static_collection_config?: StaticCollectionConfig | null;
  readonly payload?: 'static_collection_config';
}
export interface CollectionConfigPackage {
  config: CollectionConfig[];
}
