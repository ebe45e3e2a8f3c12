/**
 * A connection to a second engine process through its Gateway, as a remote Fabric network is
 * reached: each of the three forms of a network file, then transactions, a chaincode event, blocks
 * and a committed transaction's read/write set through the real Gateway client; and the bad inputs
 * a user meets (an unreachable endpoint, a wrong TLS CA or host name, an identity the network's CA
 * did not issue), each failing with what to fix.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { NetworkConnection, type ChaincodeDefinitionSummary, type EventStream } from '../../../src/engine/connection/networkConnection';
import { readNetworkFile } from '../../../src/engine/connection/networkFile';
import { NetworkConnectionError, type ConnectionSpec } from '../../../src/engine/connection/types';
import { issueLeaf, newCa } from '../../../src/engine/msp/cryptogen';
import { EXAMPLE_CHAINCODE, REPO_ROOT } from '../../support/nodeChaincode';
import { endpointFile, startRemoteNetwork, type RemoteNetwork } from '../../support/remoteNetwork';

const CLI = path.join(REPO_ROOT, 'out', 'src', 'cli', 'main.js');

const USER = 'users/User1@org1.example.com/msp';
const PEER_TLS_CA = 'peers/peer0.org1.example.com/tls/ca.crt';

function write(dir: string, name: string, content: string | object): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
}

/** A connection profile as fabric-samples' test-network writes connection-org1.json (the TLS CA inline). */
function testNetworkProfile(remote: RemoteNetwork): object {
  const port = remote.endpoint.split(':')[1];
  return {
    name: 'test-network-org1',
    version: '1.0.0',
    client: { organization: 'Org1', connection: { timeout: { peer: { endorser: '300' } } } },
    organizations: { Org1: { mspid: 'Org1MSP', peers: ['peer0.org1.example.com'], certificateAuthorities: ['ca.org1.example.com'] } },
    peers: {
      'peer0.org1.example.com': {
        url: `grpcs://localhost:${port}`,
        tlsCACerts: { pem: fs.readFileSync(path.join(remote.cryptoPath, PEER_TLS_CA), 'utf8') },
        grpcOptions: { 'ssl-target-name-override': 'peer0.org1.example.com', hostnameOverride: 'peer0.org1.example.com' },
      },
    },
    certificateAuthorities: {
      'ca.org1.example.com': {
        url: 'https://localhost:7054',
        caName: 'ca-org1',
        tlsCACerts: { pem: ['-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----'] },
        httpOptions: { verify: false },
      },
    },
  };
}

async function connect(spec: ConnectionSpec, timeoutMs = 10_000): Promise<NetworkConnection> {
  return NetworkConnection.connect(spec, { connectTimeoutMs: timeoutMs });
}

