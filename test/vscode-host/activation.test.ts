import * as assert from 'assert';
import * as vscode from 'vscode';
import { extensionApi } from './support';

describe('activation', () => {
  it('activates, registers the Chaincode commands, shows the peer in the status bar', async () => {
    const api = await extensionApi();
    assert.strictEqual(typeof api.version, 'string');
    const commands = await vscode.commands.getCommands(true);
    for (const id of [
      'chaincode.launchChaincode',
      'chaincode.stopChaincode',
      'chaincode.restartChaincode',
      'chaincode.invokeTransaction',
      'chaincode.queryChaincode',
      'chaincode.showLogs',
      'chaincode.startPeer',
      'chaincode.stopPeer',
      'chaincode.packageChaincode',
    ]) {
      assert.ok(commands.includes(id), `${id} registered`);
    }
    assert.match(api.statusBar.text, /Peer stopped|ready/);
  });
});
