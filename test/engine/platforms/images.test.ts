/**
 * The platforms end to end on a real Docker engine: each language's Dockerfile builds on the local
 * base images and the chaincode process starts with the argv and env the peer would give it.
 */
import * as grpc from '@grpc/grpc-js';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { VMController } from '../../../src/engine/container/controller';
import { DockerVM } from '../../../src/engine/container/docker/dockerVM';
import { golangPlatform, javaPlatform, launchParameters, nodePlatform, prepareBuild, type Platform } from '../../../src/engine/platforms';
import { asBaseImages, dockerSkip, ensureBaseImages, type TestBaseImages } from '../../support/docker';
import { countingBuilder, EventLog, removeEverythingOf } from '../container/dockerHarness';
import { makeTree, removeTree, writeTree, type TreeSpec } from './helpers';

const run = promisify(execFile);
const SHIM_VERSION = '2.5.8';
const SHIM_INDEX = `const shim = require('fabric-shim');
console.log('starting fabric-shim ' + require('fabric-shim/package.json').version);
shim.start({ Init: async () => shim.success(), Invoke: async () => shim.success() });
`;

const GO_PROJECT: TreeSpec = {
  'go.mod': 'module example.com/cc\n\ngo 1.21\n\nrequire example.com/greet v0.1.0\n',
  'vendor/modules.txt': '# example.com/greet v0.1.0\n## explicit; go 1.21\nexample.com/greet\n',
  'vendor/example.com/greet/greet.go': 'package greet\n\nfunc Hello() string { return "hello from vendored go" }\n',
  'main.go': `package main

import (
	"flag"
	"fmt"
	"os"

	"example.com/greet"
)

func main() {
	addr := flag.String("peer.address", "", "peer address")
	flag.Parse()
	fmt.Println(greet.Hello())
	fmt.Println("peer.address=" + *addr)
	fmt.Fprintln(os.Stderr, "tls="+os.Getenv("CORE_PEER_TLS_ENABLED"))
}
`,
};

const JAVA_MAIN = `public class Main {
  public static void main(String[] args) {
    System.out.println("hello from java " + System.getenv("CORE_CHAINCODE_ID_NAME"));
    System.out.println("args: " + String.join(" ", args));
  }
}
`;

const TS_PROJECT: TreeSpec = {
  '.gitignore': 'dist/\n',
  'package.json': JSON.stringify({ name: 'tscc', version: '1.0.0', main: 'dist/index.js', scripts: { build: 'node build.js', start: 'node dist/index.js' } }),
  // Stands in for tsc: the point is that the build script runs inside the image.
  'build.js': "require('fs').mkdirSync('dist',{recursive:true}); require('fs').writeFileSync('dist/index.js', \"console.log('built inside the image')\");",
  'dist/index.js': "console.log('stale local output, git-ignored')",
  'node_modules/greeting/index.js': "module.exports = 'hello';",
};

