/**
 * Symbolic links in a chaincode folder, in the image's build context: kept as links where their
 * target travels with them, followed where it does not, refused where they cannot be followed.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { symlink } from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'node:test';
import { nodePlatform, prepareBuild } from '../../../src/engine/platforms';
import { collectPackage } from '../../../src/engine/platforms/packaging';
import { SymlinkError } from '../../../src/engine/platforms/symlinks';
import { readTar, treesRemovedAfterTests } from './helpers';

const tree = treesRemovedAfterTests();
const collect = (dir: string, ignoreFiles: readonly '.gitignore'[] = []) => collectPackage(dir, { ignoreFiles });
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

describe('packaging: symbolic links', () => {
  test('relative links inside the folder stay links (to a file and to a folder), their targets packaged too', async () => {
    const dir = await tree({ 'lib/real.js': 'x', 'lib/link.js': { symlink: 'real.js' }, alias: { symlink: 'lib' }, 'bin/up': { symlink: '../lib/real.js' } });
    const entries = await collect(dir);
    const byPath = new Map(entries.map((e) => [e.path, e]));
    assert.deepEqual([...byPath.keys()], ['alias', 'bin', 'bin/up', 'lib', 'lib/link.js', 'lib/real.js']);
    assert.deepEqual([byPath.get('lib/link.js')?.type, byPath.get('lib/link.js')?.linkTarget], ['symlink', 'real.js']);
    assert.deepEqual([byPath.get('alias')?.type, byPath.get('alias')?.linkTarget], ['symlink', 'lib']);
    assert.deepEqual([byPath.get('bin/up')?.type, byPath.get('bin/up')?.linkTarget], ['symlink', '../lib/real.js']);
  });

  test('an absolute link into the folder is written relative, so it works in the image', async () => {
    const dir = await tree({ 'lib/real.js': 'x' });
    await symlink(path.join(dir, 'lib', 'real.js'), path.join(dir, 'entry.js'));
    const link = (await collect(dir)).find((e) => e.path === 'entry.js');
    assert.deepEqual([link?.type, link?.linkTarget], ['symlink', 'lib/real.js']);
  });

  test('an absolute link to a file outside the folder is packaged as that file (Fabric: the content, as a regular file)', async () => {
    const outside = await tree({ 'shared/config.json': '{"shared":true}', 'tool.sh': { content: '#!/bin/sh\n', mode: 0o755 } });
    const dir = await tree({
      'package.json': '{"name":"cc","main":"index.js"}',
      'index.js': '',
      'config.json': { symlink: path.join(outside, 'shared', 'config.json') },
      'tool.sh': { symlink: path.join(outside, 'tool.sh') },
    });
    const entries = await collect(dir);
    const config = entries.find((e) => e.path === 'config.json');
    assert.deepEqual([config?.type, config?.sha256, config?.mode, config?.size], ['file', sha256('{"shared":true}'), 0o644, 15]);
    assert.equal(entries.find((e) => e.path === 'tool.sh')?.mode, 0o755, "the target's exec bit");

    // In the build context: a regular file with the content, no link pointing at this machine's paths.
    const { entries: tar } = await readTar((await (await prepareBuild(nodePlatform, dir)).builder()).stream);
    const packed = tar.find((e) => e.name === 'src/config.json');
    assert.deepEqual([packed?.type, packed?.body.toString()], ['file', '{"shared":true}']);
    assert.deepEqual(
      tar.filter((e) => e.type === 'symlink'),
      [],
    );
  });

  test('a link to a folder outside is packaged as that folder, ignore rules applied as if it were here', async () => {
    const outside = await tree({ 'lib/a.js': 'a', 'lib/b.log': 'noise', 'lib/deep/c.js': 'c', 'lib/same': { symlink: 'a.js' } });
    const dir = await tree({ '.gitignore': '*.log\n', shared: { symlink: path.join(outside, 'lib') } });
    const entries = await collect(dir, ['.gitignore']);
    assert.deepEqual(
      entries.map((e) => `${e.type} ${e.path}`),
      ['file .gitignore', 'directory shared', 'file shared/a.js', 'directory shared/deep', 'file shared/deep/c.js', 'file shared/same'],
    );
  });

  test('node_modules linked from elsewhere (npm link, a workspace) is packaged whole', async () => {
    const outside = await tree({ 'node_modules/dep/index.js': 'module.exports = 1' });
    const dir = await tree({ '.gitignore': 'node_modules/\n', 'package.json': '{}', node_modules: { symlink: path.join(outside, 'node_modules') } });
    const paths = (await collectPackage(dir, { ignoreFiles: ['.gitignore'], keepWhole: ['node_modules'] })).map((e) => e.path);
    assert.deepEqual(paths, ['.gitignore', 'node_modules', 'node_modules/dep', 'node_modules/dep/index.js', 'package.json']);
  });

  test('a link whose target is missing is refused, naming the link', async () => {
    const dir = await tree({ 'index.js': '', 'config.json': { symlink: '/nonexistent/ccl/config.json' } });
    await assert.rejects(collect(dir), (err: Error) => {
      assert.ok(err instanceof SymlinkError);
      assert.match(err.message, /^config\.json is a symbolic link to \/nonexistent\/ccl\/config\.json, a path that does not exist/);
      return true;
    });
  });

  test('a link to a folder that holds the chaincode folder is refused: following it would never end', async () => {
    const dir = await tree({ 'index.js': '', 'sub/up': { symlink: '../..' } });
    await assert.rejects(
      collect(dir),
      (err: Error) => err instanceof SymlinkError && /sub\/up is a symbolic link to .*holds the chaincode folder: following it would never end/.test(err.message),
    );
  });

  test('a link to an ignored file inside the folder is refused (it would dangle in the image)', async () => {
    const dir = await tree({ '.gitignore': 'secret.txt\n', 'secret.txt': 's', 'visible.txt': { symlink: 'secret.txt' } });
    await assert.rejects(
      collect(dir, ['.gitignore']),
      (err: Error) => err instanceof SymlinkError && /^visible\.txt is a symbolic link to secret\.txt, which is not packaged/.test(err.message),
    );
  });
});
