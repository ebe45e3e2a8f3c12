/**
 * Launch Chaincode in dev mode against the real engine: the example chaincode runs as a child
 * process, registers, the Chaincodes view reports it ready, an invoke commits, and the World State
 * and Transactions views show what it wrote.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { RunningChaincode } from '../../src/engine/launch/types';
import type { ExecuteResult } from '../../src/engine/transactions/types';
import { connectGateway } from '../support/gatewayClient';
import { browser, extensionApi, showSidebar, waitFor, workspaceFolder } from './support';

describe('dev mode: Launch Chaincode, views, Invoke Transaction', function () {
  this.timeout(120_000);
  const ccid = 'basic:1.0';

  after(async () => {
    await vscode.commands.executeCommand('chaincode.stopChaincode', ccid);
  });

  it('launches the example chaincode as a child process and the Chaincodes view shows it ready', async () => {
    const api = await extensionApi();
    await showSidebar();
    const running = await vscode.commands.executeCommand<RunningChaincode>('chaincode.launchChaincode', {
      folder: workspaceFolder().uri.fsPath,
      mode: 'dev',
      name: 'basic',
      version: '1.0',
    });
    assert.ok(running, 'launch returned the running chaincode');
    assert.strictEqual(running.status, 'ready');
    const rows = await api.views.chaincodes.snapshot();
    const row = rows.find((r) => r.label === ccid);
    assert.ok(row, `a row for ${ccid} in ${JSON.stringify(rows.map((r) => r.label))}`);
    assert.strictEqual(row.contextValue, 'readyChaincode');
    assert.strictEqual(row.icon?.id, 'pass-filled');
    assert.match(row.description ?? '', /^dev/);
    assert.ok(
      row.children?.some((c) => /Handler h\d+: ready/.test(c.label)),
      'handler child shows ready',
    );
    await waitFor(() => /1 ready/.test(api.statusBar.text), 5000, 'the status bar to count 1 ready');
    assert.match(api.statusBar.text, /127\.0\.0\.1:\d+/);
  });

  it('invokes CreateAsset and the result, World State and Transactions reflect it', async () => {
    const api = await extensionApi();
    const result = await vscode.commands.executeCommand<ExecuteResult>('chaincode.invokeTransaction', {
      chaincodeId: ccid,
      fn: 'CreateAsset',
      args: ['asset1', 'blue', '5', 'Tomoko', '300'],
      showResult: true,
    });
    assert.ok(result, 'invoke returned a result');
    assert.strictEqual(result.status, 200, result.message);
    assert.strictEqual(result.validation, 'VALID');
    assert.deepStrictEqual(JSON.parse(result.payload.toString()), { ID: 'asset1', Color: 'blue', Size: 5, Owner: 'Tomoko', AppraisedValue: 300 });
    const q = await vscode.commands.executeCommand<ExecuteResult>('chaincode.queryChaincode', { chaincodeId: ccid, fn: 'ReadAsset', args: ['asset1'] });
    assert.strictEqual(JSON.parse(q?.payload.toString() ?? '{}').Owner, 'Tomoko');

    const keys = await waitFor(
      async () => {
        const rows = await api.views.worldState.snapshot();
        return rows.some((r) => r.label === 'asset1') && rows;
      },
      5000,
      'asset1 in the World State view',
    );
    const key = keys.find((r) => r.label === 'asset1');
    assert.match(key?.description ?? '', /"Owner":"Tomoko"/);
    const txs = await api.views.transactions.snapshot();
    const created = txs.find((t) => t.label.startsWith('CreateAsset('));
    assert.ok(created, `CreateAsset in Transactions: ${JSON.stringify(txs.map((t) => t.label))}`);
    assert.strictEqual(created.contextValue, 'committedTransaction');
    assert.match(created.description ?? '', /^200 · \d+ ms · basic:1\.0/);
    assert.ok(
      txs.some((t) => t.label.startsWith('ReadAsset(') && t.contextValue === 'queryTransaction'),
      'the query is recorded too',
    );

    // open the key and the transaction as a person would (documents)
    const keyEditor = await vscode.commands.executeCommand<vscode.TextEditor>('chaincode.openStateKey', key);
    const keyDoc = JSON.parse(keyEditor?.document.getText() ?? '{}');
    assert.strictEqual(keyDoc.value.Owner, 'Tomoko');
    assert.strictEqual(keyDoc.history.length, 1);
    const txEditor = await vscode.commands.executeCommand<vscode.TextEditor>('chaincode.openTransaction', created);
    const txDoc = JSON.parse(txEditor?.document.getText() ?? '{}');
    assert.strictEqual(txDoc.function, 'CreateAsset');
    assert.strictEqual(txDoc.writes[0].key, 'asset1');
    assert.strictEqual(txDoc.event?.name, 'AssetCreated');
    await browser({ shot: 'host-01-dev-mode-views' });
  });

  it('a client application reaches the Fabric Gateway with what Copy Client Environment copied', async () => {
    const api = await extensionApi();
    const copied = await vscode.commands.executeCommand<string>('chaincode.copyClientEnvironment');
    assert.strictEqual(await vscode.env.clipboard.readText(), copied, 'the lines are on the clipboard');
    const env = Object.fromEntries((copied ?? '').split('\n').map((line) => line.split(/=(.*)/s).slice(0, 2)));
    assert.match(env.CRYPTO_PATH ?? '', /organizations[\\/]peerOrganizations[\\/]org1\.example\.com$/);
    const port = Number(/^localhost:(\d+)$/.exec(env.PEER_ENDPOINT ?? '')?.[1]);
    assert.ok(port > 0, `PEER_ENDPOINT is localhost:<port>: ${copied}`);
    assert.match(api.statusBar.text, new RegExp(`gateway localhost:${port}`), 'the status bar shows where the Gateway listens');
    // The real client, connected as fabric-samples' asset-transfer-basic application connects.
    const connection = connectGateway({ cryptoPath: env.CRYPTO_PATH, port });
    try {
      const contract = connection.gateway.getNetwork('mychannel').getContract('basic');
      const asset = JSON.parse(Buffer.from(await contract.evaluateTransaction('ReadAsset', 'asset1')).toString()) as { Owner: string };
      assert.strictEqual(asset.Owner, 'Tomoko', 'the Gateway reads the state the editor committed');
      await contract.submitTransaction('TransferAsset', 'asset1', 'Gateway client');
    } finally {
      connection.close();
    }
    const q = await vscode.commands.executeCommand<ExecuteResult>('chaincode.queryChaincode', { chaincodeId: ccid, fn: 'ReadAsset', args: ['asset1'] });
    assert.strictEqual(JSON.parse(q?.payload.toString() ?? '{}').Owner, 'Gateway client', 'the editor reads what the client committed');
  });

  it("the Blocks view shows the channel's chain, and a block opens as JSON with the transaction and who created it", async () => {
    const api = await extensionApi();
    const engine = await api.ctx.ensureEngine();
    const created = engine.transactions.transactions({ limit: 50 }).find((r) => r.fn === 'CreateAsset');
    assert.ok(created?.blockNum, 'CreateAsset was committed in a block');
    const channels = await waitFor(
      async () => {
        const rows = await api.views.blocks.snapshot();
        return rows.some((r) => r.label === 'mychannel' && (r.children?.length ?? 0) > created.blockNum!) && rows;
      },
      5000,
      'mychannel with its blocks in the Blocks view',
    );
    const row = channels.find((r) => r.label === 'mychannel')?.children?.find((b) => b.label === `Block ${created.blockNum}`);
    assert.ok(row, `a row for block ${created.blockNum}`);
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('chaincode.openBlock', row.target);
    const block = JSON.parse(editor.document.getText()) as {
      number: number;
      transactions: { tx_id: string; validation_code: string; creator: { mspid: string; subject: string } }[];
    };
    assert.strictEqual(block.number, created.blockNum);
    const tx = block.transactions.find((t) => t.tx_id === created.txId);
    assert.ok(tx, `the block holds ${created.txId}: ${editor.document.getText().slice(0, 400)}`);
    assert.strictEqual(tx.validation_code, 'VALID');
    assert.strictEqual(tx.creator.mspid, 'Org1MSP');
    assert.match(tx.creator.subject, /CN=User1@org1\.example\.com/);
  });

  it('writes the chaincode process output to its own output channel', async () => {
    const api = await extensionApi();
    const lines = api.ctx.logs.recentLines(ccid, 200);
    assert.ok(
      lines.some((l) => l.includes('fabric-shim') || l.includes('cli.js')),
      `the start line is logged: ${lines.slice(0, 5).join(' | ')}`,
    );
  });
});
