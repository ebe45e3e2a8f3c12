/**
 * Encoding and decoding of Fabric's protobuf messages, from the .proto files in ./proto
 * (loaded once with protobufjs, field names kept as written in the .proto files).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as protobuf from 'protobufjs';
import type * as M from './messages';

const PROTO_FILES = [
  'peer/chaincode_shim.proto',
  'peer/chaincode.proto',
  'peer/chaincode_event.proto',
  'peer/proposal.proto',
  'peer/proposal_response.proto',
  'common/common.proto',
  'msp/identities.proto',
  'ledger/queryresult/kv_query_result.proto',
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
  root.loadSync(PROTO_FILES.map((f) => path.join(dir, f)), { keepCase: true });
  root.resolveAll();
  return root;
}

export const protoRoot = loadRoot();

/** A typed encoder/decoder for one message type. */
export class MessageCodec<T> {
  readonly type: protobuf.Type;
  constructor(readonly fullName: string) {
    this.type = protoRoot.lookupType(fullName);
  }
  encode(message: Partial<T>): Buffer {
    const bytes = this.type.encode(this.type.fromObject(message as Record<string, unknown>)).finish();
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  /** Throws on malformed bytes; fields absent on the wire read as their proto3 defaults. */
  decode(bytes: Uint8Array): T {
    return this.type.decode(bytes) as unknown as T;
  }
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
} as const;

export type CodecName = keyof typeof codecs;

/** A Timestamp for "now" (or a given epoch-millisecond time). */
export function timestampOf(ms: number = Date.now()): M.Timestamp {
  return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1_000_000 };
}
