/**
 * A Fabric connection profile (common connection profile, JSON or YAML) read as the SDKs read it:
 * the client's organisation (`client.organization`, else the only one in `organizations`), its
 * MSP id (`organizations.<org>.mspid`) and first peer (`organizations.<org>.peers`), that peer's
 * `url` (`grpcs://host:port` for TLS, `grpc://` plaintext), TLS CA (`tlsCACerts.pem` inline or
 * `tlsCACerts.path`) and host name (`grpcOptions.ssl-target-name-override`, or
 * `hostnameOverride`), and the channel when `channels` names exactly one. Older SDK profiles give
 * the org's identity too (`signedCert`, `adminPrivateKey`, each `path` or `pem`).
 * `certificateAuthorities` are for enrolling users, which a connection does not do.
 */
import { configError, optionalObject, optionalPath, optionalString, readNamedFile, requiredObject, type ConfigObject } from './configFile';
import { ConnectionConfigError, type ConnectionSpec } from './types';

/** What a profile says of the peer to connect to and who the client is. */
export interface ProfilePeer {
  readonly peerName: string;
  readonly endpoint: string;
  readonly tls: ConnectionSpec['tls'];
  readonly hostAlias?: string;
  readonly mspId: string;
  /** `channels`' only channel, when it has exactly one. */
  readonly channel?: string;
  /** The org's identity files or inline PEMs when the profile carries them (older SDK profiles). */
  readonly identity?: { readonly cert?: PemSource; readonly key?: PemSource };
}

type PemSource = { readonly pem: string; readonly file: string };

/** Is this parsed file a connection profile (rather than a network file of ours)? */
export function looksLikeProfile(obj: ConfigObject): boolean {
  return typeof obj.value.peers === 'object' || typeof obj.value.certificateAuthorities === 'object' || typeof obj.value.organizations === 'object';
}

/** Reads the profile's peer for `org` (default the client's) and `peer` (default the org's first). */
export function profilePeer(profile: ConfigObject, choice: { readonly org?: string; readonly peer?: string } = {}): ProfilePeer {
  const orgs = requiredObject(profile, 'organizations', 'the organisations of the network, each with its mspid and peers');
  const orgName = choice.org ?? optionalString(optionalObject(profile, 'client') ?? profile, 'organization') ?? onlyKey(orgs);
  const org = optionalObject(orgs, orgName);
  if (!org) throw configError(orgs, orgName, `is not there: the organisations are ${Object.keys(orgs.value).join(', ') || 'none'}`);
  const mspId = optionalString(org, 'mspid');
  if (!mspId) throw configError(org, 'mspid', 'is missing: the MSP id of the organisation');
  const peers = requiredObject(profile, 'peers', "the network's peers, each with its url and tlsCACerts");
  const orgPeers = org.value.peers;
  if (choice.peer === undefined && !(Array.isArray(orgPeers) && orgPeers.length > 0 && orgPeers.every((p) => typeof p === 'string'))) {
    throw configError(org, 'peers', 'must list the names of the organisation’s peers (a key of peers)');
  }
  const peerName = choice.peer ?? (orgPeers as string[])[0];
  const peer = optionalObject(peers, peerName);
  if (!peer) throw configError(peers, peerName, `is not there: the peers are ${Object.keys(peers.value).join(', ') || 'none'}`);
  const { endpoint, secure } = peerUrl(peer);
  const grpcOptions = optionalObject(peer, 'grpcOptions');
  const hostAlias = (grpcOptions && optionalString(grpcOptions, 'ssl-target-name-override')) ?? (grpcOptions && optionalString(grpcOptions, 'hostnameOverride'));
  const channel = channelOf(profile);
  const identity = orgIdentity(org);
  return {
    peerName,
    endpoint,
    tls: secure ? tlsCa(peer) : null,
    mspId,
    ...(hostAlias ? { hostAlias } : {}),
    ...(channel ? { channel } : {}),
    ...(identity ? { identity } : {}),
  };
}

function onlyKey(obj: ConfigObject): string {
  const keys = Object.keys(obj.value);
  if (keys.length === 1) return keys[0];
  throw new ConnectionConfigError(
    `${obj.file}: ${obj.at} has ${keys.length} organisations (${keys.join(', ') || 'none'}) and client.organization does not say which is the client's: set it, or name the org in the network file ("org")`,
  );
}

/** `grpcs://host:port` → TLS, `grpc://host:port` → plaintext, `host:port` → TLS (Fabric's Gateway is TLS). */
function peerUrl(peer: ConfigObject): { endpoint: string; secure: boolean } {
  const url = optionalString(peer, 'url');
  if (!url) throw configError(peer, 'url', 'is missing: the peer’s address, e.g. grpcs://localhost:7051');
  const m = /^(?:(grpcs?):\/\/)?([^/\s]+):(\d{1,5})\/?$/.exec(url);
  if (!m) throw configError(peer, 'url', `must be grpcs://HOST:PORT (or grpc:// for plaintext), got ${url}`);
  return { endpoint: `${m[2]}:${m[3]}`, secure: m[1] !== 'grpc' };
}

function tlsCa(peer: ConfigObject): { caPem: string; caFile: string } {
  const certs = optionalObject(peer, 'tlsCACerts');
  if (!certs) throw configError(peer, 'tlsCACerts', 'is missing: the TLS CA of a grpcs:// peer (pem, or path)');
  const pem = certs.value.pem;
  if (pem !== undefined) {
    const text = Array.isArray(pem) ? pem.join('\n') : pem;
    if (typeof text !== 'string' || !text.includes('-----BEGIN CERTIFICATE-----')) throw configError(certs, 'pem', 'must hold a PEM certificate');
    return { caPem: text, caFile: `${certs.file} (${certs.at}.pem)` };
  }
  const file = optionalPath(certs, 'path');
  if (!file) throw configError(certs, 'path', 'is missing: the TLS CA certificate file (or give pem)');
  const read = readNamedFile(certs, 'path', file);
  if (!read.text.includes('-----BEGIN CERTIFICATE-----')) throw configError(certs, 'path', `names ${read.file}, which holds no PEM certificate`);
  return { caPem: read.text, caFile: read.file };
}

function channelOf(profile: ConfigObject): string | undefined {
  const channels = optionalObject(profile, 'channels');
  const names = channels ? Object.keys(channels.value) : [];
  return names.length === 1 ? names[0] : undefined;
}

function orgIdentity(org: ConfigObject): ProfilePeer['identity'] {
  const source = (key: string): PemSource | undefined => {
    const entry = optionalObject(org, key);
    if (!entry) return undefined;
    const pem = optionalString(entry, 'pem');
    if (pem) return { pem, file: `${entry.file} (${entry.at}.pem)` };
    const file = optionalPath(entry, 'path');
    if (!file) return undefined;
    const read = readNamedFile(entry, 'path', file);
    return { pem: read.text, file: read.file };
  };
  const cert = source('signedCert');
  const key = source('adminPrivateKey');
  return cert || key ? { ...(cert ? { cert } : {}), ...(key ? { key } : {}) } : undefined;
}
