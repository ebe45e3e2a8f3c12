import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, test } from 'node:test';
import { DEFAULT_BASE_IMAGES, golangPlatform, javaPlatform, nodePlatform, platformFor, prepareBuild, type Language } from '../../../src/engine/platforms';
import { golangDockerfile } from '../../../src/engine/platforms/golang';
import { findPrebuiltJar, javaDockerfile, JAVA_JAR_PATH } from '../../../src/engine/platforms/java';
import { isNodeDependency, nodeDependenciesDockerfile, nodeDockerfile, shellQuote } from '../../../src/engine/platforms/node';
import { fabricLabels, withLabels } from '../../../src/engine/platforms/types';
import { readTar, treesRemovedAfterTests, type TreeSpec } from './helpers';

const tree = treesRemovedAfterTests();

const runLines = (dockerfile: string): string[] => dockerfile.split('\n').filter((l) => l.startsWith('RUN '));

describe('Node platform', () => {
  test("argv is Fabric's: sh -c 'cd /usr/local/src && npm start -- --peer.address <addr>' plus extra args", () => {
    assert.deepEqual(nodePlatform.chaincodeArgs('127.0.0.1:7052'), ['/bin/sh', '-c', 'cd /usr/local/src && npm start -- --peer.address 127.0.0.1:7052']);
    assert.deepEqual(
      nodePlatform.chaincodeArgs('127.0.0.1:7052', ['--inspect', "it's"])[2],
      `cd /usr/local/src && npm start -- --peer.address 127.0.0.1:7052 --inspect 'it'\\''s'`,
    );
    assert.equal(shellQuote('a b'), "'a b'");
  });

  test('Dockerfiles with packaged node_modules: a dependencies image, the code over it; nothing to install; no CMD', () => {
    assert.equal(nodeDependenciesDockerfile('base:1'), 'FROM base:1\nWORKDIR /usr/local/src\nADD node_modules.tar /usr/local/src/\n');
    const dockerfile = nodeDockerfile({ baseImage: 'base:1', hasNodeModules: true, manifests: ['package.json'], needsBuild: false });
    assert.equal(dockerfile, 'ARG DEPENDENCIES_IMAGE\nFROM ${DEPENDENCIES_IMAGE}\nCOPY src/ /usr/local/src/\n');
    assert.doesNotMatch(dockerfile, /^(CMD|ENTRYPOINT)/m, 'the peer supplies the command');
  });

  test('node_modules, and only it, is a dependency', () => {
    assert.equal(isNodeDependency('node_modules'), true);
    assert.equal(isNodeDependency('node_modules/a/index.js'), true);
    assert.equal(isNodeDependency('node_modules_extra.js'), false);
    assert.equal(isNodeDependency('lib/node_modules/x.js'), false);
  });

  test('labels: one LABEL line right after each FROM, values quoted, $ and quotes escaped', () => {
    assert.equal(withLabels('FROM a\n', {}), 'FROM a\n');
    assert.equal(
      withLabels('FROM a\nWORKDIR /w', { ...fabricLabels('NODE'), 'x.ccid': 'cc:1.0', odd: 'a "$HOME" \\ b' }),
      'FROM a\nLABEL org.hyperledger.fabric.chaincode.type="NODE" org.hyperledger.fabric.version="2.5" x.ccid="cc:1.0" odd="a \\"\\$HOME\\" \\\\ b"\nWORKDIR /w\n',
    );
    // Every stage: its cached layers are then this chaincode's own, never another's.
    assert.equal(
      withLabels('ARG B\nFROM ${B} AS builder\nRUN make\nFROM run\nCOPY --from=builder /x /x\n', { o: 'cc' }),
      'ARG B\nFROM ${B} AS builder\nLABEL o="cc"\nRUN make\nFROM run\nLABEL o="cc"\nCOPY --from=builder /x /x\n',
    );
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
    assert.match(plan.dependencies?.dockerfile ?? '', new RegExp(`^FROM ${DEFAULT_BASE_IMAGES.node}$`, 'm'));
    assert.deepEqual(plan.labels, fabricLabels('NODE'));

    const shipped = await nodePlatform.plan(await tree({ ...ts, '.gitignore': '', '.npmignore': 'src/\n' }));
    assert.deepEqual(runLines(shipped.dockerfile), []);
    assert.ok(!shipped.entries.some((e) => e.path.startsWith('src/')), '.npmignore applied');
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
  });

  test('plan: vendor/ → -mod=vendor; a GOPROXY setting is passed to the build', async () => {
    const dir = await tree({
      'go.mod': 'module example.com/cc\n\ngo 1.21\n',
      'main.go': 'package main\nfunc main() {}\n',
      'vendor/modules.txt': '# example.com/dep v0.1.0\n',
    });
    const plan = await golangPlatform.plan(dir, { goProxy: 'off', baseImages: { golang: 'b:1', golangRuntime: 'r:1' } });
    assert.match(plan.dockerfile, /GOFLAGS=-mod=vendor/);
    assert.match(plan.dockerfile, /GOPROXY=off/);
    assert.deepEqual(plan.baseImages, ['b:1', 'r:1']);
    assert.deepEqual(plan.labels, fabricLabels('GOLANG'));
    assert.equal(plan.dependencies, undefined);
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
    assert.deepEqual(
      plan.entries.map((e) => e.path),
      ['chaincode.jar'],
    );
    assert.equal(plan.entries[0].source, `${dir}/target/cc-1.0.jar`);
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
  test('platformFor: one platform per language, as the launcher, the packager and launchParameters pick it', () => {
    assert.equal(platformFor('node'), nodePlatform);
    assert.equal(platformFor('golang'), golangPlatform);
    assert.equal(platformFor('java'), javaPlatform);
    assert.throws(() => platformFor('cobol' as Language), /unsupported chaincode language: cobol/);
  });

  test("Node: node_modules goes to the dependencies image's context (as one tar), the code alone to the image's (src/)", async () => {
    const prepared = await prepareBuild(nodePlatform, await tree({ 'package.json': '{}', 'index.js': '', 'node_modules/a/index.js': 'a' }));
    const labels = { 'org.chaincode-launcher.ccid': 'cc:1.0' };
    const code = await readTar((await prepared.builder({ labels })).stream);
    assert.deepEqual(
      code.entries.map((e) => e.name),
      ['Dockerfile', 'src/index.js', 'src/package.json'],
    );
    assert.ok(prepared.dependencies, 'a dependencies image');
    const deps = await readTar((await prepared.dependencies.builder({ labels })).stream);
    assert.deepEqual(
      deps.entries.map((e) => e.name),
      ['Dockerfile', 'node_modules.tar'],
    );
    const archive = await readTar(Readable.from([deps.entries[1].body]));
    assert.deepEqual(
      archive.entries.map((e) => e.name),
      ['node_modules/', 'node_modules/a/', 'node_modules/a/index.js'],
    );
    assert.equal(archive.entries[2].body.toString(), 'a');
    assert.ok(
      archive.entries.every((e) => e.mtime === 0 && e.uid === 0),
      'the archive is as reproducible as the context',
    );
    // The owner's labels join the platform's in the one LABEL line of each Dockerfile.
    const labelLines = (entries: { name: string; body: Buffer }[]): string[] =>
      entries[0].body
        .toString()
        .split('\n')
        .filter((l) => l.startsWith('LABEL '));
    assert.deepEqual(labelLines(code.entries), ['LABEL org.hyperledger.fabric.chaincode.type="NODE" org.hyperledger.fabric.version="2.5" org.chaincode-launcher.ccid="cc:1.0"']);
    assert.deepEqual(labelLines(deps.entries), ['LABEL org.chaincode-launcher.ccid="cc:1.0"']);
    assert.equal(prepared.fileCount, 3, 'the code and its dependencies');
  });

  test('Node: the image tag covers the dependencies image; an edit keeps the dependencies tag, a new dependency changes both', async () => {
    const dir = await tree({ 'package.json': '{}', 'index.js': '1', 'node_modules/a/index.js': '' });
    const first = await prepareBuild(nodePlatform, dir);
    await writeFile(path.join(dir, 'index.js'), '2');
    const edited = await prepareBuild(nodePlatform, dir);
    assert.notEqual(edited.imageTag, first.imageTag);
    assert.equal(edited.dependencies?.imageTag, first.dependencies?.imageTag, 'code edits do not touch the dependencies image');
    await writeFile(path.join(dir, 'node_modules/a/index.js'), 'changed');
    const newDeps = await prepareBuild(nodePlatform, dir);
    assert.notEqual(newDeps.dependencies?.imageTag, edited.dependencies?.imageTag);
    assert.notEqual(newDeps.imageTag, edited.imageTag, 'a dependency change alone gives the image a new tag too');
  });

  test('Node without node_modules: one image, installed from the manifests', async () => {
    const prepared = await prepareBuild(nodePlatform, await tree({ 'package.json': '{}', 'index.js': '' }));
    assert.equal(prepared.dependencies, undefined);
    assert.match(prepared.dockerfile, /^FROM hyperledger\/fabric-nodeenv:2\.5$/m);
  });

  test('prepareBuild reports what it packaged', async () => {
    const prepared = await prepareBuild(nodePlatform, await tree({ 'package.json': '{}', 'index.js': '12345' }));
    assert.equal(prepared.language, 'node');
    assert.equal(prepared.fileCount, 2);
    assert.equal(prepared.totalBytes, 7);
  });
});
