/** Which files of a chaincode folder a watch reacts to: sources yes; dependencies, build output, tests and ignored files no. */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { typeScriptOutDir, WatchRules } from '../../../src/engine/watch/watchRules';

const folders: string[] = [];
function folder(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'watch-rules-'));
  folders.push(dir);
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

after(() => {
  for (const dir of folders) fs.rmSync(dir, { recursive: true, force: true });
});

describe('watch rules', () => {
  test('sources and manifests are watched; dependencies, tests, scratch files and the data folder are not', async () => {
    const dir = folder({ 'index.js': '', '.gitignore': 'secrets/\n*.local.js\n' });
    const rules = await WatchRules.forFolder(dir, { excluded: [path.join(dir, 'ledger')] });
    for (const kept of ['index.js', 'lib/assetTransfer.js', 'package.json', 'META-INF/statedb/couchdb/indexes/owner.json', 'main.go']) {
      assert.equal(rules.ignores(kept, false), false, kept);
    }
    for (const [ignored, isDirectory] of [
      ['node_modules', true],
      ['node_modules/fabric-shim/index.js', false],
      ['vendor', true],
      ['.git', true],
      ['.git/index', false],
      ['test', true],
      ['test/contract.js', false],
      ['lib/contract.test.js', false],
      ['src/asset.spec.ts', false],
      ['asset_test.go', false],
      ['lib/.assetTransfer.js.swp', false],
      ['lib/assetTransfer.js~', false],
      ['4913', false],
      ['npm-debug.log', false],
      ['ledger', true],
      ['ledger/blocks/000001', false],
      ['secrets', true],
      ['lib/dev.local.js', false],
    ] as const) {
      assert.equal(rules.ignores(ignored, isDirectory), true, ignored);
    }
  });

  test('TypeScript: the outDir and the build info are build output; without an outDir, compiled files beside their sources are', async () => {
    const withOutDir = folder({ 'tsconfig.json': '{\n  // comments are allowed\n  "compilerOptions": { "outDir": "./build/js" }\n}', 'src/index.ts': '' });
    assert.equal(typeScriptOutDir(withOutDir), path.join(withOutDir, 'build', 'js'));
    const rules = await WatchRules.forFolder(withOutDir, { typescript: true });
    assert.equal(rules.ignores('build/js', true), true);
    assert.equal(rules.ignores('build/js/src/index.js', false), true);
    assert.equal(rules.ignores('tsconfig.tsbuildinfo', false), true);
    assert.equal(rules.ignores('src/index.ts', false), false);
    assert.equal(rules.ignores('tsconfig.json', false), false);

    const beside = folder({ 'tsconfig.json': '{}', 'src/index.ts': '', 'src/index.js': '', 'src/plain.js': '' });
    const besideRules = await WatchRules.forFolder(beside, { typescript: true });
    assert.equal(besideRules.ignores('src/index.js', false), true, 'compiled from index.ts');
    assert.equal(besideRules.ignores('src/index.js.map', false), true);
    assert.equal(besideRules.ignores('src/index.d.ts', false), true);
    assert.equal(besideRules.ignores('src/plain.js', false), false, 'no index.ts beside it: a source');
    assert.equal((await WatchRules.forFolder(beside)).ignores('src/index.js', false), false, 'not TypeScript: a source');
  });
});
