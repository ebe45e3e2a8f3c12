/**
 * Docker endpoints beyond the local socket: `ssh://` read as the Docker CLI reads it, the setting
 * (not DOCKER_HOST) deciding where Docker is, and a network path that never answers told apart
 * from an endpoint that refuses.
 */
import type Dockerode from 'dockerode';
import assert from 'node:assert/strict';
import * as net from 'node:net';
import os from 'node:os';
import { describe, test } from 'node:test';
import { dockerClient } from '../../../src/engine/container/docker/client';
import { connectionKey, dockerClientOptions, pingDocker } from '../../../src/engine/container/docker/endpoint';
import { DockerUnreachableError } from '../../../src/engine/container/docker/errors';

/** What docker-modem made of the options (its typings leave these fields out). */
function modemOf(client: Dockerode): { protocol?: string; host?: string; port?: string; username?: string; socketPath?: string; sshOptions?: { agent?: string } } {
  return client.modem as unknown as ReturnType<typeof modemOf>;
}

describe('ssh endpoints', () => {
  test('user, host and port from the URL (22 by default, the local user when none); the agent is docker-modem’s SSH_AUTH_SOCK', () => {
    assert.deepEqual(dockerClientOptions('ssh://alice@docker.example', undefined, { agent: '/run/agent.sock' }), {
      protocol: 'ssh',
      host: 'docker.example',
      port: '22',
      username: 'alice',
      sshOptions: { agent: '/run/agent.sock' },
    });
    assert.deepEqual(dockerClientOptions('ssh://docker.example:2222/'), { protocol: 'ssh', host: 'docker.example', port: '2222', username: os.userInfo().username });
    const modem = modemOf(dockerClient({ endpoint: 'ssh://bob@127.0.0.1:2200' }, { SSH_AUTH_SOCK: '/tmp/agent.sock' }));
    assert.deepEqual([modem.protocol, modem.host, modem.port, modem.username, modem.sshOptions?.agent], ['ssh', '127.0.0.1', '2200', 'bob', '/tmp/agent.sock']);
  });

  test('a password, a path, a query or a missing host is refused up front, naming the endpoint', () => {
    const refused = (endpoint: string, why: RegExp): void =>
      assert.throws(
        () => dockerClientOptions(endpoint),
        (e: unknown) =>
          e instanceof DockerUnreachableError && e.failure.kind === 'endpoint' && e.message.startsWith(`Docker is not reachable at ${endpoint}: `) && why.test(e.message),
      );
    refused('ssh://alice:secret@host', /takes no password: the ssh agent \(SSH_AUTH_SOCK\) logs in/);
    refused('ssh://alice@host/var/run/docker.sock', /has no path/);
    refused('ssh://alice@host?x=1', /no query/);
    refused('ssh://alice@', /not a valid endpoint/);
  });
});

describe('the endpoint setting decides, not the environment', () => {
  test('DOCKER_HOST (read by docker-modem itself) does not redirect a socket endpoint', () => {
    const before = process.env['DOCKER_HOST'];
    process.env['DOCKER_HOST'] = 'tcp://127.0.0.1:1';
    try {
      const modem = modemOf(dockerClient({ endpoint: 'unix:///run/elsewhere.sock' }));
      assert.equal(modem.socketPath, '/run/elsewhere.sock');
      assert.equal(modem.host, undefined);
    } finally {
      if (before === undefined) delete process.env['DOCKER_HOST'];
      else process.env['DOCKER_HOST'] = before;
    }
  });

  test('a tcp endpoint without TLS asked for speaks plain HTTP, whatever its port', () => {
    assert.equal(modemOf(dockerClient({ endpoint: 'tcp://127.0.0.1:2376' }, {})).protocol, 'http');
  });

  test('the connection key changes with the endpoint, the TLS settings and the agent', () => {
    const base = { endpoint: 'tcp://h:2376', tls: { verify: true, certPath: '/c' } };
    assert.equal(connectionKey(base), connectionKey({ ...base, tls: { ...base.tls } }));
    assert.notEqual(connectionKey(base), connectionKey({ ...base, tls: { verify: true, certPath: '/d' } }));
    assert.notEqual(connectionKey(base), connectionKey({ ...base, sshAgent: '/a' }));
  });
});

describe('which part failed', () => {
  test('a listener that accepts and never answers: the network path, not the endpoint', async () => {
    const server = net.createServer(() => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `tcp://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
    try {
      const err = await pingDocker(dockerClient({ endpoint }, {}), endpoint, 300).then(
        () => assert.fail('a silent listener is no Docker'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof DockerUnreachableError);
      assert.equal(err.failure.kind, 'network');
      assert.equal(err.message, `Docker is not reachable at ${endpoint}: the network path to the endpoint failed (no answer within 300 ms)`);
    } finally {
      server.close();
    }
  });

  test('something that is not Docker at a tcp endpoint: the endpoint', async () => {
    const server = net.createServer((socket) => socket.end('SSH-2.0-OpenSSH_9.2\r\n'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `tcp://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
    try {
      const err = await pingDocker(dockerClient({ endpoint }, {}), endpoint, 3000).then(
        () => assert.fail('not Docker'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof DockerUnreachableError);
      assert.equal(err.failure.kind, 'endpoint');
      assert.match(err.message, /the endpoint did not answer as a Docker engine/);
    } finally {
      server.close();
    }
  });
});
