/**
 * One bidirectional chaincode message stream, whatever carries it: a gRPC Register stream the shim
 * opened, a Connect stream we dialed (chaincode as a service), or an in-memory pair (system
 * chaincode). The handler only ever sees this interface.
 */
import type { ConnectionKind } from './types';

/** Raw frames in, so the handler decides what a malformed message means; encoded frames out. */
export interface ChaincodeStream {
  readonly kind: ConnectionKind;
  readonly remote: string;
  /** SHA-256 fingerprint of the client's TLS certificate, when it connected with one. */
  readonly clientCertFingerprint?: string;
  /** Writes one encoded ChaincodeMessage. Writes are ordered; after end() they are dropped. */
  write(frame: Buffer): void;
  onFrame(listener: (frame: Buffer) => void): void;
  /** Fires once when the stream is gone, with why. */
  onClose(listener: (reason: string) => void): void;
  /** Ends our side and releases the stream. */
  end(reason: string): void;
}

/** Adapts a Node duplex object stream (grpc-js server or client call) carrying Buffers. */
export interface DuplexLike {
  write(chunk: Buffer): boolean;
  end(): void;
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  on(event: 'end' | 'close', listener: () => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  cancel?(): void;
}

export function streamFromDuplex(call: DuplexLike, kind: ConnectionKind, remote: string, clientCertFingerprint?: string): ChaincodeStream {
  let closed = false;
  const closeListeners: ((reason: string) => void)[] = [];
  const close = (reason: string): void => {
    if (closed) return;
    closed = true;
    for (const l of closeListeners) l(reason);
  };
  call.on('end', () => close('the chaincode closed the stream'));
  call.on('close', () => close('the stream closed'));
  call.on('error', (err) => close(`stream error: ${err.message}`));
  return {
    kind,
    remote,
    clientCertFingerprint,
    write(frame) {
      if (!closed) call.write(frame);
    },
    onFrame(listener) {
      call.on('data', listener);
    },
    onClose(listener) {
      closeListeners.push(listener);
    },
    end(reason) {
      if (closed) return;
      try {
        call.end();
      } catch {
        /* already gone */
      }
      call.cancel?.();
      close(reason);
    },
  };
}
