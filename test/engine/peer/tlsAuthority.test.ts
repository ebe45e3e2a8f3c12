/** The net-mode TLS authority: per-launch client certificates bound to a chaincode id. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'crypto';
import { TlsAuthority } from '../../../src/engine/peer/tlsAuthority';

describe('TLS authority', () => {
  test('client certificates are bound to their chaincode id until it is stopped', async () => {
    const authority = await TlsAuthority.create(['127.0.0.1']);
    const cert = await authority.issueClientCertificate('mycc:1.0');
    const fingerprint = new X509Certificate(cert.certPem).fingerprint256;
    assert.equal(authority.chaincodeFor(fingerprint), 'mycc:1.0');
    assert.ok(new X509Certificate(cert.certPem).verify(new X509Certificate(authority.ca.certPem).publicKey), 'issued by the peer CA');
    authority.revoke('mycc:1.0');
    assert.equal(authority.chaincodeFor(fingerprint), undefined);
  });
});
