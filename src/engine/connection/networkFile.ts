/**
 * `--network FILE`: a small JSON or YAML file in one of three forms, or a connection profile
 * itself. Relative paths are relative to the file.
 *
 *   # a Gateway endpoint
 *   endpoint: localhost:7051
 *   tlsCaCert: organizations/peerOrganizations/org1.example.com/peers/peer0.org1.example.com/tls/ca.crt
 *   hostAlias: peer0.org1.example.com      # the TLS host name, when not the endpoint's host
 *   mspId: Org1MSP
 *   cert: …/users/User1@org1.example.com/msp/signcerts    # a PEM file, or the folder holding it
 *   key: …/users/User1@org1.example.com/msp/keystore
 *   channel: mychannel
 *
 *   # a connection profile (with the identity fields above; org and peer pick among its entries)
 *   profile: connection-org1.yaml
 *
 *   # a test-network organizations/ folder (mspId default Org1MSP: its peer0, User1, TLS CA)
 *   organizations: ./organizations
 *   endpoint: localhost:7051     # default: the org's connection-*.json
 *
 * A connection profile given directly is used with its org's User1 when it sits in test-network's
 * layout (`peerOrganizations/<domain>/connection-org1.json`), or the identity it carries itself.
 */
import * as fs from 'fs';
import * as path from 'path';
import { configError, optionalPath, optionalString, readConfigFile, readPem, type ConfigObject } from './configFile';
import { looksLikeProfile, profilePeer, type ProfilePeer } from './connectionProfile';
import { identityFields } from './identityFields';
import { organizationsFolderConnection } from './organizationsFolder';
import { ConnectionConfigError, type ConnectionIdentity, type ConnectionSpec } from './types';

const DEFAULT_CHANNEL = 'mychannel';

/** Reads `--network FILE` (or a folder: an organizations/ folder with its defaults) into a connection. */
export function readNetworkFile(file: string, overrides: { readonly channel?: string } = {}): ConnectionSpec {
  const absolute = path.resolve(file);
  let spec: ConnectionSpec;
  if (isDirectory(absolute)) {
    spec = organizationsFolderConnection({ file: absolute, at: '', value: {} }, absolute);
  } else {
    const obj = readConfigFile(absolute);
    spec = connectionOf(obj);
  }
  return overrides.channel ? { ...spec, channel: overrides.channel } : spec;
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch (err) {
    throw new ConnectionConfigError(`${p}: cannot read it: ${(err as Error).message}`, { cause: err });
  }
}

function connectionOf(obj: ConfigObject): ConnectionSpec {
  if (looksLikeProfile(obj)) return profileConnection(obj, obj);
  const organizations = optionalPath(obj, 'organizations');
  if (organizations !== undefined) return organizationsFolderConnection(obj, organizations);
  const profileFile = optionalPath(obj, 'profile');
  if (profileFile !== undefined) {
    const profile = readConfigFile(profileFile);
    if (!looksLikeProfile(profile)) throw configError(obj, 'profile', `names ${profileFile}, which is not a connection profile (no organizations or peers)`);
    return profileConnection(obj, profile);
  }
  if (obj.value.endpoint !== undefined) return endpointConnection(obj);
  throw new ConnectionConfigError(
    `${obj.file}: not a network description: expected "endpoint" (with tlsCaCert, mspId, cert, key), "profile", "organizations", or a connection profile (organizations, peers)`,
  );
}

/** Form (a): every part given. */
function endpointConnection(obj: ConfigObject): ConnectionSpec {
  const endpoint = endpointField(obj);
  const caFile = optionalPath(obj, 'tlsCaCert');
  if (caFile === undefined) throw configError(obj, 'tlsCaCert', "is missing: the CA certificate of the peer's TLS certificate (its tls/ca.crt)");
  const ca = readPem(obj, 'tlsCaCert', caFile, 'CERTIFICATE');
  const hostAlias = optionalString(obj, 'hostAlias');
  return {
    endpoint,
    tls: { caPem: ca.pem, caFile: ca.file },
    ...(hostAlias ? { hostAlias } : {}),
    identity: identityFields(obj),
    channel: optionalString(obj, 'channel') ?? DEFAULT_CHANNEL,
    source: obj.file,
  };
}

function endpointField(obj: ConfigObject): string {
  const value = optionalString(obj, 'endpoint') ?? '';
  const m = /^(?:grpcs?:\/\/)?([^/\s:]+|\[[^\]]+\]):(\d{1,5})$/.exec(value);
  if (!m || Number(m[2]) > 65535) throw configError(obj, 'endpoint', `must be HOST:PORT, got ${JSON.stringify(value)}`);
  return `${m[1]}:${m[2]}`;
}

/** Form (b): the peer from a profile, the identity from the network file's fields or the profile's surroundings. */
function profileConnection(obj: ConfigObject, profile: ConfigObject): ConnectionSpec {
  const peer = profilePeer(profile, { ...pick(obj, 'org'), ...pick(obj, 'peer') });
  return {
    endpoint: peer.endpoint,
    tls: peer.tls,
    ...(peer.hostAlias ? { hostAlias: peer.hostAlias } : {}),
    identity: profileIdentity(obj, profile, peer),
    channel: optionalString(obj, 'channel') ?? peer.channel ?? DEFAULT_CHANNEL,
    source: obj === profile ? `connection profile ${profile.file}` : `${obj.file}, connection profile ${profile.file}`,
  };
}

function pick(obj: ConfigObject, key: 'org' | 'peer'): { org?: string; peer?: string } {
  const v = optionalString(obj, key);
  return v === undefined ? {} : { [key]: v };
}

function profileIdentity(obj: ConfigObject, profile: ConfigObject, peer: ProfilePeer): ConnectionIdentity {
  if (obj !== profile && (obj.value.cert !== undefined || obj.value.key !== undefined)) return identityFields(obj, { mspId: peer.mspId });
  const carried = peer.identity;
  if (carried?.cert && carried.key) {
    return { mspId: peer.mspId, certPem: carried.cert.pem, keyPem: carried.key.pem, certFile: carried.cert.file, keyFile: carried.key.file };
  }
  // test-network writes connection-org1.json into organizations/peerOrganizations/org1.example.com.
  const orgDir = path.dirname(profile.file);
  const domain = path.basename(orgDir);
  const userMsp = path.join(orgDir, 'users', `User1@${domain}`, 'msp');
  if (fs.existsSync(userMsp)) return identityFields({ ...obj, value: {} }, { mspId: peer.mspId, cert: path.join(userMsp, 'signcerts'), key: path.join(userMsp, 'keystore') });
  throw configError(
    obj,
    'cert',
    `is missing: a connection profile names no user; give "cert" and "key" (with "profile: ${path.basename(profile.file)}") in a network file, or keep the profile in test-network's layout beside users/User1@<domain>`,
  );
}
