/**
 * `chaincode-launcher network`: its flags, and the real binary against a second engine process
 * reached through its Gateway: launch's result lines, a committed transaction's read/write set,
 * a block, a chaincode event, _lifecycle's list (or its clear error), and the exit codes of a
 * network file that does not parse and an endpoint nothing listens on.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { parseNetworkCommand } from '../../src/cli/networkCommand';
import { EXAMPLE_CHAINCODE, REPO_ROOT } from '../support/nodeChaincode';
import { endpointFile, startRemoteNetwork, type RemoteNetwork } from '../support/remoteNetwork';

const CLI = path.join(REPO_ROOT, 'out', 'src', 'cli', 'main.js');

interface Run {
  readonly code: number | null;
  readonly stderr: string;
  readonly lines: Record<string, unknown>[];
}

/** The CLI in a child process (asynchronously, so this process's timers keep running). */
function runCli(args: readonly string[], command = 'network'): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, command, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      const lines = stdout
        .split('\n')
        .filter(Boolean)
        // network prints JSON lines; deploy (used to set a network up) prints text.
        .map((l) => (command === 'network' ? (JSON.parse(l) as Record<string, unknown>) : { text: l }));
      resolve({ code, stderr, lines });
    });
  });
}

describe('network: flags', () => {
  test('steps keep their command-line order and index; the streams take --start-block and --limit', () => {
    const cmd = parseNetworkCommand([
      '--network',
      'n.yaml',
      '--chaincode',
      'basic',
      '--query',
      'ReadAsset a',
      '--tx',
      '["Create","x y"]',
      '--events',
      '--start-block',
      '3',
      '--limit',
      '2',
    ]);
    assert.ok(cmd !== 'help');
    assert.deepEqual(
      cmd.steps.map((s) => [s.index, s.kind, s.args]),
      [
        [0, 'query', ['ReadAsset', 'a']],
        [1, 'invoke', ['Create', 'x y']],
      ],
    );
    assert.deepEqual([cmd.stream, cmd.startBlock, cmd.limit, cmd.connectTimeoutMs], ['events', 3, 2, 10_000]);
  });

  test('usage errors say what is missing', () => {
    const usage = (argv: string[], pattern: RegExp): void => assert.throws(() => parseNetworkCommand(argv), pattern);
    usage(['--chaincode', 'basic', '--tx', 'Init'], /needs --network FILE/);
    usage(['--network', 'n.yaml', '--tx', 'Init'], /--tx and --query need --chaincode NAME/);
    usage(['--network', 'n.yaml', '--blocks', '--events', '--chaincode', 'b'], /--blocks and --events are two streams/);
    usage(['--network', 'n.yaml', '--chaincodes', '--limit', '1'], /--start-block and --limit go with --blocks or --events/);
    usage(['--network', 'n.yaml', '--blocks', '--limit', '0'], /--limit must be a whole number ≥ 1/);
    usage(['--network', 'n.yaml'], /nothing to do/);
  });
});

