/**
 * An organisation's crypto material made as Fabric's `cryptogen generate` makes it for
 * `PeerOrgs: [{Domain: <domain>, EnableNodeOUs: true, Template: {Count: 1, SANS: [localhost]},
 * Users: {Count: 1}}]` (the test-network's crypto-config), checked against
 * `internal/cryptogen/{ca,msp}` and cmd/cryptogen:
 * - CAs `ca.<domain>` and `tlsca.<domain>`: subject C=US, ST=California, L=San Francisco,
 *   O=<domain>, CN=…; key usage digitalSignature|keyEncipherment|certSign|crlSign; EKU client+server;
 *   SKI = SHA-256 of the public point.
 * - signing leaves: C, ST, L, OU=<client|peer|admin>, CN (no O); key usage digitalSignature; no EKU;
 *   AKI = the CA's SKI.
 * - TLS leaves: no OU; keyEncipherment too; EKU server+client; SANs CN and hostname (and, as in the
 *   test-network, localhost; we add 127.0.0.1 so clients may dial the address).
 * - random 128-bit serials; ten years from now−5 min; P-256 keys as PKCS#8 `priv_sk`.
 * Pure: returns the files; writing them is the caller's job.
 */
import * as path from 'path';
import { encodePem } from '../crypto/pem';
import { generateP256, privateKeyPem } from '../crypto/p256Keys';
import { backdatedNow, createCertificate, KeyUsage, randomSerial, sha256KeyId, type CertificateIssuer } from '../crypto/x509Writer';
import { encodeName, goRdnSequence, type GoName } from '../crypto/x509Name';
import { nodeOusConfigYaml, OrgLayout, type NodePaths, type NodeRole } from './cryptoLayout';
import type { OrgSpec } from './orgSpec';

const TEN_YEARS_MS = 3650 * 24 * 3600 * 1000;
const SUBJECT_BASE: GoName = { country: ['US'], province: ['California'], locality: ['San Francisco'] };

/** One file of the org folder (relative path), or an empty directory (`contents` null). */
export interface CryptoFile {
  readonly path: string;
  readonly contents: string | null;
  /** Private keys: written 0600. */
  readonly secret: boolean;
}

/** A CA that can sign: its certificate (DER) and key. */
export interface CaMaterial {
  readonly name: string;
  readonly certDer: Buffer;
  readonly issuer: CertificateIssuer;
}

/** cryptogen's `ca.NewCA`: a self-signed CA for `<prefix>.<domain>`. */
export function newCa(domain: string, prefix: 'ca' | 'tlsca', now = Date.now()): CaMaterial & { readonly keyPem: string } {
  const keys = generateP256();
  const ski = sha256KeyId(keys.publicKey);
  const name = `${prefix}.${domain}`;
  const subject = goRdnSequence({ ...SUBJECT_BASE, organization: [domain], commonName: name });
  const notBefore = backdatedNow(now);
  const certDer = createCertificate(
    {
      serialNumber: randomSerial(),
      subject,
      notBefore,
      notAfter: new Date(notBefore.getTime() + TEN_YEARS_MS),
      publicKey: keys.publicKey,
      isCA: true,
      keyUsage: KeyUsage.digitalSignature | KeyUsage.keyEncipherment | KeyUsage.certSign | KeyUsage.crlSign,
      extKeyUsage: ['clientAuth', 'serverAuth'],
      subjectKeyId: ski,
    },
    { selfKey: keys.privateKey },
  );
  return { name, certDer, issuer: { subject: encodeName(subject), subjectKeyId: ski, privateKey: keys.privateKey }, keyPem: privateKeyPem(keys.privateKey) };
}

export interface LeafOptions {
  readonly commonName: string;
  readonly organizationalUnits: readonly string[];
  readonly tls: boolean;
  readonly sans?: readonly string[];
  readonly now?: number;
}

