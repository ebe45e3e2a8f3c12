/**
 * Where an organisation's crypto material lives: Fabric's test-network / cryptogen layout under
 * `<data-dir>/organizations/peerOrganizations/<domain>/`, so fabric-samples applications find it
 * with `CRYPTO_PATH=<that folder>` (`users/User1@<domain>/msp/signcerts`, `…/keystore`,
 * `peers/peer0.<domain>/tls/ca.crt`). File names follow cryptogen v2: certificates `<CN>-cert.pem`,
 * keys `priv_sk`, TLS `server.*` for peers and `client.*` for users.
 */
import * as path from 'path';

export type NodeRole = 'peer' | 'client' | 'admin';

/** Paths of one node's local MSP (`msp/`) and TLS (`tls/`) folders. */
export interface NodePaths {
  /** The node's folder, e.g. `…/users/User1@org1.example.com`. */
  readonly dir: string;
  readonly mspDir: string;
  readonly signcert: string;
  readonly key: string;
  readonly cacert: string;
  readonly tlscacert: string;
  readonly config: string;
  readonly admincertsDir: string;
  readonly tlsDir: string;
  readonly tlsCa: string;
  readonly tlsCert: string;
  readonly tlsKey: string;
}

export function peerOrganizationsDir(dataDir: string): string {
  return path.join(dataDir, 'organizations', 'peerOrganizations');
}

/** The layout of one org's folder; every path is absolute. */
export class OrgLayout {
  readonly caName: string;
  readonly tlsCaName: string;

  constructor(
    /** `<data-dir>/organizations/peerOrganizations/<domain>` */
    readonly root: string,
    readonly domain: string,
  ) {
    this.caName = `ca.${domain}`;
    this.tlsCaName = `tlsca.${domain}`;
  }

  static of(dataDir: string, domain: string): OrgLayout {
    return new OrgLayout(path.join(peerOrganizationsDir(dataDir), domain), domain);
  }

  get caCert(): string {
    return path.join(this.root, 'ca', `${this.caName}-cert.pem`);
  }
  get caKey(): string {
    return path.join(this.root, 'ca', 'priv_sk');
  }
  get tlsCaCert(): string {
    return path.join(this.root, 'tlsca', `${this.tlsCaName}-cert.pem`);
  }
  get tlsCaKey(): string {
    return path.join(this.root, 'tlsca', 'priv_sk');
  }
  /** The org's verifying MSP (what a channel configuration holds). */
  get mspDir(): string {
    return path.join(this.root, 'msp');
  }
  get usersDir(): string {
    return path.join(this.root, 'users');
  }

  /** `peer0` → `peer0.<domain>` */
  peerName(hostname = 'peer0'): string {
    return `${hostname}.${this.domain}`;
  }

  /** `User1` → `User1@<domain>` */
  userName(name: string): string {
    return `${name}@${this.domain}`;
  }

  peer(hostname = 'peer0'): NodePaths {
    const cn = this.peerName(hostname);
    return this.node(path.join(this.root, 'peers', cn), cn, 'server');
  }

  user(name: string): NodePaths {
    const cn = this.userName(name);
    return this.node(path.join(this.usersDir, cn), cn, 'client');
  }

  private node(dir: string, commonName: string, tlsPrefix: 'server' | 'client'): NodePaths {
    const mspDir = path.join(dir, 'msp');
    const tlsDir = path.join(dir, 'tls');
    return {
      dir,
      mspDir,
      signcert: path.join(mspDir, 'signcerts', `${commonName}-cert.pem`),
      key: path.join(mspDir, 'keystore', 'priv_sk'),
      cacert: path.join(mspDir, 'cacerts', `${this.caName}-cert.pem`),
      tlscacert: path.join(mspDir, 'tlscacerts', `${this.tlsCaName}-cert.pem`),
      config: path.join(mspDir, 'config.yaml'),
      admincertsDir: path.join(mspDir, 'admincerts'),
      tlsDir,
      tlsCa: path.join(tlsDir, 'ca.crt'),
      tlsCert: path.join(tlsDir, `${tlsPrefix}.crt`),
      tlsKey: path.join(tlsDir, `${tlsPrefix}.key`),
    };
  }
}

/**
 * NodeOUs `config.yaml` exactly as cryptogen writes it (`internal/cryptogen/msp/msp.go`
 * `exportConfig`, gopkg.in/yaml.v2 output): every role OU bound to the org's CA certificate.
 */
export function nodeOusConfigYaml(caCertFile: string): string {
  const id = (ou: string): string => `    Certificate: cacerts/${caCertFile}\n    OrganizationalUnitIdentifier: ${ou}\n`;
  return (
    'NodeOUs:\n  Enable: true\n' +
    `  ClientOUIdentifier:\n${id('client')}` +
    `  PeerOUIdentifier:\n${id('peer')}` +
    `  AdminOUIdentifier:\n${id('admin')}` +
    `  OrdererOUIdentifier:\n${id('orderer')}`
  );
}
