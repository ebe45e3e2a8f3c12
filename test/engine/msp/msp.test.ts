/**
 * Verifying identities against a channel's MSPs as Fabric's X.509 MSP does (msp/mspimpl.go,
 * msp/mspimplvalidate.go): deserialisation errors, chain validation (compared with Go's crypto/x509 on
 * the same certificates), NodeOUs, the principal matching table, certificate sanitising, and the
 * proposal-level checks (creator, txid, expiry).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bitString, children, integer, readTlv, sequence } from '../../../src/engine/crypto/der';
import { P256_ORDER, parseDerSignature } from '../../../src/engine/crypto/ecdsa';
import { decodeFirstPem, encodePem } from '../../../src/engine/crypto/pem';
import { ChannelMsps } from '../../../src/engine/msp/channelMsps';
import { AccessDeniedError, checkCreator, checkNotExpired, checkTxId, computeTxId, IdentityExpiredError } from '../../../src/engine/msp/creatorChecks';
import { newCa } from '../../../src/engine/msp/cryptogen';
import { MspError, type MspIdentity } from '../../../src/engine/msp/msp';
import { openOrganizations, type Organization } from '../../../src/engine/msp/organization';
import { rolePrincipal, type MspPrincipal } from '../../../src/engine/msp/principal';
import { encodeSerializedIdentity } from '../../../src/engine/msp/serializedIdentity';
import { codecs } from '../../../src/engine/wire/codec';
import { fixtureSkip } from '../../support/toolchains';
import { CertOracle, certOracleStatus } from './certOracle';
import { caOf, issueCustom, serialized } from './testCerts';

let dataDir = '';
let org1: Organization;
let org2: Organization;
let msps: ChannelMsps;
const id = (bytes: Buffer): MspIdentity => msps.deserializeIdentity(bytes);
const satisfies = (identity: MspIdentity, p: MspPrincipal): string | null => {
  try {
    identity.msp.satisfiesPrincipal(identity, p);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
};
const certifiersId = (org: Organization): string =>
  createHash('sha256')
    .update(decodeFirstPem(org.caCertPem)?.der ?? Buffer.alloc(0))
    .digest()
    .subarray(0, 8)
    .toString('hex')
    .toUpperCase();

before(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'msp-'));
  [org1, org2] = await openOrganizations(dataDir);
  msps = new ChannelMsps([org1.msp, org2.msp]);
});
after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('deserialising', () => {
  test('an org member: its MSP, id = hex SHA-256 of the certificate, cached by bytes', async () => {
    const user = await org1.identity('User1');
    const identity = id(user.serialized);
    assert.equal(identity.mspId, 'Org1MSP');
    assert.equal(identity.id, createHash('sha256').update(user.cert.der).digest('hex'));
    assert.equal(id(Buffer.from(user.serialized)), identity, 'the second deserialisation is a cache hit');
  });

  test("Fabric's messages for unknown MSPs and malformed bytes", async () => {
    const pem = (await org1.identity('User1')).certPem;
    assert.throws(() => id(serialized('Org9MSP', pem)), /^MspError: MSP Org9MSP is not defined on channel$/);
    assert.throws(() => id(Buffer.from([0x0a, 0xff])), /could not deserialize a SerializedIdentity: /);
    assert.throws(() => id(serialized('Org1MSP', 'not a certificate')), /^MspError: could not decode the PEM structure$/);
    assert.throws(() => id(serialized('Org1MSP', encodePem('CERTIFICATE', Buffer.from('nonsense')))), /^MspError: parseCertificate failed: /);
  });

  test("the PEM type is not checked, and text around the block is skipped (Go's pem.Decode)", async () => {
    const der = (await org1.identity('User1')).cert.der;
    assert.equal(id(serialized('Org1MSP', `junk\n${encodePem('FOO', der)}trailing`)).mspId, 'Org1MSP');
  });

  test('a certificate from another CA, even one with the same name, is not deserialised', async () => {
    const stranger = newCa('org1.example.com', 'ca');
    const leaf = issueCustom(stranger, { ous: ['client'] });
    assert.throws(
      () => id(serialized('Org1MSP', leaf.certPem)),
      (e: Error) =>
        e instanceof MspError &&
        e.message ===
          'the supplied identity is not valid: x509: certificate signed by unknown authority (possibly because of "x509: ECDSA verification failure" while trying to verify candidate authority certificate "ca.org1.example.com")',
    );
    const org1User = (await org1.identity('User1')).certPem;
    assert.throws(() => id(serialized('Org2MSP', org1User)), /the supplied identity is not valid: x509: certificate signed by unknown authority$/);
  });

  test('a certificate whose CA signature has a high S is sanitised: same id and bytes as its low-S twin', async () => {
    const user = await org1.identity('User1');
    const [tbs, alg] = children(readTlv(user.cert.der).content);
    const { r, s } = parseDerSignature(user.cert.signature);
    const highS = sequence(tbs.raw, alg.raw, bitString(sequence(integer(r), integer(P256_ORDER - s))));
    assert.notDeepEqual(highS, user.cert.der);
    const identity = id(serialized('Org1MSP', encodePem('CERTIFICATE', highS)));
    assert.deepEqual(identity.cert.der, user.cert.der);
    assert.equal(identity.id, id(user.serialized).id);
  });
});

describe('validating', () => {
  test("cryptogen's peer, user and admin and an enrolled identity are valid members", async () => {
    const enrolled = (await org1.ensureIdentity({ name: 'val', attributes: { a: 'b' }, affiliation: 'org1.department1' })).identity;
    for (const sid of [org1.peer.identity, await org1.identity('User1'), await org1.identity('Admin'), enrolled]) {
      const identity = id(sid.serialized);
      assert.doesNotThrow(() => identity.msp.validate(identity), sid.name);
    }
  });

  test('NodeOUs: no role OU, or two of them, is invalid (OUs printed with their certifiers id)', () => {
    const ca = caOf(org1);
    const none = id(serialized('Org1MSP', issueCustom(ca, { ous: ['auditor'] }).certPem));
    assert.throws(
      () => none.msp.validate(none),
      new RegExp(
        `^MspError: could not validate identity's OUs: the identity does not have an OU that resolves to client, peer, orderer, or admin role\\. OUs: \\[auditor\\(${certifiersId(org1)}\\)\\], MSP: \\[Org1MSP\\]$`,
      ),
    );
    const both = id(serialized('Org1MSP', issueCustom(ca, { ous: ['client', 'peer'] }).certPem));
    // One multi-valued RDN, DER-sorted: Go (and so Fabric) reads `peer` before `client`.
    assert.throws(
      () => both.msp.validate(both),
      /the identity must have a client, a peer, an orderer, or an admin OU role to be valid, not a combination of them\. OUs: \[peer\(.{16}\) client\(.{16}\)\], MSP: \[Org1MSP\]/,
    );
  });

  test('a CA certificate cannot be an identity', () => {
    const ca = id(serialized('Org1MSP', org1.caCertPem));
    assert.throws(
      () => ca.msp.validate(ca),
      /^MspError: could not obtain certification chain: An X509 certificate with Basic Constraint: Certificate Authority equals true cannot be used as an identity$/,
    );
  });

  test("expiry is not the MSP's business (chains are checked at NotBefore+1s); checkNotExpired is", async () => {
    // Issued within the CA's lifetime (which began five minutes ago), expired a minute ago.
    const caStart = (await org1.identity('User1')).cert.notBefore.getTime();
    const old = issueCustom(caOf(org1), { notBefore: new Date(caStart + 60_000), notAfter: new Date(Date.now() - 60_000) });
    const identity = id(serialized('Org1MSP', old.certPem));
    assert.doesNotThrow(() => identity.msp.validate(identity));
    assert.throws(
      () => checkNotExpired(serialized('Org1MSP', old.certPem)),
      (e: Error) => e instanceof IdentityExpiredError && e.message === 'identity expired',
    );
    const current = (await org1.identity('User1')).serialized;
    assert.doesNotThrow(() => checkNotExpired(current));
    assert.doesNotThrow(() => checkNotExpired(serialized('Org1MSP', 'not x509')), 'a non-X.509 identity has no expiry');
  });

  describe("chain errors match Go's crypto/x509 on the same certificates", { skip: fixtureSkip(certOracleStatus()) }, () => {
    let oracle: CertOracle;
    before(() => (oracle = new CertOracle()));
    after(() => oracle?.close());

    test('stranger CA, clientAuth-only leaf, leaf older than its CA, and the good case', async () => {
      const ca = caOf(org1);
      const caNotBefore = (await org1.identity('User1')).cert.notBefore;
      const cases = {
        good: issueCustom(ca, {}).certPem,
        stranger: issueCustom(newCa('org1.example.com', 'ca'), {}).certPem,
        clientAuthOnly: issueCustom(ca, { extKeyUsage: ['clientAuth'] }).certPem,
        serverAuthOnly: issueCustom(ca, { extKeyUsage: ['serverAuth'] }).certPem,
        beforeCa: issueCustom(ca, { notBefore: new Date(caNotBefore.getTime() - 3600_000) }).certPem,
      };
      for (const [name, pem] of Object.entries(cases)) {
        const go = await oracle.ask({ op: 'verify', leaf: pem, roots: [org1.caCertPem] });
        let ours: string | undefined;
        try {
          id(serialized('Org1MSP', pem));
        } catch (err) {
          ours = (err as Error).message;
        }
        assert.equal(ours, go.error === undefined ? undefined : `the supplied identity is not valid: ${go.error}`, name);
      }
    });
  });
});

describe('principals (MSP v1.4.3, NodeOUs on)', () => {
  test('the role table: member, admin, client, peer, orderer', async () => {
    const user = id((await org1.identity('User1')).serialized);
    const admin = id((await org1.identity('Admin')).serialized);
    const peer = id(org1.peer.identity.serialized);
    const r = (role: 'MEMBER' | 'ADMIN' | 'CLIENT' | 'PEER' | 'ORDERER'): MspPrincipal => rolePrincipal('Org1MSP', role);
    for (const x of [user, admin, peer]) assert.equal(satisfies(x, r('MEMBER')), null);
    assert.equal(satisfies(admin, r('ADMIN')), null);
    assert.equal(satisfies(user, r('ADMIN')), 'The identity is not an admin under this MSP [Org1MSP]: The identity does not contain OU [ADMIN], MSP: [Org1MSP]');
    assert.equal(satisfies(user, r('CLIENT')), null);
    assert.equal(
      satisfies(admin, r('CLIENT')),
      'The identity is not a [CLIENT] under this MSP [Org1MSP]: The identity does not contain OU [CLIENT], MSP: [Org1MSP]',
      'an OU=admin certificate is not a .client',
    );
    assert.equal(satisfies(peer, r('PEER')), null);
    assert.equal(satisfies(user, r('PEER')), 'The identity is not a [PEER] under this MSP [Org1MSP]: The identity does not contain OU [PEER], MSP: [Org1MSP]');
    assert.equal(satisfies(peer, r('ORDERER')), 'The identity is not a [ORDERER] under this MSP [Org1MSP]: The identity does not contain OU [ORDERER], MSP: [Org1MSP]');
    assert.equal(satisfies(user, rolePrincipal('Org2MSP', 'MEMBER')), 'the identity is a member of a different MSP (expected Org2MSP, got Org1MSP)');
    const invalid = id(serialized('Org1MSP', issueCustom(caOf(org1), { ous: ['auditor'] }).certPem));
    assert.match(satisfies(invalid, r('CLIENT')) ?? '', /^The identity is not valid under this MSP \[Org1MSP\]: could not validate identity's OUs: /);
  });

  test('IDENTITY, ORGANIZATION_UNIT, ANONYMITY and COMBINED principals', async () => {
    const user = await org1.identity('User1');
    const admin = await org1.identity('Admin');
    const u = id(user.serialized);
    assert.equal(satisfies(u, { kind: 'identity', serializedIdentity: user.serialized }), null);
    assert.equal(satisfies(u, { kind: 'identity', serializedIdentity: admin.serialized }), 'The identities do not match');
    assert.match(satisfies(u, { kind: 'identity', serializedIdentity: Buffer.from('x') }) ?? '', /^invalid identity principal, not a certificate: /);
    const cid = createHash('sha256')
      .update(decodeFirstPem(org1.caCertPem)?.der ?? Buffer.alloc(0))
      .digest();
    assert.equal(satisfies(u, { kind: 'organizationUnit', mspId: 'Org1MSP', ou: 'client', certifiersIdentifier: cid }), null);
    assert.equal(satisfies(u, { kind: 'organizationUnit', mspId: 'Org1MSP', ou: 'client', certifiersIdentifier: Buffer.alloc(32) }), 'The identities do not match');
    assert.equal(satisfies(u, { kind: 'anonymity', anonymityType: 0 }), null);
    assert.equal(satisfies(u, { kind: 'anonymity', anonymityType: 1 }), 'Principal is anonymous, but X.509 MSP does not support anonymous identities');
    assert.equal(satisfies(u, { kind: 'combined', principals: [rolePrincipal('Org1MSP', 'MEMBER'), rolePrincipal('Org1MSP', 'CLIENT')] }), null);
    assert.match(satisfies(u, { kind: 'combined', principals: [rolePrincipal('Org1MSP', 'MEMBER'), rolePrincipal('Org1MSP', 'PEER')] }) ?? '', /not a \[PEER\]/);
    assert.equal(satisfies(u, { kind: 'combined', principals: [] }), 'No principals in CombinedPrincipal');
  });

  test('without NodeOUs: roles cannot be told apart, admins are the admincerts', async () => {
    const admin = await org1.identity('Admin');
    const legacy = new ChannelMsps([{ mspId: 'Org1MSP', rootCerts: [org1.caCertPem], admins: [admin.certPem], nodeOUs: null }]);
    const user = legacy.deserializeIdentity((await org1.identity('User1')).serialized);
    const adm = legacy.deserializeIdentity(admin.serialized);
    const check = (x: MspIdentity, p: MspPrincipal): string | null => {
      try {
        x.msp.satisfiesPrincipal(x, p);
        return null;
      } catch (err) {
        return (err as Error).message;
      }
    };
    assert.equal(check(user, rolePrincipal('Org1MSP', 'MEMBER')), null);
    assert.equal(check(user, rolePrincipal('Org1MSP', 'CLIENT')), 'The identity is not a [CLIENT] under this MSP [Org1MSP]: NodeOUs not activated. Cannot tell apart identities.');
    assert.equal(check(adm, rolePrincipal('Org1MSP', 'ADMIN')), null);
    assert.equal(check(user, rolePrincipal('Org1MSP', 'ADMIN')), 'This identity is not an admin');
    assert.equal(check(user, rolePrincipal('Org1MSP', 'ORDERER')), 'invalid MSP role type 4');
  });
});

describe('proposal checks', () => {
  test("txid is hex SHA-256(nonce ‖ creator); a wrong one gets Fabric's message", async () => {
    const creator = (await org1.identity('User1')).serialized;
    const nonce = Buffer.alloc(24, 7);
    const txId = computeTxId(nonce, creator);
    assert.equal(
      txId,
      createHash('sha256')
        .update(Buffer.concat([nonce, creator]))
        .digest('hex'),
    );
    assert.doesNotThrow(() => checkTxId(txId, nonce, creator));
    assert.throws(() => checkTxId('abc', nonce, creator), new RegExp(`^TxIdError: incorrectly computed txid 'abc' -- expected '${txId}'$`));
  });

  test("the creator must deserialise, validate and have signed the bytes; the client sees only Fabric's generic text", async () => {
    const user = await org1.identity('User1');
    const bytes = Buffer.from('proposal bytes');
    assert.equal(checkCreator(msps, 'mychannel', user.serialized, bytes, user.sign(bytes)).mspId, 'Org1MSP');
    const denied = (creator: Uint8Array, signature: Uint8Array): AccessDeniedError => {
      try {
        checkCreator(msps, 'mychannel', creator, bytes, signature);
      } catch (err) {
        assert.ok(err instanceof AccessDeniedError);
        return err;
      }
      return assert.fail('accepted');
    };
    const wrongSigner = denied(user.serialized, org2.peer.identity.sign(bytes));
    assert.equal(wrongSigner.message, 'access denied: channel [mychannel] creator org [Org1MSP]');
    assert.match(wrongSigner.detail, /creator's signature over the proposal is not valid: The signature is invalid/);
    assert.equal(denied(Buffer.from([0xff]), Buffer.alloc(0)).message, 'access denied: channel [mychannel] creator org unknown, creator is malformed');
    assert.equal(denied(serialized('Org9MSP', user.certPem), user.sign(bytes)).message, 'access denied: channel [mychannel] creator org [Org9MSP]');
    const stranger = issueCustom(newCa('org1.example.com', 'ca'), {});
    assert.match(denied(serialized('Org1MSP', stranger.certPem), Buffer.alloc(8)).detail, /signed by unknown authority/);
    const noRole = issueCustom(caOf(org1), { ous: ['auditor'] });
    assert.match(denied(serialized('Org1MSP', noRole.certPem), Buffer.alloc(8)).detail, /^access denied: identity is not valid: could not validate identity's OUs/);
  });

  test('a SerializedIdentity built by fabric-protos deserialises the same', async () => {
    const user = await org1.identity('User1');
    const msp = require('@hyperledger/fabric-protos').msp as {
      SerializedIdentity: new () => { setMspid(s: string): void; setIdBytes(b: Uint8Array): void; serializeBinary(): Uint8Array };
    };
    const theirs = new msp.SerializedIdentity();
    theirs.setMspid('Org1MSP');
    theirs.setIdBytes(Buffer.from(user.certPem));
    assert.deepEqual(Buffer.from(theirs.serializeBinary()), encodeSerializedIdentity('Org1MSP', user.certPem));
    assert.equal(codecs.SerializedIdentity.decode(theirs.serializeBinary()).mspid, 'Org1MSP');
  });
});
