/**
 * Reads the parts of an X.509 certificate Fabric's MSP looks at: names (with every OU, in order),
 * validity, basic constraints, key usages, key identifiers, extensions (Fabric CA's attributes)
 * and the public key. Pure DER walking plus node:crypto for the key, so parsing costs
 * microseconds and loads no ASN.1 library.
 */
import { KeyObject, verify as nodeVerify } from 'crypto';
import { importSpki } from './p256Keys';
import { bytesToBigInt, children, decodeOid, decodeTime, DerError, expect, readTlv, Tag, type Tlv } from './der';
import { ExtensionOid, ExtKeyUsageOid, type RawExtension } from './x509Writer';
import { decodeName, type Rdn } from './x509Name';

export class CertificateParseError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CertificateParseError';
  }
}

export interface ParsedCertificate {
  readonly der: Buffer;
  /** The signed part, exactly as encoded. */
  readonly tbs: Buffer;
  readonly serialNumber: bigint;
  readonly issuerRaw: Buffer;
  readonly subjectRaw: Buffer;
  readonly issuer: readonly Rdn[];
  readonly subject: readonly Rdn[];
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly spki: Buffer;
  readonly publicKey: KeyObject;
  /** 'ec' with its curve, or another key type Fabric's X.509 MSP does not take. */
  readonly keyType: string;
  readonly extensions: readonly RawExtension[];
  readonly signatureAlgorithm: string;
  readonly signature: Buffer;
  /** Go's `BasicConstraintsValid && IsCA`. */
  readonly isCA: boolean;
  readonly basicConstraintsValid: boolean;
  /** Go KeyUsage bits, or 0 when there is no key usage extension. */
  readonly keyUsage: number;
  /** Extended key usage OIDs, or null when there is no such extension. */
  readonly extKeyUsage: readonly string[] | null;
  readonly subjectKeyId: Buffer | null;
  readonly authorityKeyId: Buffer | null;
}

export const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';

/** Parses a DER certificate; throws CertificateParseError (with Go-like detail) when malformed. */
export function parseCertificate(der: Uint8Array): ParsedCertificate {
  try {
    return parse(Buffer.from(der.buffer, der.byteOffset, der.byteLength));
  } catch (err) {
    if (err instanceof CertificateParseError) throw err;
    throw new CertificateParseError(`x509: malformed certificate (${(err as Error).message})`, { cause: err });
  }
}

