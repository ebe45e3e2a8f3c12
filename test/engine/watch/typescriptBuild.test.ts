/** Which build is a TypeScript project's own: its compiler in build mode when the build script is the compiler alone, else the script. */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { typeScriptBuildOf } from '../../../src/engine/watch/typescriptBuild';

const roots: string[] = [];
after(() => {
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
});

/** A project folder with a compiler installed (a stand-in file: nothing runs it here). */
function project(scripts: Record<string, string> | undefined, files: readonly string[] = ['tsconfig.json'], compiler = true): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-build-'));
  roots.push(root);
  const folder = path.join(root, 'cc');
  fs.mkdirSync(folder);
  fs.writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ name: 'cc', scripts }));
  for (const f of files) fs.writeFileSync(path.join(folder, f), '{}');
  if (compiler) {
    // Above the folder, as in a workspace whose node_modules is hoisted: Node's resolution walks up.
    fs.mkdirSync(path.join(root, 'node_modules', 'typescript', 'bin'), { recursive: true });
    fs.writeFileSync(path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '');
  }
  return folder;
}

describe('the TypeScript build of a project', () => {
  test('a build script that is the compiler alone: the compiler, on the tsconfig it names, in the mode it uses', () => {
    const plain = project({ build: 'tsc' });
    assert.deepEqual(typeScriptBuildOf(plain), {
      kind: 'tsc',
      folder: plain,
      tsc: path.join(path.dirname(plain), 'node_modules', 'typescript', 'bin', 'tsc'),
      project: path.join(plain, 'tsconfig.json'),
      buildMode: false,
    });
    const named = project({ build: 'tsc -p tsconfig.build.json' }, ['tsconfig.build.json']);
    assert.deepEqual([typeScriptBuildOf(named)?.kind, (typeScriptBuildOf(named) as { project: string }).project], ['tsc', path.join(named, 'tsconfig.build.json')]);
    const buildMode = project({ build: 'tsc --build' });
    assert.equal((typeScriptBuildOf(buildMode) as { buildMode: boolean }).buildMode, true);
  });

  test('any other build script is run as it is; no script: the compiler on tsconfig.json; neither: no build', () => {
    const steps = project({ build: 'rimraf dist && tsc' });
    assert.deepEqual(typeScriptBuildOf(steps), { kind: 'script', folder: steps });
    const noScript = project(undefined);
    assert.equal(typeScriptBuildOf(noScript)?.kind, 'tsc');
    assert.equal((typeScriptBuildOf(noScript) as { buildMode: boolean }).buildMode, true);
    assert.equal(typeScriptBuildOf(project(undefined, [])), undefined);
    // The compiler is not installed: npm run build runs it (and says it is missing in its own words).
    const notInstalled = project({ build: 'tsc' }, ['tsconfig.json'], false);
    assert.deepEqual(typeScriptBuildOf(notInstalled), { kind: 'script', folder: notInstalled });
  });
});
