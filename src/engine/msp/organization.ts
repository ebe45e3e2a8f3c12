/**
 * An organisation as data: its MSP id and domain, its CA and TLS CA, its peer's identity and TLS
 * credentials, and its users, all kept in Fabric's test-network layout under
 * `<data-dir>/organizations/peerOrganizations/<domain>/`. Made once (cryptogen's way) on first
 * open, read back on every later open; a folder a crash interrupted is repaired, a folder changed
 * outside the product is reported with the missing paths.
 */
import * as fs from 'fs';
import * as path from 'path';
import { KeyedMutex } from '../container/keyedMutex';
import { decodeFirstPem, encodePem } from '../crypto/pem';
import { importPrivateKeyPem } from '../crypto/p256Keys';
import { isSignedBy, parseCertificate, type ParsedCertificate } from '../crypto/x509Reader';
import { certificateAttributes, type Attributes } from './attributes';
import { readCryptoFile, replaceFolder, requirePaths, tidyPartials, writeFolderOnce, CryptoFolderError } from './cryptoFolder';
import { generateOrgCrypto, type CaMaterial } from './cryptogen';
import { OrgLayout, peerOrganizationsDir, type NodePaths } from './cryptoLayout';
import { checkIdentitySpec, customAttributes, enrolledIdentityFiles, type IdentitySpec } from './fabricCa';
import type { MspDefinition } from './mspDefinition';
import { DEFAULT_ORGS, type OrgSpec } from './orgSpec';
import { IdentityLoadError, SigningIdentity, type IdentityRole } from './signingIdentity';

/** The peer's TLS server credentials (PEM) and where they are on disk. */
export interface PeerTls {
  readonly certPem: string;
  readonly keyPem: string;
  /** The TLS CA certificate clients trust (`tls/ca.crt`). */
  readonly caCertPem: string;
  readonly files: { readonly cert: string; readonly key: string; readonly ca: string };
}

export interface PeerNode {
  /** `peer0.<domain>`: the TLS host name clients use (cryptogen's and Fabric's sample networks' naming). */
  readonly name: string;
  readonly identity: SigningIdentity;
  readonly tls: PeerTls;
}

/** An identity as `listIdentities` shows it. */
export interface IdentityInfo {
  readonly name: string;
  readonly mspId: string;
  readonly role: IdentityRole | null;
  readonly subject: string;
  /** Every attribute in the certificate (null: none, as cryptogen issues them). */
  readonly attributes: Attributes | null;
  readonly notAfter: Date;
  readonly files: { readonly mspDir: string; readonly certFile: string; readonly keyFile: string };
}

export type EnsureAction = 'existing' | 'issued' | 'reissued';

export class UnknownIdentityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnknownIdentityError';
  }
}

/** Why an identity must be reissued for `spec`, or null when the one on disk fits it. */
function mismatch(identity: SigningIdentity, ca: ParsedCertificate, spec: { type: IdentityRole; affiliation: string; attributes: Attributes }, now: number): string | null {
  const attrs = certificateAttributes(identity.cert);
  if (identity.role !== spec.type) return `its type is ${identity.role ?? 'none'}, not ${spec.type}`;
  if ((attrs?.['hf.Affiliation'] ?? '') !== spec.affiliation) return 'its affiliation changed';
  const have = customAttributes(attrs);
  const same = Object.keys(have).length === Object.keys(spec.attributes).length && Object.entries(spec.attributes).every(([k, v]) => have[k] === v);
  if (!same) return 'its attributes changed';
  if (identity.cert.notAfter.getTime() <= now) return 'its certificate expired';
  if (!identity.cert.issuerRaw.equals(ca.subjectRaw) || !isSignedBy(identity.cert, ca.publicKey)) return 'it was not issued by this CA';
  return null;
}

function loadCa(certPem: string, keyPem: string, owner: string): CaMaterial & { readonly cert: ParsedCertificate } {
  const block = decodeFirstPem(certPem);
  if (!block) throw new CryptoFolderError(`the CA certificate of ${owner} is not PEM`);
  const cert = parseCertificate(block.der);
  const privateKey = importPrivateKeyPem(keyPem);
  return {
    name: cert.subject.flat().find((a) => a.type === 'CN')?.value ?? '',
    certDer: cert.der,
    cert,
    issuer: { subject: cert.subjectRaw, subjectKeyId: cert.subjectKeyId, privateKey },
  };
}

export class Organization {
  private readonly identities = new Map<string, SigningIdentity>();
  private readonly issuing = new KeyedMutex();

