/**
 * Watch and reload in the real editor. The example chaincode (the workspace), watched: an edit made
 * through the editor (a WorkspaceEdit, then Save) restarts it, the last transaction runs again, its
 * result shows the edit, and VS Code's diff editor opens with the previous run's transaction beside
 * the new one. A TypeScript contract project: its row says typescript, Restart builds it first (the
 * edit runs, not a stale dist/), and with watch on a syntax error shows in Problems and restarts
 * nothing.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { RunningChaincode } from '../../src/engine/launch/types';
import { writeProject } from '../../src/engine/scaffold';
import type { ExecuteResult } from '../../src/engine/transactions/types';
import type { ViewNode } from '../../src/vscode/tree/viewNode';
import { browser, EXTENSION_ID, extensionApi, showSidebar, waitFor, workspaceFolder } from './support';

/** Replaces `from` with `to` in `file` as a person would: an edit in the editor, then Save. */
async function editAndSave(file: string, from: string, to: string): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  await vscode.window.showTextDocument(doc, { preview: false });
  const at = doc.getText().indexOf(from);
  assert.ok(at >= 0, `${from} is in ${file}`);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, new vscode.Range(doc.positionAt(at), doc.positionAt(at + from.length)), to);
  assert.ok(await vscode.workspace.applyEdit(edit), 'the edit applied');
  assert.ok(await doc.save(), 'saved');
}

/** Puts `text` back into `file` (through the editor, as the edits were made), when it differs. */
async function restore(file: string, text: string): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  if (doc.getText() === text) return;
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text);
  await vscode.workspace.applyEdit(edit);
  await doc.save();
}

/**
 * The workspace example's contract, which the describe edits: put back as it was once it ends (after
 * the watch of `ccid` is off, and its debug session and chaincode stopped). Returns its path.
 */
function exampleSourceKept(ccid: string): () => string {
  const source = (): string => path.join(workspaceFolder().uri.fsPath, 'lib', 'assetTransfer.js');
  let original = '';
  before(() => {
    original = fs.readFileSync(source(), 'utf8');
  });
  after(async () => {
    await vscode.commands.executeCommand('chaincode.unwatchChaincode', ccid);
    await restore(source(), original);
    if (vscode.debug.activeDebugSession) await vscode.debug.stopDebugging();
    await vscode.commands.executeCommand('chaincode.stopChaincode', ccid);
  });
  return source;
}

async function chaincodeRow(ccid: string): Promise<ViewNode | undefined> {
  const api = await extensionApi();
  return (await api.views.chaincodes.snapshot()).find((n) => n.label === ccid);
}

function readyHandlerId(engine: { peer: { handlers(): { chaincodeId: string; state: string; id: string }[] } }, ccid: string): string | undefined {
  return engine.peer.handlers().find((h) => h.chaincodeId === ccid && h.state === 'ready')?.id;
}

function diffTabs(): vscode.TabInputTextDiff[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => t.input)).filter((i): i is vscode.TabInputTextDiff => i instanceof vscode.TabInputTextDiff);
}

const tx = (ccid: string, fn: string, args: string[], command = 'chaincode.invokeTransaction') =>
  vscode.commands.executeCommand<ExecuteResult>(command, { chaincodeId: ccid, fn, args });

