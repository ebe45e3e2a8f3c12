/**
 * The real `@hyperledger/fabric-gateway` Node client, connected as the fabric-samples applications
 * connect: TLS with the peer's `tls/ca.crt` and host name `peer0.<domain>`, a user's certificate
 * and key read from the crypto folder (the first file of signcerts/ and keystore/).
 */
import * as grpc from '@grpc/grpc-js';
import { connect, hash, signers, type ConnectOptions, type Gateway, type Identity, type Signer } from '@hyperledger/fabric-gateway';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

export interface GatewayConnection {
  readonly gateway: Gateway;
  readonly client: grpc.Client;
  readonly identity: Identity;
  close(): void;
}

export interface ClientOptions {
  /** The peer's org's crypto folder (…/peerOrganizations/org1.example.com): its TLS CA. */
  readonly cryptoPath: string;
  /** The user's org's crypto folder, when another org's (default: cryptoPath). */
  readonly userCryptoPath?: string;
  readonly port: number;
  /** Default User1. */
  readonly user?: string;
  readonly mspId?: string;
  /** Overrides of the identity or signer (wrong-identity tests); signer null: offline signing only. */
  readonly identity?: Identity;
  readonly signer?: Signer | null;
  /** Extra connect options (deadlines…). */
  readonly options?: Partial<ConnectOptions>;
}

function firstFile(dir: string): string {
  const name = fs
    .readdirSync(dir)
    .filter((f) => !f.startsWith('.'))
    .sort()[0];
  if (!name) throw new Error(`no file in ${dir}`);
  return path.join(dir, name);
}

/** The domain the crypto folder is named after, e.g. org1.example.com. */
export function domainOf(cryptoPath: string): string {
  return path.basename(cryptoPath);
}

/** A user's certificate and private key as the samples read them. */
export function userCredentials(cryptoPath: string, user = 'User1'): { certPem: string; keyPem: string } {
  const msp = path.join(cryptoPath, 'users', `${user}@${domainOf(cryptoPath)}`, 'msp');
  return { certPem: fs.readFileSync(firstFile(path.join(msp, 'signcerts')), 'utf8'), keyPem: fs.readFileSync(firstFile(path.join(msp, 'keystore')), 'utf8') };
}

export function grpcClient(cryptoPath: string, port: number): grpc.Client {
  const domain = domainOf(cryptoPath);
  const tlsRootCert = fs.readFileSync(path.join(cryptoPath, 'peers', `peer0.${domain}`, 'tls', 'ca.crt'));
  return new grpc.Client(`localhost:${port}`, grpc.credentials.createSsl(tlsRootCert), { 'grpc.ssl_target_name_override': `peer0.${domain}` });
}

export function connectGateway(options: ClientOptions): GatewayConnection {
  const client = grpcClient(options.cryptoPath, options.port);
  const { certPem, keyPem } = userCredentials(options.userCryptoPath ?? options.cryptoPath, options.user);
  const identity = options.identity ?? { mspId: options.mspId ?? 'Org1MSP', credentials: Buffer.from(certPem) };
  const gateway = connect({
    client,
    identity,
    ...(options.signer === null ? {} : { signer: options.signer ?? signers.newPrivateKeySigner(crypto.createPrivateKey(keyPem)) }),
    hash: hash.sha256,
    ...options.options,
  });
  return {
    gateway,
    client,
    identity,
    close: () => {
      gateway.close();
      client.close();
    },
  };
}
