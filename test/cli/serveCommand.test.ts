/**
 * `chaincode-launcher serve` as a developer uses it against a peer, with the real binary in child
 * processes: `package --type ccaas` writes the package (TLS, client authentication) and prints its
 * ID; `serve` runs the example under that ID behind TLS; `launch --mode external --connection` (the
 * embedded peer, reading connection.json as the ccaas builder hands it over) dials it and runs
 * transactions; Ctrl-C stops the server and its process. And the usage errors, before anything starts.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { serverAddressOnLoopback } from '../../src/engine/ccaas/connectionRelay';
import { createCertificateAuthority, issueCertificate } from '../../src/engine/crypto/certificates';
import { readLifecyclePackage } from '../engine/platforms/lifecycleReader';
import { waitUntil } from '../support/netChaincode';
import { repoRoot } from '../support/toolchains';

const CLI = path.join(repoRoot(), 'out', 'src', 'cli', 'main.js');
const EXAMPLE = path.join(repoRoot(), 'examples', 'asset-transfer');

function runCli(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const dirs: string[] = [];
const children: ChildProcess[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'serve-cli-'));
  dirs.push(dir);
  return dir;
}

after(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('chaincode-launcher serve', { timeout: 180_000 }, () => {
  test('serves the example behind TLS under the package ID package printed; the embedded peer dials it from connection.json; Ctrl-C stops it', async () => {
    const dir = tempDir();
    const write = (name: string, pem: string): string => {
      fs.writeFileSync(path.join(dir, name), pem);
      return path.join(dir, name);
    };
    const serverCa = await createCertificateAuthority('O=Org1, CN=chaincode-tls-ca');
    const server = await issueCertificate(serverCa, { subject: 'O=Org1, CN=asset-transfer', usage: 'server', hosts: ['127.0.0.1'] });
    const peerCa = await createCertificateAuthority('O=Org1, CN=peer-tls-ca');
    const peer = await issueCertificate(peerCa, { subject: 'O=Org1, CN=peer0.org1.example.com', usage: 'client' });
    const address = `127.0.0.1:${(await serverAddressOnLoopback()).port}`;

    const packaged = runCli([
      'package',
      EXAMPLE,
      '--type',
      'ccaas',
      '--address',
      address,
      '--out',
      path.join(dir, 'asset-transfer-ccaas.tar.gz'),
      '--tls-root-cert',
      write('server-ca.pem', serverCa.certPem),
      '--tls-client-cert',
      write('peer.pem', peer.certPem),
      '--tls-client-key',
      write('peer.key', peer.keyPem),
    ]);
    assert.equal(packaged.code, 0, packaged.stderr);
    const packageId = packaged.stdout.trim();
    // What the peer's ccaas builder releases: connection.json from the package's code.tar.gz.
    const read = await readLifecyclePackage(fs.readFileSync(path.join(dir, 'asset-transfer-ccaas.tar.gz')));
    const connectionFile = write('connection.json', read.code.find((e) => e.name === 'connection.json')!.body.toString());

    const serve = spawn(
      process.execPath,
      [
        CLI,
        'serve',
        EXAMPLE,
        '--package-id',
        packageId,
        '--address',
        address,
        '--tls-cert',
        write('server.pem', server.certPem),
        '--tls-key',
        write('server.key', server.keyPem),
        '--client-ca',
        write('peer-ca.pem', peerCa.certPem),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    children.push(serve);
    let stdout = '';
    let stderr = '';
    serve.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    serve.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => serve.once('exit', (code) => resolve(code)));
    // Stdout's line, then stderr's: two pipes, read in either order.
    await waitUntil(() => (stdout.includes('\n') && stderr.includes('[serve] serving')) || serve.exitCode !== null, 60_000, `serve to print its address\n${stderr}`);
    assert.deepEqual(JSON.parse(stdout.split('\n')[0]), { packageId, address, tls: 'mutual' }, stderr);
    assert.match(stderr, new RegExp(`\\[serve\\] serving ${packageId} on ${address.replace(/\./g, '\\.')}; press Ctrl-C to stop`));

    const launched = runCli([
      'launch',
      EXAMPLE,
      '--mode',
      'external',
      '--connection',
      connectionFile,
      '--package-id',
      packageId,
      '--data-dir',
      tempDir(),
      '--port',
      '0',
      '--once',
      '--tx',
      'InitLedger',
      '--query',
      'ReadAsset asset2',
    ]);
    assert.equal(launched.code, 0, `${launched.stderr}\n${stderr}`);
    assert.match(launched.stderr, new RegExp(`launching ${packageId} \\(external mode, node\\) from the chaincode server at ${address.replace(/\./g, '\\.')} \\(TLS\\)`));
    const lines = launched.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { status: number; json?: { Owner?: string } });
    assert.deepEqual(
      lines.map((l) => l.status),
      [200, 200],
    );
    assert.equal(lines[1].json?.Owner, 'Brad');

    // The server's side of it: the peer's connection (with its certificate), the chaincode's logs.
    await waitUntil(() => /the connection from 127\.0\.0\.1:\d+ closed/.test(stderr), 10_000, `the connection to close\n${stderr}`);
    assert.match(stderr, /\[serve\] a peer connected from 127\.0\.0\.1:\d+ \(.*CN=peer0\.org1\.example\.com\)/);
    assert.match(stderr, new RegExp(`\\[${packageId.slice(0, packageId.indexOf(':') + 9)}\\] .*Successfully registered with peer node`));

    serve.kill('SIGINT');
    assert.equal(await exited, 0, stderr);
    assert.match(stderr, /\[serve\] stopped/);
  });

  test('usage errors exit 2 before anything starts', () => {
    const id = 'cc_1.0:abc';
    const refused = (args: string[], message: RegExp): void => {
      const r = runCli(['serve', ...args]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
    };
    refused([EXAMPLE], /serve needs --package-id ID: the package ID the peer installed/);
    refused([EXAMPLE, '--package-id', id, '--address', '9999'], /the --address must be HOST:PORT/);
    refused([EXAMPLE, '--package-id', id, '--client-ca', 'ca.pem'], /--client-ca needs TLS: add --tls-cert and --tls-key/);
    refused([EXAMPLE, '--package-id', id, '--tls-cert', 'cert.pem'], /--tls-cert and --tls-key go together/);
    refused([EXAMPLE, '--package-id', id, '--tls-cert', '/nonexistent/cert.pem', '--tls-key', '/nonexistent/key.pem'], /--tls-cert \/nonexistent\/cert\.pem: ENOENT/);
    refused([tempDir(), '--package-id', id], /is not a chaincode folder/);
    assert.match(runCli(['serve', '--help']).stdout, /chaincode-launcher serve <folder> --package-id ID/);
  });

  test('an address in use exits 4, naming it', async () => {
    const holder = net.createServer();
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', r));
    const { port } = holder.address() as net.AddressInfo;
    const r = runCli(['serve', EXAMPLE, '--package-id', 'cc_1.0:abc', '--address', `127.0.0.1:${port}`]);
    await new Promise((resolve) => holder.close(resolve));
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}: the address is in use`));
  });
});