describe('Watch: restart and re-run on save', function () {
  this.timeout(180_000);

  describe('the example chaincode', () => {
    const ccid = 'watchcc:1.0';
    const source = exampleSourceKept(ccid);
    const ORIGINAL = 'asset.Owner = newOwner;';
    const EDITED = 'asset.Owner = newOwner.toUpperCase();';

    it('an edit saved in the editor changes the next result, and a diff editor opens on the two runs', async () => {
      const api = await extensionApi();
      await showSidebar();
      const running = await vscode.commands.executeCommand<RunningChaincode>('chaincode.launchChaincode', {
        folder: workspaceFolder().uri.fsPath,
        mode: 'dev',
        name: 'watchcc',
        version: '1.0',
      });
      assert.strictEqual(running?.status, 'ready');
      const engine = api.ctx.engine.current;
      assert.ok(engine);
      assert.strictEqual((await tx(ccid, 'CreateAsset', ['watch1', 'blue', '5', 'Tomoko', '300']))?.status, 200);
      assert.strictEqual((await tx(ccid, 'TransferAsset', ['watch1', 'Alice']))?.status, 200);
      const previous = await tx(ccid, 'TransferAsset', ['watch1', 'Alice']);
      assert.strictEqual(previous?.status, 200);

      assert.strictEqual(await vscode.commands.executeCommand('chaincode.watchChaincode', ccid), true);
      const row = await waitFor(
        async () => {
          const r = await chaincodeRow(ccid);
          return r?.contextValue === 'readyChaincode watching' && r;
        },
        5000,
        'the row to show the watch',
      );
      assert.match(row.description ?? '', / · watching$/);
      assert.ok(
        row.children?.some((c) => c.label.startsWith('Watching')),
        'a Watching row',
      );
      const handler = readyHandlerId(engine, ccid);
      const before = new Set(engine.transactions.transactions({ chaincode: ccid }).map((r) => r.txId));

      await editAndSave(source(), ORIGINAL, EDITED);
      const rerun = await waitFor(() => engine.transactions.transactions({ chaincode: ccid }).find((r) => !before.has(r.txId)), 60_000, 'the transaction run again after the save');
      assert.deepStrictEqual([rerun.fn, rerun.args], ['TransferAsset', ['watch1', 'Alice']]);
      assert.strictEqual(rerun.validation, 'VALID', `the re-run: ${rerun.status} ${rerun.message}`);
      assert.notStrictEqual(readyHandlerId(engine, ccid), handler, 'the chaincode was restarted');
      const written = rerun.rwset.writes.find((w) => w.key === 'watch1');
      assert.strictEqual(JSON.parse(written?.value?.toString() ?? '{}').Owner, 'ALICE', 'the edit runs');

      const diff = await waitFor(() => diffTabs().find((d) => d.modified.query.includes(rerun.txId)), 20_000, 'a diff editor on the re-run');
      assert.ok(diff.original.query.includes(previous.txId), 'beside the previous run');
      const [left, right] = await Promise.all([vscode.workspace.openTextDocument(diff.original), vscode.workspace.openTextDocument(diff.modified)]);
      const owner = (doc: vscode.TextDocument) =>
        (JSON.parse(doc.getText()) as { writes: { key: string; value: { Owner: string } }[] }).writes.find((w) => w.key === 'watch1')?.value.Owner;
      assert.strictEqual(owner(left), 'Alice');
      assert.strictEqual(owner(right), 'ALICE');
      assert.strictEqual(vscode.window.activeTextEditor?.document.uri.fsPath, source(), 'the code keeps the focus');
      await browser({ shot: 'host-watch-diff' });
    });

    it('Pin for Re-run on Save on a Transactions row: the pinned one runs again, not the last one; Unpin on its row', async () => {
      const api = await extensionApi();
      const engine = api.ctx.engine.current;
      assert.ok(engine);
      const read = await tx(ccid, 'ReadAsset', ['watch1'], 'chaincode.queryChaincode');
      const txRow = await waitFor(async () => (await api.views.transactions.snapshot()).find((r) => r.id === `tx:${read?.txId}`), 5000, 'the ReadAsset row');
      const pins = await vscode.commands.executeCommand<unknown[]>('chaincode.pinTransaction', txRow);
      assert.strictEqual(pins?.length, 1);
      const pinRow = await waitFor(async () => (await chaincodeRow(ccid))?.children?.find((c) => c.contextValue === 'pinnedTransaction'), 5000, 'the pinned row');
      assert.strictEqual(pinRow.label, 'ReadAsset(watch1)');
      assert.strictEqual((await tx(ccid, 'TransferAsset', ['watch1', 'Bob']))?.status, 200); // the last one now
      const before = new Set(engine.transactions.transactions({ chaincode: ccid }).map((r) => r.txId));

      await editAndSave(source(), EDITED, 'asset.Owner = `${newOwner}!`;');
      const rerun = await waitFor(() => engine.transactions.transactions({ chaincode: ccid }).find((r) => !before.has(r.txId)), 60_000, 'the pinned transaction run again');
      assert.deepStrictEqual([rerun.fn, rerun.args, rerun.kind], ['ReadAsset', ['watch1'], 'query']);
      assert.strictEqual(JSON.parse(rerun.payload.toString()).Owner, 'BOB', 'the state as the last transaction left it');
      assert.strictEqual(engine.transactions.transactions({ chaincode: ccid }).filter((r) => !before.has(r.txId)).length, 1, 'TransferAsset did not run again');

      assert.deepStrictEqual(await vscode.commands.executeCommand('chaincode.unpinTransaction', pinRow), []);
      await waitFor(async () => !(await chaincodeRow(ccid))?.children?.some((c) => c.contextValue === 'pinnedTransaction'), 5000, 'the pinned row to go');
    });
  });

  describe('the chaincode.watch setting', () => {
    const ccid = 'watchdefault:1.0';

    after(async () => {
      await vscode.workspace.getConfiguration('chaincode').update('watch', undefined, vscode.ConfigurationTarget.Global);
      await vscode.commands.executeCommand('chaincode.stopChaincode', ccid);
    });

    it('watches what is launched from then on; stopping the chaincode stops its watch, launching it again resumes it', async () => {
      await vscode.workspace.getConfiguration('chaincode').update('watch', true, vscode.ConfigurationTarget.Global);
      const launch = () =>
        vscode.commands.executeCommand<RunningChaincode>('chaincode.launchChaincode', { folder: workspaceFolder().uri.fsPath, mode: 'dev', name: 'watchdefault', version: '1.0' });
      assert.strictEqual((await launch())?.status, 'ready');
      await waitFor(async () => (await chaincodeRow(ccid))?.contextValue === 'readyChaincode watching', 10_000, 'the row watched by default');
      await vscode.commands.executeCommand('chaincode.stopChaincode', ccid);
      await waitFor(async () => !(await chaincodeRow(ccid))?.contextValue?.endsWith(' watching'), 10_000, 'the watch to stop with the chaincode');
      assert.strictEqual((await launch())?.status, 'ready');
      await waitFor(async () => (await chaincodeRow(ccid))?.contextValue === 'readyChaincode watching', 10_000, 'watched again');
      await vscode.commands.executeCommand('chaincode.unwatchChaincode', ccid);
      await waitFor(async () => (await chaincodeRow(ccid))?.contextValue === 'readyChaincode', 10_000, 'the eye turned off');
    });
  });

  describe('the example chaincode under the debugger', () => {
    const ccid = 'watchdbg:1.0';
    const source = exampleSourceKept(ccid);
    const ORIGINAL = '    return bytes.toString();\n  }';
    const EDITED = '    return JSON.stringify({ ...JSON.parse(bytes.toString()), Debugged: true });\n  }';

    it('a save restarts the debug session (VS Code restart, the same session) and the last transaction runs again', async () => {
      const api = await extensionApi();
      const engine = api.ctx.engine.current ?? (await api.ctx.ensureEngine());
      const started = await vscode.debug.startDebugging(workspaceFolder(), {
        type: 'chaincode',
        request: 'launch',
        name: 'Debug watchdbg',
        chaincodeName: 'watchdbg',
        version: '1.0',
      });
      assert.strictEqual(started, true);
      await waitFor(() => readyHandlerId(engine, ccid), 30_000, `${ccid} ready under the debugger`);
      const session = api.ctx.debugSessions.session(ccid);
      assert.ok(session, 'a debug session runs it');
      assert.strictEqual((await tx(ccid, 'CreateAsset', ['dbg1', 'red', '3', 'Ann', '10']))?.status, 200);
      const read = await tx(ccid, 'ReadAsset', ['dbg1'], 'chaincode.queryChaincode');
      assert.strictEqual(JSON.parse(read?.payload.toString() ?? '{}').Owner, 'Ann');
      assert.strictEqual(await vscode.commands.executeCommand('chaincode.watchChaincode', ccid), true);
      const handler = readyHandlerId(engine, ccid);
      const before = new Set(engine.transactions.transactions({ chaincode: ccid }).map((r) => r.txId));

      await editAndSave(source(), ORIGINAL, EDITED);
      const rerun = await waitFor(() => engine.transactions.transactions({ chaincode: ccid }).find((r) => !before.has(r.txId)), 60_000, 'the transaction run again after the save');
      assert.deepStrictEqual([rerun.fn, rerun.args, rerun.kind], ['ReadAsset', ['dbg1'], 'query']);
      assert.strictEqual(JSON.parse(rerun.payload.toString()).Debugged, true, 'the edit runs');
      assert.notStrictEqual(readyHandlerId(engine, ccid), handler, 'a new debuggee registered');
      assert.strictEqual(api.ctx.debugSessions.session(ccid)?.id, session.id, 'VS Code restarted the session: the same session, its breakpoints kept');
      assert.strictEqual(engine.launcher.running().find((r) => r.ccid === ccid)?.process, undefined, 'the debugger runs it, not the launcher');
    });
  });

  describe('a TypeScript contract project', () => {
    const name = 'watchts';
    const ccid = `${name}:1.0.0`;
    let parent = '';
    let contract = '';
    const READ = "return Buffer.from(bytes).toString('utf8');";

    before(async () => {
      parent = fs.mkdtempSync(path.join(os.tmpdir(), 'host-watch-ts-'));
      const project = await writeProject({ folder: path.join(parent, name), language: 'typescript', name });
      // The extension's own node_modules has the compiler, fabric-contract-api and the declarations the template names.
      const extensionPath = vscode.extensions.getExtension(EXTENSION_ID)?.extensionPath ?? '';
      fs.symlinkSync(path.join(extensionPath, 'node_modules'), path.join(project.folder, 'node_modules'), 'dir');
      contract = path.join(project.folder, 'src', 'assetContract.ts');
    });

    after(async () => {
      await vscode.commands.executeCommand('chaincode.unwatchChaincode', ccid);
      await vscode.commands.executeCommand('chaincode.stopChaincode', ccid);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      fs.rmSync(parent, { recursive: true, force: true });
    });

    it('Launch builds it and the row says typescript; Restart builds the edit first', async () => {
      const folder = path.dirname(path.dirname(contract));
      const running = await vscode.commands.executeCommand<RunningChaincode>('chaincode.launchChaincode', { folder, mode: 'dev', name, version: '1.0.0' });
      assert.strictEqual(running?.status, 'ready', 'built (there was no dist/) and launched');
      assert.match((await chaincodeRow(ccid))?.description ?? '', /^dev · typescript · ready/);
      assert.strictEqual((await tx(ccid, 'CreateAsset', ['ts1', 'blue', '5', 'Tomoko', '300']))?.status, 200);

      await editAndSave(contract, READ, "return Buffer.from(bytes).toString('utf8').toLowerCase().replace('tomoko', 'restarted');");
      await vscode.commands.executeCommand('chaincode.restartChaincode', ccid);
      const read = await tx(ccid, 'ReadAsset', ['ts1'], 'chaincode.queryChaincode');
      assert.strictEqual(JSON.parse(read?.payload.toString() ?? '{}').owner, 'restarted', 'the edit runs, not the dist/ of the first build');
    });

    it('with watch on, a syntax error shows in Problems and nothing restarts', async () => {
      const api = await extensionApi();
      const engine = api.ctx.engine.current;
      assert.ok(engine);
      assert.strictEqual(await vscode.commands.executeCommand('chaincode.watchChaincode', ccid), true);
      const handler = readyHandlerId(engine, ccid);
      assert.ok(handler);
      const uri = vscode.Uri.file(contract);
      const line = (await vscode.workspace.openTextDocument(uri))
        .getText()
        .split('\n')
        .findIndex((l) => l.includes('.toLowerCase()'));

      await editAndSave(contract, ".toLowerCase().replace('tomoko', 'restarted');", '.toLowerCase() +;');
      const errors = await waitFor(
        () => {
          const found = vscode.languages.getDiagnostics(uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error && d.source === 'tsc');
          return found.length > 0 && found;
        },
        60_000,
        'the build error in Problems',
      );
      assert.deepStrictEqual(
        errors.map((d) => [d.range.start.line, d.code]),
        [[line, 'TS1109']],
      );
      assert.strictEqual(errors[0].message, 'Expression expected.');
      await waitFor(async () => (await chaincodeRow(ccid))?.children?.some((c) => c.label.includes('the build failed')), 20_000, 'the row to show the failed build');
      assert.strictEqual(readyHandlerId(engine, ccid), handler, 'nothing restarted');
      const read = await tx(ccid, 'ReadAsset', ['ts1'], 'chaincode.queryChaincode');
      assert.strictEqual(JSON.parse(read?.payload.toString() ?? '{}').owner, 'restarted', 'the code that ran before still runs');
      await vscode.commands.executeCommand('workbench.actions.view.problems');
      await browser({ shot: 'host-watch-problems' });
    });
  });
});