  private constructor(
    readonly spec: OrgSpec,
    readonly layout: OrgLayout,
    private readonly ca: CaMaterial & { readonly cert: ParsedCertificate },
    private readonly tlsCa: CaMaterial & { readonly cert: ParsedCertificate },
    readonly peer: PeerNode,
  ) {}

  get mspId(): string {
    return this.spec.mspId;
  }
  get domain(): string {
    return this.spec.domain;
  }
  /** The folder to give client applications as `CRYPTO_PATH`. */
  get cryptoPath(): string {
    return this.layout.root;
  }
  get caCertPem(): string {
    return encodePem('CERTIFICATE', this.ca.certDer);
  }
  get tlsCaCertPem(): string {
    return encodePem('CERTIFICATE', this.tlsCa.certDer);
  }

  /** What a channel configuration holds for this org: its root CA, NodeOUs on, no explicit admins. */
  get msp(): MspDefinition {
    return { mspId: this.mspId, rootCerts: [this.caCertPem], nodeOUs: { enable: true, certificate: this.caCertPem } };
  }

  /** Opens the org's folder under `dataDir`, making it first if it does not exist. */
  static async open(dataDir: string, spec: OrgSpec): Promise<Organization> {
    const layout = OrgLayout.of(dataDir, spec.domain);
    await tidyPartials(peerOrganizationsDir(dataDir), spec.domain);
    if (!fs.existsSync(layout.root)) await writeFolderOnce(layout.root, generateOrgCrypto(spec, layout));
    await tidyPartials(layout.usersDir);
    return Organization.load(spec, layout);
  }

  private static async load(spec: OrgSpec, layout: OrgLayout): Promise<Organization> {
    const peerPaths = layout.peer();
    const owner = layout.root;
    await requirePaths(owner, [
      layout.caCert,
      layout.caKey,
      layout.tlsCaCert,
      layout.tlsCaKey,
      path.join(layout.mspDir, 'cacerts'),
      path.join(layout.mspDir, 'tlscacerts'),
      path.join(layout.mspDir, 'config.yaml'),
      peerPaths.signcert,
      peerPaths.key,
      peerPaths.cacert,
      peerPaths.config,
      peerPaths.tlsCa,
      peerPaths.tlsCert,
      peerPaths.tlsKey,
      layout.user('User1').signcert,
      layout.user('Admin').signcert,
    ]);
    const read = (file: string): Promise<string> => readCryptoFile(file, owner);
    const [caCert, caKey, tlsCaCert, tlsCaKey, peerCert, peerKey, tlsCert, tlsKey, tlsCaCrt] = await Promise.all(
      [layout.caCert, layout.caKey, layout.tlsCaCert, layout.tlsCaKey, peerPaths.signcert, peerPaths.key, peerPaths.tlsCert, peerPaths.tlsKey, peerPaths.tlsCa].map(read),
    );
    try {
      const ca = loadCa(caCert, caKey, owner);
      const tlsCa = loadCa(tlsCaCert, tlsCaKey, owner);
      const identity = SigningIdentity.fromPem(spec.mspId, 'peer0', peerCert, peerKey, nodeFiles(peerPaths));
      if (!isSignedBy(identity.cert, ca.cert.publicKey)) throw new CryptoFolderError(`${peerPaths.signcert} was not issued by ${layout.caCert}`);
      SigningIdentity.fromPem(spec.mspId, 'peer0 TLS', tlsCert, tlsKey); // the key must match
      const peer: PeerNode = {
        name: layout.peerName(),
        identity,
        tls: { certPem: tlsCert, keyPem: tlsKey, caCertPem: tlsCaCrt, files: { cert: peerPaths.tlsCert, key: peerPaths.tlsKey, ca: peerPaths.tlsCa } },
      };
      return new Organization(spec, layout, ca, tlsCa, peer);
    } catch (err) {
      if (err instanceof CryptoFolderError) throw err;
      throw new CryptoFolderError(`the crypto folder ${owner} is damaged: ${(err as Error).message}. Delete it to have it made again.`, { cause: err });
    }
  }

  /** An existing identity of this org (`User1`, `Admin`, or one made with `ensureIdentity`). */
  async identity(name: string): Promise<SigningIdentity> {
    const cached = this.identities.get(name);
    if (cached) return cached;
    const loaded = await this.readIdentity(name);
    if (!loaded) throw new UnknownIdentityError(`${this.mspId} has no identity '${name}' (looked in ${this.layout.user(name).dir})`);
    this.identities.set(name, loaded);
    return loaded;
  }

