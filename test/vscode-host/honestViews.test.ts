/**
 * World State and Transactions with the peer stopped: the ledger is still on disk, so the views say
 * the peer is stopped and offer to start it, never an empty "No state yet"; starting it from there
 * brings the keys and transactions back.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { ExecuteResult } from '../../src/engine/transactions/types';
import type { ViewNode } from '../../src/vscode/tree/viewNode';
import { browser, extensionApi, showSidebar, waitFor } from './support';

const SCC = 'honest';

describe('honest views: the peer stopped', function () {
  this.timeout(60_000);

  before(async () => {
    const api = await extensionApi();
    const engine = await api.ctx.ensureEngine();
    // A key of our own, so the view has something to bring back (a system chaincode: no process needed).
    engine.registerSystemChaincode(SCC, {
      init: async () => ({ status: 200 }),
      invoke: async (stub) => {
        await stub.putState('kept', Buffer.from('"on disk"'));
        return { status: 200 };
      },
    });
    await engine.launcher.launch({ kind: 'deployment', definition: { name: SCC, version: '1.0', mode: 'system', language: 'node', path: SCC } });
    const r = await vscode.commands.executeCommand<ExecuteResult>('chaincode.invokeTransaction', { chaincodeId: `${SCC}:1.0`, fn: 'Put', args: [] });
    assert.strictEqual(r?.validation, 'VALID', r?.message);
    // The World State view shows the namespace of the latest transaction: this one (no selection made, so
    // later tests see theirs).
  });

  after(async () => {
    await vscode.commands.executeCommand('chaincode.startPeer');
  });

  it('say the peer is stopped, name the channel on disk, and start it from the row', async () => {
    const api = await extensionApi();
    await showSidebar();
    await vscode.commands.executeCommand('chaincode.stopPeer');
    assert.strictEqual(api.ctx.engine.current, undefined);
    const stoppedRow = async (provider: { snapshot(): Promise<readonly ViewNode[]> }): Promise<ViewNode> => {
      const rows = await provider.snapshot();
      assert.strictEqual(rows.length, 1, `one row: ${JSON.stringify(rows.map((r) => r.label))}`);
      return rows[0];
    };
    const state = await stoppedRow(api.views.worldState);
    assert.strictEqual(state.label, 'The peer is stopped');
    assert.match(state.description ?? '', /^Start Peer to see the state of (channel mychannel|\d+ channels)$/);
    assert.strictEqual(state.command?.command, 'chaincode.startPeer');
    const txs = await stoppedRow(api.views.transactions);
    assert.match(txs.description ?? '', /^Start Peer to see the transactions of /);
    await browser({ shot: 'host-07-peer-stopped-views', settleMs: 500 });

    await vscode.commands.executeCommand(state.command.command);
    assert.ok(api.ctx.engine.current, 'the row started the peer');
    await waitFor(async () => (await api.views.worldState.snapshot()).some((r) => r.label === 'kept' && r.description === '"on disk"'), 5000, 'the key back in World State');
    const rows = await api.views.transactions.snapshot();
    assert.ok(
      rows.some((r) => r.label.startsWith('Put(')),
      `its transaction back in Transactions: ${JSON.stringify(rows.map((r) => r.label))}`,
    );
    assert.ok(!rows.some((r) => r.contextValue === 'stoppedPeer'));
  });
});
