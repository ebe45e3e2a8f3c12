/**
 * Settings applied to the running peer, as a person changes them in the Settings editor: a new Docker
 * endpoint is the one the next launch and the Containers view use, with no restart and no prompt;
 * a restart-only setting (the MSP id) asks for a restart; an error about a setting offers Open
 * Settings on that setting (the Docker endpoint of a failed launch; the peer's port when another
 * process holds it, which the peer first waits out for a few seconds).
 */
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as net from 'net';
import * as vscode from 'vscode';
import { dockerSkip, ensureBaseImages } from '../support/docker';
import { extensionApi, sleep, waitFor, workspaceFolder } from './support';
import { stubWindow, WindowStub } from './windowStub';

const CLOSED_ENDPOINT = 'tcp://127.0.0.1:1';
const settings = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('chaincode');

function docker(...args: string[]): string {
  return execFileSync('docker', args, { encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

describe('settings apply to the running peer', function () {
  this.timeout(120_000);
  let stub: WindowStub | undefined;
  let dummy = '';
  const KEYS = ['docker.endpoint', 'mspId', 'peer.port'];
  /** The user settings as the run had them (the e2e driver sets chaincode.peer.port to 0). */
  let original: Record<string, unknown> = {};
  const restore = (key: string): Thenable<void> => settings().update(key, original[key], vscode.ConfigurationTarget.Global);

  before(() => {
    original = Object.fromEntries(KEYS.map((k) => [k, settings().inspect(k)?.globalValue]));
  });

  afterEach(async () => {
    stub?.restore();
    stub = undefined;
  });

  after(async () => {
    for (const key of KEYS) await restore(key);
    if (dummy) docker('rm', '-f', dummy);
    const api = await extensionApi();
    if (!api.ctx.engine.current) await vscode.commands.executeCommand('chaincode.startPeer');
  });

  it('a new Docker endpoint: the next net launch uses it (no restart, no prompt), and so does the Containers view', async () => {
    const api = await extensionApi();
    const engine = await api.ctx.ensureEngine();
    const address = engine.peer.address;
    const withDocker = !dockerSkip();
    if (withDocker) {
      // A container of ours (by label) on the real daemon: the view lists it while it uses that daemon.
      const images = await ensureBaseImages(['node']);
      dummy = docker('create', '--label', 'org.chaincode-launcher.managed=true', '--label', 'org.chaincode-launcher.ccid=settings-dummy:1.0', images.node, 'true');
      await vscode.commands.executeCommand('chaincode.refreshContainers');
      await waitFor(async () => (await api.views.containers.snapshot()).some((r) => r.label === 'settings-dummy:1.0'), 10_000, 'the dummy container listed');
    }

    stub = stubWindow({ error: (e) => (e.items.includes('Open Settings') && e.message.includes('Docker is not reachable') ? 'Open Settings' : undefined) });
    await settings().update('docker.endpoint', CLOSED_ENDPOINT, vscode.ConfigurationTarget.Global);
    await waitFor(() => api.ctx.engine.current?.config.dockerEndpoint === CLOSED_ENDPOINT, 5000, 'the running engine to take the endpoint');
    assert.strictEqual(api.ctx.engine.current, engine, 'the same engine');
    assert.strictEqual(engine.peer.address, address, 'the peer was not restarted');
    await sleep(300);
    assert.deepStrictEqual(
      stub.infos.map((i) => i.message),
      [],
      'no restart prompt',
    );

    // The Containers view follows: the old daemon's container is gone from it, Docker is unreachable there.
    await vscode.commands.executeCommand('chaincode.refreshContainers');
    await waitFor(async () => !(await api.views.containers.snapshot()).some((r) => r.label === 'settings-dummy:1.0'), 10_000, "the view to drop the old daemon's containers");
    assert.deepStrictEqual(await api.views.docker.list(), []);

    // The next launch goes to the new endpoint, and its error opens that setting.
    const running = await vscode.commands.executeCommand('chaincode.launchChaincode', { folder: workspaceFolder().uri.fsPath, mode: 'net', name: 'wrongendpoint', version: '1.0' });
    assert.strictEqual(running, undefined, 'the launch failed');
    assert.ok(
      stub.errors.some((e) => e.message.includes(`Docker is not reachable at ${CLOSED_ENDPOINT}`)),
      `the error names the new endpoint: ${JSON.stringify(stub.errors)}`,
    );
    await waitFor(() => stub?.openedSettings.length, 5000, 'Open Settings');
    assert.deepStrictEqual([...new Set(stub.openedSettings)], ['chaincode.docker.endpoint']);

    await restore('docker.endpoint');
    await waitFor(() => api.ctx.engine.current?.config.dockerEndpoint !== CLOSED_ENDPOINT, 5000, 'the default endpoint back');
    if (withDocker) {
      await vscode.commands.executeCommand('chaincode.refreshContainers');
      await waitFor(async () => (await api.views.containers.snapshot()).some((r) => r.label === 'settings-dummy:1.0'), 10_000, 'the dummy container listed again');
    }
  });

  it('a restart-only setting (the MSP id) asks for a restart, naming it; the running peer keeps its value', async () => {
    const api = await extensionApi();
    const engine = await api.ctx.ensureEngine();
    stub = stubWindow();
    await settings().update('mspId', 'Org2MSP', vscode.ConfigurationTarget.Global);
    await waitFor(() => stub?.infos.length, 5000, 'the restart prompt');
    assert.deepStrictEqual(stub.infos, [{ message: 'The running peer applies chaincode.mspId when it restarts (running chaincodes stop).', items: ['Restart Peer'] }]);
    assert.strictEqual(engine.config.mspId, 'Org1MSP');
    await restore('mspId');
    await sleep(300);
    assert.strictEqual(stub.infos.length, 1, 'back to the running value: nothing to restart for');
  });

  it("the peer's port held by another listener: Start Peer waits, then says who holds it and offers that setting", async () => {
    const api = await extensionApi();
    await vscode.commands.executeCommand('chaincode.stopPeer');
    const holder = net.createServer();
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', r));
    const port = (holder.address() as net.AddressInfo).port;
    try {
      await settings().update('peer.port', port, vscode.ConfigurationTarget.Global);
      stub = stubWindow({ error: (e) => (e.items.includes('Open Settings') ? 'Open Settings' : undefined) });
      const t0 = Date.now();
      const address = await vscode.commands.executeCommand('chaincode.startPeer');
      assert.strictEqual(address, undefined, 'the peer did not start');
      assert.ok(Date.now() - t0 >= 3000, `it retried for a few seconds first (${Date.now() - t0} ms)`);
      const error = stub.errors[0];
      assert.match(error?.message ?? '', new RegExp(`^cannot listen on 127\\.0\\.0\\.1:${port}: port ${port} is in use by (\\S+ \\(pid ${process.pid}\\)|another process)`));
      assert.deepStrictEqual(error.items, ['Open Settings', 'Show Log']);
      assert.deepStrictEqual(stub.openedSettings, ['chaincode.peer.port']);
      assert.strictEqual(api.ctx.engine.current, undefined);
    } finally {
      await new Promise((r) => holder.close(r));
      await restore('peer.port');
    }
  });
});
