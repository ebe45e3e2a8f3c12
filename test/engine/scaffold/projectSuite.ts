/**
 * One language's New Project, end to end: write the project into a temp folder, install its
 * dependencies (npm from its cache, Go from the module proxy, Maven Central), run the project's own
 * unit tests, then launch it in dev mode against the embedded peer and run its transactions.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { LANGUAGES, runProjectTests, type NewProject, type ScaffoldLanguage } from '../../../src/engine/scaffold';
import { functionsFromMetadata, GET_METADATA } from '../../../src/vscode/commands/contractMetadata';
import { installedProject, launchDevMode, LaunchedProject, tempDir, toolchainSkip } from './projectRun';

/** What each test runner prints when the template's four tests passed. */
const PASSED: Readonly<Record<ScaffoldLanguage, RegExp>> = {
  node: /4 passing/,
  typescript: /4 passing/,
  go: /^ok\s+\S+/m,
  java: /Tests run: 4, Failures: 0, Errors: 0, Skipped: 0/,
};

const ASSET = { ID: 'asset1', Color: 'blue', Size: 5, Owner: 'Tomoko', AppraisedValue: 300 };

export function describeNewProject(language: ScaffoldLanguage, name: string, timeoutMs: number): void {
  describe(`New Project in ${LANGUAGES[language].label}`, { skip: toolchainSkip(language), timeout: timeoutMs }, () => {
    let root = '';
    let project: NewProject;
    let launched: LaunchedProject | undefined;

    before(async () => {
      root = tempDir(`new-${language}-`);
      project = (await installedProject(language, path.join(root, name), name)).project;
    });

    after(async () => {
      await launched?.stop();
      if (root) fs.rmSync(root, { recursive: true, force: true });
    });

    test("the project's own unit tests pass", async () => {
      const lines: string[] = [];
      await runProjectTests(project.folder, language, { onLine: (l) => lines.push(l.line) });
      assert.match(lines.join('\n'), PASSED[language], lines.slice(-30).join('\n'));
    });

    test('it launches in dev mode and its create, read and list transactions run on the embedded peer', async () => {
      launched = await launchDevMode(project.folder, path.join(root, 'peer'));
      assert.equal(launched.ccid.split(':')[0], name, 'the chaincode is named after the project');
      // The editor's Invoke picks functions from the contract's metadata: all six are there.
      const meta = await launched.engine.transactions.execute({ chaincode: launched.ccid, args: [GET_METADATA], kind: 'query' });
      assert.equal(meta.status, 200, meta.message);
      const fns = functionsFromMetadata(meta.payload.toString('utf8'));
      assert.deepEqual(fns.map((f) => f.name).sort(), ['AssetExists', 'CreateAsset', 'DeleteAsset', 'GetAllAssets', 'ReadAsset', 'UpdateAsset']);
      assert.ok(
        fns.every((f) => f.contract === project.contractClass),
        `contract named after the project: ${fns.map((f) => f.contract).join(', ')}`,
      );
      const created = await launched.invoke('CreateAsset', 'asset1', 'blue', '5', 'Tomoko', '300');
      assert.equal(created.status, 200, `${created.message}\n${launched.output()}`);
      assert.equal(created.validation, 'VALID');
      assert.deepEqual(
        created.readWriteSet.writes.map((w) => w.key),
        ['asset1'],
      );
      const read = await launched.invoke('ReadAsset', 'asset1');
      assert.equal(read.status, 200, read.message);
      assert.deepEqual(JSON.parse(read.payload.toString('utf8')), ASSET);
      assert.equal((await launched.invoke('AssetExists', 'asset1')).payload.toString('utf8'), 'true');
      const all = await launched.invoke('GetAllAssets');
      assert.deepEqual(JSON.parse(all.payload.toString('utf8')), [ASSET]);
      const missing = await launched.invoke('ReadAsset', 'nosuch');
      assert.equal(missing.status, 500);
      assert.match(missing.message, /The asset nosuch does not exist/);
    });
  });
}
