/**
 * The CLI as a script uses it: the real binary in a child process, real chaincode (the example in
 * dev mode, a delta-update contract, the Go fixture, a chaincode server), JSON results on stdout,
 * and exit codes a script can rely on.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { waitUntil } from '../support/netChaincode';
import { FABRIC_CHAINCODE_NODE, startProcess } from '../support/nodeChaincode';
import { fixtureSkip, goFixtureStatus, killAllChaincodeProcesses, startChaincodeProcess, startGoFixture } from '../support/toolchains';

const REPO = path.resolve(__dirname, '..', '..', '..');
const CLI = path.join(REPO, 'out', 'src', 'cli', 'main.js');
const EXAMPLE = path.join(REPO, 'examples', 'asset-transfer');
/** fabric-samples' high-throughput pattern; its package.json name is `@fixtures/high.throughput`. */
const DELTAS = path.join(REPO, 'test', 'cli', 'fixtures', 'high-throughput');
const GO_V2 = path.join(REPO, 'test', 'fixtures', 'go', 'v2');

interface Line {
  index: number;
  kind: 'invoke' | 'query';
  tx: string[];
  status: number;
  message: string;
  payload: string;
  json?: unknown;
  validation: string;
  event: { name: string; payload: string; json?: unknown } | null;
  error?: string;
}

const resultLines = (stdout: string): Line[] =>
  stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Line);

/** Tests never take the Gateway's default port 7051: any free port. */
const GATEWAY_PORT = ['--gateway-port', '0'];

function runCli(args: string[]): { code: number | null; stdout: string; stderr: string; results: Line[] } {
  const r = spawnSync(process.execPath, [CLI, ...args, ...GATEWAY_PORT], { encoding: 'utf8', timeout: 90_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, results: resultLines(r.stdout) };
}

const dataDirs: string[] = [];
function dataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-'));
  dataDirs.push(dir);
  return dir;
}

