import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { launchParameters, normaliseLogLevel, TLS_PATHS } from '../../../src/engine/platforms';

const tls = {
  clientKeyPem: '-----BEGIN PRIVATE KEY-----\nkey\n-----END PRIVATE KEY-----\n',
  clientCertPem: '-----BEGIN CERTIFICATE-----\ncert\n-----END CERTIFICATE-----\n',
  rootCertPem: '-----BEGIN CERTIFICATE-----\nroot\n-----END CERTIFICATE-----\n',
};

describe('launch parameters (Fabric 2.x GetArgs/GetEnv)', () => {
  test('TLS off: the id, TLS disabled (set anyway: the Go shim requires it), MSP, logging; no files', () => {
    const p = launchParameters({ language: 'golang', ccid: 'mycc:1.0', peerAddress: '127.0.0.1:7052', mspId: 'Org1MSP' });
    assert.deepEqual(p.env, {
      CORE_CHAINCODE_ID_NAME: 'mycc:1.0',
      CORE_PEER_TLS_ENABLED: 'false',
      CORE_PEER_LOCALMSPID: 'Org1MSP',
      CORE_CHAINCODE_LOGGING_LEVEL: 'INFO',
      CORE_CHAINCODE_LOGGING_SHIM: 'WARNING',
    });
    assert.deepEqual(p.files, []);
    assert.deepEqual(p.args, ['chaincode', '-peer.address=127.0.0.1:7052']);
  });

  test('TLS on: the five paths, base64 PEM in client.key/.crt, raw PEM in client_pem.* and peer.crt', () => {
    const p = launchParameters({
      language: 'node',
      ccid: 'mycc:1.0',
      peerAddress: 'peer:7052',
      mspId: 'Org1MSP',
      tls,
      logLevel: 'debug',
    });
    assert.equal(p.env['CORE_PEER_TLS_ENABLED'], 'true');
    assert.equal(p.env['CORE_TLS_CLIENT_KEY_PATH'], '/etc/hyperledger/fabric/client.key');
    assert.equal(p.env['CORE_TLS_CLIENT_CERT_PATH'], '/etc/hyperledger/fabric/client.crt');
    assert.equal(p.env['CORE_TLS_CLIENT_KEY_FILE'], '/etc/hyperledger/fabric/client_pem.key');
    assert.equal(p.env['CORE_TLS_CLIENT_CERT_FILE'], '/etc/hyperledger/fabric/client_pem.crt');
    assert.equal(p.env['CORE_PEER_TLS_ROOTCERT_FILE'], '/etc/hyperledger/fabric/peer.crt');
    assert.equal(p.env['CORE_CHAINCODE_LOGGING_LEVEL'], 'DEBUG');
    assert.equal(p.env['CORE_CHAINCODE_LOGGING_SHIM'], 'WARNING');
    assert.equal(p.env['CORE_CHAINCODE_LOGGING_FORMAT'], undefined, "the format is the shim's own");
    const file = (path: string): string => p.files.find((f) => f.path === path)?.content.toString() ?? 'missing';
    assert.equal(Buffer.from(file(TLS_PATHS.clientKey), 'base64').toString(), tls.clientKeyPem);
    assert.equal(Buffer.from(file(TLS_PATHS.clientCert), 'base64').toString(), tls.clientCertPem);
    assert.equal(file(TLS_PATHS.clientKeyPem), tls.clientKeyPem);
    assert.equal(file(TLS_PATHS.clientCertPem), tls.clientCertPem);
    assert.equal(file(TLS_PATHS.rootCert), tls.rootCertPem);
    // Every path the environment names is a file that gets uploaded.
    for (const key of ['CORE_TLS_CLIENT_KEY_PATH', 'CORE_TLS_CLIENT_CERT_PATH', 'CORE_TLS_CLIENT_KEY_FILE', 'CORE_TLS_CLIENT_CERT_FILE', 'CORE_PEER_TLS_ROOTCERT_FILE']) {
      assert.ok(
        p.files.some((f) => f.path === p.env[key]),
        key,
      );
    }
    assert.equal(p.args[0], '/bin/sh');
    assert.equal(p.env['NPM_CONFIG_UPDATE_NOTIFIER'], 'false', 'npm start without its update check');
  });

  test('per-language argv, with extra args', () => {
    const java = launchParameters({ language: 'java', ccid: 'a:1', peerAddress: 'h:1', mspId: 'M', extraArgs: ['-x'] });
    assert.deepEqual(java.args.slice(-3), ['--peerAddress', 'h:1', '-x']);
  });

  test("log levels normalise to Fabric's names (the Node shim maps only those)", () => {
    assert.equal(normaliseLogLevel('warn'), 'WARNING');
    assert.equal(normaliseLogLevel(' Info '), 'INFO');
    assert.equal(normaliseLogLevel('fatal'), 'CRITICAL');
    assert.throws(() => normaliseLogLevel('verbose'), /unknown chaincode log level 'verbose'/);
  });
});
