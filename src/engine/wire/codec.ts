/**
 * Encoding and decoding of Fabric's protobuf messages, from the .proto files in ./proto
 * (loaded once with protobufjs, field names kept as written in the .proto files).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as protobuf from 'protobufjs';
import type * as M from './messages';
import type * as L from './lifecycleMessages';

const PROTO_FILES = [
  'peer/chaincode_shim.proto',
  'peer/chaincode.proto',
  'peer/chaincode_event.proto',
  'peer/proposal.proto',
  'peer/proposal_response.proto',
  'common/common.proto',
  'common/ledger.proto',
  'msp/identities.proto',
  'ledger/queryresult/kv_query_result.proto',
  'ledger/rwset/rwset.proto',
  'ledger/rwset/kvrwset/kv_rwset.proto',
  'peer/transaction.proto',
  'peer/events.proto',
  'orderer/ab.proto',
  'gateway/gateway.proto',
  'google/rpc/status.proto',
  'msp/msp_principal.proto',
  'common/policies.proto',
  'peer/policy.proto',
  'peer/collection.proto',
  'peer/lifecycle/lifecycle.proto',
];

/** Where the .proto files are: beside this module when compiled by tsc, under dist/proto when bundled. */
function protoDirectory(): string {
  const candidates = [path.join(__dirname, 'proto'), path.join(__dirname, 'wire', 'proto')];
  const found = candidates.find((dir) => fs.existsSync(path.join(dir, PROTO_FILES[0])));
  if (!found) {
    throw new Error(`Fabric .proto files not found (looked in ${candidates.join(', ')})`);
  }
  return found;
}

function loadRoot(): protobuf.Root {
  const dir = protoDirectory();
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => {
    // google/protobuf/* are protobufjs's built-in common types.
    if (target.startsWith('google/protobuf/')) return target;
    return path.isAbsolute(target) ? target : path.join(dir, target);
  };
  root.loadSync(
    PROTO_FILES.map((f) => path.join(dir, f)),
    { keepCase: true },
  );
  root.resolveAll();
  return root;
}

export const protoRoot = loadRoot();

/** A typed encoder/decoder for one message type. */
export class MessageCodec<T> {
  readonly type: protobuf.Type;
  private readonly longMapKeys: boolean;
  constructor(readonly fullName: string) {
    this.type = protoRoot.lookupType(fullName);
    this.longMapKeys = hasLongMapKeys(this.type, new Set());
  }
  encode(message: Partial<T>): Buffer {
    // protobufjs encodes plain objects directly; fromObject would only re-copy them (enums are numbers here).
    const bytes = this.type.encode(withoutDefaults(this.type, message)).finish();
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  /** Throws on malformed bytes; fields absent on the wire read as their proto3 defaults. */
  decode(bytes: Uint8Array): T {
    // A plain Uint8Array view, not a Buffer: protobufjs's Buffer reader silently shortens a
    // truncated string field, where Fabric (Go) and its generic reader reject the message.
    const view = Buffer.isBuffer(bytes) ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) : bytes;
    assertCompleteFields(view);
    const message = this.type.decode(view);
    if (this.longMapKeys) decimalMapKeys(this.type, message as unknown as Record<string, unknown>);
    return message as unknown as T;
  }
}

const LONG_TYPES = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);

/** Whether a map with 64-bit keys is reachable from `type` (BlockAndPrivateData's private_data_map). */
function hasLongMapKeys(type: protobuf.Type, seen: Set<protobuf.Type>): boolean {
  if (seen.has(type)) return false;
  seen.add(type);
  return type.fieldsArray.some((f) => {
    if (f instanceof protobuf.MapField && LONG_TYPES.has(f.keyType)) return true;
    return f.resolvedType instanceof protobuf.Type && hasLongMapKeys(f.resolvedType, seen);
  });
}

/** A protobufjs "long hash" (8 characters holding the 64 bits) as the decimal a map key encodes from. */
function longHashToDecimal(hash: string, unsigned: boolean): string {
  const bits = protobuf.util.LongBits.fromHash(hash);
  const value = (BigInt(bits.hi >>> 0) << 32n) | BigInt(bits.lo >>> 0);
  return (unsigned ? value : BigInt.asIntN(64, value)).toString();
}

