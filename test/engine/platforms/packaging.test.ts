import assert from 'node:assert/strict';
import { utimes, writeFile, chmod } from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'node:test';
import { golangPlatform, nodePlatform, prepareBuild } from '../../../src/engine/platforms';
import { dockerToGitignore } from '../../../src/engine/platforms/ignoreRules';
import { sharedFileHashCache } from '../../../src/engine/platforms/fileHashCache';
import { collectPackage, PackageChangedError } from '../../../src/engine/platforms/packaging';
import { readTar, treesRemovedAfterTests, type TreeSpec } from './helpers';

const tree = treesRemovedAfterTests();

const paths = async (dir: string, ignoreFiles: readonly ('.gitignore' | '.npmignore')[] = ['.gitignore'], keepWhole?: string[]) =>
  (await collectPackage(dir, { ignoreFiles, ...(keepWhole ? { keepWhole } : {}) })).map((e) => e.path);

describe('packaging: what goes in', () => {
  test('.gitignore is honoured, including nested files and negation; .git is never packaged', async () => {
    const dir = await tree({
      '.gitignore': '*.log\nbuild/\n!keep.log\n',
      'main.go': 'package main',
      'debug.log': 'x',
      'keep.log': 'kept by negation',
      'build/out.bin': 'x',
      'sub/.gitignore': 'secret.txt\n',
      'sub/secret.txt': 'x',
      'sub/code.go': 'package sub',
      'other/secret.txt': 'only ignored under sub/',
      '.git/HEAD': 'ref: refs/heads/main',
      '.git/config': '[core]',
    });
    assert.deepEqual(await paths(dir), ['.gitignore', 'keep.log', 'main.go', 'other', 'other/secret.txt', 'sub', 'sub/.gitignore', 'sub/code.go']);
  });

  test('.git as a file (a worktree) is excluded as well', async () => {
    const dir = await tree({ '.git': 'gitdir: /elsewhere', 'a.txt': 'a' });
    assert.deepEqual(await paths(dir), ['a.txt']);
  });

  test("a directory .npmignore replaces its .gitignore (npm's rule)", async () => {
    const dir = await tree({
      '.gitignore': 'dist/\n',
      '.npmignore': 'test/\n',
      'package.json': '{}',
      'dist/index.js': 'compiled',
      'test/a.test.js': 'x',
    });
    assert.deepEqual(await paths(dir, ['.npmignore', '.gitignore']), ['.gitignore', '.npmignore', 'dist', 'dist/index.js', 'package.json']);
  });

  test('.dockerignore patterns are anchored at the root, as Docker reads them', async () => {
    const dir = await tree({
      '.dockerignore': '# comment\nnotes.md\n**/*.tmp\n!important.tmp\n',
      'notes.md': 'root notes: excluded',
      'docs/notes.md': 'nested: kept (dockerignore is anchored)',
      'a.tmp': 'x',
      'deep/b.tmp': 'x',
      'important.tmp': 'kept',
      'index.js': '',
    });
    assert.deepEqual(await paths(dir), ['.dockerignore', 'deep', 'docs', 'docs/notes.md', 'important.tmp', 'index.js']);
    assert.equal(dockerToGitignore('./a\n!b/c\n/d'), '/a\n!/b/c\n/d');
  });

  test('a kept folder (node_modules) is packaged whole even when ignored', async () => {
    const dir = await tree({
      '.gitignore': 'node_modules/\n*.md\n',
      'package.json': '{}',
      'node_modules/dep/index.js': 'module.exports = 1',
      'node_modules/dep/README.md': 'ignore files do not reach inside node_modules',
      'node_modules/dep/.npmignore': '*\n',
      'README.md': 'x',
    });
    assert.deepEqual(await paths(dir, ['.npmignore', '.gitignore'], ['node_modules']), [
      '.gitignore',
      'node_modules',
      'node_modules/dep',
      'node_modules/dep/.npmignore',
      'node_modules/dep/README.md',
      'node_modules/dep/index.js',
      'package.json',
    ]);
  });

  test('symlinks are packaged as links, with their target', async () => {
    const dir = await tree({ 'bin/real.js': 'x', 'bin/link': { symlink: 'real.js' } });
    const entries = await collectPackage(dir, { ignoreFiles: ['.gitignore'] });
    const link = entries.find((e) => e.path === 'bin/link');
    assert.equal(link?.type, 'symlink');
    assert.equal(link?.linkTarget, 'real.js');
  });
});

