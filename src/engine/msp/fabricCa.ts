/**
 * Identities as a Fabric CA would enrol them (`fabric-ca lib/serverenroll.go`, `serverregister.go`,
 * `attrmgr`; fabric-ca-client's default CSR), signed by the org's CA:
 * - subject C=US, ST=North Carolina, O=Hyperledger (the client's default CSR names), the OUs the CA
 *   sets (the type, then one per affiliation element; the CSR's own OU is dropped), CN = the name;
 * - key usage digitalSignature, no EKU, SKI (SHA-1 of the key, as cfssl), AKI = the CA's SKI;
 * - the attribute extension with the registration defaults `hf.EnrollmentID`, `hf.Type`,
 *   `hf.Affiliation` plus the caller's attributes;
 * - one year from now−5 min (Fabric CA's default expiry), a 20-byte random serial.
 * The folder is laid out as cryptogen lays out users (`users/<name>@<domain>/msp`), so client
 * applications read it as they read `User1@<domain>`.
 */
import { encodePem } from '../crypto/pem';
import { backdatedNow, createCertificate, KeyUsage, randomSerial, sha1KeyId } from '../crypto/x509Writer';
import { goRdnSequence } from '../crypto/x509Name';
import { attributesExtension, type Attributes } from './attributes';
import { generateP256, privateKeyPem } from '../crypto/p256Keys';
import { verifyingMspFiles, type CaMaterial, type CryptoFile } from './cryptogen';
import type { NodePaths, OrgLayout } from './cryptoLayout';
import { IDENTITY_ROLES, type IdentityRole } from './signingIdentity';
import * as path from 'path';

const ONE_YEAR_MS = 8760 * 3600 * 1000;

/** What to enrol: the name, its NodeOU type, an affiliation (`org1.department1`) and attributes. */
export interface IdentitySpec {
  readonly name: string;
  /** Default: the existing identity's type, or `client` for a new one. */
  readonly type?: IdentityRole;
  /** Default '' (none). */
  readonly affiliation?: string;
  /** The caller's attributes (the `hf.*` defaults are added). Default none. */
  readonly attributes?: Attributes;
}

export class IdentitySpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IdentitySpecError';
  }
}

/** The attributes Fabric CA registers by default; the CA, not the caller, sets them. */
export const DEFAULT_ATTRIBUTE_NAMES: readonly string[] = ['hf.Affiliation', 'hf.EnrollmentID', 'hf.Type'];

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const AFFILIATION = /^([A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*)?$/;

/** Parses `KEY=VALUE` (the value may contain '='); `source` names the flag or file in errors. */
export function parseAttributeAssignment(text: string, source = '--identity-attr'): [string, string] {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new IdentitySpecError(`${source} '${text}': expected KEY=VALUE, e.g. role=auditor`);
  const key = text.slice(0, eq).trim();
  if (!key) throw new IdentitySpecError(`${source} '${text}': the attribute name is empty`);
  return [key, text.slice(eq + 1)];
}

/** Parses repeated `KEY=VALUE` options into attributes; a repeated key is an error. */
export function parseAttributeList(texts: readonly string[], source = '--identity-attr'): Attributes {
  const attrs: Record<string, string> = {};
  for (const text of texts) {
    const [k, v] = parseAttributeAssignment(text, source);
    if (k in attrs) throw new IdentitySpecError(`${source} '${text}': attribute '${k}' is given twice`);
    attrs[k] = v;
  }
  return attrs;
}

/** Checks a spec; the error names the field and value. */
export function checkIdentitySpec(spec: IdentitySpec, source = 'identity'): void {
  if (!NAME.test(spec.name)) {
    throw new IdentitySpecError(`${source} name '${spec.name}': use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit`);
  }
  if (spec.type !== undefined && !IDENTITY_ROLES.includes(spec.type)) {
    throw new IdentitySpecError(`${source} ${spec.name}: type '${spec.type}' is not one of ${IDENTITY_ROLES.join(', ')}`);
  }
  if (spec.affiliation !== undefined && !AFFILIATION.test(spec.affiliation)) {
    throw new IdentitySpecError(`${source} ${spec.name}: affiliation '${spec.affiliation}' is not dot-separated names such as org1.department1`);
  }
  for (const key of Object.keys(spec.attributes ?? {})) {
    if (DEFAULT_ATTRIBUTE_NAMES.includes(key)) throw new IdentitySpecError(`${source} ${spec.name}: attribute '${key}' is set by the CA (from the name, type and affiliation)`);
    if (key.trim() !== key || key === '') throw new IdentitySpecError(`${source} ${spec.name}: attribute name '${key}' has leading or trailing spaces`);
  }
}

/** Every attribute the enrolment certificate carries: the caller's plus the registration defaults. */
export function enrollmentAttributes(name: string, type: IdentityRole, affiliation: string, custom: Attributes): Attributes {
  return { ...custom, 'hf.Affiliation': affiliation, 'hf.EnrollmentID': name, 'hf.Type': type };
}

/** The caller's attributes among a certificate's (the `hf.*` defaults removed). */
export function customAttributes(attrs: Attributes | null): Attributes {
  return Object.fromEntries(Object.entries(attrs ?? {}).filter(([k]) => !DEFAULT_ATTRIBUTE_NAMES.includes(k)));
}

export interface ResolvedIdentitySpec {
  readonly name: string;
  readonly type: IdentityRole;
  readonly affiliation: string;
  readonly attributes: Attributes;
}

/** The enrolment certificate and key for `spec`, signed by `ca`. */
export function enrollIdentity(ca: CaMaterial, spec: ResolvedIdentitySpec, now = Date.now()): { readonly certPem: string; readonly keyPem: string } {
  const keys = generateP256();
  const notBefore = backdatedNow(now);
  const affiliationOus = spec.affiliation ? spec.affiliation.split('.') : [];
  const der = createCertificate(
    {
      serialNumber: randomSerial(20),
      subject: goRdnSequence({
        country: ['US'],
        province: ['North Carolina'],
        organization: ['Hyperledger'],
        organizationalUnit: [spec.type, ...affiliationOus],
        commonName: spec.name,
      }),
      notBefore,
      notAfter: new Date(notBefore.getTime() + ONE_YEAR_MS),
      publicKey: keys.publicKey,
      isCA: false,
      keyUsage: KeyUsage.digitalSignature,
      subjectKeyId: sha1KeyId(keys.publicKey),
      extraExtensions: [attributesExtension(enrollmentAttributes(spec.name, spec.type, spec.affiliation, spec.attributes))],
    },
    ca.issuer,
  );
  return { certPem: encodePem('CERTIFICATE', der), keyPem: privateKeyPem(keys.privateKey) };
}

/** The files of an enrolled identity's folder (`msp/` only: enrolment issues no TLS certificate). */
export function enrolledIdentityFiles(layout: OrgLayout, node: NodePaths, cas: { ca: CaMaterial; tlsCa: CaMaterial }, spec: ResolvedIdentitySpec, now?: number): CryptoFile[] {
  const { certPem, keyPem } = enrollIdentity(cas.ca, spec, now);
  const rel = (p: string): string => path.relative(node.dir, p);
  const inNode = (files: CryptoFile[]): CryptoFile[] => files.map((f) => ({ ...f, path: path.relative(node.dir, path.join(layout.root, f.path)) }));
  return [
    ...inNode(verifyingMspFiles(layout, node.mspDir, cas)),
    { path: rel(node.key), contents: keyPem, secret: true },
    { path: rel(node.signcert), contents: certPem, secret: false },
  ];
}
