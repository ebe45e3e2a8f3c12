/**
 * One organisation's verifying MSP, as Fabric's X.509 MSP (`msp/mspimpl.go`,
 * `mspimplvalidate.go`, `identities.go`) behaves at MSP version 1.4.3 (channel capability V2_0):
 * deserialising identities, validating them against the org's CAs and NodeOUs, and deciding
 * whether they satisfy a policy principal. Every error text is Fabric's.
 */
import { createHash } from 'crypto';
import { verifyMessage } from '../crypto/ecdsa';
import { decodeFirstPem } from '../crypto/pem';
import { parseCertificate, type ParsedCertificate } from '../crypto/x509Reader';
import { attributeValues } from '../crypto/x509Name';
import { buildChains } from './certChain';
import type { MspDefinition } from './mspDefinition';
import type { MspPrincipal, MspRoleName } from './principal';
import { sanitizeCertificate } from './sanitize';
import { decodeSerializedIdentity } from './serializedIdentity';

export class MspError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MspError';
  }
}

export interface OrganizationalUnit {
  readonly ou: string;
  /** SHA-256 of the chain above the leaf (Fabric's certifiers identifier). */
  readonly certifiersIdentifier: Buffer;
}

/** A deserialised identity: its MSP, its id (hex SHA-256 of the sanitised certificate), its certificate. */
export class MspIdentity {
  /** Set on first validation: null when valid, else Fabric's error text. */
  validation: string | null | undefined;

  constructor(
    readonly msp: Msp,
    readonly id: string,
    readonly cert: ParsedCertificate,
    readonly chain: readonly ParsedCertificate[],
  ) {}

  get mspId(): string {
    return this.msp.mspId;
  }

  /** The Subject's OUs, each with the certifiers identifier of this identity's chain. */
  get organizationalUnits(): OrganizationalUnit[] {
    const certifiersIdentifier = createHash('sha256')
      .update(Buffer.concat(this.chain.slice(1).map((c) => c.der)))
      .digest();
    return attributeValues(this.cert.subject, 'OU').map((ou) => ({ ou, certifiersIdentifier }));
  }

  /** Fabric's `identity.Verify`: throws a SignatureError with Fabric's text. */
  verify(message: Uint8Array, signature: Uint8Array): void {
    verifyMessage(this.cert.publicKey, message, signature);
  }
}

/** Fabric's `OUIDs.String()`: `[client(0A1B2C3D4E5F6071) org1(…)]`. */
function ouList(ous: readonly OrganizationalUnit[]): string {
  return `[${ous.map((o) => `${o.ou}(${o.certifiersIdentifier.subarray(0, 8).toString('hex').toUpperCase()})`).join(' ')}]`;
}

function parsePem(pem: string, what: string): ParsedCertificate {
  const block = decodeFirstPem(pem);
  if (!block) throw new MspError(`${what}: could not decode the PEM structure`);
  return parseCertificate(block.der);
}

interface NodeOu {
  readonly ou: string;
  readonly certifiersIdentifier: Buffer | null;
}

export class Msp {
  readonly mspId: string;
  private readonly roots: ParsedCertificate[];
  private readonly intermediates: ParsedCertificate[];
  private readonly admins: Buffer[];
  private readonly nodeOus: Readonly<Record<'CLIENT' | 'PEER' | 'ADMIN' | 'ORDERER', NodeOu>> | null;
  /** CA certificates that signed another CA of this MSP: an identity's parent must not be one. */
  private readonly internalNodes: Set<string>;

  constructor(def: MspDefinition) {
    this.mspId = def.mspId;
    if (def.rootCerts.length === 0) throw new MspError(`MSP ${def.mspId}: expected at least one CA certificate`);
    this.roots = def.rootCerts.map((p) => parsePem(p, `MSP ${def.mspId} root certificate`));
    this.intermediates = (def.intermediateCerts ?? []).map((p) => parsePem(p, `MSP ${def.mspId} intermediate certificate`));
    this.internalNodes = new Set(
      this.intermediates.flatMap((i) => [...this.roots, ...this.intermediates].filter((p) => p.subjectRaw.equals(i.issuerRaw)).map((p) => p.der.toString('latin1'))),
    );
    const ous = def.nodeOUs;
    if (ous?.enable) {
      const certId = ous.certificate ? this.certifiersIdentifierOf(parsePem(ous.certificate, `MSP ${def.mspId} NodeOUs certificate`)) : null;
      const ou = (name: string | undefined, fallback: string): NodeOu => ({ ou: name ?? fallback, certifiersIdentifier: certId });
      this.nodeOus = { CLIENT: ou(ous.clientOu, 'client'), PEER: ou(ous.peerOu, 'peer'), ADMIN: ou(ous.adminOu, 'admin'), ORDERER: ou(ous.ordererOu, 'orderer') };
    } else {
      this.nodeOus = null;
    }
    this.admins = (def.admins ?? []).map((p) => {
      const id = this.deserializeCertificate(Buffer.from(p));
      return id.cert.der;
    });
  }