describe('packaging: the content hash and the tar', () => {
  const spec: TreeSpec = {
    'package.json': '{"name":"cc","scripts":{"start":"node index.js"}}',
    'index.js': 'console.log(1)',
    'lib/util.js': 'module.exports = {}',
    'run.sh': { content: '#!/bin/sh\n', mode: 0o755 },
  };

  test('same content in another folder, with other mtimes and umask → same hash and same bytes', async () => {
    const a = await tree(spec);
    const b = await tree(spec);
    await utimes(path.join(b, 'index.js'), new Date(2001, 1, 1), new Date(2001, 1, 1));
    await chmod(path.join(b, 'lib/util.js'), 0o600); // only the executable bit counts
    const [pa, pb] = [await prepareBuild(nodePlatform, a), await prepareBuild(nodePlatform, b)];
    assert.equal(pa.imageTag, pb.imageTag);
    assert.match(pa.imageTag, /^[0-9a-f]{64}$/);
    const [ta, tb] = [await readTar((await pa.builder()).stream), await readTar((await pb.builder()).stream)];
    assert.ok(ta.bytes.equals(tb.bytes), 'the build context is byte-for-byte reproducible');
  });

  test('the tar: Dockerfile first, code under src/ in sorted order, zero mtimes, root owner, normalised modes', async () => {
    const dir = await tree(spec);
    const prepared = await prepareBuild(nodePlatform, dir);
    const context = await prepared.builder();
    assert.equal(context.recipeHash, prepared.imageTag);
    const { entries } = await readTar(context.stream);
    assert.deepEqual(
      entries.map((e) => e.name),
      ['Dockerfile', 'src/index.js', 'src/lib/', 'src/lib/util.js', 'src/package.json', 'src/run.sh'],
    );
    assert.equal(entries[0].body.toString(), prepared.dockerfile);
    for (const e of entries) {
      assert.equal(e.mtime, 0, e.name);
      assert.equal(e.uid, 0, e.name);
      assert.equal(e.gid, 0, e.name);
    }
    assert.equal(entries.find((e) => e.name === 'src/run.sh')?.mode, 0o755);
    assert.equal(entries.find((e) => e.name === 'src/index.js')?.mode, 0o644);
    assert.equal(entries.find((e) => e.name === 'src/index.js')?.body.toString(), 'console.log(1)');
  });

  test('an edit, a new file, an exec bit or a rename changes the hash', async () => {
    const dir = await tree(spec);
    const seen = new Set([(await prepareBuild(nodePlatform, dir)).imageTag]);
    const changes: (() => Promise<void>)[] = [
      () => writeFile(path.join(dir, 'index.js'), 'console.log(2)'),
      () => writeFile(path.join(dir, 'lib/new.js'), ''),
      () => chmod(path.join(dir, 'index.js'), 0o755),
      async () => {
        const { rename } = await import('node:fs/promises');
        await rename(path.join(dir, 'lib/new.js'), path.join(dir, 'lib/renamed.js'));
      },
    ];
    for (const change of changes) {
      await change();
      const tag = (await prepareBuild(nodePlatform, dir)).imageTag;
      assert.ok(!seen.has(tag), 'every change gives a new tag');
      seen.add(tag);
    }
  });

  test('an ignored file does not change the hash', async () => {
    const dir = await tree({ ...spec, '.gitignore': '*.log\n' });
    const before = (await prepareBuild(nodePlatform, dir)).imageTag;
    await writeFile(path.join(dir, 'debug.log'), 'noise');
    assert.equal((await prepareBuild(nodePlatform, dir)).imageTag, before);
  });

  test('the base image is part of the hash', async () => {
    const dir = await tree(spec);
    const a = await prepareBuild(nodePlatform, dir, { baseImages: { node: 'one:1' } });
    const b = await prepareBuild(nodePlatform, dir, { baseImages: { node: 'two:1' } });
    assert.notEqual(a.imageTag, b.imageTag);
  });

  test('a file changed between hashing and building fails the context instead of mislabelling the image', async () => {
    const dir = await tree(spec);
    const prepared = await prepareBuild(nodePlatform, dir);
    await writeFile(path.join(dir, 'index.js'), 'console.log("changed meanwhile")');
    const context = await prepared.builder();
    await assert.rejects(readTar(context.stream), PackageChangedError);
  });

  test('platform checks: Node needs package.json, Go needs go.mod', async () => {
    const dir = await tree({ 'main.go': 'package main' });
    await assert.rejects(nodePlatform.plan(dir), /no package.json/);
    await assert.rejects(golangPlatform.plan(dir), /no go.mod/);
  });

  test('the hash cache: unchanged files are not re-read; a same-size rewrite with the old mtime is still seen', async () => {
    const dir = await tree({ 'a.txt': 'aaaa', 'fresh.txt': 'just written' });
    const old = new Date(Date.now() - 60_000);
    await utimes(path.join(dir, 'a.txt'), old, old);
    const hashOf = async (): Promise<string | undefined> => (await collectPackage(dir, { ignoreFiles: [] })).find((e) => e.path === 'a.txt')?.sha256;
    const before = sharedFileHashCache.size;
    const first = await hashOf();
    assert.equal(sharedFileHashCache.size, before + 1, 'the old file is remembered; the one written just now is not (racy)');
    assert.equal(await hashOf(), first);
    await writeFile(path.join(dir, 'a.txt'), 'bbbb'); // same size…
    await utimes(path.join(dir, 'a.txt'), old, old); // …and the same mtime: only the ctime moved
    const second = await hashOf();
    assert.notEqual(second, first);
  });
});
