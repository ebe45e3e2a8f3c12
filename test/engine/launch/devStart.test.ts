/**
 * Dev mode's start command per language: the peer address in the form each
 * shim reads, and the environment a Fabric peer gives every chaincode (the MSP id included).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'path';
import { devStartCommand, DevStartError, nodeEntry } from '../../../src/engine/launch/devStart';
import { makeFolder } from '../../support/netChaincode';

const EXAMPLE = path.resolve(__dirname, '..', '..', '..', '..', 'examples', 'asset-transfer');
const base = { ccid: 'cc:1', peerAddress: '127.0.0.1:7052', mspId: 'Org2MSP' } as const;

describe('dev-mode start commands', () => {
  test("node: the start script's shim CLI on node, --peer.address, and Fabric's environment with TLS off", async () => {
    const cmd = await devStartCommand({ ...base, language: 'node', folder: EXAMPLE });
    assert.equal(cmd.command, 'node');
    assert.deepEqual(cmd.args, [path.join(EXAMPLE, 'node_modules', 'fabric-shim', 'cli.js'), 'start', '--peer.address', '127.0.0.1:7052']);
    assert.equal(cmd.cwd, EXAMPLE);
    assert.deepEqual(cmd.env, {
      CORE_CHAINCODE_ID_NAME: 'cc:1',
      CORE_PEER_TLS_ENABLED: 'false',
      CORE_PEER_LOCALMSPID: 'Org2MSP',
      CORE_CHAINCODE_LOGGING_LEVEL: 'INFO',
      CORE_CHAINCODE_LOGGING_SHIM: 'WARNING',
      CORE_PEER_ADDRESS: '127.0.0.1:7052',
    });
  });

  test('node: `node file.js` in the start script runs that file; a program overrides it', async () => {
    const dir = await makeFolder('dev-start-', { 'package.json': JSON.stringify({ scripts: { start: 'node lib/start.js --peer.address x:1 --verbose' } }) });
    assert.deepEqual(nodeEntry(dir, undefined), { program: path.join(dir, 'lib', 'start.js'), args: ['--verbose'] });
    assert.deepEqual(nodeEntry(dir, 'other.js'), { program: path.join(dir, 'other.js'), args: [] });
    const noShim = await makeFolder('dev-start-', { 'package.json': JSON.stringify({ scripts: { start: 'fabric-chaincode-node start' } }) });
    assert.throws(() => nodeEntry(noShim, undefined), DevStartError);
  });

  test('go: go run with -peer.address=, the only form the v2 shim reads', async () => {
    const cmd = await devStartCommand({ ...base, language: 'golang', folder: '/src/cc', logLevel: 'debug' });
    assert.deepEqual([cmd.command, ...cmd.args], ['go', 'run', '/src/cc', '-peer.address=127.0.0.1:7052']);
    assert.equal(cmd.env.CORE_PEER_TLS_ENABLED, 'false', 'the Go shim refuses to start without it');
    assert.equal(cmd.env.CORE_CHAINCODE_LOGGING_LEVEL, 'DEBUG');
  });

  test("java: the build's runnable jar (the platform's jar finder), --peerAddress; none is a clear error", async () => {
    const dir = await makeFolder('dev-start-', { 'pom.xml': '<project/>', 'target/cc-1.0.jar': 'jar', 'target/original-cc-1.0.jar': 'jar', 'target/cc-1.0-sources.jar': 'jar' });
    const cmd = await devStartCommand({ ...base, language: 'java', folder: dir });
    assert.deepEqual([cmd.command, ...cmd.args], ['java', '-jar', path.join(dir, 'target', 'cc-1.0.jar'), '--peerAddress', '127.0.0.1:7052']);
    assert.equal(cmd.env.CORE_PEER_ADDRESS, '127.0.0.1:7052');
    await assert.rejects(devStartCommand({ ...base, language: 'java', folder: await makeFolder('dev-start-', { 'pom.xml': '<project/>' }) }), /no runnable jar .*build it first/);
  });
});
