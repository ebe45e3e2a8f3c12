/**
 * gRPC errors with details, as Fabric's gateway sends them: a `google.rpc.Status` whose `details`
 * are `Any`-wrapped `gateway.ErrorDetail`s, in the `grpc-status-details-bin` trailer
 * (`internal/pkg/gateway/apiutils.go` `newRpcError`, via grpc-go's `status.WithDetails`). The
 * fabric-gateway clients decode it into `GatewayError.details` (address, mspId, message).
 */
import * as grpc from '@grpc/grpc-js';
import { codecs } from './codec';
import type { Any, ErrorDetail } from './messages';

/** The trailer grpc-go writes a status with details to. */
export const STATUS_DETAILS_KEY = 'grpc-status-details-bin';

const TYPE_URL_PREFIX = 'type.googleapis.com/';
const ERROR_DETAIL_TYPE = 'gateway.ErrorDetail';

/** Wraps a message as google.protobuf.Any, with the type URL prefix grpc-go and protobuf use. */
export function packAny(typeName: string, value: Uint8Array): Any {
  return { type_url: TYPE_URL_PREFIX + typeName, value };
}

/**
 * An error for a grpc-js handler (unary callback, or `call.destroy(err)` / `emit('error')` on a
 * stream) with `message` as the status message and the details in the trailer.
 */
export function statusWithDetails(code: grpc.status, message: string, details: readonly ErrorDetail[]): grpc.ServerErrorResponse {
  const metadata = new grpc.Metadata();
  const status = codecs.RpcStatus.encode({
    code,
    message,
    details: details.map((d) => packAny(ERROR_DETAIL_TYPE, codecs.ErrorDetail.encode(d))),
  });
  metadata.set(STATUS_DETAILS_KEY, status);
  return Object.assign(new Error(message), { code, details: message, metadata });
}

/** The ErrorDetails in a status trailer (other detail types are skipped); [] when there is none. */
export function errorDetailsOf(metadata: grpc.Metadata): ErrorDetail[] {
  const [raw] = metadata.get(STATUS_DETAILS_KEY);
  if (!Buffer.isBuffer(raw)) return [];
  return codecs.RpcStatus.decode(raw)
    .details.filter((d) => d.type_url?.endsWith(`/${ERROR_DETAIL_TYPE}`) && d.value)
    .map((d) => {
      const { address, msp_id, message } = codecs.ErrorDetail.decode(d.value as Uint8Array);
      return { address, msp_id, message };
    });
}