/**
 * protobufjs decodes the keys of a 64-bit-keyed map as 8-character "long hashes"; encoding takes
 * decimal strings. Rewrites them to decimal strings, so a decoded message encodes back unchanged.
 */
function decimalMapKeys(type: protobuf.Type, message: Record<string, unknown>): void {
  for (const field of type.fieldsArray) {
    const value = message[field.name];
    if (value === undefined || value === null) continue;
    const nested = field.resolvedType instanceof protobuf.Type ? field.resolvedType : null;
    const visit = (v: unknown): void => {
      if (nested && typeof v === 'object' && v !== null) decimalMapKeys(nested, v as Record<string, unknown>);
    };
    if (field instanceof protobuf.MapField) {
      const map = value as Record<string, unknown>;
      if (LONG_TYPES.has(field.keyType)) {
        const unsigned = field.keyType === 'uint64' || field.keyType === 'fixed64';
        const entries = Object.entries(map);
        for (const [k] of entries) delete map[k];
        // Without the long library (a bundle may lack it) protobufjs decodes keys as plain numbers.
        const decimal = (k: string): string => (protobuf.util.Long ? longHashToDecimal(k, unsigned) : k);
        for (const [k, v] of entries) map[decimal(k)] = v;
      }
      Object.values(map).forEach(visit);
    } else if (field.repeated) {
      (value as unknown[]).forEach(visit);
    } else {
      visit(value);
    }
  }
}

/**
 * Walks the top-level fields and throws when one is cut off. protobufjs reads a truncated 64-bit
 * varint as if it ended (a Timestamp's seconds, an epoch); Go and fabric-protos refuse it.
 */
function assertCompleteFields(bytes: Uint8Array): void {
  let pos = 0;
  const varint = (): number => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      if (pos >= bytes.length) throw new Error('truncated varint');
      if (shift > 63) throw new Error('varint too long');
      const b = bytes[pos++];
      if (shift < 35) value += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return value;
    }
  };
  while (pos < bytes.length) {
    const wireType = varint() & 7;
    let skip = 0;
    if (wireType === 0) varint();
    else if (wireType === 1) skip = 8;
    else if (wireType === 2) skip = varint();
    else if (wireType === 5) skip = 4;
    else if (wireType !== 3 && wireType !== 4) throw new Error(`invalid wire type ${wireType}`);
    if (pos + skip > bytes.length) throw new Error('truncated field');
    pos += skip;
  }
}

/**
 * Proto3 writes no field that holds its default ('' / 0 / false / empty bytes, list or map), except
 * a oneof member, which has explicit presence (DeliverResponse{status: UNKNOWN} is written).
 * Fabric's encoders never write them, so neither do we, and our bytes match theirs exactly. Driven by the
 * message type, so map entries keep their (possibly empty) values and nested messages keep their
 * presence (an empty message is still written), with their own defaults dropped (map values too).
 * A oneof member is written whatever its value, but only when the message holds it.
 *
 * A decoded message (a protobufjs Message) owns exactly the fields that were on the wire; its
 * prototype serves defaults for the others: `signed_by` reads 0 beside `n_out_of`, an absent bytes
 * field reads as an empty array. Only its own fields count, or re-encoding it would write a second
 * oneof member (Go takes the last one on the wire as the one set) or empty bytes fields.
 */
function withoutDefaults(type: protobuf.Type, message: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const decoded = message instanceof protobuf.Message;
  for (const field of type.fieldsArray) {
    if (decoded && !Object.prototype.hasOwnProperty.call(message, field.name)) continue;
    const value = message[field.name];
    if (value === undefined || value === null) continue;
    const nested = field.resolvedType instanceof protobuf.Type ? field.resolvedType : null;
    const prune = (v: unknown): unknown => (nested && isMessageValue(v) ? withoutDefaults(nested, v) : v);
    if (field.map) {
      const entries = Object.entries(value as Record<string, unknown>);
      if (entries.length > 0) out[field.name] = Object.fromEntries(entries.map(([k, v]) => [k, prune(v)]));
    } else if (field.repeated) {
      if ((value as unknown[]).length > 0) out[field.name] = (value as unknown[]).map(prune);
    } else if (nested) {
      out[field.name] = prune(value);
    } else if (field.partOf || !isDefaultScalar(value)) {
      // A oneof member has explicit presence: Go writes it even when it holds the default.
      out[field.name] = value;
    }
  }
  return out;
}

