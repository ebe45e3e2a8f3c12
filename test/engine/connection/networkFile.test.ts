/**
 * Reading `--network FILE` in its three forms and as a connection profile (JSON and YAML), with
 * relative paths, folders standing for their first file, and errors that name the file and field.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readNetworkFile } from '../../../src/engine/connection/networkFile';
import { ConnectionConfigError } from '../../../src/engine/connection/types';

const CERT = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const OTHER_CERT = '-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n';
const KEY = '-----BEGIN PRIVATE KEY-----\nMIGH\n-----END PRIVATE KEY-----\n';

let dir: string;

function put(rel: string, content: string | object): string {
  const file = path.join(dir, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

function rejects(file: string, pattern: RegExp): void {
  assert.throws(
    () => readNetworkFile(file),
    (err: Error) => err instanceof ConnectionConfigError && pattern.test(err.message),
  );
}

describe('network files', () => {
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccl-netfile-'));
    // A test-network crypto folder, files only where a connection reads them.
    const org = 'organizations/peerOrganizations/org2.example.com';
    put(`${org}/peers/peer0.org2.example.com/tls/ca.crt`, CERT);
    put(`${org}/users/User1@org2.example.com/msp/signcerts/User1@org2.example.com-cert.pem`, OTHER_CERT);
    put(`${org}/users/User1@org2.example.com/msp/keystore/priv_sk`, KEY);
    put('tls/ca.crt', CERT);
    put('user/cert.pem', OTHER_CERT);
    put('user/key.pem', KEY);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('a Gateway endpoint in YAML, paths relative to the file', () => {
    const file = put(
      'net/endpoint.yaml',
      'endpoint: grpcs://peer.example.net:7051\ntlsCaCert: ../tls/ca.crt\nhostAlias: peer0.org1.example.com\nmspId: Org1MSP\ncert: ../user/cert.pem\nkey: ../user/key.pem\nchannel: ch1\n',
    );
    const spec = readNetworkFile(file);
    assert.equal(spec.endpoint, 'peer.example.net:7051');
    assert.equal(spec.hostAlias, 'peer0.org1.example.com');
    assert.equal(spec.tls?.caFile, path.join(dir, 'tls/ca.crt'));
    assert.equal(spec.identity.certPem, OTHER_CERT);
    assert.equal(spec.identity.keyPem, KEY);
    assert.equal(spec.channel, 'ch1');
    // A folder stands for its first file by name: user/ for cert.pem, which holds no key.
    rejects(
      put('net/keyfolder.yaml', 'endpoint: localhost:7051\ntlsCaCert: ../tls/ca.crt\nmspId: Org1MSP\ncert: ../user/cert.pem\nkey: ../user\n'),
      /keyfolder\.yaml: key names .*user\/cert\.pem, which holds no PEM private key/,
    );
  });

  test('a folder holding the key stands for it; the channel defaults to mychannel', () => {
    put('keystore/priv_sk', KEY);
    const spec = readNetworkFile(put('endpoint.json', { endpoint: 'localhost:7051', tlsCaCert: 'tls/ca.crt', mspId: 'Org1MSP', cert: 'user/cert.pem', key: 'keystore' }));
    assert.deepEqual([spec.identity.keyFile, spec.identity.keyPem, spec.channel, spec.hostAlias], [path.join(dir, 'keystore/priv_sk'), KEY, 'mychannel', undefined]);
  });

  test("a connection profile in JSON: the client's org, its first peer, the TLS CA inline, the host name override, the only channel", () => {
    const profile = {
      client: { organization: 'Org2' },
      channels: { trade: {} },
      organizations: { Org1: { mspid: 'Org1MSP', peers: ['peer0.org1.example.com'] }, Org2: { mspid: 'Org2MSP', peers: ['peer0.org2.example.com', 'peer1.org2.example.com'] } },
      peers: {
        'peer0.org1.example.com': { url: 'grpcs://localhost:7051', tlsCACerts: { pem: OTHER_CERT } },
        'peer0.org2.example.com': { url: 'grpcs://localhost:9051', tlsCACerts: { pem: [CERT] }, grpcOptions: { 'ssl-target-name-override': 'peer0.org2.example.com' } },
      },
    };
    const file = put('net/network.yaml', `profile: ccp.json\ncert: ../user/cert.pem\nkey: ../user/key.pem\n`);
    put('net/ccp.json', profile);
    const spec = readNetworkFile(file);
    assert.deepEqual([spec.endpoint, spec.hostAlias, spec.identity.mspId, spec.channel, spec.tls?.caPem], ['localhost:9051', 'peer0.org2.example.com', 'Org2MSP', 'trade', CERT]);
    // A channel on the command line wins over the profile's.
    assert.equal(readNetworkFile(file, { channel: 'other' }).channel, 'other');
    // The network file's org picks another of the profile's organisations.
    const org1 = readNetworkFile(put('net/network-org1.json', { profile: 'ccp.json', org: 'Org1', cert: '../user/cert.pem', key: '../user/key.pem' }));
    assert.deepEqual([org1.endpoint, org1.identity.mspId, org1.hostAlias, org1.tls?.caPem], ['localhost:7051', 'Org1MSP', undefined, OTHER_CERT]);
    rejects(
      put('net/network-org9.json', { profile: 'ccp.json', org: 'Org9', cert: '../user/cert.pem', key: '../user/key.pem' }),
      /ccp\.json: organizations\.Org9 is not there: the organisations are Org1, Org2/,
    );
  });

  test("a profile given directly in test-network's layout signs as that org's User1", () => {
    const org = path.join(dir, 'organizations/peerOrganizations/org2.example.com');
    const file = put(
      'organizations/peerOrganizations/org2.example.com/connection-org2.yaml',
      `name: test-network-org2\nclient:\n  organization: Org2\norganizations:\n  Org2:\n    mspid: Org2MSP\n    peers:\n      - peer0.org2.example.com\npeers:\n  peer0.org2.example.com:\n    url: grpcs://localhost:9051\n    tlsCACerts:\n      path: peers/peer0.org2.example.com/tls/ca.crt\n    grpcOptions:\n      ssl-target-name-override: peer0.org2.example.com\n`,
    );
    const spec = readNetworkFile(file);
    assert.deepEqual(
      [spec.endpoint, spec.identity.mspId, spec.identity.keyFile, spec.tls?.caFile],
      ['localhost:9051', 'Org2MSP', path.join(org, 'users/User1@org2.example.com/msp/keystore/priv_sk'), path.join(org, 'peers/peer0.org2.example.com/tls/ca.crt')],
    );
  });

  test('an organizations/ folder picks the org by MSP id; the endpoint is given or read from its profile', () => {
    const spec = readNetworkFile(put('folder.json', { organizations: 'organizations', mspId: 'Org2MSP', endpoint: 'localhost:9051' }));
    assert.deepEqual([spec.endpoint, spec.hostAlias, spec.identity.mspId, spec.identity.certPem], ['localhost:9051', 'peer0.org2.example.com', 'Org2MSP', OTHER_CERT]);
    rejects(
      put('folder-org1.json', { organizations: 'organizations' }),
      /folder-org1\.json: organizations names .* which has no peerOrganizations\/org1\.example\.com for Org1MSP \(found: org2\.example\.com\)/,
    );
  });

  test('a profile that does not parse names the file', () => {
    rejects(put('broken.yaml', 'peers:\n  peer0: {url: [grpcs://x\n'), /broken\.yaml does not parse: /);
    rejects(put('broken.json', '{"endpoint": "localhost:7051",'), /broken\.json does not parse: /);
    rejects(put('list.yaml', '- endpoint\n'), /list\.yaml: expected a mapping of fields at the top, got a list/);
  });

  test('a missing or wrong field is named with its file', () => {
    rejects(path.join(dir, 'nowhere.yaml'), /nowhere\.yaml: cannot read it: ENOENT/);
    rejects(
      put('nocert.json', { endpoint: 'localhost:7051', tlsCaCert: 'tls/ca.crt', mspId: 'Org1MSP', key: 'user/key.pem' }),
      /nocert\.json: cert is missing: the user's certificate/,
    );
    rejects(
      put('gone.json', { endpoint: 'localhost:7051', tlsCaCert: 'tls/gone.crt', mspId: 'Org1MSP', cert: 'user/cert.pem', key: 'user/key.pem' }),
      /gone\.json: tlsCaCert names .*tls\/gone\.crt, which cannot be read: ENOENT/,
    );
    rejects(
      put('keyascert.json', { endpoint: 'localhost:7051', tlsCaCert: 'tls/ca.crt', mspId: 'Org1MSP', cert: 'user/key.pem', key: 'user/key.pem' }),
      /keyascert\.json: cert names .*key\.pem, which holds no PEM certificate/,
    );
    rejects(put('port.json', { endpoint: 'localhost', tlsCaCert: 'tls/ca.crt' }), /port\.json: endpoint must be HOST:PORT, got "localhost"/);
    rejects(put('what.json', { channel: 'mychannel' }), /what\.json: not a network description/);
    rejects(
      put('nompsid.json', { organizations: { Org1: { peers: ['p0'] } }, peers: { p0: { url: 'grpcs://localhost:7051' } } }),
      /nompsid\.json: organizations\.Org1\.mspid is missing/,
    );
    rejects(
      put('nopeer.json', { organizations: { Org1: { mspid: 'Org1MSP', peers: ['p9'] } }, peers: { p0: { url: 'grpcs://localhost:7051' } } }),
      /nopeer\.json: peers\.p9 is not there: the peers are p0/,
    );
    rejects(
      put('notls.json', { organizations: { Org1: { mspid: 'Org1MSP', peers: ['p0.x'] } }, peers: { 'p0.x': { url: 'grpcs://localhost:7051' } } }),
      /notls\.json: peers\["p0\.x"\]\.tlsCACerts is missing/,
    );
  });
});
