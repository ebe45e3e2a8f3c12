/**
 * The gRPC errors Fabric's gateway returns, in its words (internal/pkg/gateway/api.go,
 * apiutils.go `newRpcError`, `errorDetail`): a status code, a message, and one `gateway.ErrorDetail`
 * per endorser or orderer that failed, which the fabric-gateway clients expose as
 * `GatewayError.details`. Services throw GatewayStatusError; the server turns it into the status.
 */
import * as grpc from '@grpc/grpc-js';
import type { ErrorDetail } from '../wire/messages';
import type { MessageCodec } from '../wire/codec';
import { statusWithDetails } from '../wire/rpcStatus';

/** A peer as error details name it: `peer0.org1.example.com:7051`, `Org1MSP`. */
export interface GatewayEndpoint {
  readonly address: string;
  readonly mspId: string;
}

/** The network's peers as error details name them: this Gateway's own, and the other endorsers. */
export interface Endpoints {
  /** The peer serving the Gateway. */
  readonly self: GatewayEndpoint;
  /** Any peer of the network by name (`peer0.org2.example.com`). */
  of(peerName: string, mspId: string): GatewayEndpoint;
}

export class GatewayStatusError extends Error {
  override readonly name = 'GatewayStatusError';
  constructor(
    readonly code: grpc.status,
    message: string,
    readonly details: readonly ErrorDetail[] = [],
    options?: ErrorOptions,
  ) {
    super(message, options);
  }

  toServiceError(): grpc.ServerErrorResponse {
    return statusWithDetails(
      this.code,
      wellFormed(this.message),
      this.details.map((d) => ({ ...d, message: wellFormed(d.message) })),
    );
  }
}

/**
 * Text without lone surrogates. Messages quote what clients sent (channel names, transaction ids),
 * which may have decoded from invalid UTF-8; grpc-js passes the status message through encodeURI,
 * which throws on a lone surrogate, and the call would never be answered.
 */
export function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** `errorDetail(endpoint, message)`: which peer failed, and why. */
export function errorDetail(endpoint: GatewayEndpoint, message: string): ErrorDetail {
  return { address: endpoint.address, msp_id: endpoint.mspId, message };
}

/**
 * The status for anything a service throws. Anything but a GatewayStatusError is a fault of the
 * embedded peer itself: INTERNAL with its message, so the client learns what broke and the peer
 * carries on.
 */
export function toServiceError(err: unknown): grpc.ServerErrorResponse {
  if (err instanceof GatewayStatusError) return err.toServiceError();
  const message = err instanceof Error ? err.message : String(err);
  return statusWithDetails(grpc.status.INTERNAL, wellFormed(`the embedded peer failed: ${message}`), []);
}

/** grpc-go's answer to a request message it cannot decode (the generated unmarshaller's error). */
export function undecodableRequest(err: unknown): GatewayStatusError {
  return new GatewayStatusError(grpc.status.INTERNAL, `grpc: error unmarshalling request: ${(err as Error).message}`, [], { cause: err });
}

/** A request message, or grpc-go's INTERNAL status when it does not decode. */
export function decodeRequest<T>(codec: MessageCodec<T>, bytes: Buffer): T {
  try {
    return codec.decode(bytes);
  } catch (err) {
    throw undecodableRequest(err);
  }
}
