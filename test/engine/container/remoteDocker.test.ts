/**
 * Net mode on a remote Docker engine, for real: a second dockerd on 127.0.0.1 with TLS certificates
 * made here (`--tlsverify`: a client certificate is required), reached as `tcp://127.0.0.1:<port>`
 * with the Docker CLI's TLS files, and through an sshd as `ssh://user@127.0.0.1:<port>` (the key in
 * an ssh agent, docker-modem's convention). The chaincode's containers dial the peer at the external
 * address set for them, over net mode's mutual TLS. Bad inputs fail naming what to fix: the endpoint,
 * the TLS file, TLS itself, or the ssh login.
 */
import assert from 'node:assert/strict';
import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import Dockerode from 'dockerode';
import { dockerClient } from '../../../src/engine/container/docker/client';
import { DockerVM } from '../../../src/engine/container/docker/dockerVM';
import { pingDocker } from '../../../src/engine/container/docker/endpoint';
import { DockerUnreachableError, type DockerFailure } from '../../../src/engine/container/docker/errors';
import type { Engine } from '../../../src/engine/engine';
import { dockerSkip, ensureBaseImages } from '../../support/docker';
import { repoRoot } from '../../support/toolchains';
import { containersOf, launchNet, lowLevelChaincode, netDefinition, removeChaincodeArtifacts, removeFolders, startEngine, waitUntil } from '../../support/netChaincode';
import {
  copyImage,
  freePort,
  makeDockerTls,
  removeDir,
  secondDockerdSkip,
  sshdSkip,
  startSecondDockerd,
  startSshToDocker,
  tempDir,
  type DockerTlsFiles,
  type SecondDockerd,
  type SshToDocker,
} from './remoteDocker';

const TAG = `rd${process.pid}`;
const MAIN_DOCKER = new Dockerode({ socketPath: '/var/run/docker.sock' });

