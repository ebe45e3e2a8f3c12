/** Where Deploy goes for a network connection: its peer, and the admins of the crypto folder its identity comes from, or the identity alone. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { ConnectionSpec } from '../../../src/engine/connection/types';
import { connectionDeployTarget, cryptoFolderOf } from '../../../src/engine/lifecycle/connectionTarget';

const spec = (certFile: string, over: Partial<ConnectionSpec> = {}): ConnectionSpec => ({
  endpoint: 'localhost:7051',
  tls: { caPem: 'TLS CA', caFile: '/x/ca.crt' },
  hostAlias: 'peer0.org1.example.com',
  identity: { mspId: 'Org1MSP', certPem: 'CERT', keyPem: 'KEY', certFile, keyFile: '/x/key' },
  channel: 'mychannel',
  source: 'network.yaml',
  ...over,
});

describe('connectionDeployTarget', () => {
  test('finds the crypto folder and org of a test-network identity file; none for other paths', () => {
    const file = path.join(path.sep, 'tn', 'organizations', 'peerOrganizations', 'org1.example.com', 'users', 'User1@org1.example.com', 'msp', 'signcerts', 'cert.pem');
    assert.deepEqual(cryptoFolderOf(file), { dataDir: path.join(path.sep, 'tn'), domain: 'org1.example.com' });
    assert.equal(cryptoFolderOf(path.join(path.sep, 'elsewhere', 'peerOrganizations', 'org1', 'cert.pem')), undefined);
    assert.equal(cryptoFolderOf(path.join(path.sep, 'home', 'me', 'cert.pem')), undefined);
  });

  test("every admin of the identity's crypto folder approves, its own org first; the peer is the connection's", () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccl-target-'));
    try {
      for (const domain of ['org2.example.com', 'org1.example.com']) {
        const msp = path.join(dataDir, 'organizations', 'peerOrganizations', domain, 'users', `Admin@${domain}`, 'msp');
        fs.mkdirSync(path.join(msp, 'signcerts'), { recursive: true });
        fs.mkdirSync(path.join(msp, 'keystore'), { recursive: true });
        fs.writeFileSync(path.join(msp, 'signcerts', 'cert.pem'), `cert of ${domain}`);
        fs.writeFileSync(path.join(msp, 'keystore', 'key.pem'), `key of ${domain}`);
      }
      const certFile = path.join(dataDir, 'organizations', 'peerOrganizations', 'org1.example.com', 'users', 'User1@org1.example.com', 'msp', 'signcerts', 'cert.pem');
      const target = connectionDeployTarget(spec(certFile));
      assert.deepEqual(target.peer, { address: 'localhost:7051', tlsCaPem: 'TLS CA', hostAlias: 'peer0.org1.example.com' });
      assert.deepEqual(
        target.admins.map((a) => [a.mspId, a.certPem]),
        [
          ['Org1MSP', 'cert of org1.example.com'],
          ['Org2MSP', 'cert of org2.example.com'],
        ],
      );
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test("outside a crypto folder the connection's identity is the one admin; a plaintext connection is refused", () => {
    const target = connectionDeployTarget(spec('/home/me/admin.pem'));
    assert.deepEqual(target.admins, [{ mspId: 'Org1MSP', certPem: 'CERT', keyPem: 'KEY' }]);
    assert.throws(() => connectionDeployTarget(spec('/home/me/admin.pem', { tls: null })), /network\.yaml: Deploy speaks TLS to the peer.*no TLS CA/);
  });
});
