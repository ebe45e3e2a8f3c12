/**
 * A real F5 on Go chaincode with no Go extension: the `chaincode` debug configuration on the Go v2
 * fixture (the real fabric-chaincode-go/v2 shim), served by the extension's own adapter, `dlv dap`
 * (Delve, from `.ci/fixtures.sh delve`). A breakpoint in Invoke, an invoke that stops there with its
 * locals readable, a pause longer than the execute timeout, continue, and the transaction still
 * succeeds. Ending the session ends the handler, and Delve removes its debug build. Prints how long
 * F5 took to the chaincode's registration and to the first stop (figures, not assertions).
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { ExecuteResult } from '../../src/engine/transactions/types';
import { locateDelve, locateGo } from '../../src/vscode/debug/delve/discovery';
import { debugBinaryPath } from '../../src/vscode/debug/goDebug';
import { continuePastTimeout, DebugStop, EXTENSION_ID, extensionApi, lineOf, showSidebar, waitFor, workspaceFolder } from './support';

interface Variable {
  readonly name: string;
  readonly value: string;
}

const repo = (): string => vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;

/** Why this machine cannot run the test (no Delve, no Go), or undefined. */
function missingTool(): string | undefined {
  if (!locateGo(process.env)) return 'no Go toolchain (on PATH, in GOROOT/bin or /usr/local/go/bin)';
  try {
    locateDelve({ env: process.env, extensionPath: repo() });
  } catch (err) {
    return `${(err as Error).message} (.ci/fixtures.sh delve installs it)`;
  }
  return undefined;
}

