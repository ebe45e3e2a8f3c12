/**
 * The Docker TLS files as the Docker CLI finds them (cli/flags/options.go): DOCKER_TLS_VERIFY set
 * to anything turns TLS on, DOCKER_CERT_PATH (else ~/.docker) holds ca.pem, cert.pem and key.pem, a
 * named file wins over the folder's, and unnamed client files that are both missing are left out.
 * Every file is read and checked up front, and a bad one is named.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { DockerUnreachableError } from '../../../src/engine/container/docker/errors';
import { dockerTlsFiles, readDockerTls, tlsRequested } from '../../../src/engine/container/docker/tlsFiles';
import { createCertificateAuthority, issueCertificate } from '../../../src/engine/crypto/certificates';

const OFF = { verify: false } as const;
const ENDPOINT = 'tcp://docker.example:2376';

describe('which TLS files, as the Docker CLI reads them', () => {
  test('DOCKER_TLS_VERIFY set to anything (even 0) turns TLS on; empty or unset does not; the setting does too', () => {
    assert.equal(tlsRequested(OFF, {}), false);
    assert.equal(tlsRequested(OFF, { DOCKER_TLS_VERIFY: '' }), false);
    assert.equal(tlsRequested(OFF, { DOCKER_TLS_VERIFY: '1' }), true);
    assert.equal(tlsRequested(OFF, { DOCKER_TLS_VERIFY: '0' }), true, 'the CLI only asks whether it is set');
    assert.equal(tlsRequested({ verify: true }, {}), true);
  });

  test('the folder: the setting, else DOCKER_CERT_PATH, else ~/.docker; a named file wins over the folder’s', () => {
    const all = (): boolean => true;
    assert.deepEqual(dockerTlsFiles(OFF, { DOCKER_CERT_PATH: '/certs' }, all), { ca: '/certs/ca.pem', client: { cert: '/certs/cert.pem', key: '/certs/key.pem' } });
    assert.deepEqual(dockerTlsFiles({ verify: true, certPath: '/mine' }, { DOCKER_CERT_PATH: '/certs' }, all).ca, '/mine/ca.pem');
    assert.equal(dockerTlsFiles(OFF, {}, all).ca, path.join(os.homedir(), '.docker', 'ca.pem'));
    assert.equal(dockerTlsFiles(OFF, { DOCKER_CERT_PATH: '' }, all).ca, path.join(os.homedir(), '.docker', 'ca.pem'), 'an empty variable is unset');
    assert.deepEqual(dockerTlsFiles({ verify: true, certPath: '/mine', caFile: '/ca/root.pem', keyFile: '~/k.pem' }, {}, all), {
      ca: '/ca/root.pem',
      client: { cert: '/mine/cert.pem', key: path.join(os.homedir(), 'k.pem') },
    });
  });

  test('no client certificate when neither file is named and both default files are missing; one present keeps both (the missing one gets named)', () => {
    const none = (): boolean => false;
    assert.deepEqual(dockerTlsFiles({ verify: true, certPath: '/certs' }, {}, none), { ca: '/certs/ca.pem' });
    const onlyCert = (file: string): boolean => file.endsWith('cert.pem');
    assert.deepEqual(dockerTlsFiles({ verify: true, certPath: '/certs' }, {}, onlyCert).client, { cert: '/certs/cert.pem', key: '/certs/key.pem' });
    assert.deepEqual(
      dockerTlsFiles({ verify: true, certPath: '/certs', certFile: '/x/c.pem' }, {}, none).client,
      { cert: '/x/c.pem', key: '/certs/key.pem' },
      'a named file is never dropped',
    );
  });
});

describe('reading the TLS files', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ccl-docker-tls-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a CA bundle becomes one entry per certificate; the client pair is checked to match', async () => {
    const [a, b] = [await createCertificateAuthority('CN=a'), await createCertificateAuthority('CN=b')];
    const client = await issueCertificate(a, { subject: 'CN=client', usage: 'client' });
    const file = (name: string, content: string): string => {
      writeFileSync(path.join(dir, name), content);
      return path.join(dir, name);
    };
    const ca = file('bundle.pem', `${a.certPem}\n${b.certPem}\n`);
    const read = readDockerTls(ENDPOINT, { ca, client: { cert: file('cert.pem', client.certPem), key: file('key.pem', client.keyPem) } });
    assert.deepEqual(read.ca, [a.certPem.trim(), b.certPem.trim()]);
    assert.equal(String(read.key), client.keyPem);

    const wrongKey = file('other-key.pem', (await issueCertificate(a, { subject: 'CN=other', usage: 'client' })).keyPem);
    assert.throws(
      () => readDockerTls(ENDPOINT, { ca, client: { cert: path.join(dir, 'cert.pem'), key: wrongKey } }),
      (e: unknown) => e instanceof DockerUnreachableError && e.failure.kind === 'tls-file' && e.failure.role === 'client key' && e.failure.file === wrongKey,
    );
  });

  test('a file that is not PEM is named with what it should have been', () => {
    const notPem = path.join(dir, 'ca-not-pem.pem');
    writeFileSync(notPem, 'hello');
    assert.throws(
      () => readDockerTls(ENDPOINT, { ca: notPem }),
      (e: unknown) =>
        e instanceof DockerUnreachableError &&
        e.endpoint === ENDPOINT &&
        e.message.startsWith(`Docker is not reachable at ${ENDPOINT}: cannot use the TLS CA certificate file ${notPem}: not a PEM certificate`),
    );
  });

  test('a missing CA is named (verification needs it)', () => {
    const missing = path.join(dir, 'nowhere', 'ca.pem');
    assert.throws(
      () => readDockerTls(ENDPOINT, { ca: missing }),
      (e: unknown) => e instanceof DockerUnreachableError && e.failure.kind === 'tls-file' && e.message.includes(`TLS CA certificate file ${missing}: ENOENT`),
    );
  });
});