  /**
   * The identity `spec` describes, issued by this org's CA the first time and reissued when its
   * type, affiliation or attributes changed (or it expired); otherwise the one on disk.
   */
  async ensureIdentity(spec: IdentitySpec, now = Date.now()): Promise<{ identity: SigningIdentity; action: EnsureAction }> {
    checkIdentitySpec(spec, `identity for ${this.mspId}`);
    return this.issuing.run(spec.name, async () => {
      const existing = await this.readIdentity(spec.name);
      const resolved = { name: spec.name, type: spec.type ?? existing?.role ?? 'client', affiliation: spec.affiliation ?? '', attributes: spec.attributes ?? {} };
      if (existing && mismatch(existing, this.ca.cert, resolved, now) === null) {
        this.identities.set(spec.name, existing);
        return { identity: existing, action: 'existing' as const };
      }
      const node = this.layout.user(spec.name);
      await replaceFolder(node.dir, enrolledIdentityFiles(this.layout, node, { ca: this.ca, tlsCa: this.tlsCa }, resolved, now));
      this.identities.delete(spec.name);
      const identity = await this.identity(spec.name);
      return { identity, action: existing ? ('reissued' as const) : ('issued' as const) };
    });
  }

  /**
   * The identity a caller names to transact as (the CLI's `--identity`, the editor's "Invoke as…"):
   * without `attributes`, the one on disk as it is (issued by this org's CA as a client the first
   * time); with them, one carrying exactly those attributes, reissued when the set changed. So an
   * identity made with attributes keeps them when it is named alone.
   */
  async identityToCallAs(name: string, attributes?: Attributes): Promise<{ identity: SigningIdentity; action: EnsureAction }> {
    if (attributes !== undefined) return this.ensureIdentity({ name, attributes });
    checkIdentitySpec({ name }, `identity for ${this.mspId}`);
    const existing = await this.identity(name).catch((err: unknown) => {
      if (err instanceof UnknownIdentityError) return null;
      throw err;
    });
    return existing ? { identity: existing, action: 'existing' } : this.ensureIdentity({ name });
  }

  /** Every identity in `users/`, in name order. */
  async listIdentities(): Promise<IdentityInfo[]> {
    const suffix = `@${this.domain}`;
    const names = (await fs.promises.readdir(this.layout.usersDir).catch(() => [] as string[]))
      .filter((n) => n.endsWith(suffix) && !n.startsWith('.'))
      .map((n) => n.slice(0, -suffix.length))
      .sort();
    const out: IdentityInfo[] = [];
    for (const name of names) {
      const id = await this.identity(name).catch(() => null);
      if (!id || !id.files) continue;
      out.push({ name, mspId: this.mspId, role: id.role, subject: id.subject, attributes: certificateAttributes(id.cert), notAfter: id.notAfter, files: id.files });
    }
    return out;
  }

  /** Reads `users/<name>@<domain>/msp`: the first file of signcerts/ and keystore/, as Fabric loads a local MSP. */
  private async readIdentity(name: string): Promise<SigningIdentity | null> {
    const node = this.layout.user(name);
    const first = async (dir: string): Promise<string | null> => {
      const files = await fs.promises.readdir(dir).catch(() => null);
      const pick = files?.filter((f) => !f.startsWith('.')).sort()[0];
      return pick ? path.join(dir, pick) : null;
    };
    const [certFile, keyFile] = await Promise.all([first(path.dirname(node.signcert)), first(path.dirname(node.key))]);
    if (!certFile && !keyFile && !fs.existsSync(node.dir)) return null;
    if (!certFile || !keyFile)
      throw new IdentityLoadError(
        `the identity folder ${node.mspDir} has no ${certFile ? 'key in keystore/' : 'certificate in signcerts/'}; delete ${node.dir} or issue the identity again`,
      );
    const [certPem, keyPem] = await Promise.all([fs.promises.readFile(certFile, 'utf8'), fs.promises.readFile(keyFile, 'utf8')]);
    return SigningIdentity.fromPem(this.mspId, name, certPem, keyPem, { mspDir: node.mspDir, certFile, keyFile });
  }
}

function nodeFiles(node: NodePaths): { mspDir: string; certFile: string; keyFile: string } {
  return { mspDir: node.mspDir, certFile: node.signcert, keyFile: node.key };
}

/** Opens (making on first use) every org of the network, in parallel. Default: Org1MSP and Org2MSP. */
export async function openOrganizations(dataDir: string, specs: readonly OrgSpec[] = DEFAULT_ORGS): Promise<Organization[]> {
  return Promise.all(specs.map((s) => Organization.open(dataDir, s)));
}
