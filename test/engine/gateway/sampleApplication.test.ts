/**
 * examples/asset-transfer-client, a client application written as fabric-samples writes them,
 * run unchanged against the embedded peer with nothing but the two lines the CLI prints
 * (CRYPTO_PATH, PEER_ENDPOINT): it connects with TLS, signs as User1 from the crypto folder, and
 * runs the basic flow against examples/asset-transfer.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'path';
import { startChaincodeProcess } from '../../support/toolchains';
import { REPO_ROOT } from '../../support/nodeChaincode';
import { startGatewayPeer, type GatewayPeer } from '../../support/gatewayPeer';

const APP = path.join(REPO_ROOT, 'examples', 'asset-transfer-client');

describe('examples/asset-transfer-client against the embedded peer', { timeout: 120_000 }, () => {
  let peer: GatewayPeer;

  before(async () => {
    peer = await startGatewayPeer();
  });

  after(async () => {
    await peer?.stop();
  });

  test("runs the samples' flow to the end: commits, results, and the chaincode's error caught", async () => {
    const app = startChaincodeProcess({
      command: process.execPath,
      args: [path.join(APP, 'app.js')],
      env: { CRYPTO_PATH: peer.cryptoPath, PEER_ENDPOINT: `localhost:${peer.port}` },
      cwd: APP,
      label: 'asset-transfer-client',
    });
    const code = await app.exited;
    const out = app
      .lines()
      .filter((l) => l.startsWith('[out] '))
      .map((l) => l.slice(6))
      .join('\n');
    assert.equal(code, 0, app.output());
    assert.equal(out.match(/\*\*\* Transaction committed successfully/g)?.length, 3, out);
    assert.match(out, /\*\*\* Successfully submitted transaction to transfer ownership from Tom to Saptha/);
    assert.match(out, /\*\*\* Result: \{\s*ID: 'asset\d+',\s*Color: 'yellow',\s*Size: 5,\s*Owner: 'Saptha',\s*AppraisedValue: 1300\s*\}/);
    assert.match(out, /\*\*\* Successfully caught the error: \n EndorseError: 10 ABORTED: failed to endorse transaction, see attached details for more info/);
    assert.match(out, /message: 'chaincode response 500, The asset asset70 does not exist'/);
    // Everything it committed is in the ledger, its creator the application's user.
    const records = peer.engine.transactions.transactions({ limit: 50 }).filter((r) => r.validation === 'VALID' && r.creator.subject.includes('User1@org1.example.com'));
    assert.deepEqual(records.map((r) => r.fn).sort(), ['CreateAsset', 'InitLedger', 'TransferAsset']);
  });
});
