/**
 * Invoke Transaction and Query as a person runs them, on a contract whose metadata types its
 * parameters (fixtures/typed-contract): each argument is checked as it is typed and the message names
 * the parameter; Query asks for no transient data; the editor's own metadata query is not a row in
 * Transactions; result documents land in one editor group, titled with the function and short txid;
 * a key's history links to its transactions; Re-run from the palette has nothing to re-run.
 * The prompts are answered by windowStub.ts; the chaincode runs as a developer starts it (the
 * shim's CLI) against the editor's peer.
 */
import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import type { ExecuteResult } from '../../src/engine/transactions/types';
import { RunningProcess, startContractChaincode } from '../support/nodeChaincode';
import { browser, EXTENSION_ID, extensionApi, showSidebar, waitFor, workspaceFolder } from './support';
import { stubWindow, WindowStub } from './windowStub';

const CCID = 'typed:1.0';

function fixture(): string {
  return path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'test', 'vscode-host', 'fixtures', 'typed-contract');
}

/** Answers: the function `fn`, then each argument by the prompt's parameter name. */
function answering(fn: string, args: Record<string, string>): Parameters<typeof stubWindow>[0] {
  return {
    pick: (labels) => labels.find((l) => l === fn),
    input: (options) => {
      const name = (options.prompt ?? '').split(':')[0];
      if (name in args) return args[name];
      if ((options.prompt ?? '').startsWith('Transient')) return '';
      return undefined;
    },
  };
}

const oursTabs = (): { group: vscode.TabGroup; tab: vscode.Tab }[] =>
  vscode.window.tabGroups.all.flatMap((group) =>
    group.tabs.filter((t) => t.input instanceof vscode.TabInputText && t.input.uri.scheme === 'chaincode').map((tab) => ({ group, tab })),
  );

