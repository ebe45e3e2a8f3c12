/**
 * The folder watcher on a real folder: one save (or several at once) is one batch; dependencies and
 * other ignored paths are neither watched nor reported; new folders are followed; a scratch file an
 * editor or sed writes and renames over the real one is not reported.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FolderWatcher, type FolderChange } from '../../../src/engine/watch/folderWatcher';
import { WatchRules } from '../../../src/engine/watch/watchRules';

const folders: string[] = [];
const watchers: FolderWatcher[] = [];

after(() => {
  for (const w of watchers) w.dispose();
  for (const dir of folders) fs.rmSync(dir, { recursive: true, force: true });
});

async function watched(files: Record<string, string>): Promise<{ dir: string; watcher: FolderWatcher; next: () => Promise<FolderChange> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'watch-folder-'));
  folders.push(dir);
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  const watcher = await FolderWatcher.start(dir, await WatchRules.forFolder(dir), { debounceMs: 150 });
  watchers.push(watcher);
  const batches: FolderChange[] = [];
  const waiting: ((c: FolderChange) => void)[] = [];
  watcher.onDidChange((c) => {
    const w = waiting.shift();
    if (w) w(c);
    else batches.push(c);
  });
  const next = (): Promise<FolderChange> => {
    const ready = batches.shift();
    return ready ? Promise.resolve(ready) : new Promise((resolve) => waiting.push(resolve));
  };
  return { dir, watcher, next };
}

describe('folder watcher', () => {
  test('saves close together are one batch; node_modules and tests are not watched or reported', async () => {
    const { dir, watcher, next } = await watched({ 'index.js': '1', 'lib/a.js': '1', 'node_modules/dep/index.js': '1', 'node_modules/dep/lib/x.js': '1', 'test/a.test.js': '1' });
    assert.deepEqual(watcher.directories, ['', 'lib']);
    fs.writeFileSync(path.join(dir, 'node_modules', 'dep', 'index.js'), '2');
    fs.writeFileSync(path.join(dir, 'test', 'a.test.js'), '2');
    fs.writeFileSync(path.join(dir, 'lib', 'a.js'), '2');
    fs.writeFileSync(path.join(dir, 'index.js'), '2');
    const batch = await next();
    assert.deepEqual(batch.files, ['index.js', 'lib/a.js']);
    assert.ok(batch.at <= performance.now());
  });

  test('a new folder is followed; a scratch file renamed over a source reports only the source', async () => {
    const { dir, next } = await watched({ 'index.js': '1' });
    fs.mkdirSync(path.join(dir, 'contracts'));
    assert.deepEqual((await next()).files, ['contracts']);
    fs.writeFileSync(path.join(dir, 'contracts', 'asset.js'), 'module.exports = 1;');
    assert.deepEqual((await next()).files, ['contracts/asset.js']);
    // What `sed -i` and some editors do: write a scratch file, rename it over the original.
    fs.writeFileSync(path.join(dir, 'contracts', 'sedX1y2z3'), 'module.exports = 2;');
    fs.renameSync(path.join(dir, 'contracts', 'sedX1y2z3'), path.join(dir, 'contracts', 'asset.js'));
    assert.deepEqual((await next()).files, ['contracts/asset.js']);
    fs.rmSync(path.join(dir, 'contracts', 'asset.js'));
    assert.deepEqual((await next()).files, ['contracts/asset.js'], 'a deleted source is a change');
  });
});
