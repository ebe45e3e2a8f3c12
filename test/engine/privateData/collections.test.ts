/**
 * Private data collections on the two-org network, with a real fabric-shim chaincode
 * (test/fixtures/node/private-data) defined with the collections_config.json beside it: each org's
 * peer keeps the plaintext of its org's collections only, memberOnlyRead/memberOnlyWrite are checked
 * against the caller, implicit collections exist for every org and need that org's endorsement,
 * blockToLive and PurgePrivateData remove values, and an undefined collection fails as on Fabric.
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
import { parsePolicy } from '../../../src/engine/policy';
import type { ExecuteRequest, ExecuteResult } from '../../../src/engine/transactions/types';

const FIXTURE = path.join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'node', 'private-data');
const CC = 'pdc';

describe('private data collections on two orgs (collections_config.json)', () => {
  let engine: Engine;
  let dataDir: string;
  let org2User: SigningIdentity;

  const run = (args: string[], more: Partial<ExecuteRequest> = {}): Promise<ExecuteResult> => engine.transactions.execute({ chaincode: CC, args, ...more });
  const query = (args: string[], more: Partial<ExecuteRequest> = {}): Promise<ExecuteResult> => run(args, { kind: 'query', ...more });
  const body = (r: ExecuteResult): Record<string, unknown> => JSON.parse(r.payload.toString()) as Record<string, unknown>;
  const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
  const heights = (): number[] => engine.orgs.map((n) => n.peer.ledger().height);

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pdc-'));
    engine = await Engine.start(resolveConfig({ dataDir, peerPort: 0, gatewayPort: null, mode: 'dev', startupTimeoutMs: 30_000, executeTimeoutMs: 15_000 }), {
      acceptUnlaunched: false,
    });
    const policies = readDefinitionPolicies(FIXTURE, {}, engine.config.orgs);
    assert.deepEqual(
      policies.collections.map((c) => c.name),
      ['assetCollection', 'Org1MSPPrivateCollection'],
      "the folder's collections_config.json is found",
    );
    engine.defineChaincode({ name: CC, version: '1.0' }, policies);
    await engine.launcher.launch({ kind: 'deployment', definition: { name: CC, version: '1.0', mode: 'dev', language: 'node', path: FIXTURE } });
    org2User = await engine.orgs[1].org.identity('User1');
  });

  after(async () => {
    await engine.dispose();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('a collection the chaincode does not define fails as on Fabric, and nothing is committed', async () => {
    const before = heights();
    const put = await run(['put', 'nope', 'k', 'v']);
    assert.equal(put.status, 500);
    assert.match(put.message, /PUT_STATE failed: transaction ID: \w+: collection mychannel\/pdc\/nope could not be found/);
    assert.equal(put.validation, 'NOT_COMMITTED');
    assert.deepEqual(heights(), before);
    const get = await query(['get', 'nope', 'k']);
    assert.match(get.message, /collection mychannel\/pdc\/nope could not be found/);
    const hash = await query(['hash', 'nope', 'k']);
    assert.match(hash.message, /collection \[nope\] not defined in the collection config for chaincode \[pdc\]/);
  });

  test("a member org's peer has the plaintext; a non-member's has only the hash, and reading the value there fails", async () => {
    const put = await run(['put', 'Org1MSPPrivateCollection', 'secret1'], { transient: { value: 'only-org1' } });
    assert.equal(put.validation, 'VALID', put.message);
    assert.equal(body(await query(['get', 'Org1MSPPrivateCollection', 'secret1'], { endorsingOrgs: ['Org1MSP'] })).value, 'only-org1');
    const onOrg2 = await query(['get', 'Org1MSPPrivateCollection', 'secret1'], { endorsingOrgs: ['Org2MSP'] });
    assert.equal(onOrg2.status, 500);
    assert.match(
      onOrg2.message,
      new RegExp(
        `GET_STATE failed: transaction ID: \\w+: private data matching public hash version is not available\\. Public hash version = \\{BlockNum: ${put.blockNum}, TxNum: 0\\}, Private data version = <nil>`,
      ),
    );
    for (const org of ['Org1MSP', 'Org2MSP']) {
      assert.equal(body(await query(['hash', 'Org1MSPPrivateCollection', 'secret1'], { endorsingOrgs: [org] })).hash, sha256('only-org1'), `the hash on ${org}'s peer`);
    }
    // A key never written is simply absent, on a non-member peer too.
    assert.equal(body(await query(['get', 'Org1MSPPrivateCollection', 'never'], { endorsingOrgs: ['Org2MSP'] })).value, null);
  });

  test('memberOnlyWrite and memberOnlyRead are checked against the caller: an Org2 client is refused on Org1-only data', async () => {
    const before = heights();
    // assetCollection has both orgs as members: an Org2 client writes and reads it.
    const shared = await run(['put', 'assetCollection', 'a1', 'shared'], { creator: org2User });
    assert.equal(shared.validation, 'VALID', shared.message);
    assert.equal(body(await query(['get', 'assetCollection', 'a1'], { creator: org2User })).value, 'shared');
    // Org1MSPPrivateCollection: memberOnlyRead, so Org2's client may not read it even on Org1's peer...
    const read = await query(['get', 'Org1MSPPrivateCollection', 'secret1'], { creator: org2User, endorsingOrgs: ['Org1MSP'] });
    assert.match(read.message, /tx creator does not have read access permission on privatedata in chaincodeName:pdc collectionName: Org1MSPPrivateCollection/);
    // ...but it is not memberOnlyWrite: its writes pass the permission check.
    assert.equal((await run(['put', 'Org1MSPPrivateCollection', 'fromOrg2', 'x'], { creator: org2User })).status, 200);
    // The hash needs no permission (Fabric has no check on GET_PRIVATE_DATA_HASH).
    assert.equal(body(await query(['hash', 'Org1MSPPrivateCollection', 'secret1'], { creator: org2User })).hash, sha256('only-org1'));
    const after = heights();
    assert.equal(after[0], before[0] + 2, 'the two successful writes committed');
  });

  test('memberOnlyWrite: a non-member client cannot write, and nothing is committed on any peer', async () => {
    engine.defineChaincode(
      { name: CC, version: '1.0' },
      {
        endorsementPolicy: null,
        collections: [
          ...readDefinitionPolicies(FIXTURE, {}, engine.config.orgs).collections,
          ...readDefinitionPolicies(
            FIXTURE,
            {
              collectionsConfig: writeTemp('org2only.json', `[{"name":"org2only","policy":"OR('Org2MSP.member')","requiredPeerCount":0,"maxPeerCount":1,"memberOnlyWrite":true}]`),
            },
            engine.config.orgs,
          ).collections,
        ],
      },
    );
    const before = heights();
    const refused = await run(['put', 'org2only', 'k', 'v']);
    assert.equal(refused.status, 500);
    assert.match(
      refused.message,
      /PUT_STATE failed: transaction ID: \w+: tx creator does not have write access permission on privatedata in chaincodeName:pdc collectionName: org2only/,
    );
    assert.equal(refused.validation, 'NOT_COMMITTED');
    assert.deepEqual(heights(), before);
    const allowed = await run(['put', 'org2only', 'k', 'v'], { creator: org2User });
    assert.equal(allowed.validation, 'VALID', allowed.message);
    assert.equal(body(await query(['get', 'org2only', 'k'], { creator: org2User, endorsingOrgs: ['Org2MSP'] })).value, 'v');
  });

  test("implicit collections: each peer writes its own org's; another org's needs that org's endorsement", async () => {
    const r = await run(['putOwnOrg', 'mine', 'v1'], { endorsingOrgs: ['Org1MSP'] });
    assert.equal(body(r).collection, '_implicit_org_Org1MSP');
    // MAJORITY of two needs both orgs for the chaincode policy; Org1's endorsement satisfies its own implicit collection.
    assert.equal(r.validation, 'VALID', 'the implicit collection policy replaces the chaincode policy for its keys');
    assert.equal(body(await query(['get', '_implicit_org_Org1MSP', 'mine'], { endorsingOrgs: ['Org1MSP'] })).value, 'v1');
    assert.match((await query(['get', '_implicit_org_Org1MSP', 'mine'], { endorsingOrgs: ['Org2MSP'] })).message, /private data matching public hash version is not available/);
    // Org1 alone writing Org2's implicit collection: the commit refuses it.
    const intoOrg2 = await run(['put', '_implicit_org_Org2MSP', 'theirs', 'x'], { endorsingOrgs: ['Org1MSP'] });
    assert.equal(intoOrg2.validation, 'ENDORSEMENT_POLICY_FAILURE');
    const withOrg2 = await run(['put', '_implicit_org_Org2MSP', 'theirs', 'x'], { endorsingOrgs: ['Org2MSP'] });
    assert.equal(withOrg2.validation, 'VALID', withOrg2.message);
    // An org the channel does not have: the permission check passes, the ledger has no config for it.
    assert.match(
      (await run(['put', '_implicit_org_Org9MSP', 'k', 'v'])).message,
      /collection \[_implicit_org_Org9MSP\] not defined in the collection config for chaincode \[pdc\]/,
    );
  });

  test("a collection's endorsement policy: Org1MSPPrivateCollection written with Org2's endorsement alone fails", async () => {
    engine.transactions.definitions.define('mychannel', {
      ...engine.transactions.definitions.get('mychannel', CC)!,
      endorsementPolicy: parsePolicy("OR('Org1MSP.peer','Org2MSP.peer')"),
    });
    const r = await run(['put', 'Org1MSPPrivateCollection', 'byOrg2', 'x'], { endorsingOrgs: ['Org2MSP'] });
    assert.equal(r.validation, 'ENDORSEMENT_POLICY_FAILURE');
    const ok = await run(['put', 'Org1MSPPrivateCollection', 'byOrg1', 'x'], { endorsingOrgs: ['Org1MSP'] });
    assert.equal(ok.validation, 'VALID', ok.message);
    // No endorsing orgs named: the policy needs one org (Org1 first), but Org2's implicit collection
    // needs Org2, so Org2's peer is asked too (Fabric's gateway plans from the first endorsement).
    const planned = await run(['put', '_implicit_org_Org2MSP', 'auto', 'x']);
    assert.equal(planned.validation, 'VALID', planned.message);
    const { readBlock } = await import('../../../src/engine/ledger/blocks/blockReader');
    const { codecs } = await import('../../../src/engine/wire/codec');
    const block = readBlock(await engine.peer.ledger().blocks.getBlock(planned.blockNum!));
    assert.deepEqual(
      block.transactions[0].actions[0].endorsers.map((e) => codecs.SerializedIdentity.decode(e).mspid),
      ['Org1MSP', 'Org2MSP'],
    );
    const alone = await run(['put', 'assetCollection', 'plain', 'x']);
    assert.equal(
      readBlock(await engine.peer.ledger().blocks.getBlock(alone.blockNum!)).transactions[0].actions[0].endorsers.length,
      1,
      'a write the chaincode policy alone governs needs only Org1',
    );
  });

  test('blockToLive 3: a value written in block N is readable through block N+3 and gone (with its hash) from N+4', async () => {
    const put = await run(['put', 'Org1MSPPrivateCollection', 'ephemeral', 'soon-gone'], { endorsingOrgs: ['Org1MSP'] });
    assert.equal(put.validation, 'VALID', put.message);
    const written = put.blockNum!;
    const read = async () => body(await query(['get', 'Org1MSPPrivateCollection', 'ephemeral'], { endorsingOrgs: ['Org1MSP'] })).value;
    for (let block = written + 1; block <= written + 3; block++) {
      assert.equal((await run(['tick', `t${block}`])).blockNum, block);
      assert.equal(await read(), 'soon-gone', `still there after block ${block}`);
    }
    await run(['tick', 'last']);
    assert.equal(await read(), null, `purged when block ${written + 4} committed`);
    assert.equal(body(await query(['hash', 'Org1MSPPrivateCollection', 'ephemeral'])).hash, null);
  });

  test('PurgePrivateData removes the value and its hash on every peer', async () => {
    assert.equal((await run(['put', 'assetCollection', 'gone', 'v'])).validation, 'VALID');
    assert.equal((await run(['purge', 'assetCollection', 'gone'])).validation, 'VALID');
    for (const org of ['Org1MSP', 'Org2MSP']) {
      assert.equal(body(await query(['hash', 'assetCollection', 'gone'], { endorsingOrgs: [org] })).hash, null);
      assert.equal(body(await query(['get', 'assetCollection', 'gone'], { endorsingOrgs: [org] })).value, null);
    }
  });

  function writeTemp(name: string, content: string): string {
    const file = path.join(dataDir, name);
    fs.writeFileSync(file, content);
    return file;
  }
});
