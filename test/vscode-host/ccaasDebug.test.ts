/**
 * "Debug on a Fabric network (chaincode as a service)" on the Node example in a real VS Code: the
 * CCaaS configuration runs the chaincode under js-debug as a chaincode server under the package ID
 * Package for Fabric printed; the embedded peer, standing in for a network's peer with the ccaas
 * builder, dials it (Launch Chaincode → external); a transaction stops on a breakpoint, stays paused
 * longer than the execute timeout (the dialling peer is the embedded one, so its timeout is held),
 * continues and succeeds. The Chaincodes view shows it serving, then the peer's connection.
 */
import * as assert from 'assert';
import * as net from 'net';
import * as path from 'path';
import * as vscode from 'vscode';
import type { RunningChaincode } from '../../src/engine/launch/types';
import { createLifecyclePackage } from '../../src/engine/platforms/lifecyclePackage';
import type { ExecuteResult } from '../../src/engine/transactions/types';
import type { ViewNode } from '../../src/vscode/tree/viewNode';
import { browser, extensionApi, lineOf, showSidebar, sleep, waitFor, workspaceFolder } from './support';
import { stubWindow } from './windowStub';

interface Stop {
  readonly session: vscode.DebugSession;
  readonly threadId: number;
}

async function freeAddress(): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return `127.0.0.1:${port}`;
}

