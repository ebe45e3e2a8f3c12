/**
 * gRPC service definitions for @grpc/grpc-js: Fabric's `gateway.Gateway` and the peer's
 * `protos.Deliver`, with the paths, method keys and streaming shapes of fabric-protos'
 * `gateway_grpc_pb.js` / `events_grpc_pb.js`. Messages stay raw Buffers both ways: a handler
 * decodes the request with `codecs` (./codec.ts) and so decides itself what a malformed message
 * means (Fabric's Go server answers an undecodable request with INTERNAL "grpc: error
 * unmarshalling request: …"; the gateway then checks the fields and answers INVALID_ARGUMENT).
 *
 *   server.addService(GATEWAY_SERVICE, implementation satisfies GatewayImplementation)
 */
import type * as grpc from '@grpc/grpc-js';

export type RawMethod = grpc.MethodDefinition<Buffer, Buffer>;
export type MethodShape = 'unary' | 'serverStream' | 'clientStream' | 'bidiStream';

const passThrough = (b: Buffer): Buffer => b;

/** A method whose requests and responses stay raw Buffers. */
export function rawMethod(path: string, shape: MethodShape): RawMethod {
  return {
    path,
    requestStream: shape === 'clientStream' || shape === 'bidiStream',
    responseStream: shape === 'serverStream' || shape === 'bidiStream',
    requestSerialize: passThrough,
    requestDeserialize: passThrough,
    responseSerialize: passThrough,
    responseDeserialize: passThrough,
  };
}

/**
 * `gateway.Gateway` (fabric-protos gateway/gateway.proto). Request → response messages:
 * endorse: EndorseRequest → EndorseResponse; submit: SubmitRequest → SubmitResponse;
 * commitStatus: SignedCommitStatusRequest → CommitStatusResponse; evaluate: EvaluateRequest →
 * EvaluateResponse; chaincodeEvents: SignedChaincodeEventsRequest → stream of ChaincodeEventsResponse.
 */
export const GATEWAY_SERVICE = {
  endorse: rawMethod('/gateway.Gateway/Endorse', 'unary'),
  submit: rawMethod('/gateway.Gateway/Submit', 'unary'),
  commitStatus: rawMethod('/gateway.Gateway/CommitStatus', 'unary'),
  evaluate: rawMethod('/gateway.Gateway/Evaluate', 'unary'),
  chaincodeEvents: rawMethod('/gateway.Gateway/ChaincodeEvents', 'serverStream'),
} as const satisfies grpc.ServiceDefinition;

export interface GatewayImplementation extends grpc.UntypedServiceImplementation {
  endorse: grpc.handleUnaryCall<Buffer, Buffer>;
  submit: grpc.handleUnaryCall<Buffer, Buffer>;
  commitStatus: grpc.handleUnaryCall<Buffer, Buffer>;
  evaluate: grpc.handleUnaryCall<Buffer, Buffer>;
  chaincodeEvents: grpc.handleServerStreamingCall<Buffer, Buffer>;
}

/**
 * `protos.Deliver` (fabric-protos peer/events.proto). Each method reads a signed common.Envelope
 * (type DELIVER_SEEK_INFO, Payload.data = orderer.SeekInfo) and writes protos.DeliverResponse
 * messages: blocks (full, filtered, or with private data), then one status.
 */
export const DELIVER_SERVICE = {
  deliver: rawMethod('/protos.Deliver/Deliver', 'bidiStream'),
  deliverFiltered: rawMethod('/protos.Deliver/DeliverFiltered', 'bidiStream'),
  deliverWithPrivateData: rawMethod('/protos.Deliver/DeliverWithPrivateData', 'bidiStream'),
} as const satisfies grpc.ServiceDefinition;

export interface DeliverImplementation extends grpc.UntypedServiceImplementation {
  deliver: grpc.handleBidiStreamingCall<Buffer, Buffer>;
  deliverFiltered: grpc.handleBidiStreamingCall<Buffer, Buffer>;
  deliverWithPrivateData: grpc.handleBidiStreamingCall<Buffer, Buffer>;
}