after(async () => {
  await killAllChaincodeProcesses();
  for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('chaincode-launcher CLI', () => {
  test('launches the example in dev mode, runs transactions in order and prints JSON results', () => {
    const dir = dataDir();
    const r = runCli([
      'launch',
      EXAMPLE,
      '--data-dir',
      dir,
      '--port',
      '0',
      '--once',
      '--tx',
      'InitLedger',
      '--tx',
      'TransferAsset asset1 Alice',
      '--tx',
      '["QueryAssets","{\\"selector\\":{\\"Owner\\":\\"Alice\\"}}"]',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      r.results.map((l) => [l.index, l.kind]),
      [
        [0, 'invoke'],
        [1, 'invoke'],
        [2, 'invoke'],
      ],
    );
    assert.deepEqual(r.results[0].json, ['asset1', 'asset2', 'asset3']);
    assert.equal(r.results[1].payload, 'Tomoko');
    assert.equal(r.results[1].event?.name, 'AssetTransferred');
    assert.deepEqual(
      (r.results[2].json as { ID: string }[]).map((a) => a.ID),
      ['asset1'],
    );
    assert.match(r.stderr, /asset-transfer:1\.0\.0 is ready/);
    // What a client application needs: the crypto folder (made in Fabric's layout) and the Gateway.
    assert.match(r.stderr, new RegExp(`^CRYPTO_PATH=${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/organizations/peerOrganizations/org1\\.example\\.com$`, 'm'));
    assert.match(r.stderr, /^PEER_ENDPOINT=localhost:\d+$/m);
    assert.ok(
      r.stdout.split('\n').every((line) => line === '' || line.startsWith('{')),
      'stdout holds only result lines',
    );
    assert.ok(fs.existsSync(path.join(dir, 'organizations', 'peerOrganizations', 'org1.example.com', 'peers', 'peer0.org1.example.com', 'tls', 'ca.crt')));
    // The world state persists in the data directory: a second run sees the first run's commits.
    const again = runCli(['launch', EXAMPLE, '--data-dir', dir, '--port', '0', '--once', '--tx', 'ReadAsset asset1']);
    assert.equal(again.code, 0, again.stderr);
    assert.equal((again.results[0].json as { Owner: string }).Owner, 'Alice');
  });

  test('a --query runs in its place among the --tx: a read before a transfer sees the old owner', () => {
    const r = runCli([
      'launch',
      EXAMPLE,
      '--data-dir',
      dataDir(),
      '--port',
      '0',
      '--once',
      '--tx',
      'InitLedger',
      '--query',
      'ReadAsset asset1',
      '--tx',
      'TransferAsset asset1 Alice',
      '--query',
      'ReadAsset asset1',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const owners = r.results.filter((l) => l.tx[0] === 'ReadAsset').map((l) => ((l.json ?? l.payload) as { Owner: string }).Owner);
    assert.deepEqual(owners, ['Tomoko', 'Alice']);
    assert.deepEqual(
      r.results.map((l) => [l.index, l.kind, l.tx[0]]),
      [
        [0, 'invoke', 'InitLedger'],
        [1, 'query', 'ReadAsset'],
        [2, 'invoke', 'TransferAsset'],
        [3, 'query', 'ReadAsset'],
      ],
    );
  });

  test('a JSON object payload prints as the exact text the chaincode returned and, beside it, parsed', () => {
    const r = runCli(['launch', EXAMPLE, '--data-dir', dataDir(), '--port', '0', '--once', '--tx', 'InitLedger', '--query', 'ReadAsset asset2']);
    assert.equal(r.code, 0, r.stderr);
    const read = r.results[1];
    assert.equal(typeof read.payload, 'string');
    // The example stores JSON.stringify of the asset and returns it as stored: the text is that, byte for byte.
    assert.equal(read.payload, '{"ID":"asset2","Color":"red","Size":5,"Owner":"Brad","AppraisedValue":400}');
    assert.deepEqual(read.json, { ID: 'asset2', Color: 'red', Size: 5, Owner: 'Brad', AppraisedValue: 400 });
    // A text payload has no parsed field: 'Tomoko' is not JSON, and a number-like text would not be parsed either.
    const transfer = runCli(['launch', EXAMPLE, '--data-dir', dataDir(), '--port', '0', '--once', '--tx', 'InitLedger', '--tx', 'TransferAsset asset1 Alice']).results[1];
    assert.deepEqual([transfer.payload, 'json' in transfer], ['Tomoko', false]);
  });

  test('a failed transaction makes the exit code 1', () => {
    const r = runCli(['launch', EXAMPLE, '--data-dir', dataDir(), '--port', '0', '--once', '--tx', 'ReadAsset nosuch']);
    assert.equal(r.code, 1);
    assert.equal(r.results[0].status, 500);
    assert.match(String(r.results[0].message), /The asset nosuch does not exist/);
  });

  test('--parallel runs 100 delta updates at once, all committed; a --query after them sees every one', () => {
    const updates = Array.from({ length: 100 }, (_, i) => ['--tx', `Update counter ${i + 1}`]).flat();
    const r = runCli(['launch', DELTAS, '--data-dir', dataDir(), '--port', '0', '--once', '--parallel', ...updates, '--query', 'Get counter']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.results.length, 101);
    const invokes = r.results.filter((l) => l.kind === 'invoke');
    assert.deepEqual(
      invokes.map((l) => l.index).sort((a, b) => a - b),
      Array.from({ length: 100 }, (_, i) => i),
    );
    for (const l of invokes) {
      assert.deepEqual([l.status, l.validation], [200, 'VALID'], JSON.stringify(l));
      assert.equal(l.tx[2], String(l.index + 1), 'each line names its own --tx');
    }
    // The query is a barrier: printed last, after all 100, and it sees every delta row.
    assert.equal(r.results[100].index, 100);
    assert.deepEqual(r.results[100].json, { name: 'counter', total: 5050, rows: 100 });
    // Concurrency as the peer saw it: the chaincode's handler had more than one transaction in flight.
    const peak = Number(/most transactions in flight at once on high-throughput:1\.0\.0's handler: (\d+)/.exec(r.stderr)?.[1]);
    assert.ok(peak > 1 && peak <= 100, `peak in flight ${peak}\n${r.stderr}`);
    // The same observable says 1 when a --query separates every --tx (each group holds one).
    const barriers = runCli(['launch', DELTAS, '--data-dir', dataDir(), '--port', '0', '--once', '--parallel', '--tx', 'Update k 1', '--query', 'Get k', '--tx', 'Update k 2']);
    assert.equal(barriers.code, 0, barriers.stderr);
    assert.match(barriers.stderr, /most transactions in flight at once on high-throughput:1\.0\.0's handler: 1\n/);
    // The folder's package.json calls it @fixtures/high.throughput: the name Fabric allows is derived.
    assert.match(r.stderr, /chaincode name high-throughput, from "@fixtures\/high\.throughput"/);
    assert.match(r.stderr, /high-throughput:1\.0\.0 is ready/);
  });

  test('without --parallel the same updates run one at a time; a dotted npm name becomes a name Fabric allows', () => {
    const r = runCli(['launch', DELTAS, '--data-dir', dataDir(), '--port', '0', '--once', '--tx', 'Update c 1', '--tx', 'Update c 2', '--query', 'Get c']);
    assert.equal(r.code, 0, r.stderr);
    // package.json says @fixtures/high.throughput; Fabric's rule forbids '.', so the chaincode id is high-throughput:1.0.0.
    assert.match(r.stderr, /launching high-throughput:1\.0\.0 \(dev mode, node\)/);
    assert.deepEqual(
      r.results.map((l) => l.index),
      [0, 1, 2],
    );
    assert.deepEqual(r.results[2].json, { name: 'c', total: 3, rows: 2 });
    assert.doesNotMatch(r.stderr, /in flight/);
  });

  test('a folder that is not chaincode is a usage error (2) that says what is missing, before any peer starts', () => {
    const empty = dataDir();
    const r = runCli(['launch', empty, '--once', '--port', '0']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /is not a chaincode folder: it has no package\.json, go\.mod, pom\.xml or build\.gradle/);
    assert.doesNotMatch(r.stderr, /peer listening/);
    // A package.json alone is not chaincode (the CLI used to launch any such folder).
    const plain = dataDir();
    fs.writeFileSync(path.join(plain, 'package.json'), JSON.stringify({ name: 'web-app', version: '1.0.0', dependencies: { express: '^4' } }));
    const p = runCli(['launch', plain, '--once', '--port', '0']);
    assert.equal(p.code, 2, p.stderr);
    assert.match(p.stderr, /its package\.json has neither fabric-contract-api nor fabric-shim in "dependencies"/);
    assert.doesNotMatch(p.stderr, /peer listening/);
  });

  test("usage errors exit 2 and print the usage; names and versions follow Fabric's rules", () => {
    const r = runCli(['launch', EXAMPLE, '--mode', 'sideways']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--mode must be dev, net or external/);
    assert.match(r.stderr, /Usage:/);
    assert.equal(runCli(['--help']).code, 0);
    const name = runCli(['launch', EXAMPLE, '--name', 'my.cc', '--once']);
    assert.equal(name.code, 2);
    assert.match(name.stderr, /--name: invalid chaincode name 'my\.cc'\. Names must start with an alphanumeric character and can only consist of alphanumerics, '_', and '-'/);
    const version = runCli(['launch', EXAMPLE, '--version', '1.0/beta', '--once']);
    assert.equal(version.code, 2);
    assert.match(version.stderr, /--version: invalid chaincode version '1\.0\/beta'/);
  });
});

describe('chaincode-launcher CLI with the Go shim', { skip: fixtureSkip(goFixtureStatus('v2')), timeout: 120_000 }, () => {
  test("a Go chaincode's number-like or quoted text prints as that text, not as JSON", async () => {
    const cli = startChaincodeProcess({
      command: process.execPath,
      args: [
        CLI,
        'launch',
        GO_V2,
        '--no-start',
        '--name',
        'gocc',
        '--version',
        '1.0',
        '--port',
        '0',
        ...GATEWAY_PORT,
        '--data-dir',
        dataDir(),
        '--once',
        '--tx',
        'put n 250',
        '--tx',
        '["put","s","\\"x\\""]',
        '--tx',
        'put a [1,2]',
        '--query',
        'get n',
        '--query',
        'get s',
        '--query',
        'get a',
      ],
      label: 'cli',
    });
    const listening = await cli.waitForLine(/peer listening on (\S+);/, 30_000);
    const peerAddress = /peer listening on (\S+);/.exec(listening)?.[1] ?? '';
    const gocc = startGoFixture('v2', { peerAddress, chaincodeId: 'gocc:1.0' });
    const code = await cli.exited;
    await gocc.kill();
    const out = cli
      .lines()
      .filter((l) => l.startsWith('[out] '))
      .map((l) => l.slice(6))
      .join('\n');
    assert.equal(code, 0, cli.output());
    const reads = resultLines(out).filter((l) => l.tx[0] === 'get');
    assert.deepEqual(
      reads.map((l) => l.payload),
      ['250', '"x"', '[1,2]'],
    );
    assert.deepEqual(
      reads.map((l) => [l.index, l.json]),
      [
        [3, undefined],
        [4, undefined],
        [5, [1, 2]],
      ],
    );
  });
});

async function freeAddress(): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return `127.0.0.1:${port}`;
}

function accepts(address: string): Promise<boolean> {
  const [host, port] = address.split(':');
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), host, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

describe('chaincode-launcher CLI in external mode (chaincode as a service)', { timeout: 120_000 }, () => {
  test('--mode external --address dials a real fabric-chaincode-node server and runs the transactions', async () => {
    const address = await freeAddress();
    const server = startProcess(
      process.execPath,
      [FABRIC_CHAINCODE_NODE, 'server', '--chaincode-address', address, '--chaincode-id', 'asset-transfer:1.0.0', '--module-path', EXAMPLE],
      {},
      EXAMPLE,
    );
    await waitUntil(() => accepts(address), 30_000, `the chaincode server on ${address}\n${server.output()}`);
    const r = runCli([
      'launch',
      EXAMPLE,
      '--mode',
      'external',
      '--address',
      address,
      '--data-dir',
      dataDir(),
      '--port',
      '0',
      '--once',
      '--tx',
      'InitLedger',
      '--query',
      'ReadAsset asset3',
    ]);
    await server.kill();
    assert.equal(r.code, 0, `${r.stderr}\n${server.output()}`);
    assert.match(r.stderr, /launching asset-transfer:1\.0\.0 \(external mode, node\) from the chaincode server at 127\.0\.0\.1:\d+/);
    // The peer dialled the server: the handler's connection is the chaincode-as-a-service kind.
    assert.match(r.stderr, /handler h\d+ \(ccaas\) asset-transfer:1\.0\.0: established → ready/);
    assert.equal((r.results[1].json as { Owner: string }).Owner, 'Jin Soo');
  });

  test('--mode external without --address, or --address without it, is a usage error', () => {
    assert.match(runCli(['launch', EXAMPLE, '--mode', 'external']).stderr, /--mode external needs --address HOST:PORT/);
    assert.match(runCli(['launch', EXAMPLE, '--address', '127.0.0.1:9999']).stderr, /--address is the chaincode server of --mode external/);
    assert.equal(runCli(['launch', EXAMPLE, '--mode', 'external', '--address', 'nohost']).code, 2);
  });
});
