/**
 * Private data through the real @hyperledger/fabric-gateway client on the two-org network, as
 * fabric-samples' asset-transfer-private-data does it: the value in the transient map, the
 * collections from the chaincode folder's collections_config.json. Fabric's gateway protects
 * transient data: without named endorsing organisations it refuses a plan that would send the
 * proposal to an org outside the written collections' distribution policy (FAILED_PRECONDITION);
 * naming Org1 alone endorses and commits, since the collection's own endorsement policy is Org1's.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'path';
import type { ledger } from '@hyperledger/fabric-protos';
import type { Contract, GatewayError, Network, Status } from '@hyperledger/fabric-gateway';
import { readDefinitionPolicies } from '../../../src/engine/lifecycle/definitionPolicies';
import { connectGateway } from '../../support/gatewayClient';
import { startGatewayPeer, type GatewayPeer } from '../../support/gatewayPeer';

const FIXTURE = path.join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'node', 'private-data');
const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');
const transient = (value: string): Record<string, Uint8Array> => ({ value: Buffer.from(value) });

describe('private data through the Gateway on two orgs', { timeout: 180_000 }, () => {
  let peer: GatewayPeer;
  let network: Network;
  let contract: Contract;

  before(async () => {
    peer = await startGatewayPeer();
    peer.engine.defineChaincode({ name: 'pdc', version: '1.0' }, readDefinitionPolicies(FIXTURE, {}, peer.engine.config.orgs));
    await peer.engine.launcher.launch({ kind: 'deployment', definition: { name: 'pdc', version: '1.0', mode: 'dev', language: 'node', path: FIXTURE } });
    network = peer.connect().gateway.getNetwork('mychannel');
    contract = network.getContract('pdc');
  });

  after(async () => {
    await peer?.stop();
  });

  /** A private put endorsed by Org1's peer alone, as the samples submit to an Org1-only collection; it must commit. */
  const putEndorsedByOrg1 = async (collection: string, key: string, value: string): Promise<Status> => {
    const proposal = contract.newProposal('put', { arguments: [collection, key], transientData: transient(value), endorsingOrganizations: ['Org1MSP'] });
    const status = await (await (await proposal.endorse()).submit()).getStatus();
    assert.equal(status.successful, true, `code ${status.code}`);
    return status;
  };

  test('transient data for an Org1-only collection, no endorsing orgs named: FAILED_PRECONDITION, nothing committed', async () => {
    const height = peer.engine.peer.ledger().height;
    await assert.rejects(
      contract.submit('put', { arguments: ['Org1MSPPrivateCollection', 'asset1'], transientData: transient('{"appraisedValue":100}') }),
      (err: GatewayError) =>
        err.code === 9 &&
        /requires endorsement from organisation\(s\) that are not in the distribution policy of the private data collection\(s\): \[Org2MSP\]; retry specifying trusted endorsing organizations to protect transient data/.test(
          err.message,
        ),
    );
    assert.equal(peer.engine.peer.ledger().height, height);
  });

  test("endorsed by Org1 alone, as the samples do: the collection's own policy (Org1) suffices, and the value stays on Org1's peer", async () => {
    await putEndorsedByOrg1('Org1MSPPrivateCollection', 'asset1', '{"appraisedValue":100}');
    assert.equal(JSON.parse(text(await contract.evaluateTransaction('get', 'Org1MSPPrivateCollection', 'asset1'))).value, '{"appraisedValue":100}');
    const onOrg2 = contract.newProposal('get', { arguments: ['Org1MSPPrivateCollection', 'asset1'], endorsingOrganizations: ['Org2MSP'] });
    await assert.rejects(onOrg2.evaluate(), (err: GatewayError) => /private data matching public hash version is not available/.test(err.message));
  });

  test("block events with private data carry only the collections the requester's org is a member of, as Fabric's deliver service filters them", async () => {
    const status = await putEndorsedByOrg1('Org1MSPPrivateCollection', 'delivered1', 'org1 only');
    const privateDataOf = async (network: Network): Promise<string[]> => {
      const events = await network.getBlockAndPrivateDataEvents({ startBlock: status.blockNumber });
      try {
        const iterator = events[Symbol.asyncIterator]();
        const { value } = await iterator.next();
        assert.equal(value.getBlock()?.getHeader()?.getNumber(), Number(status.blockNumber));
        const collections: string[] = [];
        value.getPrivateDataMapMap().forEach((pvt: ledger.rwset.TxPvtReadWriteSet) => {
          for (const ns of pvt.getNsPvtRwsetList()) for (const c of ns.getCollectionPvtRwsetList()) collections.push(`${ns.getNamespace()}/${c.getCollectionName()}`);
        });
        return collections;
      } finally {
        events.close();
      }
    };
    assert.deepEqual(await privateDataOf(network), ['pdc/Org1MSPPrivateCollection']);
    const org2Gateway = peer.engine.gateways[1];
    const org2 = connectGateway({ cryptoPath: org2Gateway.org.cryptoPath, port: org2Gateway.server.port, mspId: 'Org2MSP' });
    try {
      assert.deepEqual(await privateDataOf(org2.gateway.getNetwork('mychannel')), [], "an Org2 client is sent none of Org1's collection");
    } finally {
      org2.close();
    }
  });

  test('a collection of both orgs takes transient data with the default plan (both peers endorse)', async () => {
    await contract.submit('put', { arguments: ['assetCollection', 'shared1'], transientData: transient('both') });
    for (const org of ['Org1MSP', 'Org2MSP']) {
      const p = contract.newProposal('get', { arguments: ['assetCollection', 'shared1'], endorsingOrganizations: [org] });
      assert.equal(JSON.parse(text(await p.evaluate())).value, 'both', org);
    }
  });
});
