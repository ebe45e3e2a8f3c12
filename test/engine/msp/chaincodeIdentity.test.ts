/**
 * Our identities as real chaincode sees them (the shims' client identity: `GetID`, attributes): the embedded peer runs
 * proposals whose creator is a cryptogen or an enrolled identity, and the real shims report what
 * they compute — fabric-contract-api's `ctx.clientIdentity` (test/fixtures/node/identity) and Go's
 * `cid` package (test/fixtures/go/v2 identity.go). Also the key-level policies their
 * `KeyEndorsementPolicy` / `statebased` write, decoded by ours.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { goClientIdentityId, goClientIdentityIdText, nodeClientIdentityId } from '../../../src/engine/msp/clientIdentityId';
import { openOrganizations, type Organization } from '../../../src/engine/msp/organization';
import type { SigningIdentity } from '../../../src/engine/msp/signingIdentity';
import { Peer } from '../../../src/engine/peer/peer';
import { TransactionPipeline } from '../../../src/engine/transactions/pipeline';
import type { ExecuteResult } from '../../../src/engine/transactions/types';
import { parsePolicy } from '../../../src/engine/policy/policyDsl';
import { encodeSignaturePolicyEnvelope } from '../../../src/engine/policy/signaturePolicy';
import { decodeValidationParameter, keyPolicyOrgs } from '../../../src/engine/policy/stateBasedEndorsement';
import { REPO_ROOT, startContractChaincode } from '../../support/nodeChaincode';
import { fixtureSkip, goFixtureStatus, killAllChaincodeProcesses, startGoFixture, type ChaincodeProcess } from '../../support/toolchains';

const USER1_NODE_ID =
  'x509::/C=US/ST=California/L=San Francisco/OU=client/CN=User1@org1.example.com::/C=US/ST=California/L=San Francisco/O=org1.example.com/CN=ca.org1.example.com';
const USER1_GO_ID = 'x509::CN=User1@org1.example.com,OU=client,L=San Francisco,ST=California,C=US::CN=ca.org1.example.com,O=org1.example.com,L=San Francisco,ST=California,C=US';

let dataDir = '';
let peer: Peer;
let pipeline: TransactionPipeline;
let org1: Organization;
let org2: Organization;
let alice: SigningIdentity;
const procs: ChaincodeProcess[] = [];

before(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccid-'));
  [org1, org2] = await openOrganizations(dataDir);
  alice = (await org1.ensureIdentity({ name: 'alice', affiliation: 'org1.department1', attributes: { role: 'auditor', empty: '' } })).identity;
  peer = await Peer.start({ dataDir, port: 0, executeTimeoutMs: 15_000 });
  pipeline = new TransactionPipeline(peer);
});
after(async () => {
  await killAllChaincodeProcesses();
  await peer?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function ready(ccid: string, proc: ChaincodeProcess): Promise<void> {
  procs.push(proc);
  await peer.waitForReady(ccid, 60_000).catch((e: Error) => {
    throw new Error(`${e.message}\n${proc.output(40)}`);
  });
}

const call = async (chaincode: string, creator: SigningIdentity, args: string[]): Promise<ExecuteResult> => pipeline.execute({ chaincode, args, creator, kind: 'query' });
const json = <T>(r: ExecuteResult): T => {
  assert.equal(r.status, 200, `${r.status} ${r.message}`);
  return JSON.parse(r.payload.toString('utf8')) as T;
};

describe('fabric-contract-api ctx.clientIdentity', () => {
  const cc = 'identitycc:1.0';
  before(async () => ready(cc, startContractChaincode(path.join(REPO_ROOT, 'test', 'fixtures', 'node', 'identity'), cc, peer.address)));

  interface WhoAmI {
    id: string;
    mspId: string;
    attrs: Record<string, string | null>;
    idBytesArePem: boolean;
  }

  test("cryptogen's User1: getID is the documented string, getMSPID the org, no attributes", async () => {
    const user1 = await org1.identity('User1');
    const who = json<WhoAmI>(await call(cc, user1, ['identity:whoAmI', '["role"]']));
    assert.equal(who.id, USER1_NODE_ID);
    assert.equal(who.id, nodeClientIdentityId(user1.cert));
    assert.equal(who.mspId, 'Org1MSP');
    assert.deepEqual(who.attrs, { role: null });
    assert.equal(who.idBytesArePem, true);
  });

  test('an enrolled identity: attributes from the certificate ("" reads as null), getID follows DER order', async () => {
    const who = json<WhoAmI>(await call(cc, alice, ['identity:whoAmI', '["role","hf.EnrollmentID","hf.Type","hf.Affiliation","empty","missing"]']));
    assert.deepEqual(who.attrs, { role: 'auditor', 'hf.EnrollmentID': 'alice', 'hf.Type': 'client', 'hf.Affiliation': 'org1.department1', empty: null, missing: null });
    assert.equal(
      who.id,
      'x509::/C=US/ST=North Carolina/O=Hyperledger/OU=org1/OU=client/OU=department1/CN=alice::/C=US/ST=California/L=San Francisco/O=org1.example.com/CN=ca.org1.example.com',
    );
    assert.equal(who.id, nodeClientIdentityId(alice.cert));
  });

  test('assertAttributeValue, and a transaction the chaincode refuses for a missing attribute', async () => {
    assert.equal((await call(cc, alice, ['identity:assertAttr', 'role', 'auditor'])).payload.toString(), 'true');
    assert.equal((await call(cc, alice, ['identity:assertAttr', 'role', 'admin'])).payload.toString(), 'false');
    const user1 = await org1.identity('User1');
    const refused = await pipeline.execute({ chaincode: cc, args: ['identity:requireAttr', 'role', 'auditor'], creator: user1 });
    assert.equal(refused.status, 500);
    assert.match(refused.message, /lacks role=auditor/);
    assert.equal(refused.validation, 'NOT_COMMITTED');
    const allowed = await pipeline.execute({ chaincode: cc, args: ['identity:requireAttr', 'role', 'auditor'], creator: alice });
    assert.equal(allowed.status, 200);
  });

  test("another org's identity reports that org", async () => {
    const who = json<WhoAmI>(await call(cc, await org2.identity('Admin'), ['identity:whoAmI', '[]']));
    assert.equal(who.mspId, 'Org2MSP');
    assert.equal(who.id, nodeClientIdentityId((await org2.identity('Admin')).cert));
    assert.match(who.id, /OU=admin\/CN=Admin@org2\.example\.com::.*CN=ca\.org2\.example\.com$/);
  });

  test('KeyEndorsementPolicy keeps insertion order; our decoder reads its bytes; with sorted orgs it is our AND(...)', async () => {
    const r = await call(cc, alice, ['identity:sbePolicy', 'PEER', '["Org1MSP","Org2MSP"]']);
    assert.equal(r.status, 200, r.message);
    const b64 = r.payload.toString();
    const bytes = Buffer.from(b64, 'base64');
    assert.deepEqual(bytes, encodeSignaturePolicyEnvelope(parsePolicy("AND('Org1MSP.peer','Org2MSP.peer')")));
    assert.deepEqual(keyPolicyOrgs(decodeValidationParameter(bytes)), [
      { mspId: 'Org1MSP', role: 'PEER' },
      { mspId: 'Org2MSP', role: 'PEER' },
    ]);
    const reversed = Buffer.from((await call(cc, alice, ['identity:sbePolicy', 'MEMBER', '["Org2MSP","Org1MSP"]'])).payload.toString(), 'base64');
    assert.deepEqual(
      keyPolicyOrgs(decodeValidationParameter(reversed)).map((o) => o.mspId),
      ['Org2MSP', 'Org1MSP'],
    );
  });
});

describe('Go cid and statebased', { skip: fixtureSkip(goFixtureStatus('v2')) }, () => {
  const cc = 'gocid:1.0';
  before(async () => ready(cc, startGoFixture('v2', { peerAddress: peer.address, chaincodeId: cc })));

  interface CidOut {
    id: string;
    idDecoded: string;
    mspId: string;
    attrs: Record<string, { value: string; found: boolean }>;
    ous: string[];
    hasClientOU: boolean;
    error?: string;
  }

  test("cryptogen's User1: GetID is base64 of the documented string", async () => {
    const user1 = await org1.identity('User1');
    const out = json<CidOut>(await call(cc, user1, ['cid', 'role']));
    assert.equal(out.idDecoded, USER1_GO_ID);
    assert.equal(out.id, Buffer.from(USER1_GO_ID).toString('base64'));
    assert.equal(out.id, goClientIdentityId(user1.cert));
    assert.equal(out.mspId, 'Org1MSP');
    assert.deepEqual(out.attrs, { role: { value: '', found: false } });
    assert.equal(out.hasClientOU, true);
  });

  test('an enrolled identity: attributes found, OUs in DER order, GetID as our goClientIdentityId', async () => {
    const out = json<CidOut>(await call(cc, alice, ['cid', 'role', 'hf.Affiliation', 'empty', 'missing']));
    assert.deepEqual(out.attrs, {
      role: { value: 'auditor', found: true },
      'hf.Affiliation': { value: 'org1.department1', found: true },
      empty: { value: '', found: true },
      missing: { value: '', found: false },
    });
    assert.deepEqual(out.ous, ['org1', 'client', 'department1']);
    assert.equal(
      out.idDecoded,
      'x509::CN=alice,OU=org1+OU=client+OU=department1,O=Hyperledger,ST=North Carolina,C=US::CN=ca.org1.example.com,O=org1.example.com,L=San Francisco,ST=California,C=US',
    );
    assert.equal(out.idDecoded, goClientIdentityIdText(alice.cert));
  });

  test("AssertAttributeValue's errors are the chaincode's message", async () => {
    assert.equal((await call(cc, alice, ['cidAssert', 'role', 'auditor'])).status, 200);
    const wrong = await call(cc, alice, ['cidAssert', 'role', 'admin']);
    assert.equal(wrong.status, 500);
    assert.equal(wrong.message, "attribute 'role' equals 'auditor', not 'admin'");
    assert.equal((await call(cc, await org1.identity('User1'), ['cidAssert', 'role', 'x'])).message, "attribute 'role' was not found");
  });

  test('statebased sorts MSP ids: its bytes are our AND(...) whatever the argument order', async () => {
    const r = await call(cc, alice, ['sbePolicy', 'PEER', 'Org2MSP', 'Org1MSP']);
    assert.equal(r.status, 200, r.message);
    assert.deepEqual(r.payload, encodeSignaturePolicyEnvelope(parsePolicy("AND('Org1MSP.peer','Org2MSP.peer')")));
    const bad = await call(cc, alice, ['sbePolicy', 'ADMIN', 'Org1MSP']);
    assert.equal(bad.status, 500);
    assert.match(bad.message, /role type ADMIN does not exist/);
  });
});
