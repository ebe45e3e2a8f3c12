/**
 * Chaincode as a service (Fabric 2.x extcc): the peer dials the chaincode's own gRPC server,
 * `protos.Chaincode/Connect`, and runs the same handler on that stream. The chaincode still sends
 * REGISTER first (started with `fabric-chaincode-node server` or the Go shim's ChaincodeServer).
 */
import * as grpc from '@grpc/grpc-js';
import type { ChaincodeStream } from './stream';
import { streamFromDuplex } from './stream';
import { CHAINCODE_SERVICE_PATH, GRPC_CHANNEL_OPTIONS } from './server';

/** Fabric's connection.json, the part we use. PEM strings. */
export interface ChaincodeServerConnection {
  readonly address: string;
  /** Fabric's dial_timeout; default 3 s. */
  readonly dialTimeoutMs?: number;
  readonly tls?: { readonly rootCertPem: string; readonly clientKeyPem?: string; readonly clientCertPem?: string };
}

const passThrough = (b: Buffer): Buffer => b;

/** Dials the chaincode server; resolves with the open stream or rejects with why it could not connect. */
export async function connectToChaincodeServer(connection: ChaincodeServerConnection): Promise<{ stream: ChaincodeStream; close: () => void }> {
  const credentials = connection.tls
    ? grpc.credentials.createSsl(
        Buffer.from(connection.tls.rootCertPem),
        connection.tls.clientKeyPem ? Buffer.from(connection.tls.clientKeyPem) : null,
        connection.tls.clientCertPem ? Buffer.from(connection.tls.clientCertPem) : null,
      )
    : grpc.credentials.createInsecure();
  // A connection of its own, as each Fabric peer dials from its own process: grpc-js would otherwise
  // share one HTTP/2 connection between every org's peer dialling the same server.
  const client = new grpc.Client(connection.address, credentials, { ...GRPC_CHANNEL_OPTIONS, 'grpc.use_local_subchannel_pool': 1 });
  const deadline = Date.now() + (connection.dialTimeoutMs ?? 3000);
  try {
    await new Promise<void>((resolve, reject) => client.waitForReady(deadline, (err) => (err ? reject(err) : resolve())));
  } catch (err) {
    client.close();
    throw new Error(`cannot connect to the chaincode server at ${connection.address}: ${(err as Error).message}`, { cause: err });
  }
  const call = client.makeBidiStreamRequest<Buffer, Buffer>(CHAINCODE_SERVICE_PATH, passThrough, passThrough);
  const stream = streamFromDuplex(call, 'ccaas', connection.address);
  stream.onClose(() => client.close());
  return {
    stream,
    close: () => {
      stream.end('the peer closed the connection');
      client.close();
    },
  };
}
