/**
 * X.509 certificates made with Node's WebCrypto (ECDSA P-256, as Fabric's tlsgen and cryptogen do):
 * a CA, and certificates it issues for identities (the transaction creator) and for TLS.
 * @peculiar/x509 writes the ASN.1; Node's crypto does all key work. Pure JS, no native modules.
 */
import 'reflect-metadata';
import { webcrypto, KeyObject, randomBytes } from 'crypto';
import * as x509 from '@peculiar/x509';
import { generateP256 } from './p256Keys';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

type CryptoKey = webcrypto.CryptoKey;

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const TEN_YEARS_MS = 10 * 365 * 24 * 3600 * 1000;

/** A certificate and its private key, both PEM (the key as PKCS#8, which every shim accepts). */
export interface KeyPairPem {
  readonly certPem: string;
  readonly keyPem: string;
}

export interface IssueOptions {
  /** Distinguished name, e.g. `C=US, O=Org1, OU=client, CN=user1`. */
  readonly subject: string;
  readonly usage: 'client' | 'server' | 'identity';
  /** Subject alternative names for servers: IPs and DNS names. */
  readonly hosts?: readonly string[];
}

type CryptoKeyPair = { privateKey: CryptoKey; publicKey: CryptoKey };

function serialNumber(): string {
  // Positive, 16 bytes: clear the top bit so DER does not read it as negative.
  const bytes = randomBytes(16);
  bytes[0] &= 0x7f;
  return bytes.toString('hex');
}

function validity(): { notBefore: Date; notAfter: Date } {
  const now = Date.now();
  // Back-date a little: a container's clock may lag the host's.
  return { notBefore: new Date(now - 3600_000), notAfter: new Date(now + TEN_YEARS_MS) };
}

/** WebCrypto keys made by `generateP256` (WebCrypto's own generateKey has Node 20's key-generation deadlock). */
async function generateKeys(): Promise<CryptoKeyPair> {
  const { privateKey, publicKey } = generateP256();
  return {
    privateKey: await webcrypto.subtle.importKey('jwk', privateKey.export({ format: 'jwk' }), ALGORITHM, true, ['sign']),
    publicKey: await webcrypto.subtle.importKey('jwk', publicKey.export({ format: 'jwk' }), ALGORITHM, true, ['verify']),
  };
}

function keyToPem(key: CryptoKey): string {
  return KeyObject.from(key).export({ type: 'pkcs8', format: 'pem' }).toString();
}

async function importPrivateKey(pem: string): Promise<CryptoKey> {
  const der = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  return webcrypto.subtle.importKey('pkcs8', der, ALGORITHM, true, ['sign']);
}

function isIp(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':');
}

/** A self-signed certificate authority. */
export async function createCertificateAuthority(subject: string): Promise<KeyPairPem> {
  const keys = await generateKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: subject,
    ...validity(),
    keys,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: keyToPem(keys.privateKey) };
}

/** A certificate issued by `ca` for a client, a server or a signing identity. */
export async function issueCertificate(ca: KeyPairPem, options: IssueOptions): Promise<KeyPairPem> {
  const keys = await generateKeys();
  const caCert = new x509.X509Certificate(ca.certPem);
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
    await x509.AuthorityKeyIdentifierExtension.create(caCert, false),
  ];
  if (options.usage !== 'identity') {
    const purpose = options.usage === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth;
    extensions.push(new x509.ExtendedKeyUsageExtension([purpose, x509.ExtendedKeyUsage.clientAuth]));
  }
  if (options.hosts?.length) {
    extensions.push(new x509.SubjectAlternativeNameExtension(options.hosts.map((h) => (isIp(h) ? { type: 'ip', value: h } : { type: 'dns', value: h }))));
  }
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: options.subject,
    issuer: caCert.subject,
    ...validity(),
    signingKey: await importPrivateKey(ca.keyPem),
    publicKey: keys.publicKey,
    signingAlgorithm: ALGORITHM,
    extensions,
  });
  return { certPem: cert.toString('pem'), keyPem: keyToPem(keys.privateKey) };
}

/** The subject DN of a PEM certificate in OpenSSL's one-line form, for display. */
export function certificateSubject(certPem: string): string {
  return new x509.X509Certificate(certPem).subject;
}
