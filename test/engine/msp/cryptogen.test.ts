/**
 * An org's crypto folder against what Fabric's cryptogen writes (internal/cryptogen): the exact
 * file layout, the certificates' subjects and extensions read by three independent parsers (ours,
 * @peculiar/x509, OpenSSL through node:crypto), byte-identical TBSCertificates from Go's
 * crypto/x509 fed cryptogen's template (test/fixtures/go/certoracle), and a real TLS handshake
 * with the peer's server certificate under the host names clients use.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { decodeFirstPem } from '../../../src/engine/crypto/pem';
import { parseDerSignature, P256_HALF_ORDER } from '../../../src/engine/crypto/ecdsa';
import { parseCertificate, type ParsedCertificate } from '../../../src/engine/crypto/x509Reader';
import { ExtensionOid, KeyUsage } from '../../../src/engine/crypto/x509Writer';
import { formatName } from '../../../src/engine/crypto/x509Name';
import { Organization } from '../../../src/engine/msp/organization';
import { orgSpec } from '../../../src/engine/msp/orgSpec';
import { fixtureSkip } from '../../support/toolchains';
import { CertOracle, certOracleStatus, type OracleCreate } from './certOracle';

const ORG = 'org1.example.com';

function listTree(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    const entries = fs.readdirSync(dir, { withFileTypes: true });
    if (entries.length === 0) out.push(`${path.relative(root, dir)}/`);
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(path.relative(root, p));
    }
  };
  walk(root);
  return out.sort();
}

const certAt = (file: string): ParsedCertificate => parseCertificate((decodeFirstPem(fs.readFileSync(file, 'utf8')) ?? assert.fail(`${file} is not PEM`)).der);

describe('cryptogen layout and certificates', () => {
  let dataDir = '';
  let org: Organization;
  let root = '';
  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cryptogen-'));
    org = await Organization.open(dataDir, orgSpec('Org1MSP'));
    root = org.cryptoPath;
  });
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  test("the folder is organizations/peerOrganizations/<domain> with exactly cryptogen's files", () => {
    assert.equal(root, path.join(dataDir, 'organizations', 'peerOrganizations', ORG));
    const node = (dir: string, cn: string, tlsName: string): string[] => [
      `${dir}/msp/admincerts/`,
      `${dir}/msp/cacerts/ca.${ORG}-cert.pem`,
      `${dir}/msp/config.yaml`,
      `${dir}/msp/keystore/priv_sk`,
      `${dir}/msp/signcerts/${cn}-cert.pem`,
      `${dir}/msp/tlscacerts/tlsca.${ORG}-cert.pem`,
      `${dir}/tls/ca.crt`,
      `${dir}/tls/${tlsName}.crt`,
      `${dir}/tls/${tlsName}.key`,
    ];
    const expected = [
      `ca/ca.${ORG}-cert.pem`,
      'ca/priv_sk',
      'msp/admincerts/',
      `msp/cacerts/ca.${ORG}-cert.pem`,
      'msp/config.yaml',
      `msp/tlscacerts/tlsca.${ORG}-cert.pem`,
      ...node(`peers/peer0.${ORG}`, `peer0.${ORG}`, 'server'),
      `tlsca/tlsca.${ORG}-cert.pem`,
      'tlsca/priv_sk',
      ...node(`users/Admin@${ORG}`, `Admin@${ORG}`, 'client'),
      ...node(`users/User1@${ORG}`, `User1@${ORG}`, 'client'),
    ].sort();
    assert.deepEqual(listTree(root), expected);
  });

  test("config.yaml is cryptogen's NodeOUs file, every role bound to the org CA", () => {
    const expected =
      'NodeOUs:\n  Enable: true\n' +
      ['Client', 'Peer', 'Admin', 'Orderer']
        .map((r) => `  ${r}OUIdentifier:\n    Certificate: cacerts/ca.${ORG}-cert.pem\n    OrganizationalUnitIdentifier: ${r.toLowerCase()}\n`)
        .join('');
    for (const dir of ['msp', `peers/peer0.${ORG}/msp`, `users/User1@${ORG}/msp`, `users/Admin@${ORG}/msp`]) {
      assert.equal(fs.readFileSync(path.join(root, dir, 'config.yaml'), 'utf8'), expected, dir);
    }
  });

  test("keys are P-256 PKCS#8 PEM (byte-identical to OpenSSL's encoding), readable by their owner only", () => {
    const keys = listTree(root).filter((f) => f.endsWith('priv_sk') || f.endsWith('.key'));
    assert.equal(keys.length, 8);
    for (const rel of keys) {
      const file = path.join(root, rel);
      const pem = fs.readFileSync(file, 'utf8');
      assert.match(pem, /^-----BEGIN PRIVATE KEY-----\n([A-Za-z0-9+/=]{64}\n)+[A-Za-z0-9+/=]{1,64}\n-----END PRIVATE KEY-----\n$/, rel);
      const key = createPrivateKey(pem);
      assert.equal(key.asymmetricKeyDetails?.namedCurve, 'prime256v1', rel);
      assert.equal(key.export({ type: 'pkcs8', format: 'pem' }), pem, `${rel}: OpenSSL re-encodes the same bytes`);
      assert.equal(fs.statSync(file).mode & 0o777, 0o600, rel);
    }
  });

  test("CAs: cryptogen's subject, self-signed, CA key usages, client+server EKU, SHA-256 SKI, ten years", () => {
    for (const [prefix, file] of [
      ['ca', org.layout.caCert],
      ['tlsca', org.layout.tlsCaCert],
    ] as const) {
      const c = certAt(file);
      assert.equal(formatName(c.subject), `C=US, ST=California, L=San Francisco, O=${ORG}, CN=${prefix}.${ORG}`);
      assert.ok(c.issuerRaw.equals(c.subjectRaw));
      assert.equal(c.isCA, true);
      assert.equal(c.keyUsage, KeyUsage.digitalSignature | KeyUsage.keyEncipherment | KeyUsage.certSign | KeyUsage.crlSign);
      assert.deepEqual(c.extKeyUsage, ['1.3.6.1.5.5.7.3.2', '1.3.6.1.5.5.7.3.1']);
      const point = c.spki.subarray(c.spki.length - 65);
      assert.deepEqual(c.subjectKeyId, createHash('sha256').update(point).digest());
      assert.equal(c.authorityKeyId, null);
      assert.equal(c.notAfter.getTime() - c.notBefore.getTime(), 3650 * 24 * 3600 * 1000);
      assert.equal(c.notBefore.getTime() % 60_000, 0, 'notBefore is on a minute');
      assert.ok(Math.abs(c.notBefore.getTime() - (Date.now() - 5 * 60_000)) < 2 * 60_000, 'notBefore is about five minutes ago');
      // An independent parser agrees.
      const theirs = new x509.X509Certificate(fs.readFileSync(file, 'utf8'));
      assert.equal(theirs.subject, `C=US, ST=California, L=San Francisco, O=${ORG}, CN=${prefix}.${ORG}`);
      assert.equal(theirs.getExtension(x509.BasicConstraintsExtension)?.ca, true);
      assert.equal(theirs.getExtension(x509.BasicConstraintsExtension)?.critical, true);
      assert.equal(theirs.getExtension(x509.KeyUsagesExtension)?.critical, true);
    }
  });

  test("signing leaves: C, ST, L, the role OU and CN (no O), digitalSignature only, no EKU, AKI = the CA's SKI", () => {
    const ca = certAt(org.layout.caCert);
    const leaves = [
      [org.layout.peer().signcert, 'peer', `peer0.${ORG}`],
      [org.layout.user('User1').signcert, 'client', `User1@${ORG}`],
      [org.layout.user('Admin').signcert, 'admin', `Admin@${ORG}`],
    ] as const;
    for (const [file, role, cn] of leaves) {
      const c = certAt(file);
      assert.equal(formatName(c.subject), `C=US, ST=California, L=San Francisco, OU=${role}, CN=${cn}`);
      assert.ok(c.issuerRaw.equals(ca.subjectRaw), 'issuer bytes are the CA subject bytes');
      assert.equal(c.isCA, false);
      assert.equal(c.basicConstraintsValid, true);
      assert.equal(c.keyUsage, KeyUsage.digitalSignature);
      assert.equal(c.extKeyUsage, null);
      assert.equal(c.subjectKeyId, null);
      assert.deepEqual(c.authorityKeyId, ca.subjectKeyId);
      assert.ok(new X509Certificate(fs.readFileSync(file)).verify(new X509Certificate(fs.readFileSync(org.layout.caCert)).publicKey), 'OpenSSL verifies the CA signature');
      assert.ok(parseDerSignature(c.signature).s <= P256_HALF_ORDER, "the CA signed with a low S, as cryptogen's signer does");
    }
  });

  test("TLS leaves: no OU, EKU server+client, the peer's SANs cover peer0.<domain>, peer0, localhost and 127.0.0.1", () => {
    const peerTls = certAt(org.layout.peer().tlsCert);
    assert.equal(formatName(peerTls.subject), `C=US, ST=California, L=San Francisco, CN=peer0.${ORG}`);
    assert.equal(peerTls.keyUsage, KeyUsage.digitalSignature | KeyUsage.keyEncipherment);
    assert.deepEqual(peerTls.extKeyUsage, ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
    const node = new X509Certificate(fs.readFileSync(org.layout.peer().tlsCert));
    assert.equal(node.subjectAltName, `DNS:peer0.${ORG}, DNS:peer0, DNS:localhost, IP Address:127.0.0.1`);
    assert.ok(node.checkIssued(new X509Certificate(fs.readFileSync(org.layout.tlsCaCert))));
    const userTls = certAt(org.layout.user('User1').tlsCert);
    assert.equal(
      userTls.extensions.find((e) => e.oid === ExtensionOid.subjectAltName),
      undefined,
      'cryptogen gives users no SANs',
    );
    assert.ok(fs.readFileSync(org.layout.peer().tlsCa).equals(fs.readFileSync(org.layout.tlsCaCert)), 'tls/ca.crt is the TLS CA');
  });

  test('a TLS client trusting tls/ca.crt connects as peer0.<domain>, localhost and 127.0.0.1 (what gateway clients use)', async () => {
    const server = tls.createServer({ cert: org.peer.tls.certPem, key: org.peer.tls.keyPem }, (s) => s.end('hello'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      for (const servername of [`peer0.${ORG}`, 'localhost', undefined]) {
        const reply = await new Promise<string>((resolve, reject) => {
          const socket = tls.connect({ host: '127.0.0.1', port, ca: fs.readFileSync(org.peer.tls.files.ca), servername }, () => {
            socket.once('data', (d) => resolve(d.toString()));
          });
          socket.on('error', reject);
        });
        assert.equal(reply, 'hello', String(servername));
      }
      await assert.rejects(
        new Promise((resolve, reject) =>
          tls.connect({ host: '127.0.0.1', port, ca: org.peer.tls.caCertPem, servername: 'peer0.org2.example.com' }, () => resolve(null)).on('error', reject),
        ),
        /does not match certificate's altnames|Hostname\/IP does not match/,
      );
    } finally {
      server.close();
    }
  });

  describe("Go's crypto/x509 fed cryptogen's templates writes the same TBSCertificate bytes", { skip: fixtureSkip(certOracleStatus()) }, () => {
    let oracle: CertOracle;
    before(() => (oracle = new CertOracle()));
    after(() => oracle?.close());

    /** cryptogen's template for `c`, with the serial, validity and key taken from our certificate. */
    function template(c: ParsedCertificate, extra: Partial<OracleCreate>, signer: { cert: string; key: string } | { key: string }): OracleCreate {
      const subject: Record<string, string[]> = {};
      for (const a of c.subject.flat()) (subject[a.type] ??= []).push(a.value);
      return {
        op: 'create',
        serial: c.serialNumber.toString(16),
        notBefore: c.notBefore.toISOString().replace('.000', ''),
        notAfter: c.notAfter.toISOString().replace('.000', ''),
        subject,
        isCA: false,
        keyUsage: 0,
        publicKey: `-----BEGIN PUBLIC KEY-----\n${c.spki.toString('base64')}\n-----END PUBLIC KEY-----\n`,
        signerKey: signer.key,
        parentCert: 'cert' in signer ? signer.cert : undefined,
        ...extra,
      };
    }

    test('CA, TLS CA, signing and TLS leaves of peer0, User1 and Admin', async () => {
      const read = (f: string): string => fs.readFileSync(f, 'utf8');
      const caKeyUsage = KeyUsage.digitalSignature | KeyUsage.keyEncipherment | KeyUsage.certSign | KeyUsage.crlSign;
      const cases: [string, OracleCreate][] = [];
      for (const [certFile, keyFile] of [
        [org.layout.caCert, org.layout.caKey],
        [org.layout.tlsCaCert, org.layout.tlsCaKey],
      ]) {
        const c = certAt(certFile);
        const ski = createHash('sha256')
          .update(c.spki.subarray(c.spki.length - 65))
          .digest('hex');
        cases.push([certFile, template(c, { isCA: true, keyUsage: caKeyUsage, extKeyUsage: ['clientAuth', 'serverAuth'], subjectKeyId: ski }, { key: read(keyFile) })]);
      }
      const ca = { cert: read(org.layout.caCert), key: read(org.layout.caKey) };
      const tlsCa = { cert: read(org.layout.tlsCaCert), key: read(org.layout.tlsCaKey) };
      for (const node of [org.layout.peer(), org.layout.user('User1'), org.layout.user('Admin')]) {
        cases.push([node.signcert, template(certAt(node.signcert), { keyUsage: KeyUsage.digitalSignature }, ca)]);
        const sans = node.tlsCert.endsWith('server.crt') ? { dnsNames: [`peer0.${ORG}`, 'peer0', 'localhost'], ips: ['127.0.0.1'] } : {};
        cases.push([
          node.tlsCert,
          template(certAt(node.tlsCert), { keyUsage: KeyUsage.digitalSignature | KeyUsage.keyEncipherment, extKeyUsage: ['serverAuth', 'clientAuth'], ...sans }, tlsCa),
        ]);
      }
      for (const [file, request] of cases) {
        const answer = await oracle.ask(request);
        assert.equal(answer.error, undefined, `${file}: ${answer.error}`);
        assert.equal(certAt(file).tbs.toString('hex'), answer.tbs, `${path.relative(root, file)}: our TBSCertificate differs from Go's`);
      }
    });

    test("Go verifies every leaf against its CA as Fabric's MSP does (NotBefore+1s, serverAuth-compatible chain)", async () => {
      const read = (f: string): string => fs.readFileSync(f, 'utf8');
      for (const node of [org.layout.peer(), org.layout.user('User1'), org.layout.user('Admin')]) {
        const signing = await oracle.ask({ op: 'verify', leaf: read(node.signcert), roots: [read(org.layout.caCert)] });
        assert.equal(signing.error, undefined, node.signcert);
        assert.equal(signing.chains, 1);
        assert.deepEqual(signing.ous, [node.signcert.includes('peer0') ? 'peer' : node.signcert.includes('Admin') ? 'admin' : 'client']);
        const tlsLeaf = await oracle.ask({ op: 'verify', leaf: read(node.tlsCert), roots: [read(org.layout.tlsCaCert)] });
        assert.equal(tlsLeaf.error, undefined, node.tlsCert);
        assert.equal(tlsLeaf.chains, 1);
      }
    });
  });
});
