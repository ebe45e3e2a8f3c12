/**
 * `chaincode-launcher package` as a script uses it: the real binary in a child process, the
 * package ID alone on stdout, the file where it was asked (or beside the folder), exit codes a
 * script can rely on, and nothing written when the input is wrong.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { treesRemovedAfterTests, writeTree, type TreeSpec } from '../engine/platforms/helpers';
import { readLifecyclePackage } from '../engine/platforms/lifecycleReader';

const REPO = path.resolve(__dirname, '..', '..', '..');
const CLI = path.join(REPO, 'out', 'src', 'cli', 'main.js');
const tree = treesRemovedAfterTests();

const CHAINCODE: TreeSpec = {
  'package.json': JSON.stringify({ name: 'basic', version: '1.0.0', scripts: { start: 'fabric-chaincode-node start' }, dependencies: { 'fabric-contract-api': '^2.5.0' } }),
  'index.js': 'module.exports.contracts = [];\n',
};

function runCli(args: string[], cwd = REPO): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, 'package', ...args], { encoding: 'utf8', cwd, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('chaincode-launcher package', () => {
  test('writes the package where --out says and prints only its ID, as calculatepackageid computes it', async () => {
    const folder = await tree(CHAINCODE);
    const out = path.join(await tree({}), 'pkgs', 'basic.tar.gz');
    const r = runCli([folder, '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `basic_1.0.0:${sha256(out)}\n`);
    assert.match(r.stderr, /wrote .*basic\.tar\.gz \(node, label basic_1\.0\.0, 2 entries in code\.tar\.gz\)/);
    const read = await readLifecyclePackage(readFileSync(out));
    assert.deepEqual(JSON.parse(read.metadataText), { path: folder, type: 'node', label: 'basic_1.0.0' });
    assert.deepEqual(
      read.code.map((e) => e.name),
      ['src/index.js', 'src/package.json'],
    );
  });

  test('by default the package goes beside the folder when run inside it, never into it', async () => {
    const parent = await tree({});
    const folder = path.join(parent, 'cc');
    await writeTree(folder, CHAINCODE);
    const r = runCli(['.', '--label', 'mine_2'], folder);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(existsSync(path.join(parent, 'mine_2.tar.gz')));
    assert.deepEqual(readdirSync(folder).sort(), ['index.js', 'package.json']);
    assert.equal(r.stdout, `mine_2:${sha256(path.join(parent, 'mine_2.tar.gz'))}\n`);
  });

  test('--type ccaas --address, with TLS files: connection.json holds them', async () => {
    const folder = await tree(CHAINCODE);
    const files = await tree({
      'ca.pem': '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
      'client.pem': '-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n',
      'client.key': '-----BEGIN PRIVATE KEY-----\nMIID\n-----END PRIVATE KEY-----\n',
    });
    const out = path.join(files, 'svc.tar.gz');
    const tls = ['--tls-root-cert', path.join(files, 'ca.pem'), '--tls-client-cert', path.join(files, 'client.pem'), '--tls-client-key', path.join(files, 'client.key')];
    const r = runCli([folder, '--type', 'ccaas', '--address', 'cc.example.com:9999', '--dial-timeout', '5s', '--label', 'svc_1', '--out', out, ...tls]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `svc_1:${sha256(out)}\n`);
    const read = await readLifecyclePackage(readFileSync(out));
    assert.equal(read.metadataText, '{"type":"ccaas","label":"svc_1"}');
    assert.deepEqual(JSON.parse(read.code[0].body.toString()), {
      address: 'cc.example.com:9999',
      dial_timeout: '5s',
      tls_required: true,
      client_auth_required: true,
      client_key: readFileSync(path.join(files, 'client.key'), 'utf8'),
      client_cert: readFileSync(path.join(files, 'client.pem'), 'utf8'),
      root_cert: readFileSync(path.join(files, 'ca.pem'), 'utf8'),
    });
  });

  describe('bad input: a clear error, the exit code, nothing written', () => {
    const refused = async (args: (folder: string) => string[], code: number, message: RegExp, spec: TreeSpec = CHAINCODE): Promise<void> => {
      const folder = await tree(spec);
      const outDir = await tree({});
      const r = runCli([...args(folder), '--out', path.join(outDir, 'p.tar.gz')]);
      assert.equal(r.code, code, r.stderr);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '');
      assert.deepEqual(readdirSync(outDir), [], 'no package written');
      assert.deepEqual(readdirSync(folder).sort(), Object.keys(spec).sort(), 'nothing written into the folder');
    };

    test('a folder that is not a chaincode: exit 3', async () => {
      await refused((f) => [f], 3, /error: .* is not a chaincode folder: it has no package\.json depending on fabric-shim or fabric-contract-api/, {
        'package.json': '{"name":"site"}',
        'index.html': '',
      });
    });

    test("a label Fabric refuses: exit 2, Fabric's message", async () => {
      await refused(
        (f) => [f, '--label', 'bad label'],
        2,
        /error: invalid label 'bad label'\. Label must be non-empty, can only consist of alphanumerics, symbols from '\.\+-_', and can only begin with alphanumerics/,
      );
    });

    test('ccaas without an address, an address without ccaas, an unknown type, a bad address: exit 2', async () => {
      await refused((f) => [f, '--type', 'ccaas'], 2, /error: --type ccaas needs --address HOST:PORT/);
      await refused((f) => [f, '--address', 'h:1'], 2, /error: --address is for chaincode-as-a-service packages \(--type ccaas\)/);
      await refused((f) => [f, '--type', 'golang'], 2, /error: --type must be ccaas/);
      await refused((f) => [f, '--type', 'ccaas', '--address', 'h:1', '--tls-client-cert', 'x.pem'], 2, /error: --tls-client-cert and --tls-client-key go together/);
      await refused((f) => [f, '--type', 'ccaas', '--address', 'nowhere'], 3, /error: the chaincode server address must be HOST:PORT/);
    });

    test('no folder, or an unknown flag: exit 2 with the usage', () => {
      for (const args of [[], ['.', '--bogus']]) {
        const r = runCli(args);
        assert.equal(r.code, 2);
        assert.match(r.stderr, /Usage:\n {2}chaincode-launcher package <folder>/);
      }
    });
  });

  test('--help prints the usage on stdout; the main usage names the command', () => {
    const r = runCli(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Usage:\n {2}chaincode-launcher package <folder> \[--label L\]/);
    const main = spawnSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' });
    assert.match(main.stdout, /chaincode-launcher package <folder>/);
  });
});
