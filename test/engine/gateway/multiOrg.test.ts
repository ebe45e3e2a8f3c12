/**
 * The Gateway on the two-org network (Org1MSP, Org2MSP, each peer running its own instance of the
 * chaincode): an Org2 user calls through Org1's Gateway; the endorsing organisations a client
 * names are the ones that endorse (too few for the policy commit as ENDORSEMENT_POLICY_FAILURE);
 * endorsers that disagree (non-deterministic chaincode) give Fabric's ABORTED "failed to collect
 * enough transaction endorsements" with the disagreeing peer in the details (organisations.md §5).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'path';
import type { Contract, GatewayError } from '@hyperledger/fabric-gateway';
import { readBlock } from '../../../src/engine/ledger/blocks/blockReader';
import { parsePolicy } from '../../../src/engine/policy';
import { codecs } from '../../../src/engine/wire/codec';
import { startLowLevelFixture, type RunningProcess } from '../../support/nodeChaincode';
import { connectGateway } from '../../support/gatewayClient';
import { startGatewayPeer, type GatewayPeer } from '../../support/gatewayPeer';

const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');

describe('Gateway on a two-org network', { timeout: 180_000 }, () => {
  let peer: GatewayPeer;
  let lowlevel: RunningProcess[];
  let contract: Contract;

  before(async () => {
    peer = await startGatewayPeer();
    assert.deepEqual(
      peer.engine.orgs.map((n) => n.org.mspId),
      ['Org1MSP', 'Org2MSP'],
    );
    lowlevel = peer.engine.orgs.map((node) => startLowLevelFixture('lowlevel:1.0', node.peer.address));
    await Promise.all(peer.engine.orgs.map((node) => node.peer.waitForReady('lowlevel:1.0', 30_000)));
    contract = peer.connect().gateway.getNetwork('mychannel').getContract('basic');
    await contract.submitTransaction('InitLedger');
  });

  after(async () => {
    await Promise.all((lowlevel ?? []).map((p) => p.kill()));
    await peer?.stop();
  });

  test("an Org2 user, from Org2's crypto folder, calls through Org1's Gateway", async () => {
    const org2 = path.join(path.dirname(peer.cryptoPath), 'org2.example.com');
    const c = peer.connect({ userCryptoPath: org2, mspId: 'Org2MSP' }).gateway.getNetwork('mychannel').getContract('basic');
    const commit = await c.submitAsync('TransferAsset', { arguments: ['asset1', 'Org2User'] });
    assert.equal((await commit.getStatus()).successful, true);
    const record = peer.engine.transactions.transaction(commit.getTransactionId());
    assert.equal(record?.creator.mspId, 'Org2MSP');
    assert.match(record?.creator.subject ?? '', /User1@org2\.example\.com/);
    assert.equal(JSON.parse(text(await contract.evaluateTransaction('ReadAsset', 'asset1'))).Owner, 'Org2User');
  });

  test("Org2's peer serves its own Gateway, as the test network's peer0.org2 does: an Org2 application connects with Org2's crypto folder alone", async () => {
    assert.deepEqual(
      peer.engine.gateways.map((g) => [g.org.mspId, g.org.peerName]),
      [
        ['Org1MSP', 'peer0.org1.example.com'],
        ['Org2MSP', 'peer0.org2.example.com'],
      ],
    );
    const org2 = peer.engine.gateways[1];
    assert.notEqual(org2.server.port, peer.port, 'its own port');
    // Org2's TLS CA and host name: a client that trusts only Org2 reaches it.
    const connection = connectGateway({ cryptoPath: org2.org.cryptoPath, port: org2.server.port, mspId: 'Org2MSP' });
    try {
      const c = connection.gateway.getNetwork('mychannel').getContract('basic');
      const commit = await c.submitAsync('TransferAsset', { arguments: ['asset2', 'ViaOrg2Gateway'] });
      assert.equal((await commit.getStatus()).successful, true);
      assert.equal(JSON.parse(text(await c.evaluateTransaction('ReadAsset', 'asset2'))).Owner, 'ViaOrg2Gateway');
      assert.equal(peer.engine.transactions.transaction(commit.getTransactionId())?.creator.mspId, 'Org2MSP');
    } finally {
      connection.close();
    }
  });

  test('endorsing organisations named by the client: one org is not the majority, the commit is ENDORSEMENT_POLICY_FAILURE', async () => {
    const proposal = contract.newProposal('TransferAsset', { arguments: ['asset2', 'OnlyOrg1'], endorsingOrganizations: ['Org1MSP'] });
    const status = await (await (await proposal.endorse()).submit()).getStatus();
    assert.equal(status.successful, false);
    assert.equal(status.code, 10); // ENDORSEMENT_POLICY_FAILURE
    assert.notEqual(JSON.parse(text(await contract.evaluateTransaction('ReadAsset', 'asset2'))).Owner, 'OnlyOrg1');
    const both = contract.newProposal('TransferAsset', { arguments: ['asset2', 'BothOrgs'], endorsingOrganizations: ['Org1MSP', 'Org2MSP'] });
    assert.equal((await (await (await both.endorse()).submit()).getStatus()).successful, true);
  });

  test('an organisation the network does not have: FAILED_PRECONDITION', async () => {
    const proposal = contract.newProposal('TransferAsset', { arguments: ['asset2', 'X'], endorsingOrganizations: ['Org9MSP'] });
    await assert.rejects(proposal.endorse(), (err: GatewayError) => err.code === 9 && /no peers available for organization Org9MSP/.test(err.message));
  });

  test('endorsers that disagree: ABORTED "failed to collect enough transaction endorsements", the other org\'s peer in the details', async () => {
    const c = peer.connect().gateway.getNetwork('mychannel').getContract('lowlevel');
    let err: GatewayError | undefined;
    try {
      await c.submitTransaction('putRandom', 'r1');
    } catch (e) {
      err = e as GatewayError;
    }
    assert.ok(err, 'non-deterministic chaincode cannot be endorsed by two orgs');
    assert.equal(err.name, 'EndorseError');
    assert.equal(err.code, 10);
    assert.equal(err.message, '10 ABORTED: failed to collect enough transaction endorsements, see attached details for more info');
    assert.deepEqual(
      err.details.map((d) => ({ ...d })),
      // Where Org2's peer serves its Gateway (here a free port: the fixture asks for port 0).
      [{ address: `peer0.org2.example.com:${peer.engine.gateways[1].server.port}`, mspId: 'Org2MSP', message: 'ProposalResponsePayloads do not match' }],
    );
  });

  test("each Gateway plans from its own peer, as Fabric's does: under a policy either org satisfies alone, Org2's Gateway endorses on Org2's peer and Org1's on Org1's", async () => {
    peer.engine.defineChaincode({ name: 'lowlevel', version: '1.0' }, { endorsementPolicy: parsePolicy("OR('Org1MSP.peer','Org2MSP.peer')"), collections: [] });
    const endorsersOf = async (connection: ReturnType<typeof connectGateway>, key: string): Promise<string[]> => {
      const commit = await connection.gateway
        .getNetwork('mychannel')
        .getContract('lowlevel')
        .submitAsync('put', { arguments: [key, 'v'] });
      const status = await commit.getStatus();
      assert.equal(status.successful, true);
      const block = readBlock(await peer.engine.orgs[0].peer.ledger('mychannel').blocks.getBlock(Number(status.blockNumber)));
      const tx = block.transactions.find((t) => t.header?.txId === commit.getTransactionId());
      return (tx?.actions[0]?.endorsers ?? []).map((e) => codecs.SerializedIdentity.decode(e).mspid);
    };
    const [org1, org2] = peer.engine.gateways;
    const viaOrg2 = connectGateway({ cryptoPath: org2.org.cryptoPath, port: org2.server.port, mspId: 'Org2MSP' });
    const viaOrg1 = connectGateway({ cryptoPath: org1.org.cryptoPath, port: org1.server.port, mspId: 'Org1MSP' });
    try {
      assert.deepEqual(await endorsersOf(viaOrg2, 'local2'), ['Org2MSP']);
      assert.deepEqual(await endorsersOf(viaOrg1, 'local1'), ['Org1MSP']);
    } finally {
      viaOrg2.close();
      viaOrg1.close();
    }
  });
});
