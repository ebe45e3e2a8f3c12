/**
 * A test-network style `organizations/` folder (cryptogen's or Fabric CA's layout, as
 * fabric-samples' test-network writes it, and as the embedded peer writes its own): the org's
 * folder `peerOrganizations/<domain>`, its peer's TLS CA `peers/peer0.<domain>/tls/ca.crt` with
 * the host name `peer0.<domain>`, and User1's certificate and key from
 * `users/User1@<domain>/msp/{signcerts,keystore}`, the choices the samples' applications make.
 * The endpoint is given, or read from the connection profile test-network writes beside the crypto
 * (`connection-org1.json`).
 */
import * as fs from 'fs';
import * as path from 'path';
import { orgSpec, OrgSpecError } from '../msp/orgSpec';
import { configError, optionalString, readConfigFile, type ConfigObject } from './configFile';
import { looksLikeProfile, profilePeer } from './connectionProfile';
import { identityFields } from './identityFields';
import { ConnectionConfigError, type ConnectionSpec } from './types';

/** The fields of the folder form, besides `organizations` (the folder itself). */
export function organizationsFolderConnection(obj: ConfigObject, folder: string): ConnectionSpec {
  const mspId = optionalString(obj, 'mspId') ?? 'Org1MSP';
  let domain: string;
  try {
    domain = orgSpec(mspId, optionalString(obj, 'domain')).domain;
  } catch (err) {
    if (err instanceof OrgSpecError) throw configError(obj, 'mspId', err.message, err);
    throw err;
  }
  const peerOrgs = fs.existsSync(path.join(folder, 'peerOrganizations')) ? path.join(folder, 'peerOrganizations') : folder;
  const orgDir = path.join(peerOrgs, domain);
  if (!fs.existsSync(orgDir)) {
    const found = fs.existsSync(peerOrgs) ? fs.readdirSync(peerOrgs).join(', ') || 'nothing' : 'no such folder';
    throw configError(
      obj,
      'organizations',
      `names ${folder}, which has no ${path.join('peerOrganizations', domain)} for ${mspId} (found: ${found}); set "domain" if the org's folder is named otherwise`,
    );
  }
  const peerHost = `${optionalString(obj, 'peer') ?? 'peer0'}.${domain}`;
  const user = optionalString(obj, 'user') ?? 'User1';
  const userMsp = path.join(orgDir, 'users', `${user}@${domain}`, 'msp');
  const caFile = path.join(orgDir, 'peers', peerHost, 'tls', 'ca.crt');
  let caPem: string;
  try {
    caPem = fs.readFileSync(caFile, 'utf8');
  } catch (err) {
    throw configError(obj, 'organizations', `names ${folder}, whose peer TLS CA ${caFile} cannot be read: ${(err as Error).message}`, err);
  }
  const identity = identityFields(obj, { mspId, cert: path.join(userMsp, 'signcerts'), key: path.join(userMsp, 'keystore') });
  const endpoint = optionalString(obj, 'endpoint') ?? endpointFromProfile(obj, orgDir, peerHost);
  return {
    endpoint,
    tls: { caPem, caFile },
    hostAlias: peerHost,
    identity,
    channel: optionalString(obj, 'channel') ?? 'mychannel',
    source: `${obj.file}, organizations folder ${orgDir}`,
  };
}

/** The peer's url in the org's connection profile, as test-network writes one (connection-org1.json or .yaml). */
function endpointFromProfile(obj: ConfigObject, orgDir: string, peerHost: string): string {
  const profileFile = fs
    .readdirSync(orgDir)
    .filter((f) => /^connection-.*\.(json|ya?ml)$/.test(f))
    .sort()[0];
  if (!profileFile) {
    throw configError(obj, 'endpoint', `is missing: the peer's Gateway address (HOST:PORT), and ${orgDir} has no connection profile (connection-*.json) to read it from`);
  }
  const profile = readConfigFile(path.join(orgDir, profileFile));
  if (!looksLikeProfile(profile)) throw new ConnectionConfigError(`${profile.file}: not a connection profile (no peers or organizations)`);
  return profilePeer(profile, { peer: peerHost }).endpoint;
}