  /** The certifiers identifier of a CA certificate of this MSP: SHA-256 of its chain to a root. */
  private certifiersIdentifierOf(ca: ParsedCertificate): Buffer {
    const isRoot = this.roots.some((r) => r.der.equals(ca.der));
    const chain = isRoot ? [ca] : (buildChains(ca, this.roots, this.intermediates).chains[0] ?? [ca]);
    return createHash('sha256')
      .update(Buffer.concat(chain.map((c) => c.der)))
      .digest();
  }

  /** Fabric's `deserializeIdentityInternal`: the PEM in `id_bytes` to an identity of this MSP. */
  deserializeCertificate(idBytes: Uint8Array): MspIdentity {
    const block = decodeFirstPem(idBytes);
    if (!block) throw new MspError('could not decode the PEM structure');
    let cert: ParsedCertificate;
    try {
      cert = parseCertificate(block.der);
    } catch (err) {
      throw new MspError(`parseCertificate failed: ${(err as Error).message}`, { cause: err });
    }
    if (cert.keyType !== 'ec:prime256v1') {
      throw new MspError("failed to import certificate's public key: Failed importing key with opts: this key type is not supported here (ECDSA P-256 only)");
    }
    // newIdentity → sanitizeCert: finding the chain is part of deserialisation in Fabric.
    const found = buildChains(cert, this.roots, this.intermediates);
    if (found.error !== null) throw new MspError(`the supplied identity is not valid: ${found.error}`);
    if (found.chains.length !== 1) throw new MspError(`this MSP only supports a single validation chain, got ${found.chains.length}`);
    const sanitized = sanitizeCertificate(cert);
    const id = createHash('sha256').update(sanitized.der).digest('hex');
    return new MspIdentity(this, id, sanitized, [sanitized, ...found.chains[0].slice(1)]);
  }

  /** Fabric's `Validate` (cached on the identity); throws MspError with Fabric's text. */
  validate(identity: MspIdentity): void {
    if (identity.validation === undefined) identity.validation = this.validationError(identity);
    if (identity.validation !== null) throw new MspError(identity.validation);
  }

  private validationError(identity: MspIdentity): string | null {
    if (identity.cert.isCA) {
      return 'could not obtain certification chain: An X509 certificate with Basic Constraint: Certificate Authority equals true cannot be used as an identity';
    }
    if (identity.chain.length < 2) return `could not obtain certification chain: expected a chain of length at least 2, got ${identity.chain.length}`;
    if (this.internalNodes.has(identity.chain[1].der.toString('latin1'))) {
      return 'could not obtain certification chain: invalid validation chain. Parent certificate should be a leaf of the certification tree';
    }
    if (!this.nodeOus) return null;
    const ous = identity.organizationalUnits;
    let count = 0;
    for (const ou of ous) {
      const role = Object.values(this.nodeOus).find((n) => n.ou === ou.ou);
      if (!role) continue;
      if (role.certifiersIdentifier && !role.certifiersIdentifier.equals(ou.certifiersIdentifier)) {
        return `could not validate identity's OUs: certifiersIdentifier does not match: ${ouList(ous)}, MSP: [${this.mspId}]`;
      }
      count++;
    }
    if (count === 0)
      return `could not validate identity's OUs: the identity does not have an OU that resolves to client, peer, orderer, or admin role. OUs: ${ouList(ous)}, MSP: [${this.mspId}]`;
    if (count > 1)
      return `could not validate identity's OUs: the identity must have a client, a peer, an orderer, or an admin OU role to be valid, not a combination of them. OUs: ${ouList(ous)}, MSP: [${this.mspId}]`;
    return null;
  }