/** The DockerUnreachableError a ping (or `work`) ends in. */
async function unreachable(work: () => Promise<unknown>): Promise<DockerUnreachableError> {
  const err = await work().then(
    () => assert.fail('expected Docker to be unreachable'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof DockerUnreachableError, String(err));
  return err;
}

function failureKind(err: DockerUnreachableError): DockerFailure['kind'] {
  return err.failure.kind;
}

/** The argv the container was started with, as Docker reports it. */
async function containerArgs(docker: Dockerode, ccid: string): Promise<string[]> {
  const [listed] = await containersOf(docker, [ccid]);
  assert.ok(listed, `a container of ${ccid}`);
  const info = await docker.getContainer(listed.Id).inspect();
  return [info.Path, ...info.Args];
}

describe('net mode on a remote Docker engine (a second dockerd on 127.0.0.1)', { skip: secondDockerdSkip() || dockerSkip() }, () => {
  const dirs: string[] = [];
  let state: string;
  let tls: DockerTlsFiles;
  let daemon: SecondDockerd;
  let nodeImage: string;
  let remote: Dockerode;

  before(async () => {
    state = await tempDir('ccl-remote-docker-');
    tls = await makeDockerTls(state);
    daemon = await startSecondDockerd(path.join(state, 'dockerd'), tls);
    nodeImage = (await ensureBaseImages(['node'])).node;
    // Its own data-root: the base image gets there as it would get to a remote machine.
    await copyImage(nodeImage, daemon.socket);
    remote = dockerClient({ endpoint: daemon.endpoint, tls: { verify: true, certPath: tls.dir } });
  });

  after(async () => {
    await daemon?.stop();
    await removeFolders(dirs);
    await removeDir(state);
  });

  describe('over TCP with TLS', () => {
    const name = `${TAG}-tcp`;
    const ccid = `${name}:1.0`;
    let engine: Engine;
    let ccDir: string;
    let externalPort: number;

    before(async () => {
      externalPort = await freePort();
      engine = await startEngine(dirs, {
        dockerEndpoint: daemon.endpoint,
        dockerTls: { verify: true, certPath: tls.dir },
        peerExternalAddress: `127.0.0.1:${externalPort}`,
        baseImages: { node: nodeImage },
        startupTimeoutMs: 120_000,
      });
      ccDir = await lowLevelChaincode();
      dirs.push(ccDir);
    });

    after(async () => {
      await engine?.dispose();
      if (remote) await removeChaincodeArtifacts(remote, [ccid]);
    });

    test('a Node chaincode launches on the remote engine, dials the peer at the external address over mutual TLS, and a transaction commits', async () => {
      const { running } = await launchNet(engine, netDefinition(name, ccDir));
      assert.equal(running.status, 'ready');
      assert.equal((await containersOf(remote, [ccid])).length, 1, 'one container on the remote engine');
      assert.deepEqual(await containersOf(MAIN_DOCKER, [ccid]), [], 'none on the main engine');

      // The TLS listener listens where the external address leads, and containers were told that address.
      const { address } = await engine.peer.enableTls();
      assert.equal(address, `127.0.0.1:${externalPort}`);
      const args = await containerArgs(remote, ccid);
      assert.ok(args.join(' ').includes(`--peer.address 127.0.0.1:${externalPort}`), args.join(' '));
      assert.ok(engine.peer.registry.get(ccid)?.stream.clientCertFingerprint, 'registered with its client certificate');

      const put = await engine.transactions.execute({ chaincode: ccid, args: ['put', 'colour', 'green'] });
      assert.equal(put.status, 200, put.message);
      assert.equal(put.validation, 'VALID');
      const get = await engine.transactions.execute({ chaincode: ccid, args: ['get', 'colour'], kind: 'query' });
      assert.deepEqual(JSON.parse(get.payload.toString('utf8')), { value: 'green' });
    });

    test('stop removes the container from the remote engine', async () => {
      await engine.launcher.stop(ccid);
      assert.deepEqual(await containersOf(remote, [ccid]), []);
      await waitUntil(() => !engine.peer.handlers().some((h) => h.chaincodeId === ccid), 5000, 'the handler to end');
    });

    describe('over ssh (an sshd on 127.0.0.1 whose sessions reach the same engine)', { skip: sshdSkip() }, () => {
      let ssh: SshToDocker;
      const agentBefore = process.env['SSH_AUTH_SOCK'];

      before(async () => {
        ssh = await startSshToDocker(path.join(state, 'ssh'), daemon.socket);
      });

      after(async () => {
        if (agentBefore === undefined) delete process.env['SSH_AUTH_SOCK'];
        else process.env['SSH_AUTH_SOCK'] = agentBefore;
        await ssh?.stop();
      });

      test('the same chaincode launches through ssh://user@host with the agent at SSH_AUTH_SOCK; a transaction commits; stop removes it', async () => {
        // docker-modem's convention: the agent named by SSH_AUTH_SOCK logs in.
        process.env['SSH_AUTH_SOCK'] = ssh.agentSocket;
        engine.reconfigure({ ...engine.config, dockerEndpoint: ssh.endpoint });
        assert.equal(engine.docker.endpoint, ssh.endpoint);
        const { running, steps } = await launchNet(engine, netDefinition(name, ccDir));
        assert.equal(running.status, 'ready');
        assert.ok(!steps.some((step) => step.startsWith('building')), `the image the TCP launch built there is used: ${steps.join(' | ')}`);
        assert.equal((await containersOf(engine.docker.docker, [ccid])).length, 1, 'listed through ssh');
        assert.equal((await containersOf(remote, [ccid])).length, 1, 'the container is on the remote engine');
        const put = await engine.transactions.execute({ chaincode: ccid, args: ['put', 'colour', 'red'] });
        assert.equal(put.status, 200, put.message);
        const get = await engine.transactions.execute({ chaincode: ccid, args: ['get', 'colour'], kind: 'query' });
        assert.deepEqual(JSON.parse(get.payload.toString('utf8')), { value: 'red' });
        await engine.launcher.stop(ccid);
        assert.deepEqual(await containersOf(remote, [ccid]), []);
      });

      test("the editor's engine bundle (ssh2 without its native parts, scripts/bundle.js) reaches the engine over ssh too", async () => {
        const outdir = await tempDir('ccl-remote-docker-bundle-');
        dirs.push(outdir);
        const { bundle } = require(path.join(repoRoot(), 'scripts', 'bundle.js')) as { bundle: (o: { outdir: string }) => Promise<unknown> };
        await bundle({ outdir });
        const engineBundle = require(path.join(outdir, 'engine.js')) as { dockerClient(settings: { endpoint: string; sshAgent: string }): Dockerode };
        const version = await engineBundle.dockerClient({ endpoint: ssh.endpoint, sshAgent: ssh.agentSocket }).version();
        assert.equal(version.Version, (await remote.version()).Version, 'the same engine');
      });

      test('an agent without the key: the ssh login fails, and the message says so', async () => {
        const err = await unreachable(() => pingDocker(dockerClient({ endpoint: ssh.endpoint, sshAgent: ssh.emptyAgentSocket }), ssh.endpoint));
        assert.equal(failureKind(err), 'ssh');
        assert.match(err.message, new RegExp(`^Docker is not reachable at ${escape(ssh.endpoint)}: the ssh login failed .*ssh agent \\(SSH_AUTH_SOCK\\)`));
      });

      test('a login whose `docker` cannot reach a daemon: the message says the remote end did not answer as Docker', async () => {
        const nowhere = await startSshToDocker(path.join(state, 'ssh-nowhere'), `unix://${path.join(state, 'no-such-docker.sock')}`);
        try {
          const err = await unreachable(() => pingDocker(dockerClient({ endpoint: nowhere.endpoint, sshAgent: nowhere.agentSocket }), nowhere.endpoint));
          assert.equal(failureKind(err), 'ssh');
          assert.match(err.message, /the remote end did not answer as Docker: the ssh user must be able to run `docker system dial-stdio` there/);
        } finally {
          await nowhere.stop();
        }
      });

      test('nothing listening at the ssh port: the message names the endpoint', async () => {
        const endpoint = `ssh://${new URL(ssh.endpoint).username}@127.0.0.1:${await freePort()}`;
        const err = await unreachable(() => pingDocker(dockerClient({ endpoint, sshAgent: ssh.agentSocket }), endpoint));
        assert.equal(failureKind(err), 'endpoint');
        assert.match(err.message, new RegExp(`^Docker is not reachable at ${escape(endpoint)}: nothing accepts connections at the endpoint`));
      });
    });
  });

  describe('bad inputs', () => {
    test("the Docker CLI's environment alone is enough: DOCKER_TLS_VERIFY and DOCKER_CERT_PATH", async () => {
      await pingDocker(dockerClient({ endpoint: daemon.endpoint }, { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: tls.dir }), daemon.endpoint);
    });

    test('TLS off against a TLS daemon: the message says the daemon speaks TLS', async () => {
      const err = await unreachable(() => pingDocker(dockerClient({ endpoint: daemon.endpoint }, {}), daemon.endpoint));
      assert.equal(failureKind(err), 'tls');
      assert.match(err.message, /the daemon speaks TLS and this connection did not: turn on TLS verification/);
    });

    test('a wrong CA: the daemon’s certificate is refused, and the message says TLS', async () => {
      const settings = { endpoint: daemon.endpoint, tls: { verify: true, certPath: tls.dir, caFile: tls.otherCa } };
      const err = await unreachable(() => pingDocker(dockerClient(settings), daemon.endpoint));
      assert.equal(failureKind(err), 'tls');
      assert.match(err.message, new RegExp(`^Docker is not reachable at ${escape(daemon.endpoint)}: the TLS handshake failed \\(.+\\): the CA certificate must be`));
    });

    test('a client certificate from another CA: the daemon refuses it, and the message says TLS', async () => {
      const settings = { endpoint: daemon.endpoint, tls: { verify: true, certPath: tls.dir, certFile: tls.strangerCert, keyFile: tls.strangerKey } };
      const err = await unreachable(() => pingDocker(dockerClient(settings), daemon.endpoint));
      assert.equal(failureKind(err), 'tls');
      assert.match(err.message, /the TLS handshake failed/);
    });

    test('a missing key file is named before anything is dialled, also when a launch finds it', async () => {
      const missing = path.join(tls.dir, 'no-such-key.pem');
      const settings = { endpoint: daemon.endpoint, tls: { verify: true, certPath: tls.dir, keyFile: missing } };
      assert.throws(
        () => dockerClient(settings),
        (e: unknown) =>
          e instanceof DockerUnreachableError &&
          e.failure.kind === 'tls-file' &&
          e.failure.file === missing &&
          e.message.includes(`cannot use the TLS client key file ${missing}: ENOENT`),
      );
      // In DOCKER_CERT_PATH, a cert.pem without its key.pem: key.pem is the one named.
      const folder = await tempDir('ccl-docker-certs-');
      dirs.push(folder);
      await copyFile(tls.ca, path.join(folder, 'ca.pem'));
      await copyFile(tls.cert, path.join(folder, 'cert.pem'));
      const vm = new DockerVM({ endpoint: daemon.endpoint, tls: { verify: true, certPath: folder }, peerId: `${TAG}-keyless` });
      const err = await unreachable(() => vm.listContainers());
      assert.equal(failureKind(err), 'tls-file');
      assert.match(err.message, new RegExp(`cannot use the TLS client key file ${escape(path.join(folder, 'key.pem'))}`));
      vm.dispose();
    });

    test('a key that is not the client certificate’s is named too', () => {
      const settings = { endpoint: daemon.endpoint, tls: { verify: true, certPath: tls.dir, keyFile: tls.strangerKey } };
      assert.throws(
        () => dockerClient(settings),
        (e: unknown) => e instanceof DockerUnreachableError && e.failure.kind === 'tls-file' && /it is not the key of the client certificate/.test(e.message),
      );
    });

    test('an unreachable port: the message names the endpoint', async () => {
      const endpoint = `tcp://127.0.0.1:${await freePort()}`;
      const err = await unreachable(() => pingDocker(dockerClient({ endpoint, tls: { verify: true, certPath: tls.dir } }), endpoint));
      assert.equal(failureKind(err), 'endpoint');
      assert.match(err.message, new RegExp(`^Docker is not reachable at ${escape(endpoint)}: nothing accepts connections at the endpoint \\(connect ECONNREFUSED`));
    });
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
