/**
 * What each language's package holds, as Fabric's platforms package it, and that it is what the
 * peer's builder needs: a TypeScript package carries its compiled output (the Node builder only
 * installs), a Go package its vendored dependencies (it builds offline), a Java package its
 * project without build outputs.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'node:test';
import { createLifecyclePackage } from '../../../src/engine/platforms/lifecyclePackage';
import { PackageSourceError } from '../../../src/engine/platforms/packageSources';
import { fixtureSkip, repoRoot, requireFixture } from '../../support/toolchains';
import { goToolchain, treesRemovedAfterTests, typescriptChaincodeSpec } from './helpers';
import { readLifecyclePackage } from './lifecycleReader';

const tree = treesRemovedAfterTests();

const typescriptChaincode = async (): Promise<string> => tree(await typescriptChaincodeSpec());

describe('lifecycle package: TypeScript', () => {
  test('the build runs first and the package holds its output with the sources, package.json and tsconfig, not node_modules', async () => {
    const dir = await typescriptChaincode();
    const steps: string[] = [];
    const pkg = await createLifecyclePackage({ folder: dir, onProgress: (step) => steps.push(step) });
    assert.deepEqual(steps, ['building (npm run build)', 'packaging']);
    const { code, metadataText } = await readLifecyclePackage(pkg.bytes);
    assert.deepEqual(
      code.map((e) => e.name),
      ['src/.gitignore', 'src/dist/index.js', 'src/package.json', 'src/src/index.ts', 'src/tsconfig.json'],
    );
    assert.match(code.find((e) => e.name === 'src/dist/index.js')!.body.toString(), /CounterContract/);
    assert.equal(JSON.parse(metadataText).type, 'node', 'TypeScript runs on the Node platform');
  });

  test('without the build (--no-build) and no compiled output: refused, saying what to do', async () => {
    const dir = await typescriptChaincode();
    await assert.rejects(
      createLifecyclePackage({ folder: dir, build: false }),
      (err: Error) =>
        err instanceof PackageSourceError && /^dist\/index\.js, package\.json's main, is missing .*; build it \(npm run build\), then package again$/.test(err.message),
    );
  });

  test('a build that fails is reported with its output', async () => {
    const dir = await typescriptChaincode();
    await writeFile(path.join(dir, 'src', 'broken.ts'), 'const x: number = "text";\n');
    await assert.rejects(
      createLifecyclePackage({ folder: dir }),
      (err: Error) => err instanceof PackageSourceError && /^npm run build failed in .*\n[\s\S]*TS2322/.test(err.message),
    );
  });
});

const go = goToolchain('Go packages vendor with go mod vendor');

describe('lifecycle package: Go', { skip: fixtureSkip(go) }, () => {
  const fixture = path.join(repoRoot(), 'test', 'fixtures', 'go', 'v2');

  test('the module with its dependencies vendored: folder entries first, files sorted, and it builds offline as the peer builds it', async () => {
    requireFixture(go);
    const pkg = await createLifecyclePackage({ folder: fixture });
    const { code, codeHeaders, metadataText } = await readLifecyclePackage(pkg.bytes);
    const metadata = JSON.parse(metadataText) as { path: string; type: string };
    assert.deepEqual(metadata, { path: 'chaincode-launcher/test/fixtures/go/v2', type: 'golang', label: 'go_1.0' });

    const folders = codeHeaders.filter((h) => h.typeflag === '5');
    const files = codeHeaders.filter((h) => h.typeflag === '0');
    assert.deepEqual(
      codeHeaders.map((h) => h.typeflag),
      [...folders.map(() => '5'), ...files.map(() => '0')],
      'every folder before every file',
    );
    const names = (list: typeof codeHeaders): string[] => list.map((h) => (h.prefix ? `${h.prefix}/${h.name}` : h.name));
    assert.deepEqual(names(folders), [...names(folders)].sort(), 'folders sorted');
    assert.deepEqual(names(files), [...names(files)].sort(), 'files sorted');
    for (const h of folders) assert.deepEqual([h.modeText, h.uid, h.gid], ['0100755', 500, 500]);
    for (const h of files) assert.deepEqual([h.modeText, h.uid, h.gid], ['0100644', 500, 500]);
    for (const file of ['src/go.mod', 'src/go.sum', 'src/main.go', 'src/vendor/modules.txt']) assert.ok(names(files).includes(file), file);
    assert.ok(
      names(files).some((n) => n.startsWith('src/vendor/github.com/hyperledger/fabric-chaincode-go/v2/shim/')),
      'the shim is vendored',
    );
    assert.ok(names(folders).includes('src/'));

    // The peer's Go builder: `go build -mod=vendor <metadata path>` in src/, here with no network at all
    // (-trimpath as the fixtures are built, so the build cache serves the vendored packages).
    const unpacked = await tree({});
    for (const entry of code.filter((e) => e.type === 'file')) {
      await mkdir(path.dirname(path.join(unpacked, entry.name)), { recursive: true });
      await writeFile(path.join(unpacked, entry.name), entry.body);
    }
    execFileSync(requireFixture(go), ['build', '-trimpath', '-o', path.join(unpacked, 'chaincode'), metadata.path], {
      cwd: path.join(unpacked, 'src'),
      env: { ...process.env, GOFLAGS: '-mod=vendor', GOPROXY: 'off', GOTOOLCHAIN: 'local', GOWORK: 'off', CGO_ENABLED: '0' },
    });
  });

  test('without vendoring: the module alone; hidden folders out, META-INF at the root, a linked file as its content', async () => {
    const outside = await tree({ 'shared.go': 'package main\n' });
    const dir = await tree({
      'go.mod': 'module example.com/cc\n\ngo 1.21\n\nrequire github.com/hyperledger/fabric-chaincode-go/v2 v2.0.0\n',
      'main.go': 'package main\n',
      '.gitignore': 'kept: only hidden folders are left out',
      '.idea/workspace.xml': 'hidden folder',
      'internal/util.go': 'package internal\n',
      'internal/util_test.go': 'package internal\n',
      'META-INF/statedb/couchdb/indexes/owner.json': '{"index":{"fields":["owner"]}}',
      'linked.go': { symlink: path.join(outside, 'shared.go') },
    });
    const pkg = await createLifecyclePackage({ folder: dir, vendor: false });
    const { code, metadataText } = await readLifecyclePackage(pkg.bytes);
    assert.equal(JSON.parse(metadataText).path, 'example.com/cc');
    assert.deepEqual(
      code.map((e) => e.name),
      [
        'META-INF/',
        'META-INF/statedb/',
        'META-INF/statedb/couchdb/',
        'META-INF/statedb/couchdb/indexes/',
        'src/',
        'src/internal/',
        'META-INF/statedb/couchdb/indexes/owner.json',
        'src/.gitignore',
        'src/go.mod',
        'src/internal/util.go',
        'src/internal/util_test.go',
        'src/linked.go',
        'src/main.go',
      ],
    );
    assert.equal(code.find((e) => e.name === 'src/linked.go')?.type, 'file');
    assert.equal(code.find((e) => e.name === 'src/linked.go')?.body.toString(), 'package main\n');
  });
});

test('lifecycle package: Go dependencies cannot be vendored without Go: refused, saying how to package anyway', async () => {
  const dir = await tree({ 'go.mod': 'module example.com/cc\n\ngo 1.21\n\nrequire github.com/hyperledger/fabric-chaincode-go/v2 v2.0.0\n', 'main.go': 'package main\n' });
  const savedPath = process.env.PATH;
  process.env.PATH = '/nonexistent';
  try {
    await assert.rejects(
      createLifecyclePackage({ folder: dir }),
      (err: Error) =>
        err instanceof PackageSourceError &&
        err.message === 'go mod vendor needs go, which is not on the PATH: install Go, or package without vendoring (the peer then downloads the modules)',
    );
  } finally {
    process.env.PATH = savedPath;
  }
  assert.ok((await createLifecyclePackage({ folder: dir, vendor: false })).codeEntries.includes('src/main.go'));
});

describe('lifecycle package: Java', () => {
  test("the project as Fabric's Java platform packages it: no target/, build/, out/ (at any depth) or .class files", async () => {
    const dir = await tree({
      'pom.xml': '<project><dependencies><dependency><artifactId>fabric-chaincode-shim</artifactId></dependency></dependencies></project>',
      'src/main/java/org/example/Contract.java': 'class Contract {}',
      'src/main/java/org/example/Contract.class': 'compiled',
      'src/main/java/org/example/build/Helper.java': "in a folder named build: Fabric's rule leaves it out too",
      'target/cc.jar': 'jar',
      'build/libs/cc.jar': 'jar',
      'out/x': 'x',
      '.gradle/cache': 'cache',
      gradlew: { content: '#!/bin/sh\n', mode: 0o755 },
    });
    const pkg = await createLifecyclePackage({ folder: dir, label: 'java_1' });
    const { code, codeHeaders, metadataText } = await readLifecyclePackage(pkg.bytes);
    assert.equal(JSON.parse(metadataText).type, 'java');
    assert.deepEqual(
      code.map((e) => e.name),
      ['src/gradlew', 'src/pom.xml', 'src/src/main/java/org/example/Contract.java'],
    );
    assert.equal(codeHeaders[0].modeText, '0100644', 'every file 0100644, an executable too (WriteFileToPackage)');
  });
});
