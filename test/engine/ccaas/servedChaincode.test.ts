/**
 * Serving chaincode for a peer to dial, with real parts end to end: the Node example and a Go
 * chaincode (fabric-samples' server switch), a Java contract and a New Project Go chaincode run by the process runtime as chaincode servers under
 * the package ID `package --type ccaas` computes; the embedded peer's external runtime, the test
 * double of a real peer with the ccaas builder, dials them from the package's connection.json
 * (plaintext, then TLS with client authentication) and runs transactions.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { formatHostPort, serverAddressOnLoopback, type RelayEvent } from '../../../src/engine/ccaas/connectionRelay';
import { ServedChaincode } from '../../../src/engine/ccaas/servedChaincode';
import { serveStartCommand } from '../../../src/engine/ccaas/serveStart';
import type { ServingTlsMaterial } from '../../../src/engine/ccaas/types';
import { resolveConfig } from '../../../src/engine/config';
import type { Language } from '../../../src/engine/platforms/types';
import { ProcessVM } from '../../../src/engine/container/process/processVM';
import { createCertificateAuthority, issueCertificate } from '../../../src/engine/crypto/certificates';
import { Engine } from '../../../src/engine/engine';
import type { ChaincodeDefinition } from '../../../src/engine/launch/types';
import { parseConnectionJson, type CcaasConnection } from '../../../src/engine/platforms/ccaasConnection';
import { createLifecyclePackage } from '../../../src/engine/platforms/lifecyclePackage';
import { waitUntil } from '../../support/netChaincode';
import { EXAMPLE_CHAINCODE } from '../../support/nodeChaincode';
import { fixtureSkip, goFixtureStatus, javaFixtureStatus, repoRoot, requireFixture } from '../../support/toolchains';
import { readLifecyclePackage } from '../platforms/lifecycleReader';
import { installedProject, tempDir, toolchainSkip } from '../scaffold/projectRun';

const GO_CCAAS = path.join(repoRoot(), 'test', 'fixtures', 'go', 'ccaas');
const JAVA_FIXTURE = path.join(repoRoot(), 'test', 'fixtures', 'java');

interface Serving {
  readonly served: ServedChaincode;
  readonly output: string[];
  readonly events: RelayEvent[];
}

const vm = new ProcessVM();
let engine: Engine;
let dataDir: string;
const serving: ServedChaincode[] = [];

before(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'serve-'));
  // The peer's own mode is net: it takes only the REGISTER of a chaincode it launched (dialled here).
  engine = await Engine.start(resolveConfig({ dataDir, peerPort: 0, mode: 'net', startupTimeoutMs: 20_000 }));
});

after(async () => {
  for (const s of serving) await s.stop();
  vm.dispose();
  await engine?.dispose();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function freeLoopbackPort(): Promise<number> {
  return (await serverAddressOnLoopback()).port;
}

/** The package a peer operator installs, and its connection.json as the ccaas builder hands it to the peer. */
async function ccaasPackage(folder: string, connection: CcaasConnection): Promise<{ packageId: string; definition: (language: Language) => ChaincodeDefinition }> {
  const pkg = await createLifecyclePackage({ type: 'ccaas', folder, connection });
  const read = await readLifecyclePackage(pkg.bytes);
  const dial = parseConnectionJson(read.code.find((e) => e.name === 'connection.json')!.body);
  // A real peer's chaincode id is the package ID, `<label>:<hash>`: name and version here.
  const colon = pkg.packageId.indexOf(':');
  return {
    packageId: pkg.packageId,
    definition: (language) => ({ name: pkg.packageId.slice(0, colon), version: pkg.packageId.slice(colon + 1), mode: 'external', language, path: folder, connection: dial }),
  };
}

async function serve(folder: string, language: Language, packageId: string, port: number, tls?: ServingTlsMaterial): Promise<Serving> {
  const serverAddress = await serverAddressOnLoopback();
  const command = await serveStartCommand({ language, folder, packageId, serverAddress: formatHostPort(serverAddress), mspId: 'Org1MSP' });
  const output: string[] = [];
  const logs = vm.onEvent((e) => e.kind === 'log' && e.ccid === packageId && output.push(e.line));
  const served = await ServedChaincode.start({
    packageId,
    language,
    folder,
    listen: { host: '127.0.0.1', port },
    ...(tls ? { tls } : {}),
    serverAddress,
    process: { vm, command },
    startupTimeoutMs: 120_000,
  });
  serving.push(served);
  served.onDidChange((i) => i.status === 'stopped' && logs.dispose());
  const events: RelayEvent[] = [];
  served.onConnection((e) => events.push(e));
  await served.ready.catch((err: Error) => {
    throw new Error(`${err.message}\n${output.join('\n')}`);
  });
  return { served, output, events };
}

