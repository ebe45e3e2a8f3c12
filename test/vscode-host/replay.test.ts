/**
 * Replay on Current Code in the real editor: a query recorded before a transfer, replayed after it,
 * answers with the owner it read then, and VS Code's diff editor opens with the recorded transaction
 * document beside the replayed one. Export as Test… writes the recorded sequence as a mocha test.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { ReplayResult } from '../../src/engine/replay/replay';
import type { RunningChaincode } from '../../src/engine/launch/types';
import type { ExecuteResult } from '../../src/engine/transactions/types';
import { browser, extensionApi, showSidebar, waitFor, workspaceFolder } from './support';

describe('Replay on Current Code and Export as Test', function () {
  this.timeout(120_000);
  const ccid = 'replaycc:1.0';
  let read: ExecuteResult | undefined;

  after(async () => {
    await vscode.commands.executeCommand('chaincode.stopChaincode', ccid);
  });

  it('replays a query recorded before a transfer with the value it read, in a diff editor', async () => {
    const api = await extensionApi();
    await showSidebar();
    const running = await vscode.commands.executeCommand<RunningChaincode>('chaincode.launchChaincode', {
      folder: workspaceFolder().uri.fsPath,
      mode: 'dev',
      name: 'replaycc',
      version: '1.0',
    });
    assert.strictEqual(running?.status, 'ready');
    const tx = (fn: string, args: string[], command = 'chaincode.invokeTransaction') => vscode.commands.executeCommand<ExecuteResult>(command, { chaincodeId: ccid, fn, args });
    assert.strictEqual((await tx('CreateAsset', ['replay1', 'blue', '5', 'Tomoko', '300']))?.status, 200);
    read = await tx('ReadAsset', ['replay1'], 'chaincode.queryChaincode');
    assert.strictEqual(JSON.parse(read?.payload.toString() ?? '{}').Owner, 'Tomoko');
    assert.strictEqual((await tx('TransferAsset', ['replay1', 'Max']))?.status, 200);

    // As a person would: the ReadAsset row of the Transactions view.
    const row = await waitFor(async () => (await api.views.transactions.snapshot()).find((r) => r.id === `tx:${read!.txId}`), 5000, 'the ReadAsset row');
    const result = await vscode.commands.executeCommand<ReplayResult>('chaincode.replayTransaction', row);
    assert.ok(result, 'the replay returned its result');
    assert.strictEqual(JSON.parse(result.replayed.payload.toString()).Owner, 'Tomoko', 'the owner it read then, not Max');
    assert.deepStrictEqual(result.differences, []);

    const tab = await waitFor(
      () => {
        const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
        return input instanceof vscode.TabInputTextDiff && input.modified.scheme === 'chaincode-replay' && input;
      },
      5000,
      'a diff editor with the replayed document',
    );
    assert.strictEqual(tab.original.scheme, 'chaincode');
    const [original, replayed] = await Promise.all([vscode.workspace.openTextDocument(tab.original), vscode.workspace.openTextDocument(tab.modified)]);
    assert.strictEqual(JSON.parse(original.getText()).txId, read?.txId);
    const replayedDoc = JSON.parse(replayed.getText());
    assert.strictEqual(replayedDoc.txId, read?.txId);
    assert.strictEqual(replayedDoc.result.Owner, 'Tomoko');
    assert.strictEqual(replayed.languageId, 'json');
    await browser({ shot: 'host-replay-diff' });
  });

  it('exports the recorded transactions as a mocha test in the chaincode folder', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'replay-export-')), 'recorded.test.js');
    try {
      const written = await vscode.commands.executeCommand<string>('chaincode.exportAsTest', { chaincode: 'replaycc', folder: workspaceFolder().uri.fsPath, file, scope: 'all' });
      assert.strictEqual(written, file);
      const text = fs.readFileSync(file, 'utf8');
      assert.match(text, /"ReadAsset","replay1"/);
      assert.match(text, /"TransferAsset","replay1","Max"/);
      assert.match(text, /describe\(/);
      assert.strictEqual(vscode.window.activeTextEditor?.document.uri.fsPath, file, 'the test is opened');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
  });
});
