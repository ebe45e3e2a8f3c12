/**
 * What the CLI tells client applications: `--gateway-port` (a port, 0, or off; 7051 by default,
 * none for a run that exits after its transactions), and on start, on stderr, the two lines
 * fabric-samples applications read, CRYPTO_PATH and PEER_ENDPOINT, with the host name, channel,
 * MSP and the user's files.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gatewayLines } from '../../src/cli/gatewayLines';
import { parseCli, UsageError, type LaunchCommand, type PeerCommand } from '../../src/cli/options';

const peerConfig = (args: string[]): PeerCommand['config'] => (parseCli(['peer', ...args]) as PeerCommand).config;

describe('CLI: the Gateway', () => {
  test('--gateway-port: 7051 by default, any port, 0 for a free one, off for none; none by default for --once and replay', () => {
    assert.equal(peerConfig([]).gatewayPort, 7051);
    assert.equal((parseCli(['launch', 'cc']) as LaunchCommand).config.gatewayPort, 7051);
    assert.equal((parseCli(['launch', 'cc', '--once']) as LaunchCommand).config.gatewayPort, null);
    assert.equal((parseCli(['launch', 'cc', '--once', '--gateway-port', '0']) as LaunchCommand).config.gatewayPort, 0);
    assert.equal((parseCli(['replay', 'abc', 'cc']) as { config: { gatewayPort: number | null } }).config.gatewayPort, null);
    assert.equal(peerConfig(['--gateway-port', '9443']).gatewayPort, 9443);
    assert.equal(peerConfig(['--gateway-port', '0']).gatewayPort, 0);
    assert.equal(peerConfig(['--gateway-port', 'off']).gatewayPort, null);
    for (const bad of ['-1', '65536', 'x', '1.5', '']) {
      assert.throws(
        () => peerConfig([`--gateway-port=${bad}`]),
        (err: unknown) => err instanceof UsageError && /--gateway-port must be 0–65535 or off/.test(err.message),
        bad,
      );
    }
  });

  test('the two lines, with what else an application needs to know', () => {
    const lines = gatewayLines({
      cryptoPath: '/data/organizations/peerOrganizations/org1.example.com',
      endpoint: 'localhost:7051',
      mspId: 'Org1MSP',
      channel: 'mychannel',
      hostAlias: 'peer0.org1.example.com',
      user: { name: 'User1', certFile: '/c.pem', keyFile: '/k' },
    });
    assert.deepEqual(lines, [
      'Fabric Gateway on localhost:7051 (TLS, host name peer0.org1.example.com), channel mychannel, MSP Org1MSP; for a client application:',
      'CRYPTO_PATH=/data/organizations/peerOrganizations/org1.example.com',
      'PEER_ENDPOINT=localhost:7051',
      '(it signs as User1: certificate /c.pem, key /k)',
    ]);
  });
});
