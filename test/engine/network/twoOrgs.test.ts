/**
 * A test network of two organisations in one process, as Fabric's test-network: each org has its own
 * CA, peer, ledger and instance of the chaincode; a transaction is endorsed by the peers its
 * endorsement policy needs, their ProposalResponsePayloads must match, and the commit checks the
 * endorsements against the chaincode's policy and the keys' own (state-based) policies.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { resolveConfig } from '../../../src/engine/config';
import { Engine } from '../../../src/engine/engine';
import { parsePolicy } from '../../../src/engine/policy';
import { startLowLevelFixture } from '../../support/nodeChaincode';

const LOWLEVEL = path.join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'node', 'lowlevel');
const CC = 'twoorg:1.0';
const NS = (channel = 'mychannel') => ({ channel, chaincode: 'twoorg' });

describe('two organisations in one process', () => {
  let engine: Engine;
  let dataDir: string;

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'two-orgs-'));
    engine = await Engine.start(resolveConfig({ dataDir, peerPort: 0, mode: 'dev', startupTimeoutMs: 30_000, executeTimeoutMs: 15_000 }), { acceptUnlaunched: false });
    await engine.launcher.launch({ kind: 'deployment', definition: { name: 'twoorg', version: '1.0', mode: 'dev', language: 'node', path: LOWLEVEL } });
  });

  after(async () => {
    await engine.dispose();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test("each org has its own crypto (test-network layout), peer, ledger and chaincode instance, which reads its peer's MSP id", async () => {
    assert.deepEqual(
      engine.orgs.map((n) => [n.org.mspId, n.peer.name]),
      [
        ['Org1MSP', 'peer0.org1.example.com'],
        ['Org2MSP', 'peer0.org2.example.com'],
      ],
    );
    for (const domain of ['org1.example.com', 'org2.example.com']) {
      assert.ok(fs.existsSync(path.join(dataDir, 'organizations', 'peerOrganizations', domain, 'users', `User1@${domain}`, 'msp', 'signcerts', `User1@${domain}-cert.pem`)));
    }
    assert.notEqual(engine.orgs[0].peer.address, engine.orgs[1].peer.address);
    for (const node of engine.orgs) {
      assert.equal(node.peer.handlers().filter((h) => h.chaincodeId === CC && h.state === 'ready').length, 1, `${node.peer.name} runs its own instance`);
      // An evaluation targeted at an org runs on its peer; GetMSPID reads CORE_PEER_LOCALMSPID, set to that peer's org.
      const who = await engine.transactions.execute({ chaincode: CC, args: ['whoami'], kind: 'query', endorsingOrgs: [node.org.mspId] });
      const seen = JSON.parse(who.payload.toString()) as { mspid: string; mspFromEnv: string };
      assert.deepEqual([seen.mspFromEnv, seen.mspid], [node.org.mspId, 'Org1MSP'], 'its own org, and the caller (Org1 User1)');
    }
  });

  test('the default policy (MAJORITY of two orgs) has both peers endorse; the block is committed on both ledgers', async () => {
    const r = await engine.transactions.execute({ chaincode: CC, args: ['put', 'shared', 'v1'] });
    assert.equal(r.validation, 'VALID', r.message);
    assert.equal(r.mismatches, undefined);
    for (const node of engine.orgs) {
      const ledger = node.peer.ledger();
      assert.equal(ledger.state.getState(NS(), 'shared')?.value.toString(), 'v1', node.peer.name);
      assert.equal(ledger.height, r.blockNum);
      const tx = ledger.blocks.findTransaction(r.txId);
      assert.equal(tx?.blockNumber, r.blockNum);
    }
    // The stored block carries both endorsements (one per org), in the order the gateway collects them.
    const { readBlock } = await import('../../../src/engine/ledger/blocks/blockReader');
    const block = readBlock(await engine.peer.ledger().blocks.getBlock(r.blockNum!));
    const { codecs } = await import('../../../src/engine/wire/codec');
    const endorsers = block.transactions[0].actions[0].endorsers.map((e) => codecs.SerializedIdentity.decode(e).mspid);
    assert.deepEqual(endorsers, ['Org1MSP', 'Org2MSP']);
  });

  test('non-deterministic chaincode is caught: "ProposalResponsePayloads do not match", with the differing write, and nothing is committed', async () => {
    const heights = engine.orgs.map((n) => n.peer.ledger().height);
    const r = await engine.transactions.execute({ chaincode: CC, args: ['putRandom', 'dice'] });
    assert.equal(r.validation, 'NOT_COMMITTED');
    assert.equal(r.message, 'ProposalResponsePayloads do not match');
    assert.equal(r.mismatches?.length, 1);
    assert.deepEqual([r.mismatches?.[0].peer, r.mismatches?.[0].mspId], ['peer0.org2.example.com', 'Org2MSP']);
    const diff = r.mismatches?.[0].differences.find((d) => d.type === 'write value mismatch');
    assert.equal(diff?.key, 'dice');
    assert.notEqual(diff?.initial, diff?.invoked);
    // Both sides in full, for the editor's diff: each peer's own write of the key.
    const [initial, invoked] = [r.mismatches?.[0].initial, r.mismatches?.[0].invoked];
    assert.deepEqual([initial?.peer, invoked?.peer], ['peer0.org1.example.com', 'peer0.org2.example.com']);
    const written = (side: typeof initial) => side?.readWriteSet.writes.find((w) => w.key === 'dice')?.value?.toString();
    assert.equal(written(initial), diff?.initial);
    assert.equal(written(invoked), diff?.invoked);
    assert.deepEqual(
      engine.orgs.map((n) => n.peer.ledger().height),
      heights,
    );
    assert.equal(engine.peer.ledger().state.getState(NS(), 'dice'), undefined);
  });

  test('endorsed by one org only, a MAJORITY-policy transaction is in its block but marked ENDORSEMENT_POLICY_FAILURE', async () => {
    const r = await engine.transactions.execute({ chaincode: CC, args: ['put', 'lonely', 'x'], endorsingOrgs: ['Org1MSP'] });
    assert.equal(r.validation, 'ENDORSEMENT_POLICY_FAILURE');
    assert.ok(r.blockNum !== null);
    for (const node of engine.orgs) assert.equal(node.peer.ledger().state.getState(NS(), 'lonely'), undefined);
  });

  test("a chaincode's own endorsement policy: OR('Org1MSP.peer') needs only Org1", async () => {
    const before = engine.orgs[1].peer.handlers().find((h) => h.chaincodeId === CC)?.inFlight.length;
    assert.equal(before, 0);
    engine.transactions.definitions.define('mychannel', { name: 'twoorg', version: '1.0', endorsementPolicy: parsePolicy("OR('Org1MSP.peer')"), collections: [] });
    try {
      const r = await engine.transactions.execute({ chaincode: CC, args: ['put', 'org1only', 'y'] });
      assert.equal(r.validation, 'VALID', r.message);
      const { readBlock } = await import('../../../src/engine/ledger/blocks/blockReader');
      const block = readBlock(await engine.peer.ledger().blocks.getBlock(r.blockNum!));
      assert.equal(block.transactions[0].actions[0].endorsers.length, 1, 'only the peer the policy needs endorsed');
      assert.equal(engine.orgs[1].peer.ledger().state.getState(NS(), 'org1only')?.value.toString(), 'y', 'committed on Org2 too');
    } finally {
      engine.transactions.definitions.define('mychannel', { name: 'twoorg', version: '1.0', endorsementPolicy: null, collections: [] });
    }
  });

  test('state-based endorsement: a key whose policy needs Org2 cannot be written with Org1 alone, even when the chaincode policy would allow it', async () => {
    // Fabric drops a metadata write to a key that does not exist (tx_ops.go): the key first.
    assert.equal((await engine.transactions.execute({ chaincode: CC, args: ['put', 'guarded', 'initial'] })).validation, 'VALID');
    const set = await engine.transactions.execute({ chaincode: CC, args: ['setKeyOrgs', 'guarded', 'Org2MSP'] });
    assert.equal(set.validation, 'VALID', set.message);
    engine.transactions.definitions.define('mychannel', { name: 'twoorg', version: '1.0', endorsementPolicy: parsePolicy("OR('Org1MSP.peer','Org2MSP.peer')"), collections: [] });
    try {
      const byOrg1 = await engine.transactions.execute({ chaincode: CC, args: ['put', 'guarded', 'from-org1'], endorsingOrgs: ['Org1MSP'] });
      assert.equal(byOrg1.validation, 'ENDORSEMENT_POLICY_FAILURE');
      assert.equal(engine.peer.ledger().state.getState(NS(), 'guarded')?.value.toString(), 'initial');
      const byOrg2 = await engine.transactions.execute({ chaincode: CC, args: ['put', 'guarded', 'from-org2'], endorsingOrgs: ['Org2MSP'] });
      assert.equal(byOrg2.validation, 'VALID', byOrg2.message);
      for (const node of engine.orgs) assert.equal(node.peer.ledger().state.getState(NS(), 'guarded')?.value.toString(), 'from-org2');
    } finally {
      engine.transactions.definitions.define('mychannel', { name: 'twoorg', version: '1.0', endorsementPolicy: null, collections: [] });
    }
  });

  test('an org the network does not have cannot endorse', async () => {
    await assert.rejects(engine.transactions.execute({ chaincode: CC, args: ['put', 'k', 'v'], endorsingOrgs: ['Org9MSP'] }), {
      name: 'EndorsementPlanError',
      message: /no peers available for organization Org9MSP/,
    });
  });
});

describe('two organisations, a chaincode run by hand', () => {
  let devEngine: Engine;
  let dataDir: string;

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'two-orgs-dev-'));
    devEngine = await Engine.start(resolveConfig({ dataDir, peerPort: 0, mode: 'dev', startupTimeoutMs: 30_000, executeTimeoutMs: 15_000 }));
  });

  after(async () => {
    await devEngine.dispose();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test("a chaincode the developer runs on the first org's peer only (dev mode, no definition) is endorsed by that org and commits", async () => {
    const handRun = startLowLevelFixture('byhand:1.0', devEngine.peer.address);
    try {
      await devEngine.peer.waitForReady('byhand:1.0', 30_000);
      const r = await devEngine.transactions.execute({ chaincode: 'byhand:1.0', args: ['put', 'solo', 'v'] });
      assert.equal(r.validation, 'VALID', r.message);
      const { readBlock } = await import('../../../src/engine/ledger/blocks/blockReader');
      const { codecs } = await import('../../../src/engine/wire/codec');
      const block = readBlock(await devEngine.peer.ledger().blocks.getBlock(r.blockNum!));
      assert.deepEqual(
        block.transactions[0].actions[0].endorsers.map((e) => codecs.SerializedIdentity.decode(e).mspid),
        ['Org1MSP'],
      );
      // Every org's ledger commits the block; Org2 keeps the state it never endorsed.
      assert.equal(devEngine.orgs[1].peer.ledger().state.getState({ channel: 'mychannel', chaincode: 'byhand' }, 'solo')?.value.toString(), 'v');

      // Defined (as a launch through the engine defines it), the channel's MAJORITY needs Org2, whose peer runs no instance: its peer is named.
      devEngine.transactions.definitions.define('mychannel', { name: 'byhand', version: '1.0', endorsementPolicy: null, collections: [] });
      await assert.rejects(devEngine.transactions.execute({ chaincode: 'byhand:1.0', args: ['put', 'solo', 'w'] }), {
        name: 'UnknownChaincodeError',
        message: /^peer0\.org2\.example\.com: chaincode byhand:1\.0 is not registered/,
      });
    } finally {
      await handRun.kill();
    }
  });
});
