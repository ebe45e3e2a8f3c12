import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  DEFAULT_BASE_IMAGES,
  detectPlatform,
  golangPlatform,
  javaPlatform,
  nodePlatform,
  platformFor,
  prepareBuild,
} from '../../../src/engine/platforms';
import { golangDockerfile } from '../../../src/engine/platforms/golang';
import { findPrebuiltJar, javaDockerfile, JAVA_JAR_PATH } from '../../../src/engine/platforms/java';
import { nodeContextPath, nodeDockerfile, shellQuote } from '../../../src/engine/platforms/node';
import { readTar, treesRemovedAfterTests, type TreeSpec } from './helpers';

const tree = treesRemovedAfterTests();

const runLines = (dockerfile: string): string[] => dockerfile.split('\n').filter((l) => l.startsWith('RUN '));

describe('Node platform', () => {
  test("argv is Fabric's: sh -c 'cd /usr/local/src && npm start -- --peer.address <addr>' plus extra args", () => {
    assert.deepEqual(nodePlatform.chaincodeArgs('127.0.0.1:7052'), [
      '/bin/sh',
      '-c',
      'cd /usr/local/src && npm start -- --peer.address 127.0.0.1:7052',
    ]);
    assert.deepEqual(nodePlatform.chaincodeArgs('127.0.0.1:7052', ['--inspect', "it's"])[2], `cd /usr/local/src && npm start -- --peer.address 127.0.0.1:7052 --inspect 'it'\\''s'`);
    assert.equal(shellQuote('a b'), "'a b'");
  });

  test('Dockerfile: packaged node_modules in a layer of its own, then the code; nothing to install; no CMD', () => {
    const dockerfile = nodeDockerfile({ baseImage: 'base:1', hasNodeModules: true, manifests: ['package.json'], needsBuild: false });
    assert.deepEqual(dockerfile.split('\n').slice(0, 4), [
      'FROM base:1',
      'WORKDIR /usr/local/src',
      'COPY deps/ /usr/local/src/',
      'COPY src/ /usr/local/src/',
    ]);
    assert.match(dockerfile, /org\.hyperledger\.fabric\.chaincode\.type="NODE"/);
    assert.deepEqual(runLines(dockerfile), []);
    assert.doesNotMatch(dockerfile, /^(CMD|ENTRYPOINT)/m, 'the peer supplies the command');
  });

  test('the context keeps node_modules apart from the code', () => {
    assert.equal(nodeContextPath('node_modules'), 'deps/node_modules');
    assert.equal(nodeContextPath('node_modules/a/index.js'), 'deps/node_modules/a/index.js');
    assert.equal(nodeContextPath('node_modules_extra.js'), 'src/node_modules_extra.js');
    assert.equal(nodeContextPath('lib/x.js'), 'src/lib/x.js');
  });

  test('Dockerfile without node_modules: manifests first, production install (ci with a lock file), then the code', () => {
    const withLock = nodeDockerfile({ baseImage: 'b', hasNodeModules: false, manifests: ['package.json', 'package-lock.json'], needsBuild: false });
    assert.deepEqual(withLock.split('\n').slice(1, 5), [
      'WORKDIR /usr/local/src',
      'COPY src/package.json src/package-lock.json /usr/local/src/',
      'RUN npm ci --no-audit --no-fund --omit=dev',
      'COPY src/ /usr/local/src/',
    ]);
    const noLock = nodeDockerfile({ baseImage: 'b', hasNodeModules: false, manifests: ['package.json'], needsBuild: false });
    assert.deepEqual(runLines(noLock), ['RUN npm install --no-audit --no-fund --omit=dev']);
  });

  test('Dockerfile: TypeScript whose output is missing is built (with dev dependencies, then pruned)', () => {
    assert.deepEqual(runLines(nodeDockerfile({ baseImage: 'b', hasNodeModules: true, manifests: ['package.json'], needsBuild: true })), ['RUN npm run build']);
    assert.deepEqual(runLines(nodeDockerfile({ baseImage: 'b', hasNodeModules: false, manifests: ['package.json', 'package-lock.json'], needsBuild: true })), [
      'RUN npm ci --no-audit --no-fund',
      'RUN npm run build && npm prune --omit=dev --no-audit --no-fund',
    ]);
  });

  test('plan: a TS project with dist/ git-ignored needs the build; with dist/ present it does not', async () => {
    const ts: TreeSpec = {
      '.gitignore': 'dist/\n',
      'package.json': JSON.stringify({ main: 'dist/index.js', scripts: { build: 'tsc', start: 'fabric-chaincode-node start' } }),
      'src/index.ts': 'export {}',
      'dist/index.js': 'compiled, but ignored',
      'node_modules/typescript/package.json': '{}',
    };
    const plan = await nodePlatform.plan(await tree(ts));
    assert.deepEqual(runLines(plan.dockerfile), ['RUN npm run build']);
    assert.match(plan.dockerfile, new RegExp(`^FROM ${DEFAULT_BASE_IMAGES.node}$`, 'm'));

    const shipped = await nodePlatform.plan(await tree({ ...ts, '.gitignore': '', '.npmignore': 'src/\n' }));
    assert.deepEqual(runLines(shipped.dockerfile), []);
    assert.ok(!shipped.entries.some((e) => e.path.startsWith('src/')), '.npmignore applied');
  });

  test('detect: package.json', async () => {
    assert.equal(await nodePlatform.detect(await tree({ 'package.json': '{}' })), true);
    assert.equal(await nodePlatform.detect(await tree({ 'index.js': '' })), false);
  });
});