function isDefaultScalar(v: unknown): boolean {
  if (v === '' || v === 0 || v === false) return true;
  if (v instanceof Uint8Array) return v.length === 0;
  // Long or a numeric string for 64-bit fields.
  return String(v) === '0';
}

/** A message given as a plain object or as a decoded protobufjs Message. */
function isMessageValue(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !(v instanceof Uint8Array) && !Array.isArray(v);
}

export const codecs = {
  ChaincodeMessage: new MessageCodec<M.ChaincodeMessage>('protos.ChaincodeMessage'),
  ChaincodeID: new MessageCodec<M.ChaincodeID>('protos.ChaincodeID'),
  ChaincodeInput: new MessageCodec<M.ChaincodeInput>('protos.ChaincodeInput'),
  ChaincodeSpec: new MessageCodec<M.ChaincodeSpec>('protos.ChaincodeSpec'),
  ChaincodeDeploymentSpec: new MessageCodec<M.ChaincodeDeploymentSpec>('protos.ChaincodeDeploymentSpec'),
  ChaincodeInvocationSpec: new MessageCodec<M.ChaincodeInvocationSpec>('protos.ChaincodeInvocationSpec'),
  ChaincodeAdditionalParams: new MessageCodec<M.ChaincodeAdditionalParams>('protos.ChaincodeAdditionalParams'),
  ChaincodeEvent: new MessageCodec<M.ChaincodeEvent>('protos.ChaincodeEvent'),
  SignedProposal: new MessageCodec<M.SignedProposal>('protos.SignedProposal'),
  Proposal: new MessageCodec<M.Proposal>('protos.Proposal'),
  ChaincodeHeaderExtension: new MessageCodec<M.ChaincodeHeaderExtension>('protos.ChaincodeHeaderExtension'),
  ChaincodeProposalPayload: new MessageCodec<M.ChaincodeProposalPayload>('protos.ChaincodeProposalPayload'),
  Response: new MessageCodec<M.Response>('protos.Response'),
  Header: new MessageCodec<M.Header>('common.Header'),
  ChannelHeader: new MessageCodec<M.ChannelHeader>('common.ChannelHeader'),
  SignatureHeader: new MessageCodec<M.SignatureHeader>('common.SignatureHeader'),
  SerializedIdentity: new MessageCodec<M.SerializedIdentity>('msp.SerializedIdentity'),
  GetState: new MessageCodec<M.GetState>('protos.GetState'),
  GetStateMetadata: new MessageCodec<M.GetStateMetadata>('protos.GetStateMetadata'),
  GetStateMultiple: new MessageCodec<M.GetStateMultiple>('protos.GetStateMultiple'),
  GetStateMultipleResult: new MessageCodec<M.GetStateMultipleResult>('protos.GetStateMultipleResult'),
  PutState: new MessageCodec<M.PutState>('protos.PutState'),
  PutStateMetadata: new MessageCodec<M.PutStateMetadata>('protos.PutStateMetadata'),
  WriteBatchState: new MessageCodec<M.WriteBatchState>('protos.WriteBatchState'),
  WriteRecord: new MessageCodec<M.WriteRecord>('protos.WriteRecord'),
  DelState: new MessageCodec<M.DelState>('protos.DelState'),
  PurgePrivateState: new MessageCodec<M.DelState>('protos.PurgePrivateState'),
  GetStateByRange: new MessageCodec<M.GetStateByRange>('protos.GetStateByRange'),
  GetQueryResult: new MessageCodec<M.GetQueryResult>('protos.GetQueryResult'),
  QueryMetadata: new MessageCodec<M.QueryMetadata>('protos.QueryMetadata'),
  GetHistoryForKey: new MessageCodec<M.GetHistoryForKey>('protos.GetHistoryForKey'),
  QueryStateNext: new MessageCodec<M.QueryStateNext>('protos.QueryStateNext'),
  QueryStateClose: new MessageCodec<M.QueryStateClose>('protos.QueryStateClose'),
  QueryResultBytes: new MessageCodec<M.QueryResultBytes>('protos.QueryResultBytes'),
  QueryResponse: new MessageCodec<M.QueryResponse>('protos.QueryResponse'),
  QueryResponseMetadata: new MessageCodec<M.QueryResponseMetadata>('protos.QueryResponseMetadata'),
  StateMetadata: new MessageCodec<M.StateMetadata>('protos.StateMetadata'),
  StateMetadataResult: new MessageCodec<M.StateMetadataResult>('protos.StateMetadataResult'),
  KV: new MessageCodec<M.KV>('queryresult.KV'),
  KeyModification: new MessageCodec<M.KeyModification>('queryresult.KeyModification'),
  // Endorsement and transactions
  ChaincodeAction: new MessageCodec<M.ChaincodeAction>('protos.ChaincodeAction'),
  ProposalResponsePayload: new MessageCodec<M.ProposalResponsePayload>('protos.ProposalResponsePayload'),
  Endorsement: new MessageCodec<M.Endorsement>('protos.Endorsement'),
  ProcessedTransaction: new MessageCodec<M.ProcessedTransaction>('protos.ProcessedTransaction'),
  Transaction: new MessageCodec<M.Transaction>('protos.Transaction'),
  TransactionAction: new MessageCodec<M.TransactionAction>('protos.TransactionAction'),
  ChaincodeActionPayload: new MessageCodec<M.ChaincodeActionPayload>('protos.ChaincodeActionPayload'),
  ChaincodeEndorsedAction: new MessageCodec<M.ChaincodeEndorsedAction>('protos.ChaincodeEndorsedAction'),
  // Envelopes and blocks
  Payload: new MessageCodec<M.Payload>('common.Payload'),
  Envelope: new MessageCodec<M.Envelope>('common.Envelope'),
  Block: new MessageCodec<M.Block>('common.Block'),
  BlockHeader: new MessageCodec<M.BlockHeader>('common.BlockHeader'),
  BlockData: new MessageCodec<M.BlockData>('common.BlockData'),
  BlockMetadata: new MessageCodec<M.BlockMetadata>('common.BlockMetadata'),
  Metadata: new MessageCodec<M.Metadata>('common.Metadata'),
  MetadataSignature: new MessageCodec<M.MetadataSignature>('common.MetadataSignature'),
  IdentifierHeader: new MessageCodec<M.IdentifierHeader>('common.IdentifierHeader'),
  LastConfig: new MessageCodec<M.LastConfig>('common.LastConfig'),
  OrdererBlockMetadata: new MessageCodec<M.OrdererBlockMetadata>('common.OrdererBlockMetadata'),
  BlockchainInfo: new MessageCodec<M.BlockchainInfo>('common.BlockchainInfo'),
  // Read-write sets
  TxReadWriteSet: new MessageCodec<M.TxReadWriteSet>('rwset.TxReadWriteSet'),
  NsReadWriteSet: new MessageCodec<M.NsReadWriteSet>('rwset.NsReadWriteSet'),
  CollectionHashedReadWriteSet: new MessageCodec<M.CollectionHashedReadWriteSet>('rwset.CollectionHashedReadWriteSet'),
  TxPvtReadWriteSet: new MessageCodec<M.TxPvtReadWriteSet>('rwset.TxPvtReadWriteSet'),
  NsPvtReadWriteSet: new MessageCodec<M.NsPvtReadWriteSet>('rwset.NsPvtReadWriteSet'),
  CollectionPvtReadWriteSet: new MessageCodec<M.CollectionPvtReadWriteSet>('rwset.CollectionPvtReadWriteSet'),
  KVRWSet: new MessageCodec<M.KVRWSet>('kvrwset.KVRWSet'),
  HashedRWSet: new MessageCodec<M.HashedRWSet>('kvrwset.HashedRWSet'),
  KVRead: new MessageCodec<M.KVRead>('kvrwset.KVRead'),
  KVWrite: new MessageCodec<M.KVWrite>('kvrwset.KVWrite'),
  KVMetadataWrite: new MessageCodec<M.KVMetadataWrite>('kvrwset.KVMetadataWrite'),
  KVMetadataEntry: new MessageCodec<M.KVMetadataEntry>('kvrwset.KVMetadataEntry'),
  KVReadHash: new MessageCodec<M.KVReadHash>('kvrwset.KVReadHash'),
  KVWriteHash: new MessageCodec<M.KVWriteHash>('kvrwset.KVWriteHash'),
  KVMetadataWriteHash: new MessageCodec<M.KVMetadataWriteHash>('kvrwset.KVMetadataWriteHash'),
  KVVersion: new MessageCodec<M.KVVersion>('kvrwset.Version'),
  RangeQueryInfo: new MessageCodec<M.RangeQueryInfo>('kvrwset.RangeQueryInfo'),
  QueryReads: new MessageCodec<M.QueryReads>('kvrwset.QueryReads'),
  QueryReadsMerkleSummary: new MessageCodec<M.QueryReadsMerkleSummary>('kvrwset.QueryReadsMerkleSummary'),
  // Deliver
  SeekInfo: new MessageCodec<M.SeekInfo>('orderer.SeekInfo'),
  SeekPosition: new MessageCodec<M.SeekPosition>('orderer.SeekPosition'),
  BroadcastResponse: new MessageCodec<M.BroadcastResponse>('orderer.BroadcastResponse'),
  OrdererDeliverResponse: new MessageCodec<M.OrdererDeliverResponse>('orderer.DeliverResponse'),
  DeliverResponse: new MessageCodec<M.DeliverResponse>('protos.DeliverResponse'),
  FilteredBlock: new MessageCodec<M.FilteredBlock>('protos.FilteredBlock'),
  FilteredTransaction: new MessageCodec<M.FilteredTransaction>('protos.FilteredTransaction'),
  FilteredTransactionActions: new MessageCodec<M.FilteredTransactionActions>('protos.FilteredTransactionActions'),
  FilteredChaincodeAction: new MessageCodec<M.FilteredChaincodeAction>('protos.FilteredChaincodeAction'),
  BlockAndPrivateData: new MessageCodec<M.BlockAndPrivateData>('protos.BlockAndPrivateData'),
  // The Gateway
  EndorseRequest: new MessageCodec<M.EndorseRequest>('gateway.EndorseRequest'),
  EndorseResponse: new MessageCodec<M.EndorseResponse>('gateway.EndorseResponse'),
  SubmitRequest: new MessageCodec<M.SubmitRequest>('gateway.SubmitRequest'),
  SubmitResponse: new MessageCodec<M.SubmitResponse>('gateway.SubmitResponse'),
  SignedCommitStatusRequest: new MessageCodec<M.SignedCommitStatusRequest>('gateway.SignedCommitStatusRequest'),
  CommitStatusRequest: new MessageCodec<M.CommitStatusRequest>('gateway.CommitStatusRequest'),
  CommitStatusResponse: new MessageCodec<M.CommitStatusResponse>('gateway.CommitStatusResponse'),
  EvaluateRequest: new MessageCodec<M.EvaluateRequest>('gateway.EvaluateRequest'),
  EvaluateResponse: new MessageCodec<M.EvaluateResponse>('gateway.EvaluateResponse'),
  SignedChaincodeEventsRequest: new MessageCodec<M.SignedChaincodeEventsRequest>('gateway.SignedChaincodeEventsRequest'),
  ChaincodeEventsRequest: new MessageCodec<M.ChaincodeEventsRequest>('gateway.ChaincodeEventsRequest'),
  ChaincodeEventsResponse: new MessageCodec<M.ChaincodeEventsResponse>('gateway.ChaincodeEventsResponse'),
  ErrorDetail: new MessageCodec<M.ErrorDetail>('gateway.ErrorDetail'),
  ProposedTransaction: new MessageCodec<M.ProposedTransaction>('gateway.ProposedTransaction'),
  PreparedTransaction: new MessageCodec<M.PreparedTransaction>('gateway.PreparedTransaction'),
  RpcStatus: new MessageCodec<M.RpcStatus>('google.rpc.Status'),
  Any: new MessageCodec<M.Any>('google.protobuf.Any'),
  MSPPrincipal: new MessageCodec<M.MSPPrincipal>('common.MSPPrincipal'),
  MSPRole: new MessageCodec<M.MSPRole>('common.MSPRole'),
  OrganizationUnit: new MessageCodec<M.OrganizationUnit>('common.OrganizationUnit'),
  MSPIdentityAnonymity: new MessageCodec<M.MSPIdentityAnonymity>('common.MSPIdentityAnonymity'),
  CombinedPrincipal: new MessageCodec<M.CombinedPrincipal>('common.CombinedPrincipal'),
  Policy: new MessageCodec<M.Policy>('common.Policy'),
  SignaturePolicyEnvelope: new MessageCodec<M.SignaturePolicyEnvelope>('common.SignaturePolicyEnvelope'),
  SignaturePolicy: new MessageCodec<M.SignaturePolicy>('common.SignaturePolicy'),
  ImplicitMetaPolicy: new MessageCodec<M.ImplicitMetaPolicy>('common.ImplicitMetaPolicy'),
  ApplicationPolicy: new MessageCodec<M.ApplicationPolicy>('protos.ApplicationPolicy'),
  CollectionConfigPackage: new MessageCodec<M.CollectionConfigPackage>('protos.CollectionConfigPackage'),
  CollectionConfig: new MessageCodec<M.CollectionConfig>('protos.CollectionConfig'),
  StaticCollectionConfig: new MessageCodec<M.StaticCollectionConfig>('protos.StaticCollectionConfig'),
  CollectionPolicyConfig: new MessageCodec<M.CollectionPolicyConfig>('protos.CollectionPolicyConfig'),
  // peer/lifecycle/lifecycle.proto: _lifecycle's arguments and results.
  LifecycleInstallChaincodeArgs: new MessageCodec<L.InstallChaincodeArgs>('lifecycle.InstallChaincodeArgs'),
  LifecycleInstallChaincodeResult: new MessageCodec<L.InstallChaincodeResult>('lifecycle.InstallChaincodeResult'),
  LifecycleQueryInstalledChaincodeArgs: new MessageCodec<L.QueryInstalledChaincodeArgs>('lifecycle.QueryInstalledChaincodeArgs'),
  LifecycleQueryInstalledChaincodeResult: new MessageCodec<L.QueryInstalledChaincodeResult>('lifecycle.QueryInstalledChaincodeResult'),
  LifecycleQueryInstalledChaincodeResult_References: new MessageCodec<L.ChaincodeReferences>('lifecycle.QueryInstalledChaincodeResult.References'),
  LifecycleQueryInstalledChaincodeResult_Chaincode: new MessageCodec<L.ChaincodeReference>('lifecycle.QueryInstalledChaincodeResult.Chaincode'),
  LifecycleGetInstalledChaincodePackageArgs: new MessageCodec<L.GetInstalledChaincodePackageArgs>('lifecycle.GetInstalledChaincodePackageArgs'),
  LifecycleGetInstalledChaincodePackageResult: new MessageCodec<L.GetInstalledChaincodePackageResult>('lifecycle.GetInstalledChaincodePackageResult'),
  LifecycleQueryInstalledChaincodesArgs: new MessageCodec<L.QueryInstalledChaincodesArgs>('lifecycle.QueryInstalledChaincodesArgs'),
  LifecycleQueryInstalledChaincodesResult: new MessageCodec<L.QueryInstalledChaincodesResult>('lifecycle.QueryInstalledChaincodesResult'),
  LifecycleQueryInstalledChaincodesResult_InstalledChaincode: new MessageCodec<L.InstalledChaincode>('lifecycle.QueryInstalledChaincodesResult.InstalledChaincode'),
  LifecycleQueryInstalledChaincodesResult_References: new MessageCodec<L.ChaincodeReferences>('lifecycle.QueryInstalledChaincodesResult.References'),
  LifecycleQueryInstalledChaincodesResult_Chaincode: new MessageCodec<L.ChaincodeReference>('lifecycle.QueryInstalledChaincodesResult.Chaincode'),
  LifecycleApproveChaincodeDefinitionForMyOrgArgs: new MessageCodec<L.ApproveChaincodeDefinitionForMyOrgArgs>('lifecycle.ApproveChaincodeDefinitionForMyOrgArgs'),
  LifecycleChaincodeSource: new MessageCodec<L.ChaincodeSource>('lifecycle.ChaincodeSource'),
  LifecycleChaincodeSource_Unavailable: new MessageCodec<L.EmptyResult>('lifecycle.ChaincodeSource.Unavailable'),
  LifecycleChaincodeSource_Local: new MessageCodec<L.GetInstalledChaincodePackageArgs>('lifecycle.ChaincodeSource.Local'),
  LifecycleApproveChaincodeDefinitionForMyOrgResult: new MessageCodec<L.EmptyResult>('lifecycle.ApproveChaincodeDefinitionForMyOrgResult'),
  LifecycleCommitChaincodeDefinitionArgs: new MessageCodec<L.CommitChaincodeDefinitionArgs>('lifecycle.CommitChaincodeDefinitionArgs'),
  LifecycleCommitChaincodeDefinitionResult: new MessageCodec<L.EmptyResult>('lifecycle.CommitChaincodeDefinitionResult'),
  LifecycleCheckCommitReadinessArgs: new MessageCodec<L.CheckCommitReadinessArgs>('lifecycle.CheckCommitReadinessArgs'),
  LifecycleCheckCommitReadinessResult: new MessageCodec<L.CheckCommitReadinessResult>('lifecycle.CheckCommitReadinessResult'),
  LifecycleCheckCommitReadinessResult_Mismatches: new MessageCodec<{ items: string[] }>('lifecycle.CheckCommitReadinessResult.Mismatches'),
  LifecycleQueryApprovedChaincodeDefinitionArgs: new MessageCodec<L.QueryApprovedChaincodeDefinitionArgs>('lifecycle.QueryApprovedChaincodeDefinitionArgs'),
  LifecycleQueryApprovedChaincodeDefinitionResult: new MessageCodec<L.QueryApprovedChaincodeDefinitionResult>('lifecycle.QueryApprovedChaincodeDefinitionResult'),
  LifecycleQueryApprovedChaincodeDefinitionsArgs: new MessageCodec<L.EmptyResult>('lifecycle.QueryApprovedChaincodeDefinitionsArgs'),
  LifecycleQueryApprovedChaincodeDefinitionsResult: new MessageCodec<L.QueryApprovedChaincodeDefinitionsResult>('lifecycle.QueryApprovedChaincodeDefinitionsResult'),
  LifecycleQueryApprovedChaincodeDefinitionsResult_ApprovedChaincodeDefinition: new MessageCodec<L.ApproveChaincodeDefinitionForMyOrgArgs>(
    'lifecycle.QueryApprovedChaincodeDefinitionsResult.ApprovedChaincodeDefinition',
  ),
  LifecycleQueryChaincodeDefinitionArgs: new MessageCodec<L.QueryChaincodeDefinitionArgs>('lifecycle.QueryChaincodeDefinitionArgs'),
  LifecycleQueryChaincodeDefinitionResult: new MessageCodec<L.QueryChaincodeDefinitionResult>('lifecycle.QueryChaincodeDefinitionResult'),
  LifecycleQueryChaincodeDefinitionsArgs: new MessageCodec<L.EmptyResult>('lifecycle.QueryChaincodeDefinitionsArgs'),
  LifecycleQueryChaincodeDefinitionsResult: new MessageCodec<L.QueryChaincodeDefinitionsResult>('lifecycle.QueryChaincodeDefinitionsResult'),
  LifecycleQueryChaincodeDefinitionsResult_ChaincodeDefinition: new MessageCodec<L.DefinitionParameters>('lifecycle.QueryChaincodeDefinitionsResult.ChaincodeDefinition'),
} as const;

/** A Timestamp for "now" (or a given epoch-millisecond time). */
export function timestampOf(ms: number = Date.now()): M.Timestamp {
  return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1_000_000 };
}
