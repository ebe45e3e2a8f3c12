/**
 * Organisations as data: made once and kept (a second open reads, never regenerates), fast enough
 * for a two-org network to be ready well within a second, repaired after a crash, reported when
 * damaged; identities issued on demand as Fabric CA would, reissued when their spec changes, and
 * listed; org lists and identity specs that do not parse name the offending token.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { certificateAttributes, encodeAttributes } from '../../../src/engine/msp/attributes';
import { CryptoFolderError } from '../../../src/engine/msp/cryptoFolder';
import { IdentitySpecError, parseAttributeList } from '../../../src/engine/msp/fabricCa';
import { openOrganizations, Organization, UnknownIdentityError } from '../../../src/engine/msp/organization';
import { DEFAULT_ORGS, orgSpec, OrgSpecError, parseOrgList } from '../../../src/engine/msp/orgSpec';
import { formatName } from '../../../src/engine/crypto/x509Name';
import { ExtensionOid } from '../../../src/engine/crypto/x509Writer';
import { fixtureSkip } from '../../support/toolchains';
import { CertOracle, certOracleStatus } from './certOracle';

const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'orgs-'));
const dirs: string[] = [];
const fresh = (): string => {
  const d = tmp();
  dirs.push(d);
  return d;
};
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('org specs', () => {
  test('Org3MSP is org3.example.com, named Org3 in channel configuration; the defaults are Org1MSP and Org2MSP', () => {
    assert.deepEqual(orgSpec('Org3MSP'), { mspId: 'Org3MSP', name: 'Org3', domain: 'org3.example.com' });
    assert.deepEqual(
      DEFAULT_ORGS.map((o) => [o.mspId, o.domain]),
      [
        ['Org1MSP', 'org1.example.com'],
        ['Org2MSP', 'org2.example.com'],
      ],
    );
    assert.deepEqual(
      parseOrgList(' Org1MSP, Org2MSP ,Acme=acme.example.org').map((o) => o.domain),
      ['org1.example.com', 'org2.example.com', 'acme.example.org'],
    );
  });

  test('a bad list names the entry', () => {
    assert.throws(
      () => parseOrgList('Org1MSP,,Org2MSP', '--orgs'),
      (e: Error) => e instanceof OrgSpecError && /--orgs: entry 2 is empty/.test(e.message),
    );
    assert.throws(() => parseOrgList('Org1MSP,Org_2MSP', '--orgs'), /--orgs: invalid MSP id 'Org_2MSP'/);
    assert.throws(() => parseOrgList('Org1MSP,Org1MSP', '--orgs'), /--orgs: 'Org1MSP' repeats Org1MSP \(org1.example.com\)/);
    assert.throws(() => parseOrgList('Org1MSP=Org1.Example.com', '--orgs'), /invalid domain 'Org1.Example.com'/);
    assert.throws(() => parseOrgList('', '--orgs'), /--orgs is empty/);
  });
});

describe('making and reopening orgs', () => {
  test('two orgs are ready well within a second on first use, and a reopen reads the same material back', async (t) => {
    const dataDir = fresh();
    const t0 = performance.now();
    const first = await openOrganizations(dataDir);
    const made = performance.now() - t0;
    const t1 = performance.now();
    const again = await openOrganizations(dataDir);
    const reopened = performance.now() - t1;
    t.diagnostic(`two orgs made in ${made.toFixed(1)} ms, reopened in ${reopened.toFixed(1)} ms`);
    // The target is well under a second (it takes a few tens of ms on an idle machine); the bound
    // leaves room for a loaded CI machine and still catches a slow path (library loads, OpenSSL
    // encoders in loops) creeping in.
    assert.ok(made < 3000, `making two orgs took ${made} ms`);
    assert.ok(reopened < made, `reopening (${reopened} ms) must be cheaper than making (${made} ms): nothing is regenerated`);
    assert.deepEqual(
      first.map((o) => o.mspId),
      ['Org1MSP', 'Org2MSP'],
    );
    for (let i = 0; i < 2; i++) {
      assert.equal(again[i].caCertPem, first[i].caCertPem, 'the CA is kept');
      assert.equal(again[i].peer.identity.certPem, first[i].peer.identity.certPem, 'the peer identity is kept');
      assert.equal(again[i].peer.tls.certPem, first[i].peer.tls.certPem, 'the TLS certificate is kept');
    }
    assert.notEqual(first[0].caCertPem, first[1].caCertPem, 'each org has its own CA');
  });

  test('the peer signs with its key: signatures verify with its certificate', async () => {
    const [org] = await openOrganizations(fresh(), [orgSpec('Org1MSP')]);
    const { verifyMessage } = await import('../../../src/engine/crypto/ecdsa');
    const msg = Buffer.from('proposal response payload');
    verifyMessage(org.peer.identity.cert.publicKey, msg, org.peer.identity.sign(msg));
    assert.equal(org.peer.name, 'peer0.org1.example.com');
    assert.equal(org.peer.identity.role, 'peer');
    assert.equal((await org.identity('User1')).role, 'client');
    assert.equal((await org.identity('Admin')).role, 'admin');
  });

  test('parallel opens of the same data directory agree on one set of certificates', async () => {
    const dataDir = fresh();
    const results = await Promise.all([0, 1, 2].map(() => Organization.open(dataDir, orgSpec('Org1MSP'))));
    assert.equal(new Set(results.map((o) => o.caCertPem)).size, 1);
    assert.deepEqual(fs.readdirSync(path.dirname(results[0].cryptoPath)), ['org1.example.com'], 'no partial folder is left behind');
  });

  test('a crash while writing leaves a hidden partial folder that the next open removes, then makes the org', async () => {
    const dataDir = fresh();
    const parent = path.join(dataDir, 'organizations', 'peerOrganizations');
    // What a killed process leaves: a partial write under a pid that no longer runs.
    const dead = path.join(parent, '.org1.example.com.partial-999999999-0badc0de');
    fs.mkdirSync(path.join(dead, 'ca'), { recursive: true });
    fs.writeFileSync(path.join(dead, 'ca', 'priv_sk'), 'half');
    const org = await Organization.open(dataDir, orgSpec('Org1MSP'));
    assert.deepEqual(fs.readdirSync(parent), ['org1.example.com']);
    assert.ok(org.caCertPem.startsWith('-----BEGIN CERTIFICATE-----'));
  });

  test('a crash between the two renames of a reissue is undone: the old identity comes back', async () => {
    const dataDir = fresh();
    const org = await Organization.open(dataDir, orgSpec('Org1MSP'));
    const users = org.layout.usersDir;
    const before = fs.readFileSync(org.layout.user('User1').signcert, 'utf8');
    fs.renameSync(path.join(users, 'User1@org1.example.com'), path.join(users, '.User1@org1.example.com.old-999999999-00000001'));
    fs.mkdirSync(path.join(users, '.User1@org1.example.com.partial-999999999-00000001'));
    const reopened = await Organization.open(dataDir, orgSpec('Org1MSP'));
    assert.equal((await reopened.identity('User1')).certPem, before);
    assert.deepEqual(fs.readdirSync(users).sort(), ['Admin@org1.example.com', 'User1@org1.example.com']);
  });

  test('a folder changed outside the product is reported with the missing paths and what to do', async () => {
    const dataDir = fresh();
    const org = await Organization.open(dataDir, orgSpec('Org1MSP'));
    fs.rmSync(org.layout.peer().tlsKey);
    fs.rmSync(org.layout.caKey);
    await assert.rejects(Organization.open(dataDir, orgSpec('Org1MSP')), (e: Error) => {
      assert.ok(e instanceof CryptoFolderError);
      assert.match(e.message, /is incomplete \(missing .*ca\/priv_sk, .*peer0\.org1\.example\.com\/tls\/server\.key\)/);
      assert.match(e.message, /delete .*org1\.example\.com to have it made again/);
      return true;
    });
  });

  test('a key that does not belong to its certificate is reported', async () => {
    const dataDir = fresh();
    const org = await Organization.open(dataDir, orgSpec('Org1MSP'));
    fs.copyFileSync(org.layout.user('User1').key, org.layout.peer().key);
    await assert.rejects(Organization.open(dataDir, orgSpec('Org1MSP')), /damaged: the private key of peer0 .* does not belong to its certificate/);
  });
});

describe('identities on demand', () => {
  let org: Organization;
  before(async () => {
    org = await Organization.open(fresh(), orgSpec('Org1MSP'));
  });

  test("issued as Fabric CA would: subject, OUs, the hf.* defaults plus the caller's attributes as Go JSON", async () => {
    const { identity, action } = await org.ensureIdentity({ name: 'alice', attributes: { role: 'auditor', 'app.level': '<3 & "x"' } });
    assert.equal(action, 'issued');
    assert.equal(identity.subject, 'C=US, ST=North Carolina, O=Hyperledger, OU=client, CN=alice');
    assert.equal(identity.role, 'client');
    const ext = identity.cert.extensions.find((e) => e.oid === ExtensionOid.fabricAttributes);
    assert.equal(ext?.critical, false);
    assert.equal(
      Buffer.from(ext?.value ?? []).toString(),
      '{"attrs":{"app.level":"\\u003c3 \\u0026 \\"x\\"","hf.Affiliation":"","hf.EnrollmentID":"alice","hf.Type":"client","role":"auditor"}}',
    );
    assert.deepEqual(certificateAttributes(identity.cert), { 'app.level': '<3 & "x"', 'hf.Affiliation': '', 'hf.EnrollmentID': 'alice', 'hf.Type': 'client', role: 'auditor' });
    assert.equal(identity.files?.mspDir, path.join(org.cryptoPath, 'users', 'alice@org1.example.com', 'msp'));
    assert.ok(fs.existsSync(path.join(identity.files?.mspDir ?? '', 'signcerts', 'alice@org1.example.com-cert.pem')));
    assert.ok(fs.existsSync(path.join(identity.files?.mspDir ?? '', 'keystore', 'priv_sk')));
    assert.ok(fs.existsSync(path.join(identity.files?.mspDir ?? '', 'config.yaml')));
    assert.equal(identity.cert.notAfter.getTime() - identity.cert.notBefore.getTime(), 8760 * 3600 * 1000, "Fabric CA's default expiry");
  });

  test('asking again with the same spec keeps the certificate; a changed attribute set, type or affiliation reissues it', async () => {
    const spec = { name: 'bob', attributes: { role: 'clerk' } };
    const first = await org.ensureIdentity(spec);
    assert.equal(first.action, 'issued');
    const same = await org.ensureIdentity(spec);
    assert.equal(same.action, 'existing');
    assert.equal(same.identity.certPem, first.identity.certPem);
    const changed = await org.ensureIdentity({ name: 'bob', attributes: { role: 'manager' } });
    assert.equal(changed.action, 'reissued');
    assert.notEqual(changed.identity.certPem, first.identity.certPem);
    assert.equal(certificateAttributes(changed.identity.cert)?.role, 'manager');
    assert.equal((await org.identity('bob')).certPem, changed.identity.certPem, 'later lookups see the new certificate');
    assert.equal((await org.ensureIdentity({ name: 'bob', attributes: { role: 'manager' }, type: 'admin' })).action, 'reissued');
    assert.equal((await org.identity('bob')).role, 'admin');
    assert.equal((await org.ensureIdentity({ name: 'bob', attributes: { role: 'manager' } })).action, 'existing', 'no type given keeps the existing type');
    const affiliated = await org.ensureIdentity({ name: 'bob', attributes: { role: 'manager' }, affiliation: 'org1.department1' });
    assert.equal(affiliated.action, 'reissued');
    assert.equal(formatName(affiliated.identity.cert.subject), 'C=US, ST=North Carolina, O=Hyperledger, OU=org1+OU=admin+OU=department1, CN=bob');
  });

  test("cryptogen's User1 is kept while the spec matches it; with attributes it is reissued by the CA", async () => {
    const kept = await org.ensureIdentity({ name: 'User1' });
    assert.equal(kept.action, 'existing');
    assert.equal(certificateAttributes(kept.identity.cert), null);
    const withAttr = await org.ensureIdentity({ name: 'User1', attributes: { role: 'auditor' } });
    assert.equal(withAttr.action, 'reissued');
    assert.equal(withAttr.identity.subject, 'C=US, ST=North Carolina, O=Hyperledger, OU=client, CN=User1');
  });

  test('concurrent requests for one new identity issue it once', async () => {
    const results = await Promise.all([0, 1, 2, 3].map(() => org.ensureIdentity({ name: 'carol', attributes: { n: '1' } })));
    assert.deepEqual(results.map((r) => r.action).sort(), ['existing', 'existing', 'existing', 'issued']);
    assert.equal(new Set(results.map((r) => r.identity.certPem)).size, 1);
  });

  test('identityToCallAs: named alone, an identity is used as it is (issued once when new); with attributes, exactly those', async () => {
    const made = await org.identityToCallAs('erin');
    assert.equal(made.action, 'issued');
    assert.equal(made.identity.role, 'client');
    assert.equal((await org.identityToCallAs('erin')).action, 'existing');
    const attributed = await org.identityToCallAs('erin', { role: 'auditor' });
    assert.equal(attributed.action, 'reissued');
    const alone = await org.identityToCallAs('erin');
    assert.equal(alone.action, 'existing', 'naming it alone keeps its attributes');
    assert.equal(certificateAttributes(alone.identity.cert)?.role, 'auditor');
    assert.equal((await org.identityToCallAs('erin', {})).action, 'reissued', 'an empty set is a change too');
    assert.equal(certificateAttributes((await org.identity('erin')).cert)?.role, undefined);
    await assert.rejects(org.identityToCallAs('no/slash'), (e: Error) => e instanceof IdentitySpecError && /name 'no\/slash'/.test(e.message));
  });

  test('listIdentities shows every user folder with role, attributes and paths', async () => {
    await org.ensureIdentity({ name: 'dave', type: 'peer' });
    const list = await org.listIdentities();
    const dave = list.find((i) => i.name === 'dave');
    assert.ok(list.some((i) => i.name === 'Admin' && i.role === 'admin' && i.attributes === null));
    assert.equal(dave?.role, 'peer');
    assert.equal(dave?.attributes?.['hf.Type'], 'peer');
    assert.deepEqual(
      list.map((i) => i.name),
      [...list.map((i) => i.name)].sort(),
    );
  });

  test('an unknown identity and bad specs are clear errors naming the token', async () => {
    await assert.rejects(org.identity('nobody'), (e: Error) => e instanceof UnknownIdentityError && /Org1MSP has no identity 'nobody'/.test(e.message));
    await assert.rejects(org.ensureIdentity({ name: 'bad/name' }), (e: Error) => e instanceof IdentitySpecError && /name 'bad\/name'/.test(e.message));
    await assert.rejects(org.ensureIdentity({ name: 'x', type: 'auditor' as never }), /type 'auditor' is not one of client, peer, admin, orderer/);
    await assert.rejects(org.ensureIdentity({ name: 'x', attributes: { 'hf.Type': 'admin' } }), /attribute 'hf.Type' is set by the CA/);
    await assert.rejects(org.ensureIdentity({ name: 'x', affiliation: 'org1..x' }), /affiliation 'org1..x'/);
    assert.deepEqual(parseAttributeList(['role=auditor', 'expr=a=b']), { role: 'auditor', expr: 'a=b' });
    assert.throws(() => parseAttributeList(['role']), /--identity-attr 'role': expected KEY=VALUE/);
    assert.throws(() => parseAttributeList(['=x']), /--identity-attr '=x': expected KEY=VALUE/);
    assert.throws(() => parseAttributeList(['a=1', 'a=2']), /--identity-attr 'a=2': attribute 'a' is given twice/);
  });

  test("attribute JSON is Go's json.Marshal: keys in byte order, HTML and line separators escaped", () => {
    assert.equal(encodeAttributes({ b: '1', a: '2', Z: 'é\u2028\n' }).toString(), '{"attrs":{"Z":"é\\u2028\\n","a":"2","b":"1"}}');
  });

  describe("Go's crypto/x509 agrees", { skip: fixtureSkip(certOracleStatus()) }, () => {
    let oracle: CertOracle;
    before(() => (oracle = new CertOracle()));
    after(() => oracle?.close());

    test("an enrolled identity's TBSCertificate is what Go writes for Fabric CA's template (OUs in one DER-sorted RDN)", async () => {
      const { identity } = await org.ensureIdentity({ name: 'erin', affiliation: 'org1.department1', attributes: { role: 'auditor' } });
      const c = identity.cert;
      const point = c.spki.subarray(c.spki.length - 65);
      const answer = await oracle.ask({
        op: 'create',
        serial: c.serialNumber.toString(16),
        notBefore: c.notBefore.toISOString().replace('.000', ''),
        notAfter: c.notAfter.toISOString().replace('.000', ''),
        // Fabric CA's OU order: the type, then the affiliation path.
        subject: { C: ['US'], ST: ['North Carolina'], O: ['Hyperledger'], OU: ['client', 'org1', 'department1'], CN: ['erin'] },
        isCA: false,
        keyUsage: 1,
        subjectKeyId: (await import('node:crypto')).createHash('sha1').update(point).digest('hex'),
        extra: [
          {
            oid: ExtensionOid.fabricAttributes,
            critical: false,
            value: encodeAttributes({ 'hf.Affiliation': 'org1.department1', 'hf.EnrollmentID': 'erin', 'hf.Type': 'client', role: 'auditor' }).toString('hex'),
          },
        ],
        publicKey: `-----BEGIN PUBLIC KEY-----\n${c.spki.toString('base64')}\n-----END PUBLIC KEY-----\n`,
        parentCert: org.caCertPem,
        signerKey: fs.readFileSync(org.layout.caKey, 'utf8'),
      });
      assert.equal(answer.error, undefined);
      assert.equal(c.tbs.toString('hex'), answer.tbs);
      assert.deepEqual(answer.ous, ['org1', 'client', 'department1'], 'Go reads the OUs back in DER order');
      assert.equal((await oracle.ask({ op: 'verify', leaf: identity.certPem, roots: [org.caCertPem] })).chains, 1);
    });
  });
});
