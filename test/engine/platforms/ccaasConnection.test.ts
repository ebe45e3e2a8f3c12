/**
 * connection.json read as Fabric's peer reads it (`core/container/externalbuilder/instance.go`,
 * `ChaincodeServerUserData.ChaincodeServerInfo`): defaults, the TLS fields that count only with
 * their switches, Fabric's error messages, and the round trip with what we write.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { connectionJson, dialConnectionJson, FABRIC_DIAL_TIMEOUT_MS, parseConnectionJson } from '../../../src/engine/platforms/ccaasConnection';

const PEM = (what: string): string => `-----BEGIN ${what}-----\nMIIB\n-----END ${what}-----\n`;

describe('reading connection.json (ChaincodeServerInfo)', () => {
  test("plaintext: the address, and Fabric's 3 s dial timeout when none is set", () => {
    assert.deepEqual(parseConnectionJson('{"address":"cc:9999"}'), { address: 'cc:9999', dialTimeoutMs: FABRIC_DIAL_TIMEOUT_MS });
    assert.deepEqual(parseConnectionJson('{"address":"cc:9999","dial_timeout":"1m30s"}'), { address: 'cc:9999', dialTimeoutMs: 90_000 });
    // A number is nanoseconds (externalbuilder.Duration), as Go's time.Duration marshals.
    assert.equal(parseConnectionJson('{"address":"cc:9999","dial_timeout":2500000000}').dialTimeoutMs, 2500);
    // The PEM fields count only with tls_required.
    assert.equal(parseConnectionJson(JSON.stringify({ address: 'cc:1', tls_required: false, root_cert: PEM('CERTIFICATE') })).tls, undefined);
  });

  test('TLS: the root certificate, and the client pair only with client_auth_required', () => {
    const root = PEM('CERTIFICATE');
    assert.deepEqual(parseConnectionJson(JSON.stringify({ address: 'cc:1', tls_required: true, root_cert: root, client_cert: 'x' })).tls, { rootCertPem: root });
    const mutual = parseConnectionJson(
      JSON.stringify({ address: 'cc:1', tls_required: true, client_auth_required: true, root_cert: root, client_cert: PEM('CERTIFICATE'), client_key: PEM('PRIVATE KEY') }),
    );
    assert.deepEqual(mutual.tls, { rootCertPem: root, clientCertPem: PEM('CERTIFICATE'), clientKeyPem: PEM('PRIVATE KEY') });
  });

  test("Fabric's errors for what the peer refuses", () => {
    assert.throws(() => parseConnectionJson('{"dial_timeout":"10s"}'), /^CcaasConnectionError: chaincode address not provided$/);
    assert.throws(() => parseConnectionJson('{"address":"cc:1","tls_required":true}'), /chaincode tls root cert not provided/);
    assert.throws(() => parseConnectionJson(JSON.stringify({ address: 'cc:1', tls_required: true, client_auth_required: true, root_cert: 'r' })), /chaincode tls key not provided/);
    assert.throws(
      () => parseConnectionJson(JSON.stringify({ address: 'cc:1', tls_required: true, client_auth_required: true, root_cert: 'r', client_key: 'k' })),
      /chaincode tls cert not provided/,
    );
    assert.throws(() => parseConnectionJson('{"address":'), /malformed chaincode info/);
    assert.throws(() => parseConnectionJson('{"address":"cc:1","dial_timeout":"soon"}'), /malformed chaincode info: invalid duration "soon"/);
  });

  test('what we write reads back the same', () => {
    const written = connectionJson({
      address: '127.0.0.1:9999',
      dialTimeout: '10s',
      tls: { rootCert: PEM('CERTIFICATE'), client: { cert: PEM('CERTIFICATE'), key: PEM('PRIVATE KEY') } },
    });
    const dial = parseConnectionJson(written);
    assert.equal(dial.dialTimeoutMs, 10_000);
    assert.deepEqual(parseConnectionJson(dialConnectionJson(dial)), dial);
  });
});
