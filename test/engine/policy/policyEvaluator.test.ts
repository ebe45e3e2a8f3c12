/**
 * Signature policy evaluation with Fabric's semantics (common/cauthdsl/cauthdsl.go) over real
 * identities and signatures: de-duplication, dropped signers, greedy order-dependent matching; the
 * default endorsement policy and ImplicitMeta (common/policies/implicitmeta.go); key-level
 * validation parameters (core/common/validation/statebased).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ChannelMsps } from '../../../src/engine/msp/channelMsps';
import { openOrganizations, type Organization } from '../../../src/engine/msp/organization';
import { orgSpec } from '../../../src/engine/msp/orgSpec';
import type { SigningIdentity } from '../../../src/engine/msp/signingIdentity';
import { defaultEndorsementPolicy, ImplicitMetaEvaluator, implicitMetaThreshold, orgEndorsementPolicy, parseImplicitMetaRule } from '../../../src/engine/policy/implicitMeta';
import { parsePolicy } from '../../../src/engine/policy/policyDsl';
import { PolicyCompileError, PolicyNotSatisfiedError, SignaturePolicyEvaluator, type SignedData } from '../../../src/engine/policy/policyEvaluator';
import { encodeSignaturePolicyEnvelope, nOutOf, signedBy } from '../../../src/engine/policy/signaturePolicy';
import { decodeValidationParameter } from '../../../src/engine/policy/stateBasedEndorsement';
import { serialized } from '../msp/testCerts';

let dataDir = '';
let orgs: Organization[];
let msps: ChannelMsps;
const data = Buffer.from('proposal response payload ‖ endorser');
const signed = (id: SigningIdentity, bytes: Buffer = data): SignedData => ({ data: bytes, identity: id.serialized, signature: id.sign(bytes) });
const evaluator = (policy: string): SignaturePolicyEvaluator => new SignaturePolicyEvaluator(parsePolicy(policy), msps);
const peer = (i: number): SigningIdentity => orgs[i].peer.identity;

before(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-'));
  orgs = await openOrganizations(dataDir, [orgSpec('Org1MSP'), orgSpec('Org2MSP'), orgSpec('Org3MSP')]);
  msps = new ChannelMsps(orgs.map((o) => o.msp));
});
after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('signature policies', () => {
  test("OR and AND over the orgs' peers", () => {
    const or = evaluator("OR('Org1MSP.peer','Org2MSP.peer')");
    const and = evaluator("AND('Org1MSP.peer','Org2MSP.peer')");
    assert.equal(or.evaluate([signed(peer(1))]).satisfied, true);
    assert.equal(and.evaluate([signed(peer(0))]).satisfied, false);
    assert.equal(and.evaluate([signed(peer(1)), signed(peer(0))]).satisfied, true);
    assert.throws(
      () => and.check([signed(peer(0))]),
      (e: Error) => e instanceof PolicyNotSatisfiedError && e.message === 'signature set did not satisfy policy',
    );
    assert.equal(and.describe(), '2 of (Org1MSP.peer, Org2MSP.peer)');
  });

  test('greedy and order-dependent: AND(A.member, A.peer) fails for [peer, client] and passes for [client, peer]', async () => {
    const policy = evaluator("AND('Org1MSP.member','Org1MSP.peer')");
    const user = await orgs[0].identity('User1');
    assert.equal(policy.evaluate([signed(peer(0)), signed(user)]).satisfied, false);
    assert.equal(policy.evaluate([signed(user), signed(peer(0))]).satisfied, true);
  });

  test('one identity serves one signed_by: AND(A.member, A.member) needs two identities; duplicates are dropped', async () => {
    const policy = evaluator("AND('Org1MSP.member','Org1MSP.member')");
    const user = await orgs[0].identity('User1');
    const twice = policy.evaluate([signed(user), signed(user)]);
    assert.equal(twice.satisfied, false);
    assert.equal(twice.identities.length, 1);
    assert.match(twice.rejected[0].reason, /^De-duplicating identity \[Org1MSP[0-9a-f]{64}\] at index 1 in signature set$/);
    assert.equal(policy.evaluate([signed(user), signed(await orgs[0].identity('Admin'))]).satisfied, true);
  });

  test('signers that fail are dropped, and an invalid first copy does not block a valid later one', async () => {
    const user = await orgs[0].identity('User1');
    const policy = evaluator("OR('Org1MSP.client')");
    const bad: SignedData = { data, identity: user.serialized, signature: peer(0).sign(data) };
    const result = policy.evaluate([bad, { data, identity: serialized('Org9MSP', user.certPem), signature: user.sign(data) }, signed(user)]);
    assert.equal(result.satisfied, true);
    assert.deepEqual(
      result.rejected.map((r) => r.index),
      [0, 1],
    );
    assert.match(result.rejected[0].reason, /^signature for identity 0 is invalid: The signature is invalid$/);
    assert.equal(result.rejected[1].reason, 'failed deserializing signature 1: MSP Org9MSP is not defined on channel');
    assert.equal(policy.evaluate([bad]).satisfied, false);
  });

  test('policies Fabric cannot build', () => {
    assert.throws(
      () => new SignaturePolicyEvaluator({ version: 0, rule: signedBy(3), identities: [] }, msps),
      (e: Error) => e instanceof PolicyCompileError && e.message === 'identity index out of range, requested 3, but identities length is 0',
    );
    assert.throws(
      () => new SignaturePolicyEvaluator({ ...parsePolicy("OR('A.member')"), version: 1 }, msps),
      /This evaluator only understands messages of version 0, but version was 1/,
    );
    assert.throws(() => new SignaturePolicyEvaluator({ version: 0, rule: null, identities: [] }, msps), /Empty policy element/);
  });

  test('OutOf(0, []) (the empty key-level policy) is satisfied by any signature set, even none', () => {
    const empty = decodeValidationParameter(Buffer.from('12021200', 'hex'));
    assert.deepEqual(empty.rule, nOutOf(0, []));
    assert.equal(new SignaturePolicyEvaluator(empty, msps).evaluate([]).satisfied, true);
    assert.throws(() => decodeValidationParameter(Buffer.from('ff', 'hex')), /cannot decode SignaturePolicyEnvelope/);
  });
});

describe('the default endorsement policy (MAJORITY Endorsement)', () => {
  test('thresholds N/2+1: 1, 2, 2, 3, 3 for 1…5 orgs; ANY 1; ALL N; no orgs 0', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5].map((n) => implicitMetaThreshold('MAJORITY', n)),
      [1, 2, 2, 3, 3],
    );
    assert.equal(implicitMetaThreshold('ANY', 4), 1);
    assert.equal(implicitMetaThreshold('ALL', 4), 4);
    assert.equal(implicitMetaThreshold('MAJORITY', 0), 0);
  });

  test('for two orgs it is the signature policy AND of their peers', () => {
    const policy = defaultEndorsementPolicy(['Org1MSP', 'Org2MSP']);
    assert.deepEqual(encodeSignaturePolicyEnvelope(policy), encodeSignaturePolicyEnvelope(parsePolicy("AND('Org1MSP.peer','Org2MSP.peer')")));
  });

  test("it decides exactly as ImplicitMeta over each org's OR(peer) does, for every set of signers", async () => {
    const mspIds = orgs.map((o) => o.mspId);
    const asSignature = new SignaturePolicyEvaluator(defaultEndorsementPolicy(mspIds), msps);
    const implicit = new ImplicitMetaEvaluator(
      parseImplicitMetaRule('MAJORITY Endorsement'),
      mspIds.map((m) => new SignaturePolicyEvaluator(orgEndorsementPolicy(m), msps)),
    );
    const signers = [peer(0), peer(1), peer(2), await orgs[0].identity('User1'), await orgs[1].identity('Admin')];
    const all = signers.map((s) => signed(s));
    for (let mask = 0; mask < 1 << signers.length; mask++) {
      const set = all.filter((_, i) => mask & (1 << i));
      const peers = [0, 1, 2].filter((i) => mask & (1 << i)).length;
      let implicitOk = true;
      try {
        implicit.check(set);
      } catch {
        implicitOk = false;
      }
      assert.equal(asSignature.evaluate(set).satisfied, peers >= 2, `mask ${mask}`);
      assert.equal(implicitOk, peers >= 2, `mask ${mask}`);
    }
  });

  test("ImplicitMeta failures and rule syntax use Fabric's messages; an org without the sub-policy still counts", () => {
    const implicit = new ImplicitMetaEvaluator({ rule: 'MAJORITY', subPolicy: 'Endorsement' }, [new SignaturePolicyEvaluator(orgEndorsementPolicy('Org1MSP'), msps), null]);
    assert.equal(implicit.threshold, 2);
    assert.throws(
      () => implicit.check([signed(peer(0))]),
      /^ImplicitMetaError: implicit policy evaluation failed - 1 sub-policies were satisfied, but this policy requires 2 of the 'Endorsement' sub-policies to be satisfied$/,
    );
    assert.throws(() => parseImplicitMetaRule('MAJORITY'), /expected two space separated tokens, but got 1/);
    assert.throws(() => parseImplicitMetaRule('MOST Endorsement'), /unknown rule type 'MOST', expected ALL, ANY, or MAJORITY/);
  });
});

describe('the transaction path reuses what it parsed', () => {
  // How fast signing, verifying and a policy check are is the bench's business; here, that repeated
  // identities are not parsed and chained again.
  test('a repeated identity comes from the cache; a policy check verifies the endorsements it is given', () => {
    const id = peer(0);
    const first = msps.deserializeIdentity(id.serialized);
    assert.equal(msps.deserializeIdentity(Buffer.from(id.serialized)), first, 'the same identity object for the same bytes');
    first.verify(data, id.sign(data)); // throws on a bad signature
    const policy = evaluator("AND('Org1MSP.peer','Org2MSP.peer')");
    assert.ok(policy.evaluate([signed(peer(0)), signed(peer(1))]).satisfied);
  });
});
