/**
 * The peer's external address: HOST:PORT parsed strictly, the TLS listener put where the address
 * leads (one of this machine's addresses as it is, anything else on all interfaces; loopback, the
 * default, never widened), and net-mode recipes telling containers that address with the port the
 * listener got. No Docker needed: the recipe is what a container would be started with.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { resolveConfig } from '../../../src/engine/config';
import { dialAddress, ExternalAddressError, parseExternalAddress, tlsListenerFor } from '../../../src/engine/launch/externalAddress';
import { EngineRecipes } from '../../../src/engine/launch/recipes';
import { Peer } from '../../../src/engine/peer/peer';
import { makeFolder, netDefinition, removeFolders } from '../../support/netChaincode';

describe('the external address', () => {
  test('HOST:PORT, [IPv6]:PORT, port 0–65535; anything else is refused with what was expected', () => {
    assert.deepEqual(parseExternalAddress('dev-laptop.example:7053'), { host: 'dev-laptop.example', port: 7053 });
    assert.deepEqual(parseExternalAddress('192.0.2.10:0'), { host: '192.0.2.10', port: 0 });
    assert.deepEqual(parseExternalAddress('[::1]:7053'), { host: '::1', port: 7053 });
    for (const bad of ['host', 'host:', ':7053', 'host:70000', 'tcp://host:7053', 'a b:1', '::1:7053']) {
      assert.throws(
        () => parseExternalAddress(bad),
        (e: unknown) => e instanceof ExternalAddressError && e.address === bad && /must be HOST:PORT/.test(e.message),
        bad,
      );
    }
  });

  test("the TLS listener: on the host when it is one of this machine's addresses (loopback included), else on all interfaces", () => {
    const local = new Set(['127.0.0.1', '::1', '192.0.2.10']);
    assert.deepEqual(tlsListenerFor({ host: '127.0.0.1', port: 7053 }, local), { host: '127.0.0.1', port: 7053 });
    assert.deepEqual(tlsListenerFor({ host: 'localhost', port: 0 }, local), { host: '127.0.0.1', port: 0 });
    assert.deepEqual(tlsListenerFor({ host: '127.0.0.2', port: 1 }, local), { host: '127.0.0.2', port: 1 }, 'all of 127/8 is loopback');
    assert.deepEqual(tlsListenerFor({ host: '192.0.2.10', port: 7053 }, local), { host: '192.0.2.10', port: 7053 }, 'one interface, not all');
    assert.deepEqual(tlsListenerFor({ host: '203.0.113.7', port: 7053 }, local), { host: '0.0.0.0', port: 7053 }, 'an address in front of this machine (NAT)');
    assert.deepEqual(tlsListenerFor({ host: 'dev-laptop.example', port: 7053 }, local), { host: '0.0.0.0', port: 7053 }, 'a name');
    assert.equal(dialAddress({ host: '::1', port: 0 }, 40123), '[::1]:40123');
  });
});

describe('net-mode recipes and the external address', () => {
  const dirs: string[] = [];
  let chaincode: string;

  before(async () => {
    chaincode = await makeFolder('ccl-external-address-', {
      'package.json': JSON.stringify({ name: 'ext-cc', version: '1.0.0', scripts: { start: 'node index.js' } }),
      'index.js': '',
      'node_modules/dummy/package.json': '{"name":"dummy","version":"1.0.0"}',
    });
    dirs.push(chaincode);
  });

  after(() => removeFolders(dirs));

  async function peerFor(t: { after(fn: () => Promise<void>): void }): Promise<Peer> {
    const dataDir = await makeFolder('ccl-external-address-peer-', {});
    dirs.push(dataDir);
    const peer = await Peer.start({ dataDir, host: '127.0.0.1', port: 0 });
    t.after(() => peer.stop());
    return peer;
  }

  test('containers are told HOST with the port the TLS listener got (port 0: a free one), and the listener is there', async (t) => {
    const peer = await peerFor(t);
    const recipes = new EngineRecipes(peer, resolveConfig({ mode: 'net', peerExternalAddress: 'localhost:0' }), 'Org1MSP');
    const recipe = await recipes.recipeFor(netDefinition('ext', chaincode));
    const { address } = await peer.enableTls();
    const port = Number(address.split(':')[1]);
    assert.ok(port > 0);
    assert.equal(address, `127.0.0.1:${port}`, 'localhost leads to the loopback listener');
    assert.ok(recipe.args.join(' ').includes(`--peer.address localhost:${port}`), recipe.args.join(' '));
  });

  test('without an external address the listener stays on the peer’s loopback host', async (t) => {
    const peer = await peerFor(t);
    const recipe = await new EngineRecipes(peer, resolveConfig({ mode: 'net' }), 'Org1MSP').recipeFor(netDefinition('ext', chaincode));
    const { address } = await peer.enableTls();
    assert.match(address, /^127\.0\.0\.1:\d+$/);
    assert.ok(recipe.args.join(' ').includes(`--peer.address ${address}`), recipe.args.join(' '));
  });

  test('an external address with net-mode TLS turned off is refused: the peer would take unauthenticated chaincode from elsewhere', async (t) => {
    const peer = await peerFor(t);
    const recipes = new EngineRecipes(peer, resolveConfig({ mode: 'net', netModeTls: false, peerExternalAddress: '192.0.2.10:7053' }), 'Org1MSP');
    await assert.rejects(recipes.recipeFor(netDefinition('ext', chaincode)), (e: unknown) => e instanceof ExternalAddressError && /needs net mode's mutual TLS/.test(e.message));
    assert.equal(peer.tlsAuthority, null, 'no listener was opened');
  });
});
