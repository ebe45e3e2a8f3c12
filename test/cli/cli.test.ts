/**
 * The CLI as a script uses it: the real binary in a child process, the example chaincode in dev
 * mode, JSON results on stdout, and exit codes a script can rely on.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseCli, parseTransaction, UsageError } from '../../src/cli/options';

const REPO = path.resolve(__dirname, '..', '..', '..');
const CLI = path.join(REPO, 'out', 'src', 'cli', 'main.js');
const EXAMPLE = path.join(REPO, 'examples', 'asset-transfer');

function runCli(args: string[]): { code: number | null; stdout: string; stderr: string; results: Record<string, unknown>[] } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 90_000 });
  const results = r.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, results };
}

describe('chaincode-launcher CLI', () => {
  test('launches the example in dev mode, runs transactions in order and prints JSON results', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-'));
    const r = runCli([
      'launch', EXAMPLE, '--data-dir', dataDir, '--port', '0', '--once',
      '--tx', 'InitLedger',
      '--tx', 'TransferAsset asset1 Alice',
      '--tx', '["QueryAssets","{\\"selector\\":{\\"Owner\\":\\"Alice\\"}}"]',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.results.length, 3);
    assert.deepEqual(r.results[0].payload, ['asset1', 'asset2', 'asset3']);
    assert.equal(r.results[1].payload, 'Tomoko');
    assert.equal((r.results[1].event as { name: string }).name, 'AssetTransferred');
    assert.deepEqual((r.results[2].payload as { ID: string }[]).map((a) => a.ID), ['asset1']);
    assert.match(r.stderr, /asset-transfer:1\.0\.0 is ready/);
    // The world state persists in the data directory: a second run sees the first run's commits.
    const again = runCli(['launch', EXAMPLE, '--data-dir', dataDir, '--port', '0', '--once', '--tx', 'ReadAsset asset1']);
    assert.equal(again.code, 0, again.stderr);
    assert.equal((again.results[0].payload as { Owner: string }).Owner, 'Alice');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('a failed transaction makes the exit code 1', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-'));
    const r = runCli(['launch', EXAMPLE, '--data-dir', dataDir, '--port', '0', '--once', '--tx', 'ReadAsset nosuch']);
    assert.equal(r.code, 1);
    assert.equal(r.results[0].status, 500);
    assert.match(String(r.results[0].message), /The asset nosuch does not exist/);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('a folder that is not chaincode is a launch failure (3) with a clear message', () => {
    const r = runCli(['launch', os.tmpdir(), '--once', '--port', '0']);
    assert.equal(r.code, 3);
    assert.match(r.stderr, /does not look like chaincode/);
  });

  test('usage errors exit 2 and print the usage', () => {
    const r = runCli(['launch', EXAMPLE, '--mode', 'sideways']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--mode must be dev or net/);
    assert.match(r.stderr, /Usage:/);
    assert.equal(runCli(['--help']).code, 0);
  });

  test('flags and a config file map onto every engine setting', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-cfg-'));
    const file = path.join(dir, 'config.json');
    fs.writeFileSync(file, JSON.stringify({ mspId: 'Org2MSP', executeTimeoutMs: 1234, baseImages: { java: 'my/java:1' } }));
    const cmd = parseCli(['launch', 'cc', '--config', file, '--mode', 'net', '--port', '7055', '--host', '127.0.0.2', '--data-dir', '/tmp/d',
      '--startup-timeout', '12', '--docker-endpoint', 'tcp://127.0.0.1:2375', '--base-image', 'node=local/node:1', '--network-mode', 'bridge-host-gateway',
      '--log-level', 'debug', '--channel', 'ch2', '--no-tls', '--durability', 'disk', '--version', '2.0', '--name', 'x']);
    assert.equal(cmd.command, 'launch');
    if (cmd.command !== 'launch') return;
    const c = cmd.config;
    assert.deepEqual(
      [c.mode, c.peerPort, c.peerHost, c.dataDir, c.startupTimeoutMs, c.executeTimeoutMs, c.dockerEndpoint, c.baseImages.node, c.baseImages.java, c.networkMode, c.mspId, c.logLevel, c.channel, c.netModeTls, c.ledgerDurability, cmd.name, cmd.version],
      ['net', 7055, '127.0.0.2', '/tmp/d', 12000, 1234, 'tcp://127.0.0.1:2375', 'local/node:1', 'my/java:1', 'bridge-host-gateway', 'Org2MSP', 'debug', 'ch2', false, 'disk', 'x', '2.0'],
    );
    assert.throws(() => parseCli(['launch', 'cc', '--base-image', 'cobol=x']), UsageError);
    assert.throws(() => parseCli(['launch', 'cc', '--port', '70000']), UsageError);
    assert.throws(() => parseCli(['launch', 'cc', '--durability', 'eventually']), /--durability must be process or disk/);
    assert.equal((parseCli(['peer']) as { config: { ledgerDurability: string } }).config.ledgerDurability, 'process');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('--tx takes words or a JSON array of strings', () => {
    assert.deepEqual(parseTransaction('ReadAsset asset1'), ['ReadAsset', 'asset1']);
    assert.deepEqual(parseTransaction('["QueryAssets","{\\"selector\\":{}}"]'), ['QueryAssets', '{"selector":{}}']);
    assert.throws(() => parseTransaction('[1,2]'), /JSON array must hold/);
    assert.throws(() => parseTransaction('   '), /needs a function name/);
  });
});
