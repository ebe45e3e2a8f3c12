/**
 * What the CLI tells client applications: `--gateway-port` (a port, 0, or off; 7051 by default),
 * and on start the two lines fabric-samples applications read, CRYPTO_PATH and PEER_ENDPOINT, on
 * stdout; the rest (host name, channel, MSP, the user's files) on stderr.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gatewayLines } from '../../src/cli/gatewayLines';
import { parseCli, UsageError, type PeerCommand } from '../../src/cli/options';

const peerConfig = (args: string[]): PeerCommand['config'] => (parseCli(['peer', ...args]) as PeerCommand).config;

describe('CLI: the Gateway', () => {
  test('--gateway-port: 7051 by default, any port, 0 for a free one, off for none', () => {
    assert.equal(peerConfig([]).gatewayPort, 7051);
    assert.equal(peerConfig(['--gateway-port', '9443']).gatewayPort, 9443);
    assert.equal(peerConfig(['--gateway-port', '0']).gatewayPort, 0);
    assert.equal(peerConfig(['--gateway-port', 'off']).gatewayPort, null);
    for (const bad of ['-1', '65536', 'x', '1.5', '']) {
      assert.throws(() => peerConfig([`--gateway-port=${bad}`]), (err: unknown) => err instanceof UsageError && /--gateway-port must be 0–65535 or off/.test((err as Error).message), bad);
    }
  });

  test('the two lines on stdout, the details on stderr', () => {
    const lines = gatewayLines({
      cryptoPath: '/data/organizations/peerOrganizations/org1.example.com',
      port: 7051,
      mspId: 'Org1MSP',
      channel: 'mychannel',
      hostAlias: 'peer0.org1.example.com',
      user: { name: 'User1', certFile: '/c.pem', keyFile: '/k' },
    });
    assert.deepEqual(lines.stdout, ['CRYPTO_PATH=/data/organizations/peerOrganizations/org1.example.com', 'PEER_ENDPOINT=localhost:7051']);
    assert.deepEqual(lines.stderr, [
      'Fabric Gateway on localhost:7051 (TLS, host name peer0.org1.example.com), channel mychannel, MSP Org1MSP',
      'client identity User1: certificate /c.pem, key /k',
    ]);
  });
});
