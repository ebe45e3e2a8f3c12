/**
 * The peer's chaincode gRPC server: `protos.ChaincodeSupport/Register`, with Fabric's 100 MiB
 * message limits. Frames pass through as raw Buffers so the handler, not grpc-js, decides what a
 * malformed message means.
 */
import * as grpc from '@grpc/grpc-js';
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

export async function startChaincodeServer(
  host: string,
  port: number,
  tls: ServerTls | null,
  onStream: (stream: ChaincodeStream) => void,
): Promise<ListeningServer> {
  const server = new grpc.Server(GRPC_CHANNEL_OPTIONS);
  server.addService(CHAINCODE_SUPPORT_SERVICE, {
    register: (call: grpc.ServerDuplexStream<Buffer, Buffer>) => {
      const fingerprint = call.getAuthContext()?.sslPeerCertificate?.fingerprint256;
      onStream(streamFromDuplex(call, 'grpc', call.getPeer(), fingerprint));
    },
  });
  const credentials = tls
    ? // Mutual TLS: a client without a certificate issued by our CA is refused in the handshake.
      grpc.ServerCredentials.createSsl(Buffer.from(tls.rootCertPem), [{ cert_chain: Buffer.from(tls.certPem), private_key: Buffer.from(tls.keyPem) }], true)
    : grpc.ServerCredentials.createInsecure();
  const bound = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${host.includes(':') ? `[${host}]` : host}:${port}`, credentials, (err, p) => (err ? reject(err) : resolve(p))),
  );
  return {
    host,
    port: bound,
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