describe('F5: the chaincode debug type on Go chaincode (Delve, no Go extension)', function () {
  this.timeout(300_000);
  const ccid = 'godbg:1.0';
  const stops: DebugStop[] = [];
  const sessionTypes: string[] = [];
  /** When Delve answered the launch request: it has built the chaincode and started it. */
  let launchedAt = 0;
  let tracker: vscode.Disposable;

  before(function () {
    const missing = missingTool();
    if (missing && process.env.CI !== 'true') {
      console.log(`[f5-go] SKIPPED: ${missing}`);
      this.skip();
    }
    assert.strictEqual(missing, undefined, `[CI=true: .ci/fixtures.sh must install Delve] ${missing}`);
    console.log(`[f5-go] Delve ${locateDelve({ env: process.env, extensionPath: repo() }).path}, Go ${locateGo(process.env)}`);
    assert.strictEqual(vscode.extensions.getExtension('golang.go'), undefined, 'the Go extension is not installed: this is our own adapter');
    tracker = vscode.debug.registerDebugAdapterTrackerFactory('*', {
      createDebugAdapterTracker: (session) => ({
        onDidSendMessage: (m: { type?: string; event?: string; command?: string; body?: { threadId?: number } }) => {
          if (m.type === 'response' && m.command === 'launch' && session.type === 'chaincode') launchedAt = Date.now();
          if (m.type === 'event' && m.event === 'stopped') {
            stops.push({ session, threadId: m.body?.threadId ?? 0 });
            sessionTypes.push(session.type);
          }
        },
      }),
    });
  });

  after(async () => {
    tracker?.dispose();
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    if (vscode.debug.activeDebugSession) await vscode.debug.stopDebugging();
    // The next tests' F5 picks the active editor's chaincode: leave none from outside the workspace.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('stops in Invoke, holds the execute timeout while paused, continues, and the transaction succeeds', async () => {
    const api = await extensionApi();
    await showSidebar();
    const dir = path.join(repo(), 'test', 'fixtures', 'go', 'v2');
    const file = path.join(dir, 'main.go');
    const line = lineOf(file, 'return f.dispatch(stub, "", fn, args)');
    await vscode.window.showTextDocument(vscode.Uri.file(file));
    vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(new vscode.Location(vscode.Uri.file(file), new vscode.Position(line - 1, 0)))]);

    const f5 = Date.now();
    const started = await vscode.debug.startDebugging(workspaceFolder(), {
      type: 'chaincode',
      request: 'launch',
      name: 'Debug Go chaincode',
      folder: dir,
      chaincodeName: 'godbg',
      version: '1.0',
    });
    assert.strictEqual(started, true, 'startDebugging resolved the Go configuration and started Delve');
    const session = vscode.debug.activeDebugSession;
    assert.strictEqual(session?.type, 'chaincode', 'the session runs on our own adapter');
    const ready = await waitFor(
      async () => (await api.views.chaincodes.snapshot()).find((r) => r.label === ccid && r.contextValue?.split(' ')[0] === 'readyChaincode'),
      240_000,
      `${ccid} ready in the Chaincodes view (Delve builds the chaincode first)`,
    );
    const readyMs = Date.now() - f5;
    assert.match(ready.description ?? '', /debugging/);
    // Delve's debug build is outside the chaincode folder while it runs.
    assert.ok(fs.existsSync(debugBinaryPath(ccid)), `Delve built ${debugBinaryPath(ccid)}`);
    assert.deepStrictEqual(
      fs.readdirSync(dir).filter((f) => f.startsWith('__debug_bin')),
      [],
      'no debug build in the chaincode folder',
    );

    const timeoutMs = api.ctx.config.engine.executeTimeoutMs;
    const t0 = Date.now();
    const put = vscode.commands.executeCommand<ExecuteResult>('chaincode.invokeTransaction', { chaincodeId: ccid, fn: 'put', args: ['color', 'blue'] });
    const stop = await waitFor(() => stops[0], 30_000, 'Delve to stop at the breakpoint in Invoke');
    const firstStopMs = Date.now() - f5;
    console.log(
      `[f5-go] F5 → Delve built and started the chaincode ${launchedAt - f5} ms; → registered ${readyMs} ms; → first stop (after an invoke) ${firstStopMs} ms; invoke → stop ${Date.now() - t0} ms`,
    );
    assert.deepStrictEqual(sessionTypes, ['chaincode']);

    const frames = (await stop.session.customRequest('stackTrace', { threadId: stop.threadId, levels: 1 })) as {
      stackFrames: { id: number; name: string; line: number; source?: { path?: string } }[];
    };
    const top = frames.stackFrames[0];
    assert.strictEqual(top.line, line, `stopped on the breakpoint line (in ${top.name})`);
    assert.ok((top.source?.path ?? '').endsWith(path.join('go', 'v2', 'main.go')), `stopped in ${top.source?.path}`);
    assert.match(top.name, /Invoke$/);
    // Delve reads the goroutine's locals: the function the peer asked for.
    const scopes = (await stop.session.customRequest('scopes', { frameId: top.id })) as { scopes: { name: string; variablesReference: number }[] };
    const locals = scopes.scopes.find((s) => s.name === 'Locals') ?? scopes.scopes[0];
    const vars = (await stop.session.customRequest('variables', { variablesReference: locals.variablesReference })) as { variables: Variable[] };
    assert.strictEqual(vars.variables.find((v) => v.name === 'fn')?.value, '"put"', JSON.stringify(vars.variables));
    await waitFor(
      async () => (await api.views.chaincodes.snapshot()).find((r) => r.label === ccid && /paused in debugger/.test(r.description ?? '')),
      5000,
      'the view to show the chaincode paused',
    );
    assert.ok(api.ctx.debugSessions.isPaused(ccid), 'the pause tracker saw Delve stop');

    const result = await continuePastTimeout(stop, put, t0, timeoutMs);
    assert.strictEqual(result.payload.toString(), 'put color');
    assert.ok(!api.ctx.debugSessions.isPaused(ccid), 'running again after continue');

    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    await vscode.debug.stopDebugging();
    await waitFor(
      async () => !(await api.views.chaincodes.snapshot()).some((r) => r.label === ccid && r.contextValue?.split(' ')[0] === 'readyChaincode'),
      15_000,
      'the handler to end after the debug session',
    );
    await waitFor(() => !fs.existsSync(debugBinaryPath(ccid)), 10_000, 'Delve to remove its debug build');
  });
});