  private hasOuRole(identity: MspIdentity, role: 'CLIENT' | 'PEER' | 'ADMIN' | 'ORDERER'): void {
    if (!this.nodeOus) throw new MspError('NodeOUs not activated. Cannot tell apart identities.');
    if (!identity.organizationalUnits.some((o) => o.ou === this.nodeOus?.[role].ou)) throw new MspError(`The identity does not contain OU [${role}], MSP: [${this.mspId}]`);
  }

  private isAdmin(identity: MspIdentity): boolean {
    return this.admins.some((a) => a.equals(identity.cert.der));
  }

  /** Fabric's `SatisfiesPrincipal` (v1.4.3 rules); throws MspError when not satisfied. */
  satisfiesPrincipal(identity: MspIdentity, principal: MspPrincipal): void {
    if (principal.kind === 'combined') {
      if (principal.principals.length === 0) throw new MspError('No principals in CombinedPrincipal');
      for (const p of principal.principals) this.satisfiesPrincipal(identity, p);
      return;
    }
    const wrap = (fn: () => void, prefix: string): void => {
      try {
        fn();
      } catch (err) {
        throw new MspError(`${prefix}: ${(err as Error).message}`, { cause: err });
      }
    };
    switch (principal.kind) {
      case 'role':
      case 'unknownRole': {
        if (principal.mspId !== this.mspId) throw new MspError(`the identity is a member of a different MSP (expected ${principal.mspId}, got ${identity.mspId})`);
        const role: MspRoleName | null = principal.kind === 'role' ? principal.role : null;
        if (role === 'MEMBER') return this.validate(identity);
        if (role === 'ADMIN') {
          if (this.isAdmin(identity)) return;
          if (!this.nodeOus) throw new MspError('This identity is not an admin');
          wrap(() => this.validate(identity), `The identity is not valid under this MSP [${this.mspId}]`);
          wrap(() => this.hasOuRole(identity, 'ADMIN'), `The identity is not an admin under this MSP [${this.mspId}]`);
          return;
        }
        if (role === 'CLIENT' || role === 'PEER' || (role === 'ORDERER' && this.nodeOus)) {
          wrap(() => this.validate(identity), `The identity is not valid under this MSP [${this.mspId}]`);
          wrap(() => this.hasOuRole(identity, role), `The identity is not a [${role}] under this MSP [${this.mspId}]`);
          return;
        }
        throw new MspError(`invalid MSP role type ${principal.kind === 'role' ? 4 : principal.role}`);
      }
      case 'anonymity':
        if (principal.anonymityType === 0) return;
        if (principal.anonymityType === 1) throw new MspError('Principal is anonymous, but X.509 MSP does not support anonymous identities');
        throw new MspError(`Unknown principal anonymity type: ${principal.anonymityType}`);
      case 'identity': {
        let other: MspIdentity;
        try {
          other = this.deserializeSerialized(principal.serializedIdentity);
        } catch (err) {
          throw new MspError(`invalid identity principal, not a certificate: ${(err as Error).message}`, { cause: err });
        }
        if (!other.cert.der.equals(identity.cert.der)) throw new MspError('The identities do not match');
        return this.validate(other);
      }
      case 'organizationUnit':
        if (principal.mspId !== this.mspId) throw new MspError(`the identity is a member of a different MSP (expected ${principal.mspId}, got ${identity.mspId})`);
        this.validate(identity);
        if (!identity.organizationalUnits.some((o) => o.ou === principal.ou && o.certifiersIdentifier.equals(principal.certifiersIdentifier))) {
          throw new MspError('The identities do not match');
        }
        return;
      case 'unknown':
        throw new MspError(principal.reason ?? `invalid principal type ${principal.classification}`);
    }
  }

  /** `DeserializeIdentity` of this MSP for a whole SerializedIdentity (IDENTITY principals). */
  private deserializeSerialized(serialized: Buffer): MspIdentity {
    const sid = decodeSerializedIdentity(serialized);
    if (sid.mspid !== this.mspId) throw new MspError(`expected MSP ID ${this.mspId}, received ${sid.mspid}`);
    return this.deserializeCertificate(sid.id_bytes);
  }
}
