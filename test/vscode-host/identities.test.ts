/**
 * Organisations and identities in the real editor, on the real engine (two orgs, each peer running
 * its own instance of the chaincode): Create Identity issues one with an attribute, the Identities
 * view lists it, Invoke As… from its row runs the example chaincode as it (transient data reaching
 * neither the record nor its document), the Transactions view says who called (Re-run runs as that
 * caller again), and the status bar's identity follows Use Identity for Transactions. Then a chaincode that is not
 * deterministic: its random write fails with Fabric's "ProposalResponsePayloads do not match" and a
 * diff editor shows each peer's write; `chaincode.endorsementPolicy` one org satisfies lets it commit.
 * Prompts are answered by windowStub.ts.
 */
import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import type { RunningChaincode } from '../../src/engine/launch/types';
import type { ExecuteResult } from '../../src/engine/transactions/types';
import type { CreatedIdentity } from '../../src/vscode/commands/identityCommands';
import type { ViewNode } from '../../src/vscode/tree/viewNode';
import { browser, EXTENSION_ID, extensionApi, showSidebar, waitFor, workspaceFolder } from './support';
import { stubWindow, type WindowStub } from './windowStub';

const ASSETS = 'orgassets:1.0';
const DICE = 'dice:1.0';
const SECRET = 'transient-secret-4711';

/**
 * Answers Invoke's prompts: the chaincode, the function, each argument (the example's metadata names
 * its parameters arg0, arg1…; untyped, all at once), the transient data.
 */
function invokeAnswers(ccid: string, fn: string, args: readonly string[], transient: string): Parameters<typeof stubWindow>[0] {
  return {
    pick: (labels) => labels.find((l) => l === fn || l === ccid),
    input: (options) => {
      const prompt = options.prompt ?? '';
      if (prompt.startsWith('Transient')) return transient;
      if (prompt.startsWith('Function name')) return fn;
      if (prompt.startsWith('Arguments')) return args.join(' ');
      const index = /^arg(\d+)\b/.exec(prompt)?.[1];
      return index !== undefined ? args[Number(index)] : undefined;
    },
  };
}

/** What an input box's check says of `text` ('' when it accepts it). */
async function problem(options: vscode.InputBoxOptions, text: string): Promise<string> {
  const said = await options.validateInput?.(text);
  return typeof said === 'string' ? said : (said?.message ?? '');
}

async function identityRow(mspId: string, name: string): Promise<ViewNode> {
  const api = await extensionApi();
  return waitFor(
    async () => (await api.views.identities.snapshot()).find((o) => o.label === mspId)?.children?.find((c) => c.label === name),
    10_000,
    `${mspId}/${name} in the Identities view`,
  );
}

