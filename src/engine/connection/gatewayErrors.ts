/**
 * What the Gateway client's errors say, kept whole: the gateway's message, its gRPC status, and
 * every ErrorDetail (which peer, which org, what it said). A chaincode's own failure (status ≥ 400)
 * travels inside such an error ("chaincode response 500, <message>"), and is read back out so it
 * prints as the embedded peer's results print it.
 */
import type { ErrorDetail, GatewayError } from '@hyperledger/fabric-gateway';

/** gRPC status names by code (grpc-js's `status` enum, without loading grpc-js to print an error). */
const GRPC_STATUS = [
  'OK',
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED',
];

export function isGatewayError(err: unknown): err is GatewayError {
  return err instanceof Error && typeof (err as Partial<GatewayError>).code === 'number' && Array.isArray((err as Partial<GatewayError>).details);
}

export function grpcStatusName(code: number): string {
  return GRPC_STATUS[code] ?? String(code);
}

/** `message (gRPC STATUS); peer0.org1.example.com:7051 (Org1MSP): detail; …` */
export function gatewayErrorText(err: unknown): string {
  if (!isGatewayError(err)) return err instanceof Error ? err.message : String(err);
  const details = err.details.map(detailText);
  return `${err.message} (gRPC ${grpcStatusName(err.code)})${details.length ? `; ${details.join('; ')}` : ''}`;
}

function detailText(d: ErrorDetail): string {
  const who = [d.address, d.mspId && `(${d.mspId})`].filter(Boolean).join(' ');
  return who ? `${who}: ${d.message}` : d.message;
}

/** The chaincode's status and message when the error is a chaincode response ≥ 400, as Fabric's endorser words it. */
export function chaincodeResponseOf(err: unknown): { status: number; message: string } | undefined {
  if (!isGatewayError(err)) return undefined;
  for (const text of [...err.details.map((d) => d.message), err.message]) {
    const m = /chaincode response (\d+), ([\s\S]*)$/.exec(text);
    if (m) return { status: Number(m[1]), message: m[2] };
  }
  return undefined;
}
