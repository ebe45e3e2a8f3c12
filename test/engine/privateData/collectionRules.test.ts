/**
 * The private data rules one endorsing peer applies (src/engine/privateData/collectionRules.ts), on
 * real MSPs of two orgs: which collections exist, who may read and write them, which peers hold
 * their plaintext, and when blockToLive has passed. Fabric's wording throughout.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ChaincodeDefinitions } from '../../../src/engine/lifecycle/definitions';
import { ChannelMsps, openOrganizations, orgSpec } from '../../../src/engine/msp';
import { parseCollectionsConfig } from '../../../src/engine/policy';
import { PrivateDataRules } from '../../../src/engine/privateData/collectionRules';

const CONFIG = `[
  {"name": "org1only", "policy": "OR('Org1MSP.member')", "memberOnlyRead": true, "memberOnlyWrite": true, "blockToLive": 3},
  {"name": "both", "policy": "OR('Org1MSP.member','Org2MSP.member')"}
]`;

describe('PrivateDataRules', () => {
  let dir: string;
  let msps: ChannelMsps;
  let org1User: Buffer;
  let org2User: Buffer;
  const definitions = new ChaincodeDefinitions();
  definitions.define('ch', { name: 'cc', version: '1', endorsementPolicy: null, collections: parseCollectionsConfig(CONFIG) });
  const rules = (creator: Buffer, peerMspId = 'Org1MSP', lastBlock = 0): PrivateDataRules =>
    new PrivateDataRules(definitions, msps, { channel: 'ch', peerMspId, creator, lastBlock });

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pdc-rules-'));
    const orgs = await openOrganizations(dir, [orgSpec('Org1MSP'), orgSpec('Org2MSP')]);
    msps = new ChannelMsps(orgs.map((o) => o.msp));
    org1User = (await orgs[0].identity('User1')).serialized;
    org2User = (await orgs[1].identity('User1')).serialized;
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('a chaincode nobody defined has no rules: any collection, any caller, every peer holds it, nothing expires', () => {
    const r = rules(org2User, 'Org2MSP', 1000);
    assert.equal(r.collection('other', 'anything'), null);
    assert.doesNotThrow(() => r.checkWrite('other', 'anything'));
    assert.equal(r.peerStores('other', 'anything'), true);
    assert.equal(r.expired('other', 'anything', { blockNum: 1, txNum: 0 }), false);
  });

  test("a collection the definition lacks: the permission check's text, and the ledger's for a hash", () => {
    const r = rules(org1User);
    assert.throws(() => r.checkRead('cc', 'nope'), { message: 'collection ch/cc/nope could not be found' });
    assert.throws(() => r.checkWrite('cc', 'nope'), { message: 'collection ch/cc/nope could not be found' });
    assert.throws(() => r.checkHash('cc', 'nope'), { message: 'collection [nope] not defined in the collection config for chaincode [cc]' });
  });

  test('memberOnlyRead / memberOnlyWrite against the creator; members always pass', () => {
    assert.doesNotThrow(() => rules(org1User).checkRead('cc', 'org1only'));
    assert.doesNotThrow(() => rules(org1User).checkWrite('cc', 'org1only'));
    assert.throws(() => rules(org2User).checkRead('cc', 'org1only'), {
      message: 'tx creator does not have read access permission on privatedata in chaincodeName:cc collectionName: org1only',
    });
    assert.throws(() => rules(org2User).checkWrite('cc', 'org1only'), {
      message: 'tx creator does not have write access permission on privatedata in chaincodeName:cc collectionName: org1only',
    });
    assert.doesNotThrow(() => rules(org2User).checkHash('cc', 'org1only'), 'no permission check on the hash');
    assert.doesNotThrow(() => rules(org2User).checkWrite('cc', 'both'));
  });

  test('who may be sent a collection (block events with private data): its members, per chaincode even where two chaincodes name a collection alike', () => {
    definitions.define('ch', {
      name: 'other2',
      version: '1',
      endorsementPolicy: null,
      collections: parseCollectionsConfig(`[{"name": "org1only", "policy": "OR('Org2MSP.member')"}]`),
    });
    const asOrg1 = rules(org1User);
    // One rules object answers both: the membership it remembers is per chaincode and collection.
    assert.equal(asOrg1.creatorIsMemberOf('cc', 'org1only'), true);
    assert.equal(asOrg1.creatorIsMemberOf('other2', 'org1only'), false, "other2's collection of that name has Org2 only");
    assert.equal(asOrg1.creatorIsMemberOf('cc', 'nope'), false, 'a collection the definition lacks goes to nobody');
    assert.equal(asOrg1.creatorIsMemberOf('undefinedcc', 'anything'), true, 'a chaincode nobody defined restricts nothing');
    assert.equal(rules(org2User).creatorIsMemberOf('cc', 'org1only'), false);
  });

  test("only member orgs' peers hold the plaintext", () => {
    assert.equal(rules(org1User, 'Org1MSP').peerStores('cc', 'org1only'), true);
    assert.equal(rules(org1User, 'Org2MSP').peerStores('cc', 'org1only'), false);
    assert.equal(rules(org1User, 'Org2MSP').peerStores('cc', 'both'), true);
    assert.equal(rules(org1User, 'Org2MSP').peerStores('cc', '_implicit_org_Org1MSP'), false);
    assert.equal(rules(org1User, 'Org1MSP').peerStores('cc', '_implicit_org_Org1MSP'), true);
  });

  test('blockToLive 3: written in block 5, readable through block 8, gone once block 9 is committed', () => {
    const at = { blockNum: 5, txNum: 0 };
    assert.equal(rules(org1User, 'Org1MSP', 8).expired('cc', 'org1only', at), false);
    assert.equal(rules(org1User, 'Org1MSP', 9).expired('cc', 'org1only', at), true);
    assert.equal(rules(org1User, 'Org1MSP', 1_000_000).expired('cc', 'both', at), false, 'blockToLive 0: never');
  });

  test("implicit collections exist for every org; one of an org the channel lacks fails in the ledger's words", () => {
    const r = rules(org2User);
    assert.equal(r.collection('cc', '_implicit_org_Org2MSP')?.implicit, true);
    assert.doesNotThrow(() => r.checkWrite('cc', '_implicit_org_Org1MSP'), 'not member-only: any client may write it');
    assert.throws(() => r.checkWrite('cc', '_implicit_org_Org9MSP'), {
      message: 'collection [_implicit_org_Org9MSP] not defined in the collection config for chaincode [cc]',
    });
  });
});