function parse(der: Buffer): ParsedCertificate {
  const cert = readTlv(der);
  if (cert.end !== der.length) throw new CertificateParseError('x509: trailing data');
  const [tbsTlv, algTlv, sigTlv] = children(expect(cert, Tag.SEQUENCE, 'Certificate').content);
  const fields = children(expect(tbsTlv, Tag.SEQUENCE, 'TBSCertificate').content);
  let i = 0;
  if (fields[0]?.tag === 0xa0) i++; // [0] version
  const serial = expect(fields[i++], Tag.INTEGER, 'serialNumber');
  i++; // signature algorithm (repeated outside)
  const issuer = expect(fields[i++], Tag.SEQUENCE, 'issuer');
  const validity = children(expect(fields[i++], Tag.SEQUENCE, 'validity').content);
  const subject = expect(fields[i++], Tag.SEQUENCE, 'subject');
  const spki = expect(fields[i++], Tag.SEQUENCE, 'subjectPublicKeyInfo');
  const extensions: RawExtension[] = [];
  for (const f of fields.slice(i)) {
    if (f.tag !== 0xa3) continue; // issuer/subject unique ids
    for (const ext of children(expect(readTlv(f.content), Tag.SEQUENCE, 'extensions').content)) extensions.push(parseExtension(ext));
  }
  const publicKey = importSpki(spki.raw);
  const details = publicKey.asymmetricKeyDetails;
  const keyType = publicKey.asymmetricKeyType === 'ec' ? `ec:${details?.namedCurve ?? '?'}` : String(publicKey.asymmetricKeyType);
  const sigBits = expect(sigTlv, Tag.BIT_STRING, 'signatureValue').content;
  const [algOid] = children(expect(algTlv, Tag.SEQUENCE, 'signatureAlgorithm').content);
  const find = (id: string): RawExtension | undefined => extensions.find((e) => e.oid === id);
  const bc = find(ExtensionOid.basicConstraints);
  const bcItems = bc ? children(expect(readTlv(bc.value), Tag.SEQUENCE, 'basicConstraints').content) : [];
  const isCA = bcItems[0]?.tag === Tag.BOOLEAN && bcItems[0].content[0] !== 0;
  const ku = find(ExtensionOid.keyUsage);
  const eku = find(ExtensionOid.extKeyUsage);
  const ski = find(ExtensionOid.subjectKeyId);
  const aki = find(ExtensionOid.authorityKeyId);
  const akiId = aki ? children(expect(readTlv(aki.value), Tag.SEQUENCE, 'authorityKeyIdentifier').content).find((t) => t.tag === 0x80) : undefined;
  return {
    der,
    tbs: tbsTlv.raw,
    serialNumber: bytesToBigInt(serial.content),
    issuerRaw: issuer.raw,
    subjectRaw: subject.raw,
    issuer: decodeName(issuer),
    subject: decodeName(subject),
    notBefore: decodeTime(validity[0]),
    notAfter: decodeTime(validity[1]),
    spki: spki.raw,
    publicKey,
    keyType,
    extensions,
    signatureAlgorithm: decodeOid(expect(algOid, Tag.OID, 'algorithm').content),
    signature: sigBits.subarray(1),
    isCA,
    basicConstraintsValid: bc !== undefined,
    keyUsage: ku ? keyUsageBits(expect(readTlv(ku.value), Tag.BIT_STRING, 'keyUsage').content) : 0,
    extKeyUsage: eku ? children(expect(readTlv(eku.value), Tag.SEQUENCE, 'extKeyUsage').content).map((o) => decodeOid(o.content)) : null,
    subjectKeyId: ski ? Buffer.from(expect(readTlv(ski.value), Tag.OCTET_STRING, 'subjectKeyIdentifier').content) : null,
    authorityKeyId: akiId ? Buffer.from(akiId.content) : null,
  };
}

function parseExtension(ext: Tlv): RawExtension {
  const parts = children(expect(ext, Tag.SEQUENCE, 'extension').content);
  const id = decodeOid(expect(parts[0], Tag.OID, 'extnID').content);
  const critical = parts[1]?.tag === Tag.BOOLEAN ? parts[1].content[0] !== 0 : false;
  const value = expect(parts[parts.length - 1], Tag.OCTET_STRING, 'extnValue').content;
  if (parts.length > 3) throw new DerError('extension: too many elements');
  return { oid: id, critical, value: Buffer.from(value) };
}

/** A BIT STRING of key usages back into Go's KeyUsage bits. */
function keyUsageBits(content: Buffer): number {
  let bits = 0;
  for (let byte = 0; byte < content.length - 1 && byte < 2; byte++) {
    for (let bit = 0; bit < 8; bit++) if (content[1 + byte] & (0x80 >> bit)) bits |= 1 << (byte * 8 + bit);
  }
  return bits;
}

/** Whether `cert`'s signature verifies with `issuerKey` (ECDSA-SHA256; any S, as Go's x509 accepts). */
export function isSignedBy(cert: ParsedCertificate, issuerKey: KeyObject): boolean {
  if (cert.signatureAlgorithm !== ECDSA_WITH_SHA256) return false;
  try {
    return nodeVerify('sha256', cert.tbs, issuerKey, cert.signature);
  } catch {
    return false;
  }
}

/** Whether the certificate allows TLS server use in Go's chain check: no EKU, serverAuth or any. */
export function allowsServerAuth(cert: ParsedCertificate): boolean {
  return cert.extKeyUsage === null || cert.extKeyUsage.includes(ExtKeyUsageOid.serverAuth) || cert.extKeyUsage.includes(ExtKeyUsageOid.any);
}
