/**
 * The embedded peer's public vocabulary: handler states, execution requests and results, and the
 * events the editor layer subscribes to. Everything here is plain data (no vscode, no gRPC types).
 */
import type { ChaincodeEventRecord, ReadWriteSet, TransactionRecord, ValidationCode } from '../ledger/types';
import type { CreatorIdentity } from './identity';

/**
 * A handler's life (Fabric 2.x's plain states plus `ended`): a stream is `created` until REGISTER,
 * `established` between REGISTERED and READY, `ready` while it can run transactions, and `ended`
 * once the stream is gone (for whatever reason, kept in `endReason`).
 */
export type HandlerState = 'created' | 'established' | 'ready' | 'ended';

/** How the chaincode process reached us. */
export type ConnectionKind = 'grpc' | 'ccaas' | 'inproc';

export interface HandlerInfo {
  /** Unique per stream, stable for its life: `h1`, `h2`… */
  readonly id: string;
  /** The name the shim REGISTERed with (`name:version` or a package id); '' before REGISTER. */
  readonly chaincodeId: string;
  readonly state: HandlerState;
  /** When the handler entered `state`, epoch ms. */
  readonly since: number;
  readonly connection: ConnectionKind;
  /** Remote address of the stream when known. */
  readonly remote: string;
  /** Transactions currently executing on this handler. */
  readonly inFlight: readonly InFlightTransaction[];
  /** The last error seen on this handler (protocol error, failed transaction, stream loss). */
  readonly lastError: string | null;
  readonly endReason: string | null;
}

export interface InFlightTransaction {
  readonly channel: string;
  readonly txId: string;
  readonly fn: string;
  readonly startedAt: number;
}

export interface HandlerStateChange {
  readonly handler: HandlerInfo;
  readonly previous: HandlerState | null;
}

/** What to run: args[0] is the function name by convention. */
export interface ExecuteRequest {
  /** The registered chaincode id (`name:version`), or just `name` when only one version runs. */
  readonly chaincode: string;
  readonly channel?: string;
  readonly args: readonly (string | Uint8Array)[];
  readonly transient?: Readonly<Record<string, string | Uint8Array>>;
  /** 'init' sends INIT, otherwise TRANSACTION; 'query' never commits. Default 'invoke'. */
  readonly kind?: 'init' | 'invoke' | 'query';
  /** Overrides the peer's execute timeout for this call (ms). */
  readonly timeoutMs?: number;
  /** Given txid; default: derived as Fabric does, hex(sha256(nonce ‖ creator)). */
  readonly txId?: string;
  /** Who signs the proposal (e.g. an msp SigningIdentity); default the peer's fixed creator. */
  readonly creator?: CreatorIdentity;
}

export interface ExecuteResult {
  readonly txId: string;
  readonly channel: string;
  readonly chaincodeId: string;
  /** The chaincode's response status: 200 OK; ≥ 400 a failure (nothing committed). */
  readonly status: number;
  readonly message: string;
  readonly payload: Buffer;
  readonly event: ChaincodeEventRecord | null;
  readonly readWriteSet: ReadWriteSet;
  /** VALID when committed (or a successful query); otherwise why nothing was committed. */
  readonly validation: ValidationCode;
  readonly blockNum: number | null;
  readonly durationMs: number;
}

export interface TransactionStarted {
  readonly handlerId: string;
  readonly chaincodeId: string;
  readonly channel: string;
  readonly txId: string;
  readonly fn: string;
  readonly args: readonly string[];
  readonly kind: 'init' | 'invoke' | 'query';
  readonly startedAt: number;
}

export interface TransactionEnded {
  readonly handlerId: string;
  readonly record: TransactionRecord;
}

/** A protocol-level problem worth showing: a rejected REGISTER, a malformed message… */
export interface PeerDiagnostic {
  readonly level: 'info' | 'warn' | 'error';
  readonly handlerId: string | null;
  readonly message: string;
}