describe('a network reached through its Gateway (a second engine process)', () => {
  let remote: RemoteNetwork;
  before(async () => {
    remote = await startRemoteNetwork();
    // test-network writes each org's connection profile beside its crypto.
    write(remote.cryptoPath, 'connection-org1.json', testNetworkProfile(remote));
  });
  after(async () => {
    await remote?.stop();
  });

  test('a Gateway endpoint file: submit, evaluate, the chaincode event, the block and the read/write set', async () => {
    const spec = readNetworkFile(endpointFile(remote));
    assert.equal(spec.hostAlias, 'peer0.org1.example.com');
    assert.match(spec.identity.certFile, /signcerts\/User1@org1\.example\.com-cert\.pem$/);
    const c = await connect(spec);
    try {
      const created = await c.submit('basic', ['CreateAsset', 'remote1', 'green', '7', 'Ana', '70']);
      assert.equal(created.validation, 'VALID');
      assert.equal(created.status, 200);
      assert.ok(created.blockNumber !== null && created.blockNumber >= 1);
      assert.deepEqual(JSON.parse(created.payload.toString()), { ID: 'remote1', Color: 'green', Size: 7, Owner: 'Ana', AppraisedValue: 70 });
      assert.equal(created.event?.eventName, 'AssetCreated');

      const read = await c.evaluate('basic', ['ReadAsset', 'remote1']);
      assert.equal(read.validation, 'NOT_VALIDATED');
      assert.equal(JSON.parse(read.payload.toString()).Owner, 'Ana');

      // A chaincode's own failure is a result with its status and message, as on the embedded peer.
      const missing = await c.submit('basic', ['ReadAsset', 'nope']);
      assert.deepEqual([missing.status, missing.message, missing.validation], [500, 'The asset nope does not exist', 'NOT_COMMITTED']);

      const events = await c.chaincodeEvents('basic', created.blockNumber ?? 0);
      try {
        const first = await firstOf(events);
        assert.deepEqual([first.txId, first.eventName, first.blockNumber], [created.txId, 'AssetCreated', created.blockNumber]);
        assert.equal(JSON.parse(first.payload.toString()).ID, 'remote1');
      } finally {
        events.close();
      }

      const blocks = await c.blocks(created.blockNumber ?? 0);
      try {
        const block = await firstOf(blocks);
        assert.equal(block.number, created.blockNumber);
        assert.deepEqual(
          block.transactions.map((t) => [t.header?.txId, t.validationCode]),
          [[created.txId, 0]],
        );
      } finally {
        blocks.close();
      }

      const committed = await c.committedTransaction(created.txId);
      assert.equal(committed.blockNumber, created.blockNumber);
      assert.equal(committed.validation, 'VALID');
      const [{ chaincode, rwset }] = committed.readWriteSets;
      assert.equal(chaincode, 'basic');
      assert.deepEqual(
        rwset.reads.map((r) => [r.key, r.version]),
        [['remote1', null]],
      );
      assert.deepEqual(
        rwset.writes.map((w) => [w.key, JSON.parse(w.value?.toString() ?? 'null').Owner]),
        [['remote1', 'Ana']],
      );
    } finally {
      c.close();
    }
  });

  test('the chaincode the embedded peer launched is defined on its channel: _lifecycle lists it (a launch is install, approve and commit), as `peer lifecycle chaincode querycommitted` would', async () => {
    const c = await connect(readNetworkFile(endpointFile(remote)));
    try {
      const basic = (await c.chaincodeDefinitions()).find((d) => d.name === 'basic');
      assert.ok(basic, 'basic is listed');
      assert.deepEqual([basic.sequence, basic.endorsementPlugin, basic.validationPlugin, basic.initRequired], [1, 'escc', 'vscc', false]);
    } finally {
      c.close();
    }
  });

  test('the chaincodes defined on the channel come from _lifecycle: a deploy to that network shows in the next list', async () => {
    const c = await connect(readNetworkFile(endpointFile(remote)));
    try {
      const named = (defs: readonly ChaincodeDefinitionSummary[]) => defs.filter((d) => d.name === 'defined1').map((d) => [d.version, d.sequence]);
      assert.deepEqual(named(await c.chaincodeDefinitions()), [], 'not defined yet');
      // Install, approve by both orgs' admins, commit: the CLI's deploy, through the same Gateway.
      const deployed = spawnSync(
        process.execPath,
        [
          CLI,
          'deploy',
          EXAMPLE_CHAINCODE,
          '--name',
          'defined1',
          '--version',
          '1.5',
          '--sequence',
          '1',
          '--peer',
          remote.endpoint,
          '--data-dir',
          path.dirname(remote.organizations),
        ],
        { encoding: 'utf8', timeout: 120_000 },
      );
      assert.equal(deployed.status, 0, deployed.stderr);
      assert.deepEqual(named(await c.chaincodeDefinitions()), [['1.5', 1]]);
    } finally {
      c.close();
    }
  });

  test('a connection profile (YAML, beside a network file naming the identity) connects and invokes', async () => {
    const profile = testNetworkProfile(remote) as { peers: Record<string, { tlsCACerts: object }> };
    // The TLS CA as a path this time, relative to the profile.
    fs.copyFileSync(path.join(remote.cryptoPath, PEER_TLS_CA), path.join(remote.scratch, 'peer-tls-ca.crt'));
    profile.peers['peer0.org1.example.com'].tlsCACerts = { path: 'peer-tls-ca.crt' };
    const yaml = (await import('js-yaml')).dump(profile);
    write(remote.scratch, 'ccp-org1.yaml', yaml);
    const file = write(remote.scratch, 'network-profile.json', {
      profile: 'ccp-org1.yaml',
      cert: path.join(remote.cryptoPath, USER, 'signcerts'),
      key: path.join(remote.cryptoPath, USER, 'keystore'),
      channel: 'mychannel',
    });
    const spec = readNetworkFile(file);
    assert.deepEqual(
      [spec.endpoint, spec.hostAlias, spec.identity.mspId, spec.tls?.caFile],
      [remote.endpoint, 'peer0.org1.example.com', 'Org1MSP', path.join(remote.scratch, 'peer-tls-ca.crt')],
    );
    const c = await connect(spec);
    try {
      assert.equal((await c.submit('basic', ['CreateAsset', 'remote2', 'red', '1', 'Bo', '10'])).validation, 'VALID');
      assert.equal(JSON.parse((await c.evaluate('basic', ['ReadAsset', 'remote2'])).payload.toString()).Owner, 'Bo');
    } finally {
      c.close();
    }
  });

  test("test-network's own profile given directly signs as User1 beside it", async () => {
    const spec = readNetworkFile(path.join(remote.cryptoPath, 'connection-org1.json'));
    assert.equal(spec.identity.certFile, path.join(remote.cryptoPath, USER, 'signcerts', 'User1@org1.example.com-cert.pem'));
    const c = await connect(spec);
    try {
      assert.equal((await c.evaluate('basic', ['AssetExists', 'remote1'])).payload.toString(), 'true');
    } finally {
      c.close();
    }
  });

  test('an organizations/ folder: peer0, User1 and the TLS CA of the org picked by MSP id; the endpoint from its connection profile', async () => {
    const file = write(remote.scratch, 'network-folder.yaml', `organizations: ${JSON.stringify(remote.organizations)}\nmspId: Org1MSP\n`);
    const spec = readNetworkFile(file);
    assert.deepEqual([spec.endpoint, spec.hostAlias, spec.tls?.caFile], [remote.endpoint, 'peer0.org1.example.com', path.join(remote.cryptoPath, PEER_TLS_CA)]);
    const c = await connect(spec);
    try {
      assert.equal((await c.submit('basic', ['CreateAsset', 'remote3', 'blue', '2', 'Cy', '20'])).validation, 'VALID');
      assert.equal(JSON.parse((await c.evaluate('basic', ['ReadAsset', 'remote3'])).payload.toString()).Owner, 'Cy');
    } finally {
      c.close();
    }
    // The folder itself, given directly, is the same connection.
    assert.equal(readNetworkFile(remote.organizations).endpoint, remote.endpoint);
  });

  test('an unreachable endpoint fails within the timeout and says nothing listens there', async () => {
    const port = await closedPort();
    const spec = readNetworkFile(endpointFile(remote, { endpoint: `127.0.0.1:${port}` }));
    await assert.rejects(
      connect(spec),
      (err: Error) => err instanceof NetworkConnectionError && /cannot reach the Gateway at 127\.0\.0\.1:\d+ .*connection refused/.test(err.message),
    );
  });

  test('an endpoint that never answers fails after the bounded timeout', async () => {
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as net.AddressInfo;
      const spec = readNetworkFile(endpointFile(remote, { endpoint: `127.0.0.1:${port}` }));
      const started = Date.now();
      await assert.rejects(connect(spec, 500), (err: Error) => err instanceof NetworkConnectionError && /no answer within 0\.5 s/.test(err.message));
      assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
    } finally {
      silent.close();
    }
  });

  test('a wrong TLS CA is named as the one that did not issue the peer’s certificate', async () => {
    const org2Ca = path.join(path.dirname(remote.cryptoPath), 'org2.example.com', 'peers', 'peer0.org2.example.com', 'tls', 'ca.crt');
    const spec = readNetworkFile(endpointFile(remote, { tlsCaCert: org2Ca }));
    await assert.rejects(connect(spec), (err: Error) => err instanceof NetworkConnectionError && err.message.includes(`was not issued by the TLS CA ${org2Ca}`));
  });

  test('a host alias the peer’s certificate does not carry is named', async () => {
    const spec = readNetworkFile(endpointFile(remote, { hostAlias: 'peer0.org9.example.com' }));
    await assert.rejects(connect(spec), (err: Error) => err instanceof NetworkConnectionError && /is not for the host name peer0\.org9\.example\.com/.test(err.message));
  });

  test("an identity the network's CA did not issue is refused with the gateway's error and details", async () => {
    const foreignCa = newCa('org1.example.com', 'ca');
    const user = issueLeaf(foreignCa, { commonName: 'User1@org1.example.com', organizationalUnits: ['client'], tls: false });
    const cert = write(remote.scratch, 'foreign-cert.pem', user.certPem);
    const key = write(remote.scratch, 'foreign-key.pem', user.keyPem);
    const spec = readNetworkFile(endpointFile(remote, { cert, key }));
    await assert.rejects(connect(spec), (err: Error) => {
      assert.ok(err instanceof NetworkConnectionError, String(err));
      // Fabric's words (core/common/validation: the creator's certificate does not chain to the org's CA), and the detail naming the peer.
      assert.ok(err.message.includes(`refused Org1MSP's identity ${cert} on channel mychannel: `), err.message);
      assert.match(err.message, /access denied: channel \[mychannel\] creator org \[Org1MSP\] \(gRPC FAILED_PRECONDITION\); peer0\.org1\.example\.com:\d+ \(Org1MSP\): /);
      return true;
    });
  });
});

async function firstOf<T>(stream: EventStream<T>): Promise<T> {
  const next = await stream[Symbol.asyncIterator]().next();
  assert.ok(!next.done, 'the stream ended without an item');
  return next.value;
}

/** A port nothing listens on: taken from the OS, then released. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
