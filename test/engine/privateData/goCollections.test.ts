/**
 * Private data collections with the real Go shim (fabric-chaincode-go/v2, test/fixtures/go/v2), run
 * by hand on each org's peer as a developer runs it (each process with its peer's
 * CORE_PEER_LOCALMSPID) and defined with fabric-samples' kind of collections_config.json: the Go
 * chaincode sees Fabric's errors for an undefined collection, a non-member peer and memberOnlyWrite.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { resolveConfig } from '../../../src/engine/config';
import { Engine } from '../../../src/engine/engine';
import { readDefinitionPolicies } from '../../../src/engine/lifecycle/definitionPolicies';
import type { SigningIdentity } from '../../../src/engine/msp';
import type { ExecuteRequest, ExecuteResult } from '../../../src/engine/transactions/types';
import { fixtureSkip, goFixtureStatus, killAllChaincodeProcesses, startGoFixture } from '../../support/toolchains';

const COLLECTIONS = path.join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'node', 'private-data', 'collections_config.json');
const CCID = 'gopdc:1.0';

describe('private data collections with the Go shim on two orgs', { skip: fixtureSkip(goFixtureStatus('v2')), timeout: 120_000 }, () => {
  let engine: Engine;
  let dataDir: string;
  let org2User: SigningIdentity;
  const run = (args: string[], more: Partial<ExecuteRequest> = {}): Promise<ExecuteResult> => engine.transactions.execute({ chaincode: CCID, args, ...more });

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'go-pdc-'));
    engine = await Engine.start(resolveConfig({ dataDir, peerPort: 0, gatewayPort: null, mode: 'dev', executeTimeoutMs: 15_000 }));
    const policies = readDefinitionPolicies(path.dirname(COLLECTIONS), { collectionsConfig: COLLECTIONS }, engine.config.orgs);
    engine.defineChaincode({ name: 'gopdc', version: '1.0' }, policies);
    for (const node of engine.orgs) startGoFixture('v2', { peerAddress: node.peer.address, chaincodeId: CCID, env: { CORE_PEER_LOCALMSPID: node.org.mspId } });
    await Promise.all(engine.orgs.map((n) => n.peer.waitForReady(CCID, 60_000)));
    org2User = await engine.orgs[1].org.identity('User1');
  });

  after(async () => {
    await killAllChaincodeProcesses();
    await engine.dispose();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('an undefined collection: GetPrivateData and PutPrivateData fail with "collection … could not be found"', async () => {
    const put = await run(['putPrivate', 'nope', 'k', 'v']);
    assert.equal(put.status, 500);
    assert.match(put.message, /collection mychannel\/gopdc\/nope could not be found/);
    assert.equal(put.validation, 'NOT_COMMITTED');
    assert.match((await run(['getPrivate', 'nope', 'k'], { kind: 'query' })).message, /collection mychannel\/gopdc\/nope could not be found/);
  });

  test("Org1's collection: the value on Org1's peer, Fabric's error on Org2's, the same hash on both", async () => {
    const put = await run(['putPrivate', 'Org1MSPPrivateCollection', 'g1', 'go-secret']);
    assert.equal(put.validation, 'VALID', put.message);
    assert.equal((await run(['getPrivate', 'Org1MSPPrivateCollection', 'g1'], { kind: 'query', endorsingOrgs: ['Org1MSP'] })).payload.toString(), 'go-secret');
    const onOrg2 = await run(['getPrivate', 'Org1MSPPrivateCollection', 'g1'], { kind: 'query', endorsingOrgs: ['Org2MSP'] });
    assert.equal(onOrg2.status, 500);
    assert.match(onOrg2.message, /private data matching public hash version is not available\. Public hash version = \{BlockNum: \d+, TxNum: 0\}, Private data version = <nil>/);
    const expected = createHash('sha256').update('go-secret').digest('hex');
    for (const org of ['Org1MSP', 'Org2MSP']) {
      assert.equal((await run(['hashPrivate', 'Org1MSPPrivateCollection', 'g1'], { kind: 'query', endorsingOrgs: [org] })).payload.toString(), expected, org);
    }
  });

  test('memberOnlyRead: an Org2 client may not read Org1MSPPrivateCollection; assetCollection (both orgs) it may write and read', async () => {
    const read = await run(['getPrivate', 'Org1MSPPrivateCollection', 'g1'], { kind: 'query', creator: org2User });
    assert.match(read.message, /tx creator does not have read access permission on privatedata in chaincodeName:gopdc collectionName: Org1MSPPrivateCollection/);
    assert.equal((await run(['putPrivate', 'assetCollection', 'a', 'from-org2'], { creator: org2User })).validation, 'VALID');
    assert.equal((await run(['getPrivate', 'assetCollection', 'a'], { kind: 'query', creator: org2User, endorsingOrgs: ['Org2MSP'] })).payload.toString(), 'from-org2');
  });

  test("the Go chaincode's own org (GetMSPID) names its implicit collection on each peer", async () => {
    for (const node of engine.orgs) {
      const r = await run(['mspid'], { kind: 'query', endorsingOrgs: [node.org.mspId] });
      assert.equal(r.payload.toString(), node.org.mspId);
    }
    const own = await run(['putPrivate', '_implicit_org_Org1MSP', 'mine', 'v'], { endorsingOrgs: ['Org1MSP'] });
    assert.equal(own.validation, 'VALID', own.message);
  });
});