describe('Identities: create one with an attribute, invoke as it, see who called', function () {
  this.timeout(180_000);
  let stub: WindowStub | undefined;

  afterEach(() => {
    stub?.restore();
    stub = undefined;
  });

  after(async () => {
    const section = vscode.workspace.getConfiguration('chaincode');
    await section.update('identity', undefined, vscode.ConfigurationTarget.Workspace);
    await section.update('endorsementPolicy', undefined, vscode.ConfigurationTarget.Workspace);
    for (const ccid of [ASSETS, DICE]) await vscode.commands.executeCommand('chaincode.stopChaincode', ccid);
  });

  it('Create Identity: Org2MSP, a name, client, an attribute; the Identities view lists it with the attribute', async () => {
    const api = await extensionApi();
    await showSidebar();
    const running = await vscode.commands.executeCommand<RunningChaincode>('chaincode.launchChaincode', {
      folder: workspaceFolder().uri.fsPath,
      mode: 'dev',
      name: 'orgassets',
      version: '1.0',
    });
    assert.strictEqual(running?.status, 'ready', running?.lastError);

    stub = stubWindow({
      pick: (labels) => (labels.includes('Org2MSP') ? 'Org2MSP' : labels.includes('client') ? 'client' : undefined),
      input: (options) => ((options.prompt ?? '').startsWith('Name') ? 'auditor1' : (options.prompt ?? '').startsWith('Attributes') ? 'role=auditor' : undefined),
    });
    const created = await vscode.commands.executeCommand<CreatedIdentity>('chaincode.createIdentity');
    assert.ok(created, `created; errors: ${JSON.stringify(stub.errors)}`);
    assert.deepStrictEqual([created.ref, created.attributes], [{ mspId: 'Org2MSP', name: 'auditor1' }, { role: 'auditor' }]);
    assert.match(created.certFile, /org2\.example\.com\/users\/auditor1@org2\.example\.com\/msp\/signcerts\//);
    assert.deepStrictEqual(
      stub.picks.map((p) => p.labels),
      [
        ['Org1MSP', 'Org2MSP'],
        ['client', 'admin', 'peer'],
      ],
    );
    // The prompts check as they are typed, as the engine checks an identity spec.
    const [name, attributes] = stub.inputs;
    assert.match(await problem(name, 'two words'), /use 1-64 letters, digits/);
    assert.match(await problem(attributes, 'hf.Type=admin'), /'hf\.Type' is set by the CA/);
    assert.match(await problem(attributes, 'role'), /expected KEY=VALUE/);
    assert.strictEqual(await problem(attributes, 'role=auditor, dept=audit'), '');
    assert.match(stub.infos[0]?.message ?? '', /Org2MSP\/auditor1 issued by its CA/);

    const row = await identityRow('Org2MSP', 'auditor1');
    assert.strictEqual(row.description, 'client · role=auditor');
    assert.strictEqual(row.contextValue, 'identity');
    assert.strictEqual((await identityRow('Org1MSP', 'User1')).contextValue, 'currentIdentity', "the calling identity by default: chaincode.mspId's User1");
    assert.strictEqual(await vscode.commands.executeCommand('chaincode.copyCertificatePath', row), created.certFile);
    assert.strictEqual(await vscode.env.clipboard.readText(), created.certFile);
    assert.strictEqual(api.identityStatusBar.text, '$(account) Org1MSP/User1');
    await vscode.commands.executeCommand('workbench.view.extension.chaincode');
    await browser({ shot: 'host-identities-view' });
  });

  it('Invoke As… from its row: the chaincode runs as auditor1; Transactions says who called; transient data is in no record', async () => {
    const api = await extensionApi();
    stub = stubWindow(invokeAnswers(ASSETS, 'CreateAsset', ['asset-audited', 'blue', '5', 'Tomoko', '300'], JSON.stringify({ note: SECRET })));
    const result = await vscode.commands.executeCommand<ExecuteResult>('chaincode.invokeAs', await identityRow('Org2MSP', 'auditor1'));
    assert.ok(result, `the invoke ran; asked ${JSON.stringify({ picks: stub.picks.map((p) => p.labels), inputs: stub.inputs.map((i) => i.prompt), errors: stub.errors })}`);
    assert.strictEqual(result.status, 200, result.message);
    assert.strictEqual(result.validation, 'VALID');

    const engine = api.ctx.engine.current!;
    const record = engine.transactions.transaction(result.txId);
    assert.strictEqual(record?.creator.mspId, 'Org2MSP');
    assert.match(record?.creator.subject ?? '', /CN=auditor1$/);
    assert.ok(!JSON.stringify(record).includes(SECRET), 'the transient data is not in the record');

    const row = await waitFor(async () => (await api.views.transactions.snapshot()).find((r) => r.id === `tx:${result.txId}`), 5000, 'the CreateAsset row');
    assert.match(row.description ?? '', / · Org2MSP\/auditor1 · /);
    assert.match(row.tooltip ?? '', /called by Org2MSP\/auditor1/);
    const doc = await vscode.commands.executeCommand<vscode.TextEditor>('chaincode.openTransaction', row);
    const text = doc?.document.getText() ?? '';
    assert.strictEqual(JSON.parse(text).caller, 'Org2MSP/auditor1');
    assert.ok(!text.includes(SECRET), 'nor in its document');
    await browser({ shot: 'host-identities-caller' });

    // Re-run from the row: as the caller it recorded, not the calling identity (still Org1's User1).
    const rerun = await vscode.commands.executeCommand<ExecuteResult>('chaincode.rerunTransaction', row);
    assert.match(rerun?.message ?? '', /already exists/);
    assert.strictEqual(engine.transactions.transaction(rerun.txId)?.creator.mspId, 'Org2MSP');
  });

  it('Use Identity for Transactions: the status bar and the next Invoke follow it', async () => {
    const api = await extensionApi();
    await vscode.commands.executeCommand('chaincode.selectIdentity', await identityRow('Org2MSP', 'auditor1'));
    await waitFor(() => api.identityStatusBar.text === '$(account) Org2MSP/auditor1', 5000, 'the status bar to show Org2MSP/auditor1');
    assert.strictEqual(vscode.workspace.getConfiguration('chaincode').get('identity'), 'Org2MSP/auditor1');
    await waitFor(async () => (await identityRow('Org2MSP', 'auditor1')).contextValue === 'currentIdentity', 5000, 'auditor1 marked as the calling identity');
    const read = await vscode.commands.executeCommand<ExecuteResult>('chaincode.queryChaincode', { chaincodeId: ASSETS, fn: 'ReadAsset', args: ['asset-audited'] });
    assert.strictEqual(read?.status, 200, read?.message);
    assert.strictEqual(api.ctx.engine.current?.transactions.transaction(read.txId)?.creator.mspId, 'Org2MSP');
  });

  it('a non-deterministic chaincode: "ProposalResponsePayloads do not match" and a diff of the two peers\' writes; a one-org policy lets it commit', async () => {
    const api = await extensionApi();
    const folder = path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'test', 'vscode-host', 'fixtures', 'dice-contract');
    const running = await vscode.commands.executeCommand<RunningChaincode>('chaincode.launchChaincode', { folder, mode: 'dev', name: 'dice', version: '1.0' });
    assert.strictEqual(running?.status, 'ready', running?.lastError);
    // The attribute reaches ctx.clientIdentity (the calling identity is auditor1 since the last test).
    const who = await vscode.commands.executeCommand<ExecuteResult>('chaincode.queryChaincode', { chaincodeId: DICE, fn: 'WhoAmI', args: ['role'] });
    assert.deepStrictEqual([JSON.parse(who?.payload.toString() ?? '{}').mspId, JSON.parse(who?.payload.toString() ?? '{}').role], ['Org2MSP', 'auditor']);

    stub = stubWindow();
    const rolled = await vscode.commands.executeCommand<ExecuteResult>('chaincode.invokeTransaction', { chaincodeId: DICE, fn: 'RollDice', args: ['d1'], showResult: true });
    assert.ok(rolled);
    assert.strictEqual(rolled.message, 'ProposalResponsePayloads do not match');
    assert.strictEqual(rolled.validation, 'NOT_COMMITTED');
    assert.match(stub.errors[0]?.message ?? '', /ProposalResponsePayloads do not match/);
    assert.ok(stub.errors[0]?.items.includes('Show Differences'), JSON.stringify(stub.errors[0]));

    const diff = await waitFor(
      () => {
        const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
        return input instanceof vscode.TabInputTextDiff && input.modified.path.startsWith('/endorsements/') && input;
      },
      5000,
      'a diff editor of the two endorsements',
    );
    const [left, right] = await Promise.all([vscode.workspace.openTextDocument(diff.original), vscode.workspace.openTextDocument(diff.modified)]);
    const sides = [left, right].map((d) => JSON.parse(d.getText()) as { peer: string; result: unknown; writes: { key: string; value: unknown }[] });
    assert.deepStrictEqual(
      sides.map((s) => s.peer),
      ['peer0.org1.example.com', 'peer0.org2.example.com'],
    );
    assert.deepStrictEqual(
      sides.map((s) => s.writes.map((w) => w.key)),
      [['d1'], ['d1']],
    );
    assert.notStrictEqual(sides[0].writes[0].value, sides[1].writes[0].value, 'each peer wrote its own random number');
    await browser({ shot: 'host-nondeterminism-diff' });
    const resultDoc = vscode.workspace.textDocuments.find((d) => d.uri.path.startsWith('/results/RollDice'));
    assert.match(resultDoc?.getText() ?? '', /"message": "ProposalResponsePayloads do not match"/);
    assert.match(resultDoc?.getText() ?? '', /"type": "write value mismatch"/);

    // A policy Org1's peer alone satisfies: one endorsement, nothing to compare, it commits.
    await vscode.workspace.getConfiguration('chaincode').update('endorsementPolicy', "OR('Org1MSP.peer')", vscode.ConfigurationTarget.Workspace);
    await waitFor(() => api.ctx.engine.current?.transactions.definitions.get('mychannel', 'dice')?.endorsementPolicy, 5000, 'the policy in the chaincode definition');
    const again = await vscode.commands.executeCommand<ExecuteResult>('chaincode.invokeTransaction', { chaincodeId: DICE, fn: 'RollDice', args: ['d2'] });
    assert.strictEqual(again?.validation, 'VALID', again?.message);
  });

  it("the status bar's click: a pick of every org's identities, the calling one first", async () => {
    const api = await extensionApi();
    stub = stubWindow({ pick: (labels) => labels.find((l) => l === 'Org1MSP/User1') });
    await vscode.commands.executeCommand('chaincode.selectIdentity');
    const labels = stub.picks[0]?.labels ?? [];
    assert.strictEqual(labels[0], 'Org2MSP/auditor1', 'the calling identity first');
    for (const ref of ['Org1MSP/Admin', 'Org1MSP/User1', 'Org2MSP/Admin', 'Org2MSP/User1']) assert.ok(labels.includes(ref), `${ref} offered: ${labels.join(', ')}`);
    await waitFor(() => api.identityStatusBar.text === '$(account) Org1MSP/User1', 5000, 'the status bar back on Org1MSP/User1');
  });
});