/** cryptogen's `ca.SignCertificate` for a new key: the certificate PEM and the key PEM. */
export function issueLeaf(ca: CaMaterial, options: LeafOptions): { readonly certPem: string; readonly keyPem: string } {
  const keys = generateP256();
  const notBefore = backdatedNow(options.now);
  const sans = options.sans ?? [];
  const isIp = (s: string): boolean => /^\d{1,3}(\.\d{1,3}){3}$/.test(s);
  const der = createCertificate(
    {
      serialNumber: randomSerial(),
      subject: goRdnSequence({ ...SUBJECT_BASE, organizationalUnit: options.organizationalUnits, commonName: options.commonName }),
      notBefore,
      notAfter: new Date(notBefore.getTime() + TEN_YEARS_MS),
      publicKey: keys.publicKey,
      isCA: false,
      keyUsage: options.tls ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment : KeyUsage.digitalSignature,
      extKeyUsage: options.tls ? ['serverAuth', 'clientAuth'] : [],
      dnsNames: sans.filter((s) => !isIp(s)),
      ipAddresses: sans.filter(isIp),
    },
    ca.issuer,
  );
  return { certPem: encodePem('CERTIFICATE', der), keyPem: privateKeyPem(keys.privateKey) };
}

interface OrgCas {
  readonly ca: CaMaterial;
  readonly tlsCa: CaMaterial;
}

/** cryptogen's `msp.GenerateLocalMSP` with NodeOUs: a node's `msp/` and `tls/` folders. */
export function localMspFiles(layout: OrgLayout, node: NodePaths, commonName: string, role: NodeRole, cas: OrgCas, sans: readonly string[], now?: number): CryptoFile[] {
  const signing = issueLeaf(cas.ca, { commonName, organizationalUnits: [role], tls: false, now });
  const tls = issueLeaf(cas.tlsCa, { commonName, organizationalUnits: [], tls: true, sans, now });
  return [
    ...verifyingMspFiles(layout, node.mspDir, cas),
    file(layout, node.key, signing.keyPem, true),
    file(layout, node.signcert, signing.certPem),
    file(layout, node.tlsCa, encodePem('CERTIFICATE', cas.tlsCa.certDer)),
    file(layout, node.tlsCert, tls.certPem),
    file(layout, node.tlsKey, tls.keyPem, true),
  ];
}

/** cryptogen's `msp.GenerateVerifyingMSP` with NodeOUs: CA certs, config.yaml, empty admincerts/. */
export function verifyingMspFiles(layout: OrgLayout, mspDir: string, cas: OrgCas): CryptoFile[] {
  const caFile = `${cas.ca.name}-cert.pem`;
  return [
    { path: path.relative(layout.root, path.join(mspDir, 'admincerts')), contents: null, secret: false },
    file(layout, path.join(mspDir, 'cacerts', caFile), encodePem('CERTIFICATE', cas.ca.certDer)),
    file(layout, path.join(mspDir, 'tlscacerts', `${cas.tlsCa.name}-cert.pem`), encodePem('CERTIFICATE', cas.tlsCa.certDer)),
    file(layout, path.join(mspDir, 'config.yaml'), nodeOusConfigYaml(caFile)),
  ];
}

function file(layout: OrgLayout, absolute: string, contents: string, secret = false): CryptoFile {
  return { path: path.relative(layout.root, absolute), contents, secret };
}

/** Everything `cryptogen generate` writes for one peer org (peer0, User1, Admin), in memory. */
export function generateOrgCrypto(spec: OrgSpec, layout: OrgLayout, now = Date.now()): CryptoFile[] {
  const ca = newCa(spec.domain, 'ca', now);
  const tlsCa = newCa(spec.domain, 'tlsca', now);
  const cas = { ca, tlsCa };
  const peerName = layout.peerName();
  return [
    file(layout, layout.caCert, encodePem('CERTIFICATE', ca.certDer)),
    file(layout, layout.caKey, ca.keyPem, true),
    file(layout, layout.tlsCaCert, encodePem('CERTIFICATE', tlsCa.certDer)),
    file(layout, layout.tlsCaKey, tlsCa.keyPem, true),
    ...verifyingMspFiles(layout, layout.mspDir, cas),
    ...localMspFiles(layout, layout.peer(), peerName, 'peer', cas, [peerName, 'peer0', 'localhost', '127.0.0.1'], now),
    ...localMspFiles(layout, layout.user('User1'), layout.userName('User1'), 'client', cas, [], now),
    ...localMspFiles(layout, layout.user('Admin'), layout.userName('Admin'), 'admin', cas, [], now),
  ];
}