describe('platform images on a real Docker engine', { skip: dockerSkip() }, () => {
  const vm = new DockerVM({ networkId: 'ccltest', peerId: `img${process.pid}` });
  const controller = new VMController([vm]);
  const log = new EventLog(vm);
  const dirs: string[] = [];
  let images: TestBaseImages;

  before(async () => {
    images = await ensureBaseImages();
    await removeEverythingOf(vm.docker, vm.peerLabel);
  });

  after(async () => {
    log.dispose();
    await removeEverythingOf(vm.docker, vm.peerLabel);
    vm.dispose();
    for (const dir of dirs) await removeTree(dir);
  });

  /** Builds and runs `dir` as the peer would launch it; resolves once the process exited. */
  async function launch(platform: Platform, dir: string, ccid: string, peerAddress = '127.0.0.1:7052'): Promise<number> {
    const prepared = await prepareBuild(platform, dir, { baseImages: asBaseImages(images), goProxy: 'off' });
    const params = launchParameters({ language: platform.language, ccid, peerAddress, mspId: 'Org1MSP' });
    await controller.start('docker', { ccid, ...params, builder: prepared.builder, imageTag: prepared.imageTag, dependencies: prepared.dependencies });
    const exited = await log.exited(ccid, 120_000);
    return exited.kind === 'status' ? (exited.exitCode ?? -1) : -1;
  }

  test('Node: a TypeScript-style project whose output is git-ignored is built inside the image', async () => {
    const dir = await makeTree(TS_PROJECT);
    dirs.push(dir);
    assert.equal(await launch(nodePlatform, dir, 'ts:1.0'), 0);
    assert.ok(
      log.logs('ts:1.0').some((l) => /^Step \d+\/\d+ : RUN npm run build$/.test(l)),
      log.logs('ts:1.0').join('\n'),
    );
    assert.ok(log.logs('ts:1.0', 'stdout').includes('built inside the image'));
  });

  test('Node: a chaincode with fabric-shim in node_modules starts with npm start and REGISTERs with the peer address', async (t) => {
    const dir = await fabricShimChaincode();
    const ccid = 'shimcc:1.0';
    const { server, port, register } = await fakePeer();
    try {
      const prepared = await prepareBuild(nodePlatform, dir, { baseImages: asBaseImages(images) });
      const params = launchParameters({ language: 'node', ccid, peerAddress: `127.0.0.1:${port}`, mspId: 'Org1MSP' });
      const started = Date.now();
      await controller.start('docker', { ccid, ...params, builder: prepared.builder, imageTag: prepared.imageTag, dependencies: prepared.dependencies });
      const message = await Promise.race([
        register,
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no REGISTER; logs:\n${log.logs(ccid).join('\n')}`)), 60_000)),
      ]);
      t.diagnostic(`fabric-shim image (${prepared.fileCount} files) built and registered in ${Date.now() - started} ms`);
      // ChaincodeMessage{type: REGISTER (field 1 = 1), payload: ChaincodeID{name: ccid}}.
      assert.equal(message[0], 0x08);
      assert.equal(message[1], 0x01);
      assert.ok(message.includes(Buffer.from(ccid)), 'REGISTER names the chaincode id from CORE_CHAINCODE_ID_NAME');
      assert.ok(log.logs(ccid, 'stdout').includes(`starting fabric-shim ${SHIM_VERSION}`));

      // A code edit rebuilds, but node_modules' layer comes from the cache.
      await controller.stop('docker', ccid);
      await writeFile(path.join(dir, 'index.js'), `${SHIM_INDEX}\n// edited\n`);
      const edited = await prepareBuild(nodePlatform, dir, { baseImages: asBaseImages(images) });
      assert.notEqual(edited.imageTag, prepared.imageTag);
      assert.equal(edited.dependencies?.imageTag, prepared.dependencies?.imageTag);
      log.clear();
      const rebuilt = Date.now();
      const dependencies = { imageTag: edited.dependencies!.imageTag, builder: countingBuilder(edited.dependencies!.builder) };
      await controller.start('docker', { ccid, ...params, builder: edited.builder, imageTag: edited.imageTag, dependencies });
      t.diagnostic(`rebuilt after a code edit and started in ${Date.now() - rebuilt} ms`);
      assert.equal(dependencies.builder.calls, 0, 'node_modules is already in the dependencies image');
      assert.ok(!log.logs(ccid).some((l) => /^Step \d+\/\d+ : ADD node_modules.tar /.test(l)), log.logs(ccid).join('\n'));
    } finally {
      await controller.stop('docker', ccid);
      server.forceShutdown();
    }
  });

  test('Go: a vendored module compiles in the builder stage and runs as `chaincode -peer.address=…`', async (t) => {
    if (!images.golang) return t.skip('no Go toolchain on this machine');
    const dir = await makeTree(GO_PROJECT);
    dirs.push(dir);
    const started = Date.now();
    assert.equal(await launch(golangPlatform, dir, 'gocc:1.0'), 0);
    t.diagnostic(`Go image built (stdlib precompiled in the test image) and run in ${Date.now() - started} ms`);
    assert.ok(log.logs('gocc:1.0', 'stdout').includes('hello from vendored go'), log.logs('gocc:1.0').join('\n'));
    assert.ok(log.logs('gocc:1.0', 'stdout').includes('peer.address=127.0.0.1:7052'));
    assert.deepEqual(log.logs('gocc:1.0', 'stderr'), ['tls=false']);
    const runtime = await vm.docker.getImage((await vm.docker.getContainer(vm.containerName('gocc:1.0')).inspect()).Image).inspect();
    assert.ok(runtime.Size < 50_000_000, `the runtime image holds the binary, not the toolchain (${runtime.Size} bytes)`);
    // The compile stage's result (the image id printed just before the second FROM) is not left dangling.
    const lines = log.logs('gocc:1.0');
    const secondFrom = lines.findIndex((l, i) => i > 0 && /^Step \d+\/\d+ : FROM /.test(l) && lines.slice(0, i).some((p) => /^Step \d+\/\d+ : FROM /.test(p)));
    const stageImage = [...lines.slice(0, secondFrom)]
      .reverse()
      .find((l) => /^ ---> [0-9a-f]{12}$/.test(l))
      ?.slice(6);
    assert.ok(stageImage, lines.join('\n'));
    await assert.rejects(vm.docker.getImage(stageImage).inspect(), (err: { statusCode?: number }) => err.statusCode === 404);
  });

  test('Java: a prebuilt jar in target/ runs as `java -jar … --peerAddress …`', async (t) => {
    if (!images.java) return t.skip('no JDK on this machine');
    const dir = await makeTree({ 'pom.xml': '<project/>', 'src/main/java/Main.java': JAVA_MAIN, '.gitignore': 'target/\n' });
    dirs.push(dir);
    const classes = path.join(dir, 'target/classes');
    await mkdir(classes, { recursive: true });
    await run('javac', ['--release', '17', '-d', classes, path.join(dir, 'src/main/java/Main.java')]);
    await run('jar', ['--create', '--file', path.join(dir, 'target/cc-1.0.jar'), '--main-class', 'Main', '-C', classes, '.']);
    assert.equal(await launch(javaPlatform, dir, 'javacc:1.0'), 0);
    assert.ok(log.logs('javacc:1.0', 'stdout').includes('hello from java javacc:1.0'), log.logs('javacc:1.0').join('\n'));
    assert.ok(log.logs('javacc:1.0', 'stdout').includes('args: --peerAddress 127.0.0.1:7052'));
  });
});

/** A low-level fabric-shim chaincode, its node_modules installed from npm (cached between runs). */
async function fabricShimChaincode(): Promise<string> {
  const dir = path.join(os.tmpdir(), `ccl-fabric-shim-cc-${SHIM_VERSION}`);
  const ready = path.join(dir, '.installed');
  if (!existsSync(ready)) {
    await removeTree(dir);
    await mkdir(dir, { recursive: true });
    await writeTree(dir, {
      'package.json': JSON.stringify({ name: 'shimcc', version: '1.0.0', scripts: { start: 'node index.js' }, dependencies: { 'fabric-shim': SHIM_VERSION } }),
    });
    await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--omit=dev'], { cwd: dir, maxBuffer: 1 << 24 });
    await writeFile(ready, '');
  }
  await writeTree(dir, { '.gitignore': '.installed\n', 'index.js': SHIM_INDEX });
  return dir;
}

/** Just enough of a peer to see the first message a shim sends on ChaincodeSupport/Register. */
async function fakePeer(): Promise<{ server: grpc.Server; port: number; register: Promise<Buffer> }> {
  const server = new grpc.Server();
  const raw = (b: Buffer): Buffer => b;
  let resolveRegister!: (b: Buffer) => void;
  const register = new Promise<Buffer>((resolve) => (resolveRegister = resolve));
  server.addService(
    {
      Register: {
        path: '/protos.ChaincodeSupport/Register',
        requestStream: true,
        responseStream: true,
        requestSerialize: raw,
        requestDeserialize: raw,
        responseSerialize: raw,
        responseDeserialize: raw,
      },
    },
    {
      Register: (call: grpc.ServerDuplexStream<Buffer, Buffer>) => {
        call.once('data', (message: Buffer) => resolveRegister(message));
        call.on('error', () => undefined);
      },
    },
  );
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  return { server, port, register };
}
