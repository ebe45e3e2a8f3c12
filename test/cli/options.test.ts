/**
 * The CLI's flags: every engine setting, transactions in command-line order, the runtimes
 * (dev, net, external) and the checks a script gets as usage errors (exit 2).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LaunchCommand, parseCli, parseTransaction, UsageError } from '../../src/cli/options';

function launch(args: string[]): LaunchCommand {
  const cmd = parseCli(['launch', 'cc', ...args]);
  assert.equal(cmd.command, 'launch');
  return cmd;
}

describe('CLI options', () => {
  test('flags and a config file map onto every engine setting', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-cfg-'));
    const file = path.join(dir, 'config.json');
    fs.writeFileSync(file, JSON.stringify({ mspId: 'Org2MSP', executeTimeoutMs: 1234, baseImages: { java: 'my/java:1' } }));
    const cmd = launch([
      '--config',
      file,
      '--mode',
      'net',
      '--port',
      '7055',
      '--host',
      '127.0.0.2',
      '--data-dir',
      '/tmp/d',
      '--startup-timeout',
      '12',
      '--docker-endpoint',
      'tcp://127.0.0.1:2375',
      '--base-image',
      'node=local/node:1',
      '--network-mode',
      'bridge-host-gateway',
      '--log-level',
      'debug',
      '--channel',
      'ch2',
      '--no-tls',
      '--durability',
      'disk',
      '--version',
      '2.0',
      '--name',
      'x',
    ]);
    const c = cmd.config;
    assert.deepEqual(
      [
        c.mode,
        c.peerPort,
        c.peerHost,
        c.dataDir,
        c.startupTimeoutMs,
        c.executeTimeoutMs,
        c.dockerEndpoint,
        c.baseImages.node,
        c.baseImages.java,
        c.networkMode,
        c.mspId,
        c.logLevel,
        c.channel,
        c.netModeTls,
        c.ledgerDurability,
        cmd.name,
        cmd.version,
        cmd.runtime,
      ],
      [
        'net',
        7055,
        '127.0.0.2',
        '/tmp/d',
        12000,
        1234,
        'tcp://127.0.0.1:2375',
        'local/node:1',
        'my/java:1',
        'bridge-host-gateway',
        'Org2MSP',
        'debug',
        'ch2',
        false,
        'disk',
        'x',
        '2.0',
        { mode: 'net' },
      ],
    );
    assert.throws(() => launch(['--base-image', 'cobol=x']), UsageError);
    assert.throws(() => launch(['--port', '70000']), UsageError);
    assert.throws(() => launch(['--durability', 'eventually']), /--durability must be process or disk/);
    assert.equal((parseCli(['peer']) as { config: { ledgerDurability: string } }).config.ledgerDurability, 'process');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('--tx and --query keep the order of the command line, each with its index', () => {
    const cmd = launch(['--query', 'ReadAsset a1', '--tx', 'TransferAsset a1 Max', '--once', '--query', '["ReadAsset","a1"]', '--tx', 'DeleteAsset a1']);
    assert.deepEqual(cmd.steps, [
      { index: 0, kind: 'query', args: ['ReadAsset', 'a1'] },
      { index: 1, kind: 'invoke', args: ['TransferAsset', 'a1', 'Max'] },
      { index: 2, kind: 'query', args: ['ReadAsset', 'a1'] },
      { index: 3, kind: 'invoke', args: ['DeleteAsset', 'a1'] },
    ]);
    assert.equal(cmd.parallel, false);
    assert.equal(launch(['--parallel', '--tx', 'A']).parallel, true);
    assert.throws(() => launch(['--query', '[1]']), /^UsageError: --query \[1\]: a JSON array must hold/);
  });

  test('--tx takes words or a JSON array of strings', () => {
    assert.deepEqual(parseTransaction('ReadAsset asset1'), ['ReadAsset', 'asset1']);
    assert.deepEqual(parseTransaction('["QueryAssets","{\\"selector\\":{}}"]'), ['QueryAssets', '{"selector":{}}']);
    assert.throws(() => parseTransaction('[1,2]'), /JSON array must hold/);
    assert.throws(() => parseTransaction('   '), /needs a function name/);
    assert.throws(
      () => parseTransaction('[oops'),
      (err: unknown) => err instanceof UsageError && err.cause instanceof SyntaxError,
    );
  });

  test('runtimes: dev starts a process unless --no-start; external needs a chaincode server address', () => {
    assert.deepEqual(launch([]).runtime, { mode: 'dev', startProcess: true });
    assert.deepEqual(launch(['--no-start']).runtime, { mode: 'dev', startProcess: false });
    const external = launch(['--mode', 'external', '--address', 'ccsvc.local:9999']);
    assert.deepEqual(external.runtime, { mode: 'external', address: 'ccsvc.local:9999' });
    // The peer itself runs as in net mode: it accepts only chaincode it launched (here: dialled).
    assert.equal(external.config.mode, 'net');
    assert.deepEqual(launch(['--mode', 'external', '--address', '[::1]:7000']).runtime, { mode: 'external', address: '[::1]:7000' });
    assert.throws(() => launch(['--mode', 'external']), /--mode external needs --address HOST:PORT/);
    assert.throws(() => launch(['--mode', 'external', '--address', 'host:0']), /--address must be HOST:PORT with a port 1–65535/);
    assert.throws(() => launch(['--mode', 'external', '--address', 'host']), /--address must be HOST:PORT/);
    assert.throws(() => launch(['--address', 'host:1']), /--address is the chaincode server of --mode external/);
    assert.throws(() => launch(['--mode', 'net', '--no-start']), /--no-start is for dev mode/);
    assert.throws(() => launch(['--mode', 'sideways']), /--mode must be dev, net or external, got sideways/);
  });

  test('a remote Docker engine: the TLS files as the Docker CLI names them, and the address containers reach the peer at', () => {
    const c = launch([
      '--mode',
      'net',
      '--docker-endpoint',
      'tcp://docker.example:2376',
      '--docker-tlsverify',
      '--docker-cert-path',
      '/certs',
      '--docker-tlskey',
      '/keys/key.pem',
      '--peer-external-address',
      'dev-laptop.example:7053',
    ]).config;
    assert.deepEqual(c.dockerTls, { verify: true, certPath: '/certs', keyFile: '/keys/key.pem' });
    assert.equal(c.peerExternalAddress, 'dev-laptop.example:7053');
    assert.deepEqual(launch(['--docker-tlscacert', '/ca.pem', '--docker-tlscert', '/cert.pem']).config.dockerTls, { verify: false, caFile: '/ca.pem', certFile: '/cert.pem' });
    assert.deepEqual(launch([]).config.dockerTls, { verify: false });
    assert.equal(launch([]).config.peerExternalAddress, undefined);
    assert.throws(() => launch(['--peer-external-address', 'dev-laptop.example']), /^UsageError: --peer-external-address: the peer's external address must be HOST:PORT/);
    assert.throws(() => launch(['--peer-external-address', 'h:7053', '--no-tls']), /--peer-external-address needs net mode's mutual TLS/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-cfg-'));
    const file = path.join(dir, 'config.json');
    fs.writeFileSync(file, JSON.stringify({ dockerTls: { caFile: '/from-file/ca.pem' }, peerExternalAddress: '[::1]:0' }));
    const fromFile = launch(['--config', file, '--docker-tlsverify']).config;
    assert.deepEqual(fromFile.dockerTls, { verify: true, caFile: '/from-file/ca.pem' });
    assert.equal(fromFile.peerExternalAddress, '[::1]:0');
  });

  test('external: --connection reads a connection.json as the ccaas builder does; --package-id is the id the server registers with', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-conn-'));
    const file = path.join(dir, 'connection.json');
    const root = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    fs.writeFileSync(file, JSON.stringify({ address: '127.0.0.1:9999', dial_timeout: '10s', tls_required: true, root_cert: root }));
    const id = 'basic_1.0:1a2b3c';
    assert.deepEqual(launch(['--mode', 'external', '--connection', file, '--package-id', id]).runtime, {
      mode: 'external',
      address: '127.0.0.1:9999',
      connection: { address: '127.0.0.1:9999', dialTimeoutMs: 10_000, tls: { rootCertPem: root } },
      packageId: id,
    });
    assert.deepEqual(launch(['--mode', 'external', '--address', '127.0.0.1:9999', '--package-id', id]).runtime, { mode: 'external', address: '127.0.0.1:9999', packageId: id });
    fs.writeFileSync(file, JSON.stringify({ address: '127.0.0.1:9999', tls_required: true }));
    assert.throws(() => launch(['--mode', 'external', '--connection', file]), /--connection .*connection\.json: chaincode tls root cert not provided/);
    assert.throws(() => launch(['--mode', 'external', '--connection', path.join(dir, 'none.json')]), /--connection .*none\.json: ENOENT/);
    assert.throws(() => launch(['--mode', 'external', '--connection', file, '--address', '127.0.0.1:1']), /--address and --connection both say where the chaincode server is/);
    assert.throws(() => launch(['--mode', 'external', '--address', '127.0.0.1:1', '--package-id', 'nocolon']), /--package-id must be LABEL:HASH \(or NAME:VERSION\)/);
    assert.throws(() => launch(['--mode', 'external', '--address', '127.0.0.1:1', '--package-id', id, '--name', 'x']), /leave out --name and --version/);
    assert.throws(() => launch(['--package-id', id]), /--package-id is for the chaincode server of --mode external/);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("--name and --version are checked against Fabric's rules", () => {
    assert.throws(() => launch(['--name', 'my.cc']), /--name: invalid chaincode name 'my\.cc'/);
    assert.throws(() => launch(['--name', 'my--cc']), /--name: invalid chaincode name/);
    assert.throws(() => launch(['--version', '1 0']), /--version: invalid chaincode version '1 0'/);
    assert.equal(launch(['--name', 'my_cc-2', '--version', '1.0.0-rc.1+b7']).name, 'my_cc-2');
  });
  test('the definition flags: kept as text for launch (parsed before anything starts), refused by other commands', () => {
    const cmd = parseCli(['launch', 'cc', '--endorsement-policy', "AND('Org1MSP.peer','Org2MSP.peer')", '--collections-config', 'c.json']) as LaunchCommand;
    assert.deepEqual(cmd.definitionPolicies, { endorsementPolicy: "AND('Org1MSP.peer','Org2MSP.peer')", collectionsConfig: 'c.json' });
    assert.deepEqual((parseCli(['launch', 'cc']) as LaunchCommand).definitionPolicies, {});
    assert.throws(() => parseCli(['peer', '--endorsement-policy', "OR('Org1MSP.peer')"]), {
      name: 'UsageError',
      message: '--endorsement-policy defines the chaincode that launch starts; peer does not take it',
    });
    assert.throws(() => parseCli(['replay', 'abc', '--collections-config', 'c.json']), {
      name: 'UsageError',
      message: /--collections-config defines the chaincode that launch starts; replay/,
    });
  });
});
