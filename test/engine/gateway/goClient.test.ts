/**
 * The Go Gateway client (github.com/hyperledger/fabric-gateway v1.10.0, the fixture in
 * test/fixtures/go/gateway built by .ci/fixtures.sh) against the embedded peer: submit, evaluate,
 * submitAsync + status, the error types with their gRPC codes and details, chaincode events from a
 * block, and block events. Skips without Go locally; fails under CI=true.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fixtureSkip, goFixtureStatus, requireFixture, startChaincodeProcess } from '../../support/toolchains';
import { startGatewayPeer, type GatewayPeer } from '../../support/gatewayPeer';

interface Step {
  step: string;
  [key: string]: unknown;
}

describe('Gateway: the real Go client', { skip: fixtureSkip(goFixtureStatus('gateway')), timeout: 120_000 }, () => {
  let peer: GatewayPeer;
  let steps: Map<string, Step>;
  let code: number | null;
  let output: string;

  before(async () => {
    const binary = requireFixture(goFixtureStatus('gateway'));
    peer = await startGatewayPeer();
    const client = startChaincodeProcess({
      command: binary,
      env: { CRYPTO_PATH: peer.cryptoPath, PEER_ENDPOINT: `localhost:${peer.port}`, ASSET_ID: 'goasset1' },
      label: 'gwclient',
    });
    code = await client.exited;
    output = client.output(200);
    steps = new Map(
      client
        .lines()
        .filter((l) => l.startsWith('[out] {'))
        .map((l) => JSON.parse(l.slice(6)) as Step)
        .map((s) => [s.step, s]),
    );
  });

  after(async () => {
    await peer?.stop();
  });

  test('the scenario runs to the end', () => {
    assert.equal(code, 0, output);
  });

  test('submit and evaluate', () => {
    assert.equal(JSON.parse(steps.get('create')?.result as string).ID, 'goasset1', output);
    assert.equal(JSON.parse(steps.get('read')?.result as string).Owner, 'Tom');
  });

  test('submitAsync and the commit status', () => {
    const transfer = steps.get('transfer');
    assert.equal(transfer?.result, 'Tom', output);
    assert.equal(transfer?.code, 'VALID');
    assert.equal(transfer?.successful, true);
    const record = peer.engine.transactions.transaction(transfer?.transactionId as string);
    assert.equal(record?.blockNum, transfer?.blockNumber);
    assert.match(record?.creator.subject ?? '', /User1@org1\.example\.com/);
  });

  test('errors as the Go client types and decodes them', () => {
    const detail = (message: string): unknown[] => [{ address: `peer0.org1.example.com:${peer.port}`, mspId: 'Org1MSP', message }];
    assert.deepEqual(steps.get('evaluateError'), {
      step: 'evaluateError',
      error: 'rpc error: code = Unknown desc = evaluate call to endorser returned error: chaincode response 500, The asset no-such-asset does not exist',
      code: 'Unknown',
      message: 'evaluate call to endorser returned error: chaincode response 500, The asset no-such-asset does not exist',
      details: detail('chaincode response 500, The asset no-such-asset does not exist'),
    });
    const endorse = steps.get('endorseError');
    assert.equal(endorse?.type, 'EndorseError');
    assert.equal(endorse?.code, 'Aborted');
    assert.equal(endorse?.message, 'failed to endorse transaction, see attached details for more info');
    assert.deepEqual(endorse?.details, detail('chaincode response 500, The asset goasset1 already exists'));
    const unknown = steps.get('unknownChaincode');
    assert.equal(unknown?.code, 'FailedPrecondition');
    assert.equal(unknown?.message, 'no peers available to evaluate chaincode nosuchchaincode in channel mychannel');
  });

  test("chaincode events from the transfer's block, and block events", () => {
    const event = steps.get('events');
    assert.equal(event?.eventName, 'AssetTransferred', output);
    assert.equal(event?.transactionId, steps.get('transfer')?.transactionId);
    assert.equal(event?.blockNumber, steps.get('transfer')?.blockNumber);
    assert.deepEqual(JSON.parse(event?.payload as string), { id: 'goasset1', from: 'Tom', to: 'Mark' });
    const block = steps.get('blocks');
    assert.equal(block?.number, steps.get('transfer')?.blockNumber);
    assert.ok((block?.transactions as number) >= 1);
  });
});
