/**
 * Where Deploy goes for a network connection (src/engine/connection): the connection's peer (its
 * Gateway, TLS CA and host name) and the org admins that approve. When the connection's identity
 * sits in a test-network style crypto folder (`…/organizations/peerOrganizations/<domain>/users/…`),
 * every Admin@<domain> of that folder approves, the connection's org first (it installs and
 * commits), as `deploy --data-dir` does; otherwise the connection's own identity is the one admin
 * (it must be an admin of its org), and the other orgs approve on their side.
 */
import * as path from 'node:path';
import type { ConnectionSpec } from '../connection/types';
import { cryptoFolderAdmins, DeployTargetError, type DeployTarget } from './deployTarget';

export function connectionDeployTarget(spec: ConnectionSpec): DeployTarget {
  if (!spec.tls) throw new DeployTargetError(`${spec.source}: Deploy speaks TLS to the peer (as Fabric's Gateway clients do), but this connection has no TLS CA`);
  const peer = { address: spec.endpoint, tlsCaPem: spec.tls.caPem, ...(spec.hostAlias ? { hostAlias: spec.hostAlias } : {}) };
  const folder = cryptoFolderOf(spec.identity.certFile);
  const admins = folder ? cryptoFolderAdmins(folder.dataDir, folder.domain).map((a) => a.admin) : [];
  return { peer, admins: admins.length ? admins : [{ mspId: spec.identity.mspId, certPem: spec.identity.certPem, keyPem: spec.identity.keyPem }] };
}

/** The crypto folder (the directory holding organizations/) and org domain a file of it belongs to. */
export function cryptoFolderOf(file: string): { dataDir: string; domain: string } | undefined {
  const parts = path.resolve(file).split(path.sep);
  const at = parts.lastIndexOf('peerOrganizations');
  if (at < 1 || parts[at - 1] !== 'organizations' || at + 1 >= parts.length) return undefined;
  return { dataDir: parts.slice(0, at - 1).join(path.sep) || path.sep, domain: parts[at + 1] };
}
