/**
 * F5 on a chaincode that already runs in dev mode (started by Launch Chaincode as a process): the
 * running process hands over to the debuggee. It is stopped and its handler ends before the debuggee
 * starts, so the debuggee registers (no "duplicate chaincode id"), and transactions run under the
 * debugger.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { RunningChaincode } from '../../src/engine/launch/types';
import type { ExecuteResult } from '../../src/engine/transactions/types';
import { extensionApi, showSidebar, waitFor, workspaceFolder } from './support';
import { isAlive } from '../../src/engine/util/processes';

describe('F5 on a chaincode running in dev mode: hand over to the debugger', function () {
  this.timeout(120_000);
  const ccid = 'handover:1.0';

  after(async () => {
    if (vscode.debug.activeDebugSession) await vscode.debug.stopDebugging();
    await vscode.commands.executeCommand('chaincode.stopChaincode', ccid);
  });

  it('stops the running process, the debuggee registers in its place, and a transaction runs', async () => {
    const api = await extensionApi();
    await showSidebar();
    const folder = workspaceFolder();
    const launched = await vscode.commands.executeCommand<RunningChaincode>('chaincode.launchChaincode', {
      folder: folder.uri.fsPath,
      mode: 'dev',
      name: 'handover',
      version: '1.0',
    });
    assert.strictEqual(launched?.status, 'ready');
    const pid = launched.process?.pid;
    assert.ok(pid && isAlive(pid), 'Launch Chaincode runs it as a process');
    const engine = api.ctx.engine.current;
    assert.ok(engine);
    const refused: string[] = [];
    const sub = engine.peer.onDiagnostic((d) => {
      if (/refused/.test(d.message)) refused.push(d.message);
    });
    try {
      const started = await vscode.debug.startDebugging(folder, { type: 'chaincode', request: 'launch', name: 'Debug handover', chaincodeName: 'handover', version: '1.0' });
      assert.strictEqual(started, true);
      assert.strictEqual(isAlive(pid), false, 'the process Launch started is gone before the debuggee starts');
      const row = await waitFor(
        async () => (await api.views.chaincodes.snapshot()).find((r) => r.label === ccid && r.contextValue === 'readyChaincode' && /debugging/.test(r.description ?? '')),
        30_000,
        `${ccid} ready under the debugger`,
      );
      assert.ok(row);
      assert.deepStrictEqual(refused, [], 'no REGISTER was refused');
      const running = engine.launcher.running().find((r) => r.ccid === ccid);
      assert.strictEqual(running?.process, undefined, 'the debugger runs it now, not the launcher');
      const result = await vscode.commands.executeCommand<ExecuteResult>('chaincode.invokeTransaction', {
        chaincodeId: ccid,
        fn: 'CreateAsset',
        args: ['handover1', 'green', '1', 'Ann', '10'],
      });
      assert.strictEqual(result?.status, 200, result?.message);
    } finally {
      sub.dispose();
    }
  });

  it('a debugger restart: a transaction sent meanwhile waits for the chaincode to register again (Fabric 2.x), then runs', async () => {
    const api = await extensionApi();
    const engine = api.ctx.engine.current;
    assert.ok(engine);
    const before = engine.peer.registry.handler(ccid);
    assert.ok(before, 'the debuggee is registered');
    const statuses: string[] = [];
    const sub = engine.launcher.onDidChangeChaincode((c) => {
      if (c.ccid === ccid) statuses.push(c.status);
    });
    try {
      await vscode.commands.executeCommand('workbench.action.debug.restart');
      await waitFor(() => before.state === 'ended', 15_000, 'the old debuggee to leave');
      const result = await vscode.commands.executeCommand<ExecuteResult>('chaincode.invokeTransaction', { chaincodeId: ccid, fn: 'ReadAsset', args: ['handover1'] });
      assert.strictEqual(result?.status, 200, `${result?.message}; statuses ${statuses.join(' → ')}`);
      assert.strictEqual(JSON.parse(result.payload.toString()).Owner, 'Ann');
      assert.notStrictEqual(engine.peer.registry.handler(ccid), before, 'a new debuggee');
      assert.ok(statuses.includes('waiting for registration'), `the Chaincodes view said so meanwhile: ${statuses.join(' → ')}`);
    } finally {
      sub.dispose();
    }
    await vscode.debug.stopDebugging();
    await waitFor(
      async () => !(await api.views.chaincodes.snapshot()).some((r) => r.label === ccid && r.contextValue === 'readyChaincode'),
      15_000,
      'the chaincode to stop with the session',
    );
  });
});
