/**
 * Net mode against the real Docker engine: Launch Chaincode packages examples/asset-transfer (with
 * its own node_modules) into an image on a locally built Node base image (no registry is reachable),
 * runs it as a container that registers over mutual TLS; the Chaincodes view shows it ready with its
 * container, the Containers view lists it (found by our label) running with its image, Show Logs
 * shows its output channel fed with the container's log lines, a transaction runs in it, and Stop
 * then Remove from the Containers view leave nothing in Docker's own list.
 *
 * Without Docker the suite is skipped with the reason, except under CI=true, where it runs (and fails).
 */
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as path from 'path';
import * as vscode from 'vscode';
import type { RunningChaincode } from '../../src/engine/launch/types';
import type { ExecuteResult } from '../../src/engine/transactions/types';
import type { ViewNode } from '../../src/vscode/tree/viewNode';
import { dockerSkip, ensureBaseImages } from '../support/docker';
import { browser, EXTENSION_ID, extensionApi, showSidebar, waitFor } from './support';

function docker(...args: string[]): string {
  return execFileSync('docker', args, { encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

describe('net mode: a Docker container over mutual TLS, the Containers view, Show Logs, Stop and Remove', function () {
  this.timeout(300_000);
  const ccid = 'netcc:1.0';
  let containerId = '';

  before(async function () {
    const skip = dockerSkip(); // false under CI=true: then the tests run and fail on the missing engine
    if (skip) {
      console.log(`[net] SKIPPED: ${skip}`);
      this.skip();
    }
    const images = await ensureBaseImages(['node']);
    await vscode.workspace.getConfiguration('chaincode').update('baseImage.node', images.node, vscode.ConfigurationTarget.Global);
    console.log(`[net] chaincode.baseImage.node = ${images.node}`);
    // The running engine read its base images when it started: the launch below starts a new one.
    await vscode.commands.executeCommand('chaincode.stopPeer');
  });

  after(async () => {
    const api = await extensionApi();
    if (api.ctx.running().some((r) => r.ccid === ccid)) await vscode.commands.executeCommand('chaincode.stopChaincode', ccid);
    if (containerId) {
      try {
        docker('rm', '-f', containerId);
      } catch {
        // already gone, as it should be
      }
    }
    await vscode.workspace.getConfiguration('chaincode').update('baseImage.node', undefined, vscode.ConfigurationTarget.Global);
  });

  const containerRow = async (): Promise<ViewNode | undefined> => {
    const api = await extensionApi();
    return (await api.views.containers.snapshot()).find((r) => r.target?.kind === 'container' && r.target.containerId === containerId);
  };

  it('Launch Chaincode in net mode builds the image, starts the container, and the Chaincodes view shows it ready with its container', async () => {
    const api = await extensionApi();
    await showSidebar();
    const folder = path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'examples', 'asset-transfer');
    const t0 = Date.now();
    const running = await vscode.commands.executeCommand<RunningChaincode>('chaincode.launchChaincode', { folder, mode: 'net', name: 'netcc', version: '1.0' });
    assert.ok(running, `launch returned the running chaincode; its log:\n${api.ctx.logs.recentLines(ccid, 30).join('\n')}`);
    console.log(`[net] launched in ${Date.now() - t0} ms`);
    assert.strictEqual(running.status, 'ready');
    assert.strictEqual(running.definition.mode, 'net');
    assert.ok(running.container?.id, 'the launch reports its container');
    assert.strictEqual(running.container.status, 'running');
    containerId = running.container.id;
    assert.strictEqual(docker('inspect', '--format', '{{.State.Running}}', containerId), 'true', 'Docker says it runs');

    const row = await waitFor(
      async () => (await api.views.chaincodes.snapshot()).find((r) => r.label === ccid && r.contextValue === 'readyChaincode'),
      10_000,
      `${ccid} ready in the Chaincodes view`,
    );
    assert.strictEqual(row.icon?.id, 'pass-filled');
    assert.match(row.description ?? '', /^net · node · ready$/);
    assert.ok(
      row.children?.some((c) => /^Handler h\d+: ready$/.test(c.label)),
      'its handler is ready',
    );
    const container = row.children?.find((c) => c.id.endsWith('/container'));
    assert.ok(container, `a container child: ${JSON.stringify(row.children?.map((c) => c.label))}`);
    assert.strictEqual(container.label, `Container ${containerId.slice(0, 12)}`);
    assert.match(container.description ?? '', /^running · /);
    assert.deepStrictEqual(container.target, { kind: 'container', containerId, chaincodeId: ccid });
  });

  it('the Containers view lists our container, found by label, running, with its image', async () => {
    const api = await extensionApi();
    const running = api.ctx.running().find((r) => r.ccid === ccid);
    const image = running?.container?.image ?? '';
    assert.ok(image, 'the launcher knows the image');
    const row = await waitFor(containerRow, 15_000, 'the container in the Containers view');
    assert.strictEqual(row.label, ccid);
    assert.strictEqual(row.contextValue, 'runningContainer');
    assert.match(row.description ?? '', /^Up /);
    assert.ok((row.description ?? '').includes(image.slice(0, 40)), `the image in ${row.description}`);
    assert.ok((row.tooltip ?? '').includes(`image: ${image}`), row.tooltip);
    // What Docker itself lists under our label is what the view shows.
    const byLabel = docker('ps', '--no-trunc', '--filter', `label=org.chaincode-launcher.ccid=${ccid}`, '--format', '{{.ID}} {{.Image}}');
    assert.ok(byLabel.split('\n').includes(`${containerId} ${image}`), `docker ps by label: ${byLabel}`);
  });

  it("invokes a transaction in the container, and Show Logs shows the container's log lines, tagged with the transaction", async () => {
    const api = await extensionApi();
    const created = await vscode.commands.executeCommand<ExecuteResult>('chaincode.invokeTransaction', {
      chaincodeId: ccid,
      fn: 'CreateAsset',
      args: ['net1', 'purple', '4', 'Isabella', '700'],
    });
    assert.ok(created, 'the invoke returned');
    assert.strictEqual(created.status, 200, created.message);
    assert.strictEqual(created.validation, 'VALID');
    assert.deepStrictEqual(JSON.parse(created.payload.toString()), { ID: 'net1', Color: 'purple', Size: 4, Owner: 'Isabella', AppraisedValue: 700 });
    const read = await vscode.commands.executeCommand<ExecuteResult>('chaincode.queryChaincode', { chaincodeId: ccid, fn: 'ReadAsset', args: ['net1'] });
    assert.strictEqual(JSON.parse(read?.payload.toString() ?? '{}').Owner, 'Isabella');

    const row = await waitFor(containerRow, 5000, 'the container row');
    await vscode.commands.executeCommand('chaincode.showLogs', row);
    const tag = `[tx ${created.txId.slice(0, 8)}]`;
    const lines = await waitFor(
      () => {
        const l = api.ctx.logs.recentLines(ccid, 200);
        return l.some((x) => x.startsWith(tag)) && l;
      },
      10_000,
      `a container log line tagged ${tag}`,
    );
    // npm start inside the container, the shim registering, then the transaction
    assert.ok(
      lines.some((l) => /fabric-chaincode-node start --peer\.address \S+:\d+/.test(l)),
      `the container's start line: ${lines.slice(-30).join('\n')}`,
    );
    assert.ok(
      lines.some((l) => l.includes(`Registering with peer`) && l.includes(`"${ccid}"`)),
      'the shim registering',
    );
    assert.ok(
      lines.some((l) => l.startsWith(tag) && l.includes('Calling chaincode Invoke() succeeded')),
      "the transaction's own line",
    );
    assert.ok(!lines.some((l) => l.includes('\u001b[')), 'no terminal colour codes in the channel');
    // The World State and Transactions views show what ran in the container.
    await waitFor(
      async () => (await api.views.worldState.snapshot()).some((r) => r.label === 'net1' && /"Owner":"Isabella"/.test(r.description ?? '')),
      5000,
      'net1 in the World State view',
    );
    const txs = await api.views.transactions.snapshot();
    assert.ok(
      txs.some((t) => t.label.startsWith('CreateAsset(net1') && t.contextValue === 'committedTransaction' && (t.description ?? '').includes(ccid)),
      `CreateAsset in Transactions: ${JSON.stringify(txs.map((t) => t.label))}`,
    );
    await vscode.commands.executeCommand('notifications.clearAll');
    await browser({ shot: 'host-04-net-mode-container-logs', settleMs: 2500 });
  });

  it("Stop and Remove from the Containers view: the view follows Docker, and Docker's own list no longer has it", async () => {
    const api = await extensionApi();
    const row = await waitFor(containerRow, 5000, 'the container row');
    const t0 = Date.now();
    await vscode.commands.executeCommand('chaincode.stopContainer', row);
    console.log(`[net] stop took ${Date.now() - t0} ms`);
    assert.strictEqual(docker('inspect', '--format', '{{.State.Running}}', containerId), 'false', 'Docker says it stopped');
    const stopped = await waitFor(
      async () => {
        const r = await containerRow();
        return r?.contextValue === 'exitedContainer' && r;
      },
      15_000,
      "the Containers view to show the container exited (from Docker's events)",
    );
    assert.match(stopped.description ?? '', /^Exited/);
    await waitFor(
      async () => !(await api.views.chaincodes.snapshot()).some((r) => r.label === ccid && r.contextValue === 'readyChaincode'),
      15_000,
      `${ccid} no longer ready once its container stopped`,
    );

    await vscode.commands.executeCommand('chaincode.removeContainer', stopped, { confirm: false });
    assert.strictEqual(docker('ps', '-a', '--no-trunc', '--filter', `id=${containerId}`, '--format', '{{.ID}}'), '', 'Docker no longer lists the container');
    assert.strictEqual(docker('ps', '-a', '--filter', `label=org.chaincode-launcher.ccid=${ccid}`, '--format', '{{.ID}}'), '', 'nothing left under our label');
    await waitFor(async () => !(await containerRow()), 15_000, 'the Containers view to drop the container');
    const after = (await api.views.chaincodes.snapshot()).find((r) => r.label === ccid);
    assert.ok(!after || after.contextValue === 'stoppedChaincode', `the chaincode shows stopped, not failed: ${after?.contextValue} ${after?.description}`);
    assert.ok(!api.ctx.running().some((r) => r.ccid === ccid), 'the launcher no longer runs it');
    await browser({ shot: 'host-05-net-mode-removed' });
  });
});
