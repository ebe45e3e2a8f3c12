/**
 * An identity that can sign: a certificate and its private key, with the `SerializedIdentity`
 * Fabric puts in signature headers and endorsements. Proposals, transactions and endorsements are
 * signed with `sign` (ECDSA P-256 over SHA-256, DER, low S).
 */
import type { KeyObject } from 'crypto';
import { signMessage, verifyMessage } from '../crypto/ecdsa';
import { importPrivateKeyPem } from '../crypto/p256Keys';
import { decodeFirstPem, encodePem } from '../crypto/pem';
import { parseCertificate, type ParsedCertificate } from '../crypto/x509Reader';
import { attributeValues, formatName } from '../crypto/x509Name';
import { codecs } from '../wire/codec';

/** The Fabric NodeOU roles an identity can carry. */
export type IdentityRole = 'client' | 'peer' | 'admin' | 'orderer';
export const IDENTITY_ROLES: readonly IdentityRole[] = ['client', 'peer', 'admin', 'orderer'];

/** Where an identity's MSP folder is on disk, for client applications. */
export interface IdentityFiles {
  readonly mspDir: string;
  readonly certFile: string;
  readonly keyFile: string;
}

export class IdentityLoadError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IdentityLoadError';
  }
}

const KEY_CHECK = Buffer.from('key belongs to certificate');

export class SigningIdentity {
  /** Go's pem.EncodeToMemory of the certificate: what `SerializedIdentity.id_bytes` holds. */
  readonly certPem: string;
  /** `msp.SerializedIdentity{mspid, id_bytes}`: the creator or endorser bytes. */
  readonly serialized: Buffer;
  /** The subject in certificate order, e.g. `C=US, ST=California, L=San Francisco, OU=client, CN=User1@org1.example.com`. */
  readonly subject: string;
  /** The NodeOU role in the certificate's OUs (null when it carries none or several). */
  readonly role: IdentityRole | null;

  private constructor(
    readonly mspId: string,
    /** The short name: `User1`, `Admin`, `peer0`, or the name an identity was created with. */
    readonly name: string,
    readonly cert: ParsedCertificate,
    private readonly privateKey: KeyObject,
    readonly files: IdentityFiles | null,
  ) {
    this.certPem = encodePem('CERTIFICATE', cert.der);
    this.serialized = codecs.SerializedIdentity.encode({ mspid: mspId, id_bytes: Buffer.from(this.certPem) });
    this.subject = formatName(cert.subject);
    const roles = attributeValues(cert.subject, 'OU').filter((ou): ou is IdentityRole => (IDENTITY_ROLES as readonly string[]).includes(ou));
    this.role = roles.length === 1 ? roles[0] : null;
  }

  /** From PEM texts; throws IdentityLoadError when either does not parse or the key is not the certificate's. */
  static fromPem(mspId: string, name: string, certPem: string, keyPem: string, files: IdentityFiles | null = null): SigningIdentity {
    const where = files ? ` (${files.mspDir})` : '';
    const block = decodeFirstPem(certPem);
    if (!block) throw new IdentityLoadError(`the certificate of ${name}${where} is not PEM`);
    let cert: ParsedCertificate;
    let key: KeyObject;
    try {
      cert = parseCertificate(block.der);
      key = importPrivateKeyPem(keyPem);
    } catch (err) {
      throw new IdentityLoadError(`the certificate or key of ${name}${where} does not parse: ${(err as Error).message}`, { cause: err });
    }
    if (cert.keyType !== 'ec:prime256v1') throw new IdentityLoadError(`the key of ${name}${where} is ${cert.keyType}; Fabric identities here are ECDSA P-256`);
    // A signature the certificate's key verifies proves the pair (one sign and one verify: cheap).
    try {
      verifyMessage(cert.publicKey, KEY_CHECK, signMessage(key, KEY_CHECK));
    } catch {
      throw new IdentityLoadError(`the private key of ${name}${where} does not belong to its certificate`);
    }
    return new SigningIdentity(mspId, name, cert, key, files);
  }

  /** A low-S DER ECDSA signature over SHA-256(message). */
  sign(message: Uint8Array): Buffer {
    return signMessage(this.privateKey, message);
  }

  /** When the certificate expires (Fabric's `ExpiresAt`). */
  get notAfter(): Date {
    return this.cert.notAfter;
  }
}
