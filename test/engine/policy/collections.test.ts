/**
 * Private data collection configuration (internal/peer/chaincode and core/common/privdata): the peer CLI's JSON reading
 * (defaults, Go's case-insensitive names, unknown fields ignored), the bytes of the
 * CollectionConfigPackage compared with fabric-protos' own classes, the peer's approve/commit
 * checks with Fabric's wording, implicit collections, membership, and errors that name
 * `file:line:column` and the token.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkCollectionMembers,
  collectionAccess,
  collectionMemberOrgs,
  CollectionConfigError,
  encodeCollectionConfigPackage,
  implicitCollection,
  implicitCollectionMspId,
  implicitCollectionName,
  parseCollectionsConfig,
} from '../../../src/engine/policy/collections';
import { parsePolicy } from '../../../src/engine/policy/policyDsl';
import { encodeSignaturePolicyEnvelope } from '../../../src/engine/policy/signaturePolicy';
import { decodeApplicationPolicy, encodeApplicationPolicy } from '../../../src/engine/policy/applicationPolicy';

const SAMPLE = `[
  {
    "name": "assetCollection",
    "policy": "OR('Org1MSP.member', 'Org2MSP.member')",
    "requiredPeerCount": 1,
    "maxPeerCount": 1,
    "blockToLive": 1000000,
    "memberOnlyRead": true,
    "memberOnlyWrite": true
  },
  {
    "name": "Org1MSPPrivateCollection",
    "policy": "OR('Org1MSP.member')",
    "requiredPeerCount": 0,
    "maxPeerCount": 1,
    "blockToLive": 3,
    "memberOnlyRead": true,
    "memberOnlyWrite": false,
    "endorsementPolicy": { "signaturePolicy": "OR('Org1MSP.member')" }
  }
]`;

// fabric-protos' generated classes, to build the expected bytes independently.
type Msg = { serializeBinary(): Uint8Array } & Record<string, (...a: unknown[]) => unknown>;
const protos = require('@hyperledger/fabric-protos') as { peer: Record<string, new () => Msg>; common: Record<string, { deserializeBinary(b: Uint8Array): Msg }> };

function theirStatic(name: string, policy: string, req: number, max: number, btl: number, mor: boolean, mow: boolean, endorsement?: string): Msg {
  const s = new protos.peer.StaticCollectionConfig();
  s.setName(name);
  const cpc = new protos.peer.CollectionPolicyConfig();
  cpc.setSignaturePolicy(protos.common.SignaturePolicyEnvelope.deserializeBinary(encodeSignaturePolicyEnvelope(parsePolicy(policy))));
  s.setMemberOrgsPolicy(cpc);
  s.setRequiredPeerCount(req);
  s.setMaximumPeerCount(max);
  s.setBlockToLive(btl);
  s.setMemberOnlyRead(mor);
  s.setMemberOnlyWrite(mow);
  if (endorsement) {
    const ap = new protos.peer.ApplicationPolicy();
    ap.setSignaturePolicy(protos.common.SignaturePolicyEnvelope.deserializeBinary(encodeSignaturePolicyEnvelope(parsePolicy(endorsement))));
    s.setEndorsementPolicy(ap);
  }
  return s;
}

const fail = (text: string, file = 'collections_config.json'): string => {
  try {
    parseCollectionsConfig(text, file);
  } catch (err) {
    assert.ok(err instanceof CollectionConfigError, String(err));
    return err.message;
  }
  return assert.fail('parsed');
};

describe('collections_config.json', () => {
  test("the fabric-samples shape parses, and its package bytes equal fabric-protos' for the same values", () => {
    const defs = parseCollectionsConfig(SAMPLE);
    assert.deepEqual(
      defs.map((d) => [d.name, d.requiredPeerCount, d.maxPeerCount, d.blockToLive, d.memberOnlyRead, d.memberOnlyWrite]),
      [
        ['assetCollection', 1, 1, 1000000, true, true],
        ['Org1MSPPrivateCollection', 0, 1, 3, true, false],
      ],
    );
    assert.equal(defs[1].source, 'collections_config.json:11:3');
    const pkg = new protos.peer.CollectionConfigPackage();
    const configs = [
      theirStatic('assetCollection', "OR('Org1MSP.member', 'Org2MSP.member')", 1, 1, 1000000, true, true),
      theirStatic('Org1MSPPrivateCollection', "OR('Org1MSP.member')", 0, 1, 3, true, false, "OR('Org1MSP.member')"),
    ].map((s) => {
      const c = new protos.peer.CollectionConfig();
      c.setStaticCollectionConfig(s);
      return c;
    });
    pkg.setConfigList(configs);
    assert.equal(encodeCollectionConfigPackage(defs).toString('hex'), Buffer.from(pkg.serializeBinary()).toString('hex'));
  });

  test('defaults (requiredPeerCount 0, maxPeerCount 1), case-insensitive names, unknown fields ignored, the last duplicate wins', () => {
    const [d] = parseCollectionsConfig('[{"NAME":"c1","Policy":"OR(\'Org1MSP.member\')","comment":"ignored","blocktolive":null,"name":"c2"}]');
    assert.equal(d.name, 'c2');
    assert.equal(d.requiredPeerCount, 0);
    assert.equal(d.maxPeerCount, 1);
    assert.equal(d.blockToLive, 0);
    assert.equal(d.endorsementPolicy, null);
    assert.deepEqual(parseCollectionsConfig('null'), []);
    assert.deepEqual(parseCollectionsConfig('[]'), []);
  });

  test('an endorsement policy may reference a channel policy; both kinds round-trip as ApplicationPolicy', () => {
    const [d] = parseCollectionsConfig('[{"name":"c","policy":"OR(\'Org1MSP.member\')","endorsementPolicy":{"channelConfigPolicy":"/Channel/Application/Org1/Endorsement"}}]');
    assert.deepEqual(d.endorsementPolicy, { kind: 'channelConfig', reference: '/Channel/Application/Org1/Endorsement' });
    assert.deepEqual(decodeApplicationPolicy(encodeApplicationPolicy(d.endorsementPolicy)), d.endorsementPolicy);
    const sig = parseCollectionsConfig(SAMPLE)[1].endorsementPolicy!;
    assert.equal(sig.kind, 'signature');
    assert.deepEqual(decodeApplicationPolicy(encodeApplicationPolicy(sig)), { kind: 'signature', envelope: sig.kind === 'signature' ? sig.envelope : null });
  });

  test('JSON syntax errors name file, line and column', () => {
    assert.equal(
      fail('[\n  {"name": "a",\n   "policy": "OR(\'A.member\')"\n   "maxPeerCount": 2}\n]'),
      "collections_config.json:4:4: could not parse the collection configuration: expected ',' or '}' after the value of \"policy\", found '\"'",
    );
    assert.match(fail('[{"name": "a"'), /^collections_config\.json:1:14: could not parse .*found the end of the file$/);
    assert.match(fail('{"name":"a"}'), /^collections_config\.json:1:1: expected a JSON array of collections, found an object$/);
  });

  test('a wrong type names the field, its position and what was found', () => {
    assert.equal(
      fail('[{"name":"a","policy":"OR(\'A.member\')","requiredPeerCount":"1"}]', 'cc/collections.json'),
      'cc/collections.json:1:60: "requiredPeerCount" must be a whole number (int32), found the string "1"',
    );
    assert.match(fail('[{"name":"a","policy":"OR(\'A.member\')","maxPeerCount":1.5}]'), /1:55: "maxPeerCount" must be a whole number \(int32\), found the number 1\.5/);
    assert.match(fail('[{"name":"a","policy":"OR(\'A.member\')","blockToLive":-1}]'), /"blockToLive" must be a whole number from 0 to \d+ \(uint64\), found the number -1/);
    assert.match(fail('[{"name":"a","policy":"OR(\'A.member\')","memberOnlyRead":"yes"}]'), /"memberOnlyRead" must be true or false, found the string "yes"/);
    assert.match(
      fail('[{"name":"a","policy":"OR(\'A.member\')","endorsementPolicy":"OR(\'A.member\')"}]'),
      /"endorsementPolicy" must be an object with "signaturePolicy" or "channelConfigPolicy"/,
    );
    assert.match(fail('[1]'), /1:2: collection 1 must be an object, found the number 1/);
  });

  test('a policy that does not parse points at the token inside the JSON string', () => {
    const text = '[\n  {\n    "name": "a",\n    "policy": "OR(\'Org1MSP.member\' \'Org2MSP.member\')"\n  }\n]';
    assert.equal(fail(text), "collections_config.json:4:36: invalid policy \"OR('Org1MSP.member' 'Org2MSP.member')\": expected ',' or ')', found 'Org2MSP.member'");
    assert.match(fail('[{"name":"a"}]'), /^collections_config\.json:1:2: invalid policy "": the policy is empty/);
    assert.match(
      fail('[{"name":"a","policy":"OR(\'A.member\')","endorsementPolicy":{"signaturePolicy":"AND(A.peer)"}}]'),
      /1:84: invalid endorsement signature policy "AND\(A.peer\)": principal A.peer must be quoted/,
    );
    assert.match(
      fail('[{"name":"a","policy":"OR(\'A.member\')","endorsementPolicy":{"signaturePolicy":"OR(\'A.peer\')","channelConfigPolicy":"/Channel/Application/Endorsement"}}]'),
      /invalid endorsement policy: cannot specify both "signaturePolicy" and "channelConfigPolicy"/,
    );
  });

  test("the peer's approve/commit checks, in Fabric's words, located", () => {
    const one = (body: string): string => fail(`[${body}]`);
    assert.match(
      one('{"name":"_x","policy":"OR(\'A.member\')"}'),
      /1:2: invalid collection name '_x'\. Names can only consist of alphanumerics, '_', and '-' and cannot begin with '_'$/,
    );
    assert.match(one('{"name":"a b","policy":"OR(\'A.member\')"}'), /invalid collection name 'a b'/);
    assert.match(
      fail('[{"name":"a","policy":"OR(\'A.member\')"},\n {"name":"a","policy":"OR(\'A.member\')"}]'),
      /^collections_config\.json:2:2: collection-name: a -- found duplicate in collection configuration$/,
    );
    assert.match(
      one('{"name":"a","policy":"OR(\'A.member\')","requiredPeerCount":2,"maxPeerCount":1}'),
      /collection-name: a -- maximum peer count \(1\) cannot be less than the required peer count \(2\)/,
    );
    assert.match(
      one('{"name":"a","policy":"OR(\'A.member\')","requiredPeerCount":-1,"maxPeerCount":-2}'),
      /collection-name: a -- requiredPeerCount \(-1\) cannot be less than zero/,
    );
    assert.match(
      one('{"name":"a","policy":"AND(\'A.member\',\'B.member\')"}'),
      /collection-name: a -- error in member org policy: signature policy is not an OR concatenation, NOutOf 2/,
    );
    assert.doesNotThrow(() => parseCollectionsConfig('[{"name":"a","policy":"OR(\'A.member\', OR(\'B.member\'))"}]'));
    const defs = parseCollectionsConfig(SAMPLE);
    assert.doesNotThrow(() => checkCollectionMembers(defs, ['Org1MSP', 'Org2MSP']));
    assert.throws(
      () => checkCollectionMembers(defs, ['Org1MSP']),
      /collections_config\.json:2:3: collection-name: assetCollection -- collection member 'Org2MSP' is not part of the channel/,
    );
  });
});

describe('membership and implicit collections', () => {
  test("member orgs are the member policy's MSP ids; members may always read and write, others unless memberOnly*", () => {
    const [asset, org1Only] = parseCollectionsConfig(SAMPLE);
    assert.deepEqual(collectionMemberOrgs(asset), ['Org1MSP', 'Org2MSP']);
    assert.deepEqual(collectionMemberOrgs(org1Only), ['Org1MSP']);
    assert.deepEqual(collectionAccess(asset, false), { read: false, write: false });
    assert.deepEqual(collectionAccess(org1Only, false), { read: false, write: true });
    assert.deepEqual(collectionAccess(org1Only, true), { read: true, write: true });
  });

  test("_implicit_org_<MSPID>: SignedByMspMember, own-org dissemination, never purged, the org's Endorsement policy", () => {
    assert.equal(implicitCollectionName('Org2MSP'), '_implicit_org_Org2MSP');
    assert.equal(implicitCollectionMspId('_implicit_org_Org2MSP'), 'Org2MSP');
    assert.equal(implicitCollectionMspId('assetCollection'), null);
    const own = implicitCollection('Org1MSP', 'Org1', 'Org1MSP');
    const other = implicitCollection('Org2MSP', 'Org2', 'Org1MSP');
    assert.equal(encodeSignaturePolicyEnvelope(own.memberPolicy).toString('hex'), '120812060801120208001a0b12090a074f7267314d5350', 'SignedByMspMember("Org1MSP")');
    assert.deepEqual([own.requiredPeerCount, own.maxPeerCount, other.requiredPeerCount, other.maxPeerCount], [0, 1, 0, 0]);
    assert.equal(own.blockToLive, 0);
    assert.deepEqual(collectionAccess(other, false), { read: true, write: true });
    assert.deepEqual(other.endorsementPolicy, { kind: 'channelConfig', reference: '/Channel/Application/Org2/Endorsement' });
    assert.deepEqual(collectionMemberOrgs(other), ['Org2MSP']);
  });
});