describe('Go platform', () => {
  test("argv is Fabric's: chaincode -peer.address=<addr>", () => {
    assert.deepEqual(golangPlatform.chaincodeArgs('127.0.0.1:7052'), ['chaincode', '-peer.address=127.0.0.1:7052']);
  });

  test('Dockerfile: multi-stage, builder compiles a static binary, runtime copies it to /usr/local/bin', () => {
    const dockerfile = golangDockerfile({ builderImage: 'ccenv:1', runtimeImage: 'baseos:1', vendored: false });
    const from = dockerfile.split('\n').filter((l) => l.startsWith('FROM '));
    assert.deepEqual(from, ['FROM ccenv:1 AS builder', 'FROM baseos:1']);
    assert.match(dockerfile, /RUN CGO_ENABLED=0 GOFLAGS=-mod=readonly .*go build -trimpath -o \/chaincode\/output\/chaincode \./);
    assert.match(dockerfile, /GOCACHE="\$\{GOCACHE:-\/tmp\/go-cache\}"/, "the image's own cache is used when it has one");
    assert.match(dockerfile, /^COPY --from=builder \/chaincode\/output\/chaincode \/usr\/local\/bin\/chaincode$/m);
    assert.match(dockerfile, /chaincode\.type="GOLANG"/);
  });

  test('plan: vendor/ → -mod=vendor; a GOPROXY setting is passed to the build', async () => {
    const dir = await tree({
      'go.mod': 'module example.com/cc\n\ngo 1.21\n',
      'main.go': 'package main\nfunc main() {}\n',
      'vendor/modules.txt': '# example.com/dep v0.1.0\n',
    });
    const plan = await golangPlatform.plan(dir, { goProxy: 'off', baseImages: { golangBuilder: 'b:1', golangRuntime: 'r:1' } });
    assert.match(plan.dockerfile, /GOFLAGS=-mod=vendor/);
    assert.match(plan.dockerfile, /GOPROXY=off/);
    assert.deepEqual(plan.baseImages, ['b:1', 'r:1']);
    assert.equal(await golangPlatform.detect(dir), true);
  });
});

