/**
 * The peer's chaincode gRPC server: `protos.ChaincodeSupport/Register`, with Fabric's 100 MiB
 * message limits. Frames pass through as raw Buffers so the handler, not grpc-js, decides what a
 * malformed message means.
 */
import * as grpc from '@grpc/grpc-js';
import * as net from 'net';
import { findPortHolder, type PortHolder } from './portHolder';
import type { ChaincodeStream } from './stream';
import { streamFromDuplex } from './stream';

export const MAX_MESSAGE_BYTES = 100 * 1024 * 1024;

const passThrough = (b: Buffer): Buffer => b;

/** A bidirectional-streaming method whose frames stay raw Buffers both ways. */
export function rawBidiMethod(path: string): grpc.MethodDefinition<Buffer, Buffer> {
  return {
    path,
    requestStream: true,
    responseStream: true,
    requestSerialize: passThrough,
    requestDeserialize: passThrough,
    responseSerialize: passThrough,
    responseDeserialize: passThrough,
  };
}

export const CHAINCODE_SUPPORT_SERVICE: grpc.ServiceDefinition = {
  register: rawBidiMethod('/protos.ChaincodeSupport/Register'),
};

export const CHAINCODE_SERVICE_PATH = '/protos.Chaincode/Connect';

export const GRPC_CHANNEL_OPTIONS: grpc.ChannelOptions = {
  'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
  'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
  // Fabric's chaincode server: keepalive every 2 h, 20 s timeout; shims ping every 60–110 s.
  'grpc.keepalive_time_ms': 2 * 3600 * 1000,
  'grpc.keepalive_timeout_ms': 20_000,
};

export interface ServerTls {
  readonly rootCertPem: string;
  readonly certPem: string;
  readonly keyPem: string;
}

export interface ListeningServer {
  readonly host: string;
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * The port is held by another process. After a window reload the previous extension host can keep
 * the peer's port for a few seconds, so the bind is retried for a while before this is thrown.
 */
export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
  constructor(
    readonly host: string,
    readonly port: number,
    /** Who listens on it, when the system could tell. */
    readonly holder: PortHolder | undefined,
    retriedMs: number,
    options?: ErrorOptions,
  ) {
    const who = holder ? `${holder.command || 'a process'} (pid ${holder.pid})` : 'another process';
    super(`port ${port} is in use by ${who}, still after ${(retriedMs / 1000).toFixed(1)} s of retries: stop it, or choose another port`, options);
  }
}

/** How long a port in use is retried before PortInUseError (a reloaded window's old peer may still hold it). Port 0 never is. */
export const BIND_RETRY_MS = 5000;
const FIRST_RETRY_DELAY_MS = 100;
const MAX_RETRY_DELAY_MS = 1000;

/** grpc-js reports a failed bind as text only ("No address added … EADDRINUSE …"). */
function isAddressInUse(err: unknown): err is Error {
  return err instanceof Error && ((err as NodeJS.ErrnoException).code === 'EADDRINUSE' || /EADDRINUSE/.test(err.message));
}

/**
 * Whether the port is held now, asked of a plain listener first: grpc-js logs an error line for every
 * failed bind, and a held port fails many.
 */
async function heldNow(host: string, port: number): Promise<Error | undefined> {
  const probe = net.createServer();
  const err = await new Promise<Error | undefined>((resolve) => {
    probe.once('error', resolve);
    probe.listen({ host, port, exclusive: true }, () => resolve(undefined));
  });
  if (!err) await new Promise((r) => probe.close(r));
  return isAddressInUse(err) ? err : undefined;
}

export async function startChaincodeServer(host: string, port: number, tls: ServerTls | null, onStream: (stream: ChaincodeStream) => void): Promise<ListeningServer> {
  const credentials = tls
    ? // Mutual TLS: a client without a certificate issued by our CA is refused in the handshake.
      grpc.ServerCredentials.createSsl(Buffer.from(tls.rootCertPem), [{ cert_chain: Buffer.from(tls.certPem), private_key: Buffer.from(tls.keyPem) }], true)
    : grpc.ServerCredentials.createInsecure();
  const retryMs = port === 0 ? 0 : BIND_RETRY_MS;
  const started = Date.now();
  let delay = FIRST_RETRY_DELAY_MS;
  for (;;) {
    let inUse = retryMs > 0 ? await heldNow(host, port) : undefined;
    if (!inUse) {
      try {
        return await bind(host, port, credentials, onStream);
      } catch (err) {
        if (!isAddressInUse(err)) throw err;
        inUse = err; // taken between the probe and the bind
      }
    }
    const waited = Date.now() - started;
    if (waited + delay > retryMs) throw new PortInUseError(host, port, await findPortHolder(port), waited, { cause: inUse });
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, MAX_RETRY_DELAY_MS);
  }
}

async function bind(host: string, port: number, credentials: grpc.ServerCredentials, onStream: (stream: ChaincodeStream) => void): Promise<ListeningServer> {
  const server = new grpc.Server(GRPC_CHANNEL_OPTIONS);
  server.addService(CHAINCODE_SUPPORT_SERVICE, {
    register: (call: grpc.ServerDuplexStream<Buffer, Buffer>) => {
      const fingerprint = call.getAuthContext()?.sslPeerCertificate?.fingerprint256;
      onStream(streamFromDuplex(call, 'grpc', call.getPeer(), fingerprint));
    },
  });
  try {
    const bound = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`${host.includes(':') ? `[${host}]` : host}:${port}`, credentials, (err, p) => (err ? reject(err) : resolve(p))),
    );
    return listening(server, host, bound);
  } catch (err) {
    server.forceShutdown();
    throw err;
  }
}

function listening(server: grpc.Server, host: string, port: number): ListeningServer {
  return {
    host,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        // Give streams a moment to end cleanly, then cut whatever is left.
        const force = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, 500);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      }),
  };
}
