/**
 * The organisation a Gateway serves as: its peer0's name, TLS credentials and endorsing identity,
 * the checks on callers, and the crypto folder client applications read (test-network layout:
 * `<data-dir>/organizations/peerOrganizations/<domain>/`).
 *
 * INTERIM: until the organisations room (src/engine/msp) is merged, the folder is made here with a
 * CA, a TLS CA, peer0 and User1, and callers are checked against that CA with node:crypto. Once
 * it is, this file opens the msp Organization instead; nothing else changes.
 */
import { createPrivateKey, sign as nodeSign, verify as nodeVerify, X509Certificate } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { createCertificateAuthority, issueCertificate, type KeyPairPem } from '../crypto/certificates';
import type { Signer } from '../transactions/proposal';
import { codecs } from '../wire/codec';
import { CallerRefusedError, type Caller, type CallerVerifier } from './callers';

export interface GatewayOrg {
  readonly mspId: string;
  readonly domain: string;
  /** `peer0.<domain>`: the TLS host name and the name in error details. */
  readonly peerName: string;
  /** What client applications get as CRYPTO_PATH. */
  readonly cryptoPath: string;
  readonly tls: { readonly certPem: string; readonly keyPem: string };
  /** peer0's identity: signs endorsements. */
  readonly peerIdentity: Signer;
  readonly verifier: CallerVerifier;
  /** The user a sample application signs as. */
  readonly user: { readonly name: string; readonly certFile: string; readonly keyFile: string };
}

const P256_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

function derInteger(n: bigint): Buffer {
  let hex = n.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let bytes = Buffer.from(hex, 'hex');
  if (bytes[0] & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return Buffer.concat([Buffer.from([0x02, bytes.length]), bytes]);
}

/** ECDSA over SHA-256, DER, low S (as Fabric's MSP signs). */
function lowSSign(keyPem: string): (message: Uint8Array) => Buffer {
  const key = createPrivateKey(keyPem);
  return (message) => {
    const raw = nodeSign('sha256', message, { key, dsaEncoding: 'ieee-p1363' });
    const r = BigInt(`0x${raw.subarray(0, 32).toString('hex')}`);
    let s = BigInt(`0x${raw.subarray(32).toString('hex')}`);
    if (s > P256_ORDER >> 1n) s = P256_ORDER - s;
    const body = Buffer.concat([derInteger(r), derInteger(s)]);
    return Buffer.concat([Buffer.from([0x30, body.length]), body]);
  };
}

async function readOrIssue(dir: string, name: string, issue: () => Promise<KeyPairPem>): Promise<KeyPairPem> {
  const certFile = path.join(dir, 'signcerts', `${name}-cert.pem`);
  const keyFile = path.join(dir, 'keystore', 'priv_sk');
  if (fs.existsSync(certFile) && fs.existsSync(keyFile)) return { certPem: fs.readFileSync(certFile, 'utf8'), keyPem: fs.readFileSync(keyFile, 'utf8') };
  const pair = await issue();
  await fs.promises.mkdir(path.dirname(certFile), { recursive: true });
  await fs.promises.mkdir(path.dirname(keyFile), { recursive: true });
  await fs.promises.writeFile(certFile, pair.certPem);
  await fs.promises.writeFile(keyFile, pair.keyPem, { mode: 0o600 });
  return pair;
}

export async function openGatewayOrg(dataDir: string, mspId: string): Promise<GatewayOrg> {
  const org = mspId.replace(/MSP$/, '') || 'Org1';
  const domain = `${org.toLowerCase()}.example.com`;
  const root = path.join(dataDir, 'organizations', 'peerOrganizations', domain);
  const peerName = `peer0.${domain}`;
  const subject = (cn: string, ou?: string): string => `C=US, ST=California, L=San Francisco, ${ou ? `OU=${ou}, ` : `O=${domain}, `}CN=${cn}`;
  const ca = await readOrIssue(path.join(root, 'ca'), `ca.${domain}`, () => createCertificateAuthority(subject(`ca.${domain}`)));
  const tlsCa = await readOrIssue(path.join(root, 'tlsca'), `tlsca.${domain}`, () => createCertificateAuthority(subject(`tlsca.${domain}`)));
  const peerDir = path.join(root, 'peers', peerName);
  const peer = await readOrIssue(path.join(peerDir, 'msp'), peerName, () => issueCertificate(ca, { subject: subject(peerName, 'peer'), usage: 'identity' }));
  const userName = `User1@${domain}`;
  const userMsp = path.join(root, 'users', userName, 'msp');
  await readOrIssue(userMsp, userName, () => issueCertificate(ca, { subject: subject(userName, 'client'), usage: 'identity' }));
  const tlsDir = path.join(peerDir, 'tls');
  let tls: KeyPairPem;
  if (fs.existsSync(path.join(tlsDir, 'server.crt'))) {
    tls = { certPem: fs.readFileSync(path.join(tlsDir, 'server.crt'), 'utf8'), keyPem: fs.readFileSync(path.join(tlsDir, 'server.key'), 'utf8') };
  } else {
    tls = await issueCertificate(tlsCa, { subject: `C=US, ST=California, L=San Francisco, CN=${peerName}`, usage: 'server', hosts: [peerName, 'localhost', '127.0.0.1'] });
    await fs.promises.mkdir(tlsDir, { recursive: true });
    await fs.promises.writeFile(path.join(tlsDir, 'ca.crt'), tlsCa.certPem);
    await fs.promises.writeFile(path.join(tlsDir, 'server.crt'), tls.certPem);
    await fs.promises.writeFile(path.join(tlsDir, 'server.key'), tls.keyPem, { mode: 0o600 });
  }
  const caCert = new X509Certificate(ca.certPem);
  const peerSerialized = codecs.SerializedIdentity.encode({ mspid: mspId, id_bytes: Buffer.from(peer.certPem) });
  const sign = lowSSign(peer.keyPem);
  const verifier: CallerVerifier = {
    verify(channel, creator, signed, signature): Caller {
      let mspid = '';
      try {
        mspid = codecs.SerializedIdentity.decode(creator).mspid;
      } catch (err) {
        throw new CallerRefusedError(`access denied: channel [${channel}] creator org unknown, creator is malformed`, (err as Error).message);
      }
      const denied = (detail: string): CallerRefusedError => new CallerRefusedError(`access denied: channel [${channel}] creator org [${mspid}]`, detail);
      let cert: X509Certificate;
      try {
        cert = new X509Certificate(Buffer.from(codecs.SerializedIdentity.decode(creator).id_bytes));
      } catch (err) {
        throw denied((err as Error).message);
      }
      if (mspid !== mspId || !cert.verify(caCert.publicKey)) throw denied('the certificate was not issued by the MSP\'s CA');
      if (Date.parse(cert.validTo) < Date.now()) throw new CallerRefusedError('identity expired', `the certificate expired at ${cert.validTo}`);
      let ok = false;
      try {
        ok = nodeVerify('sha256', signed, { key: cert.publicKey, dsaEncoding: 'der' }, signature);
      } catch {
        ok = false;
      }
      if (!ok) throw denied('the signature is not valid');
      return { mspId: mspid, subject: cert.subject.split('\n').join(', ') };
    },
  };
  return {
    mspId,
    domain,
    peerName,
    cryptoPath: root,
    tls,
    peerIdentity: { mspId, serialized: peerSerialized, sign: (m) => sign(m) },
    verifier,
    user: { name: 'User1', certFile: path.join(userMsp, 'signcerts', `${userName}-cert.pem`), keyFile: path.join(userMsp, 'keystore', 'priv_sk') },
  };
}
