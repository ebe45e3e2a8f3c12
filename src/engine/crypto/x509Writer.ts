/**
 * X.509 v3 certificates encoded as Go's `x509.CreateCertificate` encodes them, the way cryptogen
 * and Fabric CA make Fabric's certificates: extensions in Go's order (key usage, extended key
 * usage, basic constraints, subject key id, authority key id, subject alternative names, then
 * extra extensions), Go's bit-string and boolean forms, and an ECDSA-with-SHA256 signature with a
 * low S, as cryptogen's signer (`csp.ECDSASigner`) guarantees.
 */
import { createHash, KeyObject, randomBytes } from 'crypto';
import { publicPoint, spkiOf } from './p256Keys';
import { bitString, booleanTrue, bytesToBigInt, contextTag, integer, octetString, oid, sequence, time, tlv } from './der';
import { signMessage } from './ecdsa';
import { encodeName, type Rdn } from './x509Name';

/** Go's x509.KeyUsage bits. */
export const KeyUsage = {
  digitalSignature: 1 << 0,
  contentCommitment: 1 << 1,
  keyEncipherment: 1 << 2,
  dataEncipherment: 1 << 3,
  keyAgreement: 1 << 4,
  certSign: 1 << 5,
  crlSign: 1 << 6,
} as const;

export const ExtKeyUsageOid = {
  any: '2.5.29.37.0',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
} as const;
export type ExtKeyUsage = keyof typeof ExtKeyUsageOid;

export const ExtensionOid = {
  subjectKeyId: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyId: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  /** Fabric CA's attributes (`lib/attrmgr`): the raw JSON bytes, no inner ASN.1 string. */
  fabricAttributes: '1.2.3.4.5.6.7.8.1',
} as const;

const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';

export interface RawExtension {
  readonly oid: string;
  readonly critical: boolean;
  readonly value: Uint8Array;
}

export interface CertificateTemplate {
  readonly serialNumber: bigint;
  readonly subject: readonly Rdn[];
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly publicKey: KeyObject;
  /** Basic constraints are always written (cryptogen and Fabric CA set BasicConstraintsValid). */
  readonly isCA: boolean;
  /** Go KeyUsage bits; 0 writes no extension. */
  readonly keyUsage: number;
  readonly extKeyUsage?: readonly ExtKeyUsage[];
  readonly subjectKeyId?: Uint8Array;
  readonly dnsNames?: readonly string[];
  readonly ipAddresses?: readonly string[];
  readonly extraExtensions?: readonly RawExtension[];
}

/** Who signs: the issuing CA (its subject, key and SKI), or the template itself when self-signed. */
export interface CertificateIssuer {
  readonly subject: Buffer;
  readonly subjectKeyId: Uint8Array | null;
  readonly privateKey: KeyObject;
}

/** A positive serial below 2^(8·bytes) (cryptogen: 128 bits; cfssl: 20 bytes with the top bit clear). */
export function randomSerial(bytes = 16): bigint {
  for (;;) {
    const buf = randomBytes(bytes);
    if (bytes > 16) buf[0] &= 0x7f;
    const serial = bytesToBigInt(buf);
    if (serial > 0n) return serial;
  }
}

/** cryptogen's (and cfssl's) validity start: now rounded to the minute, minus five minutes. */
export function backdatedNow(now = Date.now()): Date {
  return new Date(Math.round(now / 60_000) * 60_000 - 5 * 60_000);
}

/** cryptogen's `priv.SKI()`: SHA-256 of the uncompressed EC point. */
export function sha256KeyId(publicKey: KeyObject): Buffer {
  return createHash('sha256').update(ecPoint(publicKey)).digest();
}

/** RFC 5280 method 1 (cfssl, Go's default for CAs): SHA-1 of the EC point. */
export function sha1KeyId(publicKey: KeyObject): Buffer {
  return createHash('sha1').update(ecPoint(publicKey)).digest();
}

function ecPoint(publicKey: KeyObject): Buffer {
  return publicPoint(publicKey);
}

/** Go's marshalKeyUsage: the bits reversed into a minimal BIT STRING. */
function keyUsageValue(bits: number): Buffer {
  const reverse = (b: number): number => {
    let r = 0;
    for (let i = 0; i < 8; i++) if (b & (1 << i)) r |= 0x80 >> i;
    return r;
  };
  const bytes = [reverse(bits & 0xff), reverse((bits >> 8) & 0xff)];
  const used = bytes[1] ? bytes : bytes.slice(0, 1);
  const last = used[used.length - 1];
  let unused = 0;
  while (unused < 8 && last !== 0 && !(last & (1 << unused))) unused++;
  return bitString(Buffer.from(used), last === 0 ? 0 : unused);
}

function extension(id: string, critical: boolean, value: Uint8Array): Buffer {
  return critical ? sequence(oid(id), booleanTrue(), octetString(value)) : sequence(oid(id), octetString(value));
}

function ipBytes(ip: string): Buffer {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!v4) throw new Error(`only IPv4 addresses are supported in certificates, not ${ip}`);
  return Buffer.from(v4.slice(1).map(Number));
}

function extensions(t: CertificateTemplate, authorityKeyId: Uint8Array | null): Buffer[] {
  const out: Buffer[] = [];
  if (t.keyUsage) out.push(extension(ExtensionOid.keyUsage, true, keyUsageValue(t.keyUsage)));
  if (t.extKeyUsage?.length) out.push(extension(ExtensionOid.extKeyUsage, false, sequence(...t.extKeyUsage.map((u) => oid(ExtKeyUsageOid[u])))));
  out.push(extension(ExtensionOid.basicConstraints, true, t.isCA ? sequence(booleanTrue()) : sequence()));
  if (t.subjectKeyId?.length) out.push(extension(ExtensionOid.subjectKeyId, false, octetString(t.subjectKeyId)));
  if (authorityKeyId?.length) out.push(extension(ExtensionOid.authorityKeyId, false, sequence(tlv(contextTag(0, false), authorityKeyId))));
  const sans = [
    ...(t.dnsNames ?? []).map((d) => tlv(contextTag(2, false), Buffer.from(d, 'latin1'))),
    ...(t.ipAddresses ?? []).map((ip) => tlv(contextTag(7, false), ipBytes(ip))),
  ];
  if (sans.length) out.push(extension(ExtensionOid.subjectAltName, false, sequence(...sans)));
  for (const e of t.extraExtensions ?? []) out.push(extension(e.oid, e.critical, e.value));
  return out;
}

/**
 * Creates a certificate (DER). Without `issuer` it is self-signed with `selfKey`; as in Go, a
 * self-signed certificate carries no authority key id, an issued one its issuer's SKI.
 */
export function createCertificate(template: CertificateTemplate, issuer: CertificateIssuer | { readonly selfKey: KeyObject }): Buffer {
  const selfSigned = 'selfKey' in issuer;
  const subject = encodeName(template.subject);
  const issuerName = selfSigned ? subject : issuer.subject;
  const signingKey = selfSigned ? issuer.selfKey : issuer.privateKey;
  const algorithm = sequence(oid(ECDSA_WITH_SHA256));
  const tbs = sequence(
    tlv(contextTag(0, true), integer(2)),
    integer(template.serialNumber),
    algorithm,
    issuerName,
    sequence(time(template.notBefore), time(template.notAfter)),
    subject,
    spkiOf(publicPoint(template.publicKey)),
    tlv(contextTag(3, true), sequence(...extensions(template, selfSigned ? null : issuer.subjectKeyId))),
  );
  return sequence(tbs, algorithm, bitString(signMessage(signingKey, tbs)));
}