describe('Java platform', () => {
  test('argv: java -jar <jar> --peerAddress <addr>', () => {
    assert.deepEqual(javaPlatform.chaincodeArgs('127.0.0.1:7052'), ['java', '-jar', JAVA_JAR_PATH, '--peerAddress', '127.0.0.1:7052']);
  });

  test('a prebuilt uber jar is packaged alone, as chaincode.jar', async () => {
    const dir = await tree({
      'pom.xml': '<project/>',
      'src/main/java/A.java': 'class A {}',
      'target/original-cc-1.0.jar': 'thin',
      'target/cc-1.0.jar': 'fat',
      'target/cc-1.0-sources.jar': 'src',
    });
    assert.equal(await findPrebuiltJar(dir), `${dir}/target/cc-1.0.jar`);
    const plan = await javaPlatform.plan(dir, { baseImages: { java: 'javaenv:1' } });
    assert.deepEqual(plan.entries.map((e) => e.path), ['chaincode.jar']);
    assert.equal(plan.entries[0]!.source, `${dir}/target/cc-1.0.jar`);
    assert.equal(plan.dockerfile, javaDockerfile('javaenv:1', { kind: 'prebuilt', jar: '' }));
    assert.match(plan.dockerfile, new RegExp(`^COPY src/chaincode.jar ${JAVA_JAR_PATH}$`, 'm'));
  });

  test('Gradle: an -all jar in build/libs wins over the plain one; ambiguity is an error', async () => {
    const dir = await tree({ 'build.gradle': '', 'build/libs/cc-1.0.jar': 'x', 'build/libs/cc-1.0-all.jar': 'y' });
    assert.equal(await findPrebuiltJar(dir), `${dir}/build/libs/cc-1.0-all.jar`);
    const ambiguous = await tree({ 'pom.xml': '', 'target/a.jar': 'x', 'target/b.jar': 'y' });
    await assert.rejects(findPrebuiltJar(ambiguous), /several jars/);
  });

  test('without a jar: Maven (or its wrapper) / Gradle shadowJar build in a builder stage', async () => {
    const maven = await javaPlatform.plan(await tree({ 'pom.xml': '<project/>', mvnw: { content: '#!/bin/sh', mode: 0o755 }, '.gitignore': 'target/\n' }));
    assert.match(maven.dockerfile, /^RUN \.\/mvnw -B -q -DskipTests package && /m);
    assert.match(maven.dockerfile, /^COPY --from=builder \/chaincode\/output\/chaincode\.jar \/root\/chaincode-java\/chaincode\.jar$/m);
    const gradle = await javaPlatform.plan(await tree({ 'build.gradle': "plugins { id 'com.github.johnrengelman.shadow' }" }));
    assert.match(gradle.dockerfile, /^RUN gradle --no-daemon -q shadowJar && .*build\/libs/m);
  });
});

describe('platform selection', () => {
  test('detectPlatform prefers Go and Java over a tooling package.json', async () => {
    assert.equal((await detectPlatform(await tree({ 'go.mod': 'module x', 'package.json': '{}' })))?.language, 'golang');
    assert.equal((await detectPlatform(await tree({ 'pom.xml': '', 'package.json': '{}' })))?.language, 'java');
    assert.equal((await detectPlatform(await tree({ 'package.json': '{}' })))?.language, 'node');
    assert.equal(await detectPlatform(await tree({ 'README.md': '' })), undefined);
    assert.equal(platformFor('java'), javaPlatform);
  });

  test('Node: node_modules goes to deps/ in the build context, the code to src/', async () => {
    const prepared = await prepareBuild(nodePlatform, await tree({ 'package.json': '{}', 'index.js': '', 'node_modules/a/index.js': '' }));
    const { entries } = await readTar((await prepared.builder()).stream);
    assert.deepEqual(
      entries.map((e) => e.name),
      ['Dockerfile', 'deps/node_modules/', 'deps/node_modules/a/', 'deps/node_modules/a/index.js', 'src/index.js', 'src/package.json'],
    );
  });

  test('prepareBuild reports what it packaged', async () => {
    const prepared = await prepareBuild(nodePlatform, await tree({ 'package.json': '{}', 'index.js': '12345' }));
    assert.equal(prepared.language, 'node');
    assert.equal(prepared.fileCount, 2);
    assert.equal(prepared.totalBytes, 7);
  });
});