describe('Invoke and Query prompts, result documents, history links', function () {
  this.timeout(120_000);
  let chaincode: RunningProcess | undefined;
  let stub: WindowStub | undefined;

  before(async () => {
    const api = await extensionApi();
    const engine = await api.ctx.ensureEngine();
    chaincode = startContractChaincode(fixture(), CCID, engine.peer.address);
    await waitFor(() => api.ctx.handlers().some((h) => h.chaincodeId === CCID && h.state === 'ready'), 30_000, `${CCID} ready`).catch((e: Error) => {
      throw new Error(`${e.message}\n${chaincode?.output()}`);
    });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  afterEach(() => {
    stub?.restore();
    stub = undefined;
  });

  after(async () => {
    await chaincode?.kill();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('checks a typed argument as it is typed, naming the parameter; a valid one is sent', async () => {
    const api = await extensionApi();
    stub = stubWindow(answering('CreateSized', { id: 'item1', size: '5', fragile: 'true' }));
    const result = await vscode.commands.executeCommand<ExecuteResult>('chaincode.invokeTransaction', { chaincodeId: CCID });
    assert.ok(result, `the invoke ran; errors: ${JSON.stringify(stub.errors)}`);
    assert.strictEqual(result.status, 200, result.message);
    assert.deepStrictEqual(JSON.parse(result.payload.toString()), { ID: 'item1', Size: 5, Fragile: true });

    const size = stub.inputs.find((o) => o.prompt === 'size: number');
    assert.ok(size?.validateInput !== undefined, `the size prompt checks its input: ${JSON.stringify(stub.inputs.map((o) => o.prompt))}`);
    assert.strictEqual(await size.validateInput('big'), 'size: a number is expected, not "big"');
    assert.strictEqual(await size.validateInput('5'), undefined);
    const fragile = stub.inputs.find((o) => o.prompt === 'fragile: boolean');
    assert.strictEqual(await fragile?.validateInput?.('maybe'), 'fragile: true or false is expected, not "maybe"');
    assert.ok(
      stub.inputs.some((o) => (o.prompt ?? '').startsWith('Transient data')),
      'Invoke asks for transient data',
    );

    // The metadata lookup the prompts needed is the editor's own business, not a transaction of the user's.
    const rows = await waitFor(
      async () => {
        const r = await api.views.transactions.snapshot();
        return r.some((t) => t.label.startsWith('CreateSized(')) && r;
      },
      5000,
      'CreateSized in Transactions',
    );
    assert.ok(!rows.some((t) => t.label.includes('GetMetadata')), `no GetMetadata row: ${JSON.stringify(rows.map((t) => t.label))}`);
    assert.ok(!api.ctx.engine.current?.transactions.transactions().some((r) => r.fn === 'org.hyperledger.fabric:GetMetadata'), 'no GetMetadata record');
  });

  it('Query asks for the function and its arguments, not for transient data', async () => {
    stub = stubWindow(answering('ReadSized', { id: 'item1' }));
    const result = await vscode.commands.executeCommand<ExecuteResult>('chaincode.queryChaincode', { chaincodeId: CCID });
    assert.strictEqual(result?.status, 200, result?.message);
    assert.strictEqual(JSON.parse(result.payload.toString()).Size, 5);
    assert.deepStrictEqual(
      stub.inputs.map((o) => o.prompt),
      ['id: string'],
    );
  });

  it('result documents reuse one editor group and are titled with the function and short txid', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const code = await vscode.window.showTextDocument(vscode.Uri.file(path.join(workspaceFolder().uri.fsPath, 'package.json')), { preview: false });
    stub = stubWindow(answering('Resize', { id: 'item1', size: '6' }));
    const first = await vscode.commands.executeCommand<ExecuteResult>('chaincode.invokeTransaction', { chaincodeId: CCID });
    assert.strictEqual(first?.status, 200, first?.message);
    const afterFirst = oursTabs();
    assert.strictEqual(afterFirst.length, 1);
    assert.strictEqual(afterFirst[0].tab.label, `Resize ${first.txId.slice(0, 8)}.json`);
    assert.notStrictEqual(afterFirst[0].group.viewColumn, code.viewColumn, 'beside the code');
    const resultColumn = afterFirst[0].group.viewColumn;

    // The user puts a file of theirs over the result in that group, and works there.
    await vscode.window.showTextDocument(vscode.Uri.file(path.join(workspaceFolder().uri.fsPath, 'index.js')), { viewColumn: resultColumn, preview: false });
    stub.restore();
    stub = stubWindow(answering('Resize', { id: 'item1', size: '7' }));
    const second = await vscode.commands.executeCommand<ExecuteResult>('chaincode.invokeTransaction', { chaincodeId: CCID });
    assert.strictEqual(second?.status, 200, second?.message);
    const afterSecond = oursTabs();
    assert.deepStrictEqual(
      new Set(afterSecond.map((t) => t.group.viewColumn)),
      new Set([resultColumn]),
      `one group holds our documents: ${afterSecond.map((t) => `${t.group.viewColumn}:${t.tab.label}`).join(', ')}`,
    );
    assert.strictEqual(vscode.window.tabGroups.all.length, 2, 'no third group');
    assert.ok(afterSecond.some((t) => t.tab.label === `Resize ${second.txId.slice(0, 8)}.json`));

    // A transaction document is titled the same way.
    await vscode.commands.executeCommand('chaincode.openTransaction', { kind: 'transaction', txId: second.txId });
    assert.strictEqual(vscode.window.tabGroups.activeTabGroup.activeTab?.label, `Resize ${second.txId.slice(0, 8)}.json`);
    await browser({ shot: 'host-06-result-documents' });
  });

  it("a key's history entries link to their transactions", async () => {
    const api = await extensionApi();
    const txs = api.ctx.engine.current!.transactions.transactions().filter((r) => r.chaincode === CCID && r.validation === 'VALID');
    assert.ok(txs.length >= 3, 'CreateSized and two Resize committed');
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('chaincode.openStateKey', {
      kind: 'stateKey',
      channel: txs[0].channel,
      chaincode: 'typed',
      key: 'item1',
    });
    assert.ok(editor, 'the key opened');
    const doc = JSON.parse(editor.document.getText()) as { history: { txId: string }[] };
    assert.strictEqual(doc.history.length, 3);
    const links = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', editor.document.uri);
    const linked = links.filter((l) => l.target?.scheme === 'chaincode' && l.target.path.startsWith('/transactions/'));
    assert.deepStrictEqual(
      linked.map((l) => editor.document.getText(l.range)),
      doc.history.map((h) => h.txId),
      'one link per history entry, on its txid',
    );
    // Following one opens that transaction's document.
    const oldest = doc.history[doc.history.length - 1].txId;
    await vscode.commands.executeCommand('vscode.open', linked[linked.length - 1].target);
    const opened = vscode.window.activeTextEditor;
    assert.strictEqual(JSON.parse(opened?.document.getText() ?? '{}').txId, oldest);
    assert.strictEqual(JSON.parse(opened?.document.getText() ?? '{}').function, 'CreateSized');
    assert.strictEqual(opened?.document.languageId, 'json');
    await showSidebar();
  });

  it('Re-run Transaction without a row has nothing to re-run (so the palette does not offer it)', async () => {
    stub = stubWindow();
    const ran = await vscode.commands.executeCommand('chaincode.rerunTransaction');
    assert.strictEqual(ran, undefined);
    assert.deepStrictEqual(
      stub.errors.map((e) => e.message),
      ['Re-run a transaction from the Transactions view.'],
    );
  });
});
