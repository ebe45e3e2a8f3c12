/**
 * Chaincode: New Project in the real editor, for JavaScript and TypeScript: the command writes the
 * project and installs it (npm, from its cache) under its progress notification, then Launch
 * Chaincode runs it in dev mode and an invoke commits. Arguments skip the prompts and the opening.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { RunningChaincode } from '../../src/engine/launch/types';
import type { ExecuteResult } from '../../src/engine/transactions/types';
import { functionsFromMetadata, GET_METADATA } from '../../src/vscode/commands/contractMetadata';
import type { NewProjectResult } from '../../src/vscode/commands/newProject';
import { EXTENSION_ID, extensionApi } from './support';

const ASSET = { ID: 'asset1', Color: 'blue', Size: 5, Owner: 'Tomoko', AppraisedValue: 300 };

describe('New Project: write, install, launch, invoke', function () {
  this.timeout(240_000);
  let parent = '';
  const launched: string[] = [];

  before(() => {
    parent = fs.mkdtempSync(path.join(os.tmpdir(), 'host-new-project-'));
  });

  after(async () => {
    for (const ccid of launched) await vscode.commands.executeCommand('chaincode.stopChaincode', ccid);
    fs.rmSync(parent, { recursive: true, force: true });
  });

  for (const [language, name, main] of [
    ['node', 'host-assets', 'index.js'],
    ['typescript', 'HostAssetsTs', 'dist/src/index.js'],
  ] as const) {
    it(`${language}: New Project writes and installs the project, and it launches and commits CreateAsset`, async () => {
      const api = await extensionApi();
      const result = await vscode.commands.executeCommand<NewProjectResult>('chaincode.newProject', { language, parent, name, open: false });
      assert.ok(result, 'New Project returned its result (an error would have been shown instead)');
      assert.deepStrictEqual(result, { folder: path.join(parent, name), language, name, installed: true });
      assert.ok(fs.existsSync(path.join(result.folder, 'node_modules', 'fabric-contract-api')), 'dependencies installed');
      assert.ok(fs.existsSync(path.join(result.folder, main)), `${main} exists (TypeScript: built)`);

      const ccid = `${name}:1.0.0`;
      const running = await vscode.commands.executeCommand<RunningChaincode>('chaincode.launchChaincode', { folder: result.folder, mode: 'dev', name, version: '1.0.0' });
      assert.strictEqual(running?.status, 'ready');
      launched.push(ccid);

      const engine = api.ctx.engine.current;
      assert.ok(engine, 'the peer is running');
      const meta = await engine.transactions.execute({ chaincode: ccid, args: [GET_METADATA], kind: 'query' });
      const names = functionsFromMetadata(meta.payload.toString('utf8'))
        .map((f) => f.name)
        .sort();
      assert.deepStrictEqual(names, ['AssetExists', 'CreateAsset', 'DeleteAsset', 'GetAllAssets', 'ReadAsset', 'UpdateAsset']);

      const created = await vscode.commands.executeCommand<ExecuteResult>('chaincode.invokeTransaction', {
        chaincodeId: ccid,
        fn: 'CreateAsset',
        args: ['asset1', 'blue', '5', 'Tomoko', '300'],
      });
      assert.strictEqual(created?.status, 200, created?.message);
      assert.strictEqual(created.validation, 'VALID');
      const read = await vscode.commands.executeCommand<ExecuteResult>('chaincode.queryChaincode', { chaincodeId: ccid, fn: 'ReadAsset', args: ['asset1'] });
      assert.deepStrictEqual(JSON.parse(read?.payload.toString() ?? '{}'), ASSET);
    });
  }

  it('refuses a folder that is not empty and writes nothing', async () => {
    const taken = path.join(parent, 'taken');
    fs.mkdirSync(taken);
    fs.writeFileSync(path.join(taken, 'mine.txt'), 'mine');
    const result = await vscode.commands.executeCommand<NewProjectResult | undefined>('chaincode.newProject', {
      language: 'go',
      parent,
      name: 'taken',
      open: false,
      install: false,
    });
    assert.strictEqual(result, undefined, 'the command failed (its error is shown to the user)');
    assert.deepStrictEqual(fs.readdirSync(taken), ['mine.txt']);
  });

  it('the Get started walkthrough: its media exist, and its steps complete on commands that exist', async () => {
    await extensionApi();
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    const walkthroughs = (ext.packageJSON as { contributes: { walkthroughs: { id: string; steps: { id: string; media: { markdown: string }; completionEvents: string[] }[] }[] } })
      .contributes.walkthroughs;
    const getStarted = walkthroughs.find((w) => w.id === 'getStarted');
    assert.ok(getStarted, 'the walkthrough is contributed');
    assert.deepStrictEqual(
      getStarted.steps.map((s) => s.id),
      ['openOrCreate', 'debug', 'invoke', 'worldState', 'transaction'],
    );
    const commands = new Set(await vscode.commands.getCommands(true));
    for (const step of getStarted.steps) {
      assert.ok(fs.existsSync(path.join(ext.extensionPath, step.media.markdown)), `${step.media.markdown} is in the extension`);
      const onCommand = step.completionEvents.filter((e) => e.startsWith('onCommand:')).map((e) => e.slice('onCommand:'.length));
      assert.ok(onCommand.length > 0, `${step.id} completes on a command`);
      for (const id of onCommand) assert.ok(commands.has(id), `${id} (completing ${step.id}) is a registered command`);
    }
  });
});
