/**
 * The embedded peer's public vocabulary: handler states and the events the editor layer subscribes
 * to. Everything here is plain data (no vscode, no gRPC types). Transactions: ../transactions/types.
 */

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

/** A protocol-level problem worth showing: a rejected REGISTER, a malformed message… */
export interface PeerDiagnostic {
  readonly level: 'info' | 'warn' | 'error';
  readonly handlerId: string | null;
  readonly message: string;
}

/** A channel ledger's background work (compaction, snapshot) failed; commits go on. */
export interface LedgerBackgroundError {
  /** The peer whose copy of the ledger failed (peer0.org1.example.com). */
  readonly peer: string;
  readonly channel: string;
  readonly error: Error;
}
