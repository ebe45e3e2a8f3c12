/**
 * A chaincode-as-a-service package that works: the chaincode server started as a peer operator
 * would start it (the TypeScript package's code, `fabric-chaincode-node server` at the address and
 * with the package ID), and the embedded peer's external runtime dialling the address it reads back
 * from the package file, as Fabric's ccaas builder hands connection.json to the peer.
 */
import assert from 'node:assert/strict';
import { mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { resolveConfig } from '../../../src/engine/config';
import { Engine } from '../../../src/engine/engine';
import { createLifecyclePackage, writeLifecyclePackage } from '../../../src/engine/platforms/lifecyclePackage';
import { FABRIC_CHAINCODE_NODE, startProcess, type RunningProcess } from '../../support/nodeChaincode';
import { repoRoot } from '../../support/toolchains';
import { treesRemovedAfterTests, typescriptChaincodeSpec } from './helpers';
import { readLifecyclePackage } from './lifecycleReader';

const tree = treesRemovedAfterTests();

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Until something accepts connections at host:port (the server starting up). */
async function listening(address: string, server: RunningProcess, timeoutMs: number): Promise<void> {
  const [host, port] = [address.slice(0, address.lastIndexOf(':')), Number(address.slice(address.lastIndexOf(':') + 1))];
  for (const deadline = Date.now() + timeoutMs; ;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host, port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (ok) return;
    if (server.hasExited || Date.now() > deadline) throw new Error(`the chaincode server did not listen at ${address}:\n${server.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('a chaincode-as-a-service package the peer can use', () => {
  let engine: Engine | undefined;
  let server: RunningProcess | undefined;
  let dataDir: string | undefined;
  after(async () => {
    await server?.kill();
    await engine?.dispose();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  test("the server at the package's address, under its package ID, runs transactions for the embedded peer", async () => {
    const folder = await tree(await typescriptChaincodeSpec());
    const out = await tree({});

    // What a peer operator installs: the ccaas package (and, to run the server, the code's package).
    const port = await freePort();
    const ccaas = await createLifecyclePackage({ type: 'ccaas', folder, connection: { address: `127.0.0.1:${port}` } });
    await writeLifecyclePackage(ccaas, path.join(out, 'counter-ccaas.tar.gz'));
    const code = await createLifecyclePackage({ folder });

    const read = await readLifecyclePackage(await readFile(path.join(out, 'counter-ccaas.tar.gz')));
    const connection = JSON.parse(read.code.find((e) => e.name === 'connection.json')!.body.toString()) as { address: string; tls_required: boolean };
    assert.equal(connection.tls_required, false);

    // The server runs the code package's content, its dependencies installed (here: linked).
    const app = path.join(out, 'app');
    for (const entry of (await readLifecyclePackage(code.bytes)).code.filter((e) => e.name.startsWith('src/'))) {
      const file = path.join(app, entry.name.slice('src/'.length));
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, entry.body);
    }
    await symlink(path.join(repoRoot(), 'node_modules'), path.join(app, 'node_modules'));
    server = startProcess(
      process.execPath,
      [FABRIC_CHAINCODE_NODE, 'server', '--chaincode-address', connection.address, '--chaincode-id', ccaas.packageId, '--module-path', app],
      {},
      app,
    );
    await listening(connection.address, server, 30_000);

    // A real peer's chaincode id is the package ID: `<label>:<hash>`, i.e. name and version here.
    dataDir = await tree({});
    engine = await Engine.start(resolveConfig({ dataDir, peerPort: 0, mode: 'net', startupTimeoutMs: 20_000 }));
    const colon = ccaas.packageId.indexOf(':');
    const [name, version] = [ccaas.packageId.slice(0, colon), ccaas.packageId.slice(colon + 1)];
    const running = await engine.launcher
      .launch({ kind: 'deployment', definition: { name, version, mode: 'external', language: 'node', path: folder, address: connection.address } })
      .catch((err: Error) => {
        throw new Error(`${err.message}\n${server?.output()}`);
      });
    assert.equal(running.status, 'ready');
    assert.equal(running.ccid, ccaas.packageId);
    const created = await engine.transactions.execute({ chaincode: ccaas.packageId, args: ['Create', 'c1', '41'] });
    assert.equal(created.status, 200, created.message);
    const incremented = await engine.transactions.execute({ chaincode: ccaas.packageId, args: ['Increment', 'c1'] });
    assert.equal(incremented.payload.toString(), '42');
    await engine.launcher.stop(ccaas.packageId);
  });
});