describe('serving chaincode for a peer to dial', { timeout: 240_000 }, () => {
  test('the Node example under its package ID: the peer dials it, runs transactions, and shows as a connection while it does', async () => {
    const port = await freeLoopbackPort();
    const { packageId, definition } = await ccaasPackage(EXAMPLE_CHAINCODE, { address: `127.0.0.1:${port}` });
    const { served, output } = await serve(EXAMPLE_CHAINCODE, 'node', packageId, port);
    assert.equal(served.info().status, 'serving');
    assert.equal(served.info().address, `127.0.0.1:${port}`);
    assert.equal(served.info().tls, 'off');
    assert.ok(served.info().pid, 'the process runtime runs it');
    assert.equal(served.info().connections.length, 0);

    const running = await engine.launcher.launch({ kind: 'deployment', definition: definition('node') }).catch((err: Error) => {
      throw new Error(`${err.message}\n${output.join('\n')}`);
    });
    assert.equal(running.ccid, packageId);
    assert.equal(engine.peer.handlers().find((h) => h.chaincodeId === packageId)?.connection, 'ccaas');
    const [connection] = served.info().connections;
    assert.match(connection?.remote ?? '', /^127\.0\.0\.1:\d+$/);

    assert.equal((await engine.transactions.execute({ chaincode: packageId, args: ['InitLedger'] })).status, 200);
    const transfer = await engine.transactions.execute({ chaincode: packageId, args: ['TransferAsset', 'asset1', 'Max'] });
    assert.equal(transfer.status, 200, transfer.message);
    assert.equal(transfer.payload.toString(), 'Tomoko');
    // The chaincode's log, as dev mode shows it, names the transaction.
    await waitUntil(() => output.some((l) => l.includes(transfer.txId.slice(0, 8))), 5000, 'the log line of the transfer');

    await engine.launcher.stop(packageId);
    await waitUntil(() => served.info().connections.length === 0, 5000, 'the connection to close');
    await served.stop();
    assert.equal(served.info().status, 'stopped');
    assert.equal(vm.runningProcesses, 0, 'the process is gone');
  });

  test("with TLS and client authentication: the peer dials with connection.json's root_cert and client pair; a peer without a client certificate is refused", async () => {
    const serverCa = await createCertificateAuthority('O=Org1, CN=chaincode-tls-ca');
    const serverCert = await issueCertificate(serverCa, { subject: 'O=Org1, CN=asset-transfer', usage: 'server', hosts: ['127.0.0.1'] });
    const peerCa = await createCertificateAuthority('O=Org1, CN=peer-tls-ca');
    const peerClient = await issueCertificate(peerCa, { subject: 'O=Org1, CN=peer0.org1.example.com', usage: 'client' });
    const port = await freeLoopbackPort();
    const address = `127.0.0.1:${port}`;
    const { packageId, definition } = await ccaasPackage(EXAMPLE_CHAINCODE, {
      address,
      tls: { rootCert: serverCa.certPem, client: { cert: peerClient.certPem, key: peerClient.keyPem } },
    });
    const { served, events, output } = await serve(EXAMPLE_CHAINCODE, 'node', packageId, port, {
      certPem: serverCert.certPem,
      keyPem: serverCert.keyPem,
      clientCaPem: peerCa.certPem,
    });
    assert.equal(served.info().tls, 'mutual');

    // A peer whose connection.json has TLS but no client pair is refused at the handshake.
    const anonymous = { ...definition('node'), connection: { address, dialTimeoutMs: 3000, tls: { rootCertPem: serverCa.certPem } } };
    await assert.rejects(
      engine.launcher.launch({ kind: 'deployment', definition: anonymous }),
      new RegExp(`cannot connect to the chaincode server at ${address.replace(/\./g, '\\.')}`),
    );
    await waitUntil(() => events.some((e) => e.kind === 'refused'), 5000, 'the refused handshake');

    await engine.launcher.launch({ kind: 'deployment', definition: definition('node') }).catch((err: Error) => {
      throw new Error(`${err.message}\n${output.join('\n')}`);
    });
    assert.match(served.info().connections[0]?.clientSubject ?? '', /CN=peer0\.org1\.example\.com/);
    assert.equal((await engine.transactions.execute({ chaincode: packageId, args: ['InitLedger'] })).status, 200);
    const read = await engine.transactions.execute({ chaincode: packageId, args: ['ReadAsset', 'asset3'], kind: 'query' });
    assert.equal((JSON.parse(read.payload.toString()) as { Owner: string }).Owner, 'Jin Soo');
    await engine.launcher.stop(packageId);
    await served.stop();
  });

  test('a Go chaincode whose main runs shim.ChaincodeServer when CHAINCODE_SERVER_ADDRESS is set', { skip: fixtureSkip(goFixtureStatus('ccaas')) }, async () => {
    requireFixture(goFixtureStatus('ccaas')); // built by .ci/fixtures.sh: `go run` then compiles from the build cache
    const port = await freeLoopbackPort();
    const { packageId, definition } = await ccaasPackage(GO_CCAAS, { address: `127.0.0.1:${port}` });
    const { served, output } = await serve(GO_CCAAS, 'golang', packageId, port);
    await engine.launcher.launch({ kind: 'deployment', definition: definition('golang') }).catch((err: Error) => {
      throw new Error(`${err.message}\n${output.join('\n')}`);
    });
    assert.equal((await engine.transactions.execute({ chaincode: packageId, args: ['whoami'], kind: 'query' })).payload.toString(), packageId);
    assert.equal((await engine.transactions.execute({ chaincode: packageId, args: ['put', 'k', 'v1'] })).status, 200);
    assert.equal((await engine.transactions.execute({ chaincode: packageId, args: ['get', 'k'], kind: 'query' })).payload.toString(), 'v1');
    assert.ok(
      output.some((l) => l.includes(`goccaas: serving ${packageId}`)),
      output.join('\n'),
    );
    await engine.launcher.stop(packageId);
    await served.stop();
    assert.equal(vm.runningProcesses, 0, 'go run and the chaincode it built are gone');
  });

  test("a Java contract: the shim's ContractRouter serves it from the built jar", { skip: fixtureSkip(javaFixtureStatus()) }, async () => {
    requireFixture(javaFixtureStatus());
    const port = await freeLoopbackPort();
    const { packageId, definition } = await ccaasPackage(JAVA_FIXTURE, { address: `127.0.0.1:${port}` });
    const { served, output } = await serve(JAVA_FIXTURE, 'java', packageId, port);
    await engine.launcher.launch({ kind: 'deployment', definition: definition('java') }).catch((err: Error) => {
      throw new Error(`${err.message}\n${output.join('\n')}`);
    });
    assert.equal((await engine.transactions.execute({ chaincode: packageId, args: ['put', 'k', 'java'] })).status, 200);
    assert.equal((await engine.transactions.execute({ chaincode: packageId, args: ['get', 'k'], kind: 'query' })).payload.toString(), 'java');
    await engine.launcher.stop(packageId);
    await served.stop();
    assert.equal(vm.runningProcesses, 0);
  });

  test('a Go project from New Project serves as written (its main switches on CHAINCODE_SERVER_ADDRESS)', { skip: toolchainSkip('go') }, async () => {
    const root = tempDir('serve-new-go-');
    try {
      const { project } = await installedProject('go', path.join(root, 'served_assets'), 'served_assets');
      const port = await freeLoopbackPort();
      const { packageId, definition } = await ccaasPackage(project.folder, { address: `127.0.0.1:${port}` });
      const { served, output } = await serve(project.folder, 'golang', packageId, port);
      await engine.launcher.launch({ kind: 'deployment', definition: definition('golang') }).catch((err: Error) => {
        throw new Error(`${err.message}\n${output.join('\n')}`);
      });
      const created = await engine.transactions.execute({ chaincode: packageId, args: ['CreateAsset', 'a1', 'blue', '5', 'Tomoko', '300'] });
      assert.equal(created.status, 200, `${created.message}\n${output.join('\n')}`);
      const read = await engine.transactions.execute({ chaincode: packageId, args: ['ReadAsset', 'a1'], kind: 'query' });
      assert.equal((JSON.parse(read.payload.toString()) as { Owner: string }).Owner, 'Tomoko');
      await engine.launcher.stop(packageId);
      await served.stop();
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('a served chaincode that does not serve', { timeout: 60_000 }, () => {
  const plain = (script: string) => ({ command: process.execPath, args: ['-e', script], env: {}, cwd: os.tmpdir() });

  test('its process ends before its server listens: stopped, with the exit, and the address is free again', async () => {
    const port = await freeLoopbackPort();
    const served = await ServedChaincode.start({
      packageId: 'quits:1',
      language: 'node',
      folder: os.tmpdir(),
      listen: { host: '127.0.0.1', port },
      serverAddress: await serverAddressOnLoopback(),
      process: { vm, command: plain("console.error('no peer to serve'); process.exit(3)") },
      startupTimeoutMs: 30_000,
    });
    await assert.rejects(served.ready, /the chaincode exited \(exit code 3\)/);
    assert.equal(served.info().status, 'stopped');
    assert.match(served.info().lastError ?? '', /exit code 3/);
    await new Promise<void>((resolve, reject) => {
      const again = net
        .createServer()
        .once('error', reject)
        .listen(port, '127.0.0.1', () => again.close(() => resolve()));
    });
  });

  test('its server never listens: the startup timeout stops it and says where it waited', async () => {
    const serverAddress = await serverAddressOnLoopback();
    const served = await ServedChaincode.start({
      packageId: 'silent:1',
      language: 'node',
      folder: os.tmpdir(),
      listen: { host: '127.0.0.1', port: 0 },
      serverAddress,
      process: { vm, command: plain('setInterval(() => undefined, 1000)') },
      startupTimeoutMs: 1500,
    });
    await assert.rejects(served.ready, new RegExp(`the chaincode's server did not listen on ${formatHostPort(serverAddress).replace(/\./g, '\\.')} within 2 s`));
    assert.equal(served.info().status, 'stopped');
    assert.equal(vm.runningProcesses, 0);
  });
});
