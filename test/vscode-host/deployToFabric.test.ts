/**
 * Deploy to Fabric… in the real editor, against its embedded peer: the workspace's chaincode
 * packaged in memory, installed, approved by both orgs' admins and committed through the peer's
 * Gateway; the committed definition is what the engine then has. Arguments skip the prompts and the
 * confirmation; the Gateway is moved to a free port first (tests never take 7051).
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { DeployedToFabric } from '../../src/vscode/commands/deployToFabric';
import { parsePolicy } from '../../src/engine/policy';
import { extensionApi, workspaceFolder } from './support';

describe('Deploy to Fabric', function () {
  this.timeout(180_000);
  const settings = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('chaincode');

  before(async () => {
    await settings().update('gateway.port', 0, vscode.ConfigurationTarget.Global);
    // The Gateway's port is read when the peer starts.
    await vscode.commands.executeCommand('chaincode.stopPeer');
  });

  after(async () => {
    await settings().update('gateway.port', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('chaincode.stopPeer');
  });

  it('installs, approves for both orgs and commits the next sequence; the engine has the definition', async () => {
    const api = await extensionApi();
    const source = workspaceFolder().uri.fsPath;
    const first = await vscode.commands.executeCommand<DeployedToFabric>('chaincode.deployToFabric', {
      source,
      name: 'mini',
      version: '1.0',
      endorsementPolicy: '',
      sequence: 1,
      confirm: false,
    });
    assert.ok(first, 'Deploy returned its result (an error would have been shown instead)');
    assert.match(first.packageId, /:[0-9a-f]{64}$/);
    assert.deepStrictEqual([first.name, first.sequence, first.version], ['mini', 1, '1.0']);
    const second = await vscode.commands.executeCommand<DeployedToFabric>('chaincode.deployToFabric', {
      source,
      name: 'mini',
      version: '1.1',
      sequence: 2,
      endorsementPolicy: "AND('Org1MSP.peer','Org2MSP.peer')",
      confirm: false,
    });
    assert.deepStrictEqual([second?.sequence, second?.version], [2, '1.1']);
    const engine = api.ctx.engine.current;
    assert.ok(engine, 'the peer is running');
    const def = engine.transactions.definitions.get(engine.peer.channel, 'mini');
    assert.deepStrictEqual([def?.sequence, def?.version], [2, '1.1']);
    assert.deepStrictEqual(def?.endorsementPolicy, parsePolicy("AND('Org1MSP.peer','Org2MSP.peer')"), 'the committed signature policy');
  });
});