describe('network: against a second engine process', () => {
  let remote: RemoteNetwork;
  let networkFile: string;
  before(async () => {
    remote = await startRemoteNetwork();
    networkFile = endpointFile(remote);
  });
  after(async () => {
    await remote?.stop();
  });

  test("transactions print launch's result lines, then the chaincode event; a chaincode failure exits 1", async () => {
    const run = await runCli([
      '--network',
      networkFile,
      '--chaincode',
      'basic',
      '--tx',
      'CreateAsset cli1 red 3 Dee 30',
      '--query',
      'ReadAsset cli1',
      '--tx',
      'ReadAsset nope',
      '--events',
      '--limit',
      '1',
    ]);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, new RegExp(`connected to ${remote.endpoint} \\(TLS host name peer0\\.org1\\.example\\.com\\), channel mychannel, as Org1MSP`));
    const [created, read, failed, event] = run.lines;
    assert.deepEqual(
      [created.index, created.kind, created.channel, created.status, created.validation, (created.event as { name: string }).name],
      [0, 'invoke', 'mychannel', 200, 'VALID', 'AssetCreated'],
    );
    assert.match(created.txId as string, /^[0-9a-f]{64}$/);
    assert.deepEqual([read.index, read.validation, (read.json as { Owner: string }).Owner], [1, 'NOT_VALIDATED', 'Dee']);
    assert.deepEqual([failed.index, failed.status, failed.message, failed.validation], [2, 500, 'The asset nope does not exist', 'NOT_COMMITTED']);
    assert.deepEqual([event.kind, event.txId, event.chaincode, event.name, (event.json as { ID: string }).ID], ['event', created.txId, 'basic', 'AssetCreated', 'cli1']);
    assert.equal(run.lines.length, 4);

    // The same transaction's read/write set and block, by its id.
    const later = await runCli(['--network', networkFile, '--rwset', created.txId as string, '--blocks', '--start-block', String(event.blockNumber), '--limit', '1']);
    assert.equal(later.code, 0, later.stderr);
    const [rwset, block] = later.lines;
    assert.deepEqual([rwset.kind, rwset.txId, rwset.blockNumber, rwset.validation, rwset.chaincode], ['rwset', created.txId, event.blockNumber, 'VALID', 'basic']);
    assert.deepEqual(rwset.reads, [{ chaincode: 'basic', collection: '', key: 'cli1', version: null }]);
    assert.deepEqual(
      (rwset.writes as { key: string; json: { Owner: string } }[]).map((w) => [w.key, w.json.Owner]),
      [['cli1', 'Dee']],
    );
    assert.deepEqual(
      [block.kind, block.number, block.transactions],
      ['block', event.blockNumber, [{ index: 0, txId: created.txId, validation: 'VALID', chaincodes: ['basic'], events: ['AssetCreated'] }]],
    );
  });

  test('--chaincodes lists the definitions _lifecycle has: one deployed to that network shows with its version and sequence', async () => {
    // Deployed as to any network: install, approve (both orgs' admins), commit, through its Gateway.
    const deployed = await runCli(
      [EXAMPLE_CHAINCODE, '--name', 'listed', '--version', '2.0', '--sequence', '1', '--peer', remote.endpoint, '--data-dir', path.dirname(remote.organizations)],
      'deploy',
    );
    assert.equal(deployed.code, 0, deployed.stderr);
    const run = await runCli(['--network', networkFile, '--chaincodes']);
    assert.equal(run.code, 0, run.stderr);
    assert.ok(
      run.lines.every((l) => l.kind === 'chaincode' && typeof l.name === 'string' && typeof l.sequence === 'number'),
      JSON.stringify(run.lines),
    );
    assert.deepEqual(
      run.lines.filter((l) => l.name === 'listed').map((l) => [l.version, l.sequence]),
      [['2.0', 1]],
    );
  });

  test('a network file that does not parse exits 2 and names it; an endpoint nothing listens on exits 4', async () => {
    const broken = path.join(remote.scratch, 'broken.yaml');
    fs.writeFileSync(broken, 'endpoint: [localhost:7051\n');
    const bad = await runCli(['--network', broken, '--blocks']);
    assert.equal(bad.code, 2);
    assert.ok(bad.stderr.includes(`error: ${broken} does not parse: `), bad.stderr);

    const port = await closedPort();
    const unreachable = endpointFile(remote, { endpoint: `127.0.0.1:${port}` }, 'unreachable.yaml');
    const down = await runCli(['--network', unreachable, '--blocks', '--connect-timeout', '2']);
    assert.equal(down.code, 4);
    assert.match(
      down.stderr,
      new RegExp(`error: cannot reach the Gateway at 127\\.0\\.0\\.1:${port} \\(from ${unreachable.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\): connection refused`),
    );
    assert.deepEqual(down.lines, []);
  });
});

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
