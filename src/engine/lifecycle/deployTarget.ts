/**
 * Where deploy connects and as whom: a peer's Gateway endpoint with its TLS CA and host name, and
 * the org admins whose identities approve. By default what a test-network style crypto folder
 * holds (the embedded peer's data directory, or fabric-samples' test-network folder):
 * `organizations/peerOrganizations/<domain>/` with `users/Admin@<domain>/msp/{signcerts,keystore}`
 * and `peers/peer0.<domain>/tls/ca.crt`, the MSP id `Org1MSP` for `org1.example.com`.
 */
import * as grpc from '@grpc/grpc-js';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { firstFile } from '../connection/configFile';
import { peerOrganizationsDir } from '../msp/cryptoLayout';
import { deploy, type AdminIdentity, type DeployProgress, type DeployRequest, type DeployResult } from './deploy';

export interface PeerEndpoint {
  /** host:port of the peer's Gateway. */
  readonly address: string;
  /** PEM of the CA that issued the peer's TLS certificate. */
  readonly tlsCaPem: string;
  /** The name the peer's TLS certificate is for, when not the address's host. */
  readonly hostAlias?: string;
}

export class DeployTargetError extends Error {
  override readonly name = 'DeployTargetError';
}

/** `org1.example.com` → `Org1MSP`, as the test network names its orgs. */
export function testNetworkMspId(domain: string): string {
  const first = domain.split('.')[0];
  return `${first.charAt(0).toUpperCase()}${first.slice(1)}MSP`;
}

/** The first file of an MSP folder (signcerts/, keystore/), as the samples read it. */
function firstFileIn(dir: string): string {
  try {
    return firstFile(dir);
  } catch (err) {
    throw new DeployTargetError(`no file in ${dir}`, { cause: err });
  }
}

/** An identity's certificate and key from its MSP folder (the first file of signcerts/ and keystore/). */
export function identityFromMspDir(mspId: string, mspDir: string): AdminIdentity {
  return {
    mspId,
    certPem: fs.readFileSync(firstFileIn(path.join(mspDir, 'signcerts')), 'utf8'),
    keyPem: fs.readFileSync(firstFileIn(path.join(mspDir, 'keystore')), 'utf8'),
  };
}

/** The orgs of a crypto folder that have an admin, `home` (a domain) first; the others by name. */
export function cryptoFolderAdmins(dataDir: string, home?: string): { domain: string; admin: AdminIdentity }[] {
  const root = peerOrganizationsDir(dataDir);
  if (!fs.existsSync(root)) throw new DeployTargetError(`no organisations in ${dataDir} (expected ${root}, as the embedded peer and the test network write it)`);
  const domains = fs
    .readdirSync(root)
    .filter((d) => fs.existsSync(path.join(root, d, 'users', `Admin@${d}`, 'msp')))
    .sort((a, b) => (a === home ? -1 : b === home ? 1 : a.localeCompare(b)));
  return domains.map((domain) => ({ domain, admin: identityFromMspDir(testNetworkMspId(domain), path.join(root, domain, 'users', `Admin@${domain}`, 'msp')) }));
}

/** The peer0 of `domain` in a crypto folder: its TLS CA and host name, at `address`. */
export function cryptoFolderPeer(dataDir: string, domain: string, address: string): PeerEndpoint {
  const caFile = path.join(peerOrganizationsDir(dataDir), domain, 'peers', `peer0.${domain}`, 'tls', 'ca.crt');
  if (!fs.existsSync(caFile)) throw new DeployTargetError(`no TLS CA for peer0.${domain} (expected ${caFile})`);
  return { address, tlsCaPem: fs.readFileSync(caFile, 'utf8'), hostAlias: `peer0.${domain}` };
}

/** A gRPC connection to the peer (TLS always: Fabric's Gateway clients speak TLS). */
export function peerClient(peer: PeerEndpoint): grpc.Client {
  const options: grpc.ClientOptions = peer.hostAlias ? { 'grpc.ssl_target_name_override': peer.hostAlias } : {};
  return new grpc.Client(peer.address, grpc.credentials.createSsl(Buffer.from(peer.tlsCaPem)), options);
}

/** A peer and the admins that deploy through it. */
export interface DeployTarget {
  readonly peer: PeerEndpoint;
  readonly admins: readonly AdminIdentity[];
}

/**
 * The embedded peer's Gateway at `localhost:<port>` and every org admin of its data directory, the
 * Gateway's org (`homeDomain`, org1.example.com by default) first: it installs and commits.
 */
export function cryptoFolderTarget(dataDir: string, address: string, homeDomain = 'org1.example.com'): DeployTarget {
  const found = cryptoFolderAdmins(dataDir, homeDomain);
  if (found.length === 0) throw new DeployTargetError(`no Admin@<domain> identity in ${dataDir}: give the admins' MSP ids, certificates and keys`);
  return { peer: cryptoFolderPeer(dataDir, found[0].domain, address), admins: found.map((f) => f.admin) };
}

/** Deploys through `target`'s peer over one gRPC connection, closed afterwards. */
export async function deployTo(target: DeployTarget, request: DeployRequest, onProgress?: (p: DeployProgress) => void): Promise<DeployResult> {
  const client = peerClient(target.peer);
  try {
    return await deploy(client, request, target.admins, onProgress);
  } finally {
    client.close();
  }
}