describe('F5 on a Fabric network: the CCaaS configuration on the Node example, dialled by the embedded peer', function () {
  this.timeout(180_000);
  const stops: Stop[] = [];
  let tracker: vscode.Disposable;
  let packageId = '';

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
    if (packageId) await vscode.commands.executeCommand('chaincode.stopChaincode', packageId).then(undefined, () => undefined);
  });

  it('serves under the package ID, the peer dials it, a breakpoint holds the transaction past the execute timeout, and it succeeds', async () => {
    const api = await extensionApi();
    const row = async (): Promise<ViewNode | undefined> => (await api.views.chaincodes.snapshot()).find((r) => r.id === `chaincode:${packageId}`);
    await showSidebar();
    const folder = workspaceFolder();
    const address = await freeAddress();
    // What Package for Fabric (chaincode as a service) makes for this address, and the ID a peer would install it under.
    packageId = (await createLifecyclePackage({ type: 'ccaas', folder: folder.uri.fsPath, label: 'asset-transfer-ccaas', connection: { address } })).packageId;
    assert.match(packageId, /^asset-transfer-ccaas:[0-9a-f]{64}$/);

    const file = path.join(folder.uri.fsPath, 'lib', 'assetTransfer.js');
    const line = lineOf(file, 'asset.Owner = newOwner;');
    await vscode.window.showTextDocument(vscode.Uri.file(file));
    vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(new vscode.Location(vscode.Uri.file(file), new vscode.Position(line - 1, 0)))]);

    const peerBefore = api.ctx.engine.current;
    const started = await vscode.debug.startDebugging(folder, {
      type: 'chaincode',
      request: 'launch',
      name: 'Debug on a Fabric network (chaincode as a service)',
      mode: 'ccaas',
      address,
      packageId,
    });
    assert.strictEqual(started, true, 'the CCaaS configuration resolved');
    const serving = await waitFor(
      async () => ((await row())?.contextValue?.split(' ')[0] === 'servingChaincode' ? row() : undefined),
      30_000,
      `${packageId} serving in the Chaincodes view`,
    );
    assert.match(serving?.description ?? '', /^ccaas · node · serving · debugging · 0 peer connections$/);
    assert.ok(
      serving?.children?.some((c) => c.label === `Serving on ${address}` && c.description === 'plaintext'),
      JSON.stringify(serving?.children),
    );
    if (!peerBefore) assert.strictEqual(api.ctx.engine.current, undefined, 'serving started no embedded peer');
    await showSidebar(); // the debugger opened Run and Debug: the shot shows the Chaincodes view
    await browser({ shot: 'host-ccaas-01-serving', settleMs: 800 });

    // The embedded peer as a network's peer with the ccaas builder: Launch Chaincode → external, the
    // address and the package ID asked (answered here as a person would), and it dials.
    const stub = stubWindow({
      pick: (labels) => labels.find((l) => l.startsWith('External')),
      input: (o) => (/address/.test(o.title ?? '') ? address : /package ID/.test(o.title ?? '') ? packageId : undefined),
    });
    let launched: RunningChaincode | undefined;
    try {
      launched = await vscode.commands.executeCommand<RunningChaincode>('chaincode.launchChaincode', { folder: folder.uri.fsPath });
    } finally {
      stub.restore();
    }
    assert.deepStrictEqual(stub.picks[0]?.labels, ['Dev mode', 'Net mode', 'External (chaincode as a service)']);
    const [addressBox, idBox] = stub.inputs;
    assert.strictEqual(addressBox?.validateInput?.('localhost'), 'HOST:PORT where the chaincode server listens.');
    assert.strictEqual(addressBox?.validateInput?.(address), undefined);
    assert.strictEqual(idBox?.value, 'asset-transfer:1.0.0', 'the id defaults to name:version');
    assert.strictEqual(launched?.status, 'ready');
    assert.strictEqual(launched.ccid, packageId);
    const dialled = await waitFor(
      async () => {
        const r = await row();
        return r?.contextValue?.split(' ')[0] === 'readyChaincode' && r.children?.filter((c) => /^Peer connection from 127\.0\.0\.1:\d+$/.test(c.label)).length === 2
          ? r
          : undefined;
      },
      10_000,
      "both orgs' peer connections in the view",
    );
    assert.match(dialled.description ?? '', /debugging · 2 peer connections$/);

    const created = await vscode.commands.executeCommand<ExecuteResult>('chaincode.invokeTransaction', {
      chaincodeId: packageId,
      fn: 'CreateAsset',
      args: ['ccaas9', 'red', '3', 'Tomoko', '100'],
    });
    assert.strictEqual(created?.status, 200, created?.message);

    const timeoutMs = api.ctx.config.engine.executeTimeoutMs;
    const t0 = Date.now();
    const transfer = vscode.commands.executeCommand<ExecuteResult>('chaincode.invokeTransaction', { chaincodeId: packageId, fn: 'TransferAsset', args: ['ccaas9', 'Max'] });
    const stop = await waitFor(() => stops[0], 30_000, 'the debugger to stop at the breakpoint');
    const frames = (await stop.session.customRequest('stackTrace', { threadId: stop.threadId, levels: 1 })) as { stackFrames: { line: number; source?: { path?: string } }[] };
    assert.strictEqual(frames.stackFrames[0].line, line, 'stopped on the breakpoint line');
    assert.ok((frames.stackFrames[0].source?.path ?? '').endsWith(file));
    await waitFor(async () => /paused in debugger/.test((await row())?.description ?? ''), 5000, 'the view to show the chaincode paused');
    await showSidebar();
    await browser({ shot: 'host-ccaas-02-paused', settleMs: 800 });

    await sleep(Math.max(0, timeoutMs + 1500 - (Date.now() - t0)));
    await stop.session.customRequest('continue', { threadId: stop.threadId });
    // Both orgs' peers endorse (the default MAJORITY of two) and both dial this one server: the
    // breakpoint holds each org's simulation in turn, as it would with two peers of a real network.
    let settled: ExecuteResult | undefined;
    void transfer.then((r) => (settled = r));
    const seen = new Set([stop]);
    while (!settled) {
      const next = stops.find((s) => !seen.has(s));
      if (next) {
        seen.add(next);
        await next.session.customRequest('continue', { threadId: next.threadId });
      }
      await sleep(100);
    }
    assert.strictEqual(seen.size, 2, 'one stop per endorsing org');
    const result = await transfer;
    assert.strictEqual(result?.status, 200, `the transaction succeeded after the pause: ${result?.message}`);
    assert.strictEqual(result.payload.toString(), 'Tomoko');
    assert.ok(result.durationMs > timeoutMs, `it took ${result.durationMs} ms, longer than the ${timeoutMs} ms timeout`);
    // The chaincode's output channel: its debuggee output and the peer's connection.
    assert.ok(
      api.ctx.logs.recentLines(packageId, 200).some((l) => /\[serve\] a peer connected from 127\.0\.0\.1:\d+/.test(l)),
      api.ctx.logs.recentLines(packageId).join('\n'),
    );

    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    await vscode.debug.stopDebugging();
    await waitFor(
      async () => {
        const r = await row();
        return r === undefined || r.contextValue?.split(' ')[0] === 'stoppedChaincode';
      },
      15_000,
      "the served chaincode and the peer's launch to end with the session",
    );
    assert.strictEqual(api.ctx.served.list().length, 0);
  });
});
