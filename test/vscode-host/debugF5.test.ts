/**
 * A real F5 with VS Code's built-in JavaScript debugger: the `chaincode` debug configuration on the
 * Node example, a breakpoint inside TransferAsset, an invoke that stops there, a pause longer than the
 * execute timeout, continue, and the transaction still succeeds. Then ending the session ends the
 * handler and the view shows it.
 */
import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import type { ExecuteResult } from '../../src/engine/transactions/types';
import { browser, continuePastTimeout, DebugStop, extensionApi, lineOf, showSidebar, waitFor, workspaceFolder } from './support';

describe('F5: the chaincode debug type on the Node example (js-debug)', function () {
  this.timeout(180_000);
  const ccid = 'dbg:1.0';
  const stops: DebugStop[] = [];
  let tracker: vscode.Disposable;

  before(() => {
    tracker = vscode.debug.registerDebugAdapterTrackerFactory('*', {
      createDebugAdapterTracker: (session) => ({
        onDidSendMessage: (m: { type?: string; event?: string; body?: { threadId?: number } }) => {
          if (m.type === 'event' && m.event === 'stopped') stops.push({ session, threadId: m.body?.threadId ?? 0 });
        },
      }),
    });
  });

  after(async () => {
    tracker.dispose();
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    if (vscode.debug.activeDebugSession) await vscode.debug.stopDebugging();
  });

  it('stops in TransferAsset, holds the execute timeout while paused, continues, and the transaction succeeds', async () => {
    const api = await extensionApi();
    const begin = Date.now();
    const mark = (what: string): void => console.log(`[f5] +${Date.now() - begin} ms ${what}`);
    await showSidebar();
    mark('sidebar');
    const folder = workspaceFolder();
    const file = path.join(folder.uri.fsPath, 'lib', 'assetTransfer.js');
    const line = lineOf(file, 'asset.Owner = newOwner;');
    await vscode.window.showTextDocument(vscode.Uri.file(file));
    vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(new vscode.Location(vscode.Uri.file(file), new vscode.Position(line - 1, 0)))]);

    mark('startDebugging');
    const started = await vscode.debug.startDebugging(folder, { type: 'chaincode', request: 'launch', name: 'Debug asset-transfer', chaincodeName: 'dbg', version: '1.0' });
    mark('assert.strictEqual(started, true,');
    assert.strictEqual(started, true, 'startDebugging resolved the chaincode configuration');
    const ready = await waitFor(
      async () => (await api.views.chaincodes.snapshot()).find((r) => r.label === ccid && r.contextValue === 'readyChaincode'),
      30_000,
      `${ccid} ready in the Chaincodes view`,
    );
    assert.match(ready.description ?? '', /debugging/);

    mark('const created = await');
    const created = await vscode.commands.executeCommand<ExecuteResult>('chaincode.invokeTransaction', {
      chaincodeId: ccid,
      fn: 'CreateAsset',
      args: ['asset9', 'red', '3', 'Tomoko', '100'],
    });
    assert.strictEqual(created?.status, 200, created?.message);

    const timeoutMs = api.ctx.config.engine.executeTimeoutMs;
    const t0 = Date.now();
    const transfer = vscode.commands.executeCommand<ExecuteResult>('chaincode.invokeTransaction', { chaincodeId: ccid, fn: 'TransferAsset', args: ['asset9', 'Max'] });
    mark('const stop = await waitFor');
    const stop = await waitFor(() => stops[0], 30_000, 'the debugger to stop at the breakpoint');
    const frames = (await stop.session.customRequest('stackTrace', { threadId: stop.threadId, levels: 1 })) as { stackFrames: { line: number; source?: { path?: string } }[] };
    assert.strictEqual(frames.stackFrames[0].line, line, 'stopped on the breakpoint line');
    // in code-server the path may come back as a vscode-remote URI: compare its file path
    const source = frames.stackFrames[0].source?.path ?? '';
    assert.ok(source.endsWith(file), `stopped in ${source}`);
    await waitFor(
      async () => (await api.views.chaincodes.snapshot()).find((r) => r.label === ccid && /paused in debugger/.test(r.description ?? '')),
      5000,
      'the view to show the chaincode paused',
    );
    mark("await browser({ shot: 'host-02");
    await browser({ shot: 'host-02-f5-paused-at-breakpoint', settleMs: 1200 });

    mark('continuePastTimeout');
    const result = await continuePastTimeout(stop, transfer, t0, timeoutMs);
    assert.strictEqual(result.payload.toString(), 'Tomoko');
    mark("await browser({ shot: 'host-03");
    await browser({ shot: 'host-03-f5-after-continue' });

    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    mark('await vscode.debug.stopDebugging();');
    await vscode.debug.stopDebugging();
    await waitFor(
      async () => !(await api.views.chaincodes.snapshot()).some((r) => r.label === ccid && r.contextValue === 'readyChaincode'),
      15_000,
      'the handler to end after the debug session',
    );
    mark('done');
  });
});
