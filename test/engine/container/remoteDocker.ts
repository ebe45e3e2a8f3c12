/**
 * A second, "remote" Docker engine for the endpoint tests: its own dockerd (data-root, exec-root,
 * pidfile, socket and containerd of its own, so the main daemon is never touched) listening on
 * 127.0.0.1:<port> with `--tlsverify` and certificates made here; and an sshd with an ssh agent on
 * 127.0.0.1, whose sessions talk to that dockerd's socket. Both run as children of the test and
 * are stopped by their pids.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { createCertificateAuthority, issueCertificate, type KeyPairPem } from '../../../src/engine/crypto/certificates';
import { findOnPath, isCI } from '../../support/toolchains';

const run = promisify(execFile);
const DOCKERD = ['/usr/sbin/dockerd', '/usr/bin/dockerd'];
const SSHD = '/usr/sbin/sshd';

/** For `describe(…, { skip })`: why this machine cannot run it, but under CI=true never skip (the tests then fail). */
function skipUnlessCI(reason: string | null): string | false {
  if (reason === null) return false;
  if (isCI()) {
    console.error(`CI: ${reason}; the tests will fail`);
    return false;
  }
  return reason;
}

function dockerdPath(): string | undefined {
  return DOCKERD.find((p) => existsSync(p)) ?? findOnPath('dockerd') ?? undefined;
}

export function secondDockerdSkip(): string | false {
  if (!dockerdPath()) return skipUnlessCI('no dockerd on this machine (apt-get install docker.io)');
  if (!findOnPath('docker')) return skipUnlessCI('no docker CLI (it copies the base image into the second engine)');
  if (process.getuid?.() !== 0) return skipUnlessCI('a second dockerd needs root');
  return false;
}

export function sshdSkip(): string | false {
  const missing = [SSHD, 'ssh-keygen', 'ssh-agent', 'ssh-add'].filter((tool) => (tool.startsWith('/') ? !existsSync(tool) : !findOnPath(tool)));
  return missing.length ? skipUnlessCI(`no ${missing.join(', ')} (apt-get install openssh-server)`) : false;
}

/** The TLS files of the second engine and its clients, in `dir` with the Docker CLI's names. */
export interface DockerTlsFiles {
  readonly dir: string;
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
  readonly serverCert: string;
  readonly serverKey: string;
  /** A CA that signed nothing of this engine's. */
  readonly otherCa: string;
  /** A client certificate (and key) issued by the other CA: the daemon must refuse it. */
  readonly strangerCert: string;
  readonly strangerKey: string;
}

export async function makeDockerTls(dir: string): Promise<DockerTlsFiles> {
  const ca = await createCertificateAuthority('O=Remote Docker Test, CN=docker-test-ca');
  const server = await issueCertificate(ca, { subject: 'CN=127.0.0.1', usage: 'server', hosts: ['127.0.0.1'] });
  const client = await issueCertificate(ca, { subject: 'CN=docker-test-client', usage: 'client' });
  const other = await createCertificateAuthority('O=Someone Else, CN=other-ca');
  const stranger = await issueCertificate(other, { subject: 'CN=stranger', usage: 'client' });
  const files = {
    dir,
    ca: path.join(dir, 'ca.pem'),
    cert: path.join(dir, 'cert.pem'),
    key: path.join(dir, 'key.pem'),
    serverCert: path.join(dir, 'server-cert.pem'),
    serverKey: path.join(dir, 'server-key.pem'),
    otherCa: path.join(dir, 'other-ca.pem'),
    strangerCert: path.join(dir, 'stranger-cert.pem'),
    strangerKey: path.join(dir, 'stranger-key.pem'),
  };
  const write = async (file: string, pem: string, mode = 0o644): Promise<void> => writeFile(file, pem, { mode });
  await write(files.ca, ca.certPem);
  await writePair(write, files.cert, files.key, client);
  await writePair(write, files.serverCert, files.serverKey, server);
  await write(files.otherCa, other.certPem);
  await writePair(write, files.strangerCert, files.strangerKey, stranger);
  return files;
}

async function writePair(write: (file: string, pem: string, mode?: number) => Promise<void>, cert: string, key: string, pair: KeyPairPem): Promise<void> {
  await write(cert, pair.certPem);
  await write(key, pair.keyPem, 0o600);
}

export interface SecondDockerd {
  /** `tcp://127.0.0.1:<port>`, TLS with client certificates. */
  readonly endpoint: string;
  /** Its unix socket (`unix://…`), for the docker CLI and sshd's sessions. */
  readonly socket: string;
  stop(): Promise<void>;
}

/** A free loopback port, for a daemon that cannot be told to take port 0. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function pingSocket(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ socketPath, path: '/_ping', timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

/** Stops a child by its pid (TERM, then KILL to its process group), waiting for its exit. */
async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), graceMs).unref());
  if ((await Promise.race([exited, timer])) === 'late' && child.pid !== undefined) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
    await exited;
  }
}

/** Children still running when the test process exits (a failed `before`) are stopped by pid. */
const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children) if (child.pid !== undefined && child.exitCode === null) child.kill('SIGKILL');
});

/**
 * Starts the second engine: `--bridge=none --iptables=false --ip6tables=false` like the main one,
 * everything of its own under `stateDir`, TLS on its TCP listener. A port taken meanwhile is retried.
 */
export async function startSecondDockerd(stateDir: string, tls: DockerTlsFiles): Promise<SecondDockerd> {
  const binary = dockerdPath();
  if (!binary) throw new Error('no dockerd on this machine (apt-get install docker.io)');
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const started = await startDockerdOn(binary, stateDir, tls, port);
    if (started.ok) return started.daemon;
    if (!started.portTaken || attempt === 3) throw new Error(started.reason);
  }
}

async function startDockerdOn(
  binary: string,
  stateDir: string,
  tls: DockerTlsFiles,
  port: number,
): Promise<{ ok: true; daemon: SecondDockerd } | { ok: false; reason: string; portTaken: boolean }> {
  const socketPath = path.join(stateDir, 'docker.sock');
  const logFile = path.join(stateDir, 'dockerd.log');
  await mkdir(path.join(stateDir, 'data'), { recursive: true });
  await writeFile(path.join(stateDir, 'daemon.json'), '{}\n'); // not /etc/docker/daemon.json
  // prettier-ignore
  const args = [
    '--config-file', path.join(stateDir, 'daemon.json'),
    '--data-root', path.join(stateDir, 'data'),
    '--exec-root', path.join(stateDir, 'exec'),
    '--pidfile', path.join(stateDir, 'dockerd.pid'),
    '--host', `unix://${socketPath}`,
    '--host', `tcp://127.0.0.1:${port}`,
    '--tlsverify', '--tlscacert', tls.ca, '--tlscert', tls.serverCert, '--tlskey', tls.serverKey,
    '--bridge=none', '--iptables=false', '--ip6tables=false',
  ];
  const log = openSync(logFile, 'w');
  const child = spawn(binary, args, { stdio: ['ignore', log, log], detached: true });
  closeSync(log); // the daemon has its own copy
  children.add(child);
  const stop = async (): Promise<void> => {
    await stopChild(child, 30_000);
    children.delete(child);
    await unmountUnder(stateDir);
  };
  const deadline = Date.now() + 60_000;
  while (!(await pingSocket(socketPath))) {
    const exited = child.exitCode !== null || child.signalCode !== null;
    if (exited || Date.now() > deadline) {
      await stop();
      const tail = (await readFile(logFile, 'utf8').catch(() => '')).split('\n').slice(-15).join('\n');
      return {
        ok: false,
        reason: `the second dockerd did not answer${exited ? ` (exit ${child.exitCode ?? child.signalCode})` : ' within 60 s'}; its log:\n${tail}`,
        portTaken: /address already in use/.test(tail),
      };
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { ok: true, daemon: { endpoint: `tcp://127.0.0.1:${port}`, socket: `unix://${socketPath}`, stop } };
}

/**
 * dockerd leaves a bind mount of the host's network namespace in its exec-root (`netns/default`)
 * after it exits; the state folder can only be removed once what is mounted in it is unmounted.
 */
async function unmountUnder(dir: string): Promise<void> {
  const mountInfo = await readFile('/proc/self/mountinfo', 'utf8').catch(() => '');
  // Field 5 is the mount point, with spaces and the like written as octal escapes.
  const points = mountInfo
    .split('\n')
    .map((line) => (line.split(' ')[4] ?? '').replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8))))
    .filter((point) => point.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length); // the deepest first
  for (const point of points) await run('umount', [point]).catch(() => run('umount', ['-l', point]).catch(() => undefined));
}

/** Copies an image of the main engine into another one (`docker save | docker load`). */
export async function copyImage(tag: string, socket: string): Promise<void> {
  const q = (word: string): string => `'${word.replace(/'/g, `'\\''`)}'`;
  await run('/bin/bash', ['-o', 'pipefail', '-c', `docker save ${q(tag)} | docker --host ${q(socket)} load`], { maxBuffer: 1 << 20 });
}

export interface SshToDocker {
  /** `ssh://<user>@127.0.0.1:<port>`: a login there runs `docker` against the second engine. */
  readonly endpoint: string;
  /** The ssh agent holding the test key (docker-modem's SSH_AUTH_SOCK). */
  readonly agentSocket: string;
  /** An agent with no key at all. */
  readonly emptyAgentSocket: string;
  stop(): Promise<void>;
}

/**
 * An sshd on 127.0.0.1 (a free port) that lets the test key in as the current user and gives its
 * sessions DOCKER_HOST = the second engine's socket, so docker-modem's `docker system dial-stdio`
 * reaches that engine; and two ssh agents, one holding the key.
 */
export async function startSshToDocker(stateDir: string, dockerSocket: string): Promise<SshToDocker> {
  await mkdir(stateDir, { recursive: true });
  const file = (name: string): string => path.join(stateDir, name);
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file('host_key')]);
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'remote-docker-test', '-f', file('user_key')]);
  await writeFile(file('authorized_keys'), await readFile(file('user_key.pub')), { mode: 0o600 });
  // sshd running as root separates privileges into this directory; Debian makes it at boot, a fresh container may not have it.
  if (process.getuid?.() === 0) await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
  const user = os.userInfo().username;
  const started: ChildProcess[] = [];
  const stop = async (): Promise<void> => {
    for (const child of started.reverse()) {
      await stopChild(child, 5000);
      children.delete(child);
    }
  };
  try {
    let port = 0;
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      await writeFile(
        file('sshd_config'),
        [
          `Port ${port}`,
          'ListenAddress 127.0.0.1',
          `HostKey ${file('host_key')}`,
          `AuthorizedKeysFile ${file('authorized_keys')}`,
          `PidFile ${file('sshd.pid')}`,
          `AllowUsers ${user}`,
          'PubkeyAuthentication yes',
          'PasswordAuthentication no',
          'KbdInteractiveAuthentication no',
          'PermitRootLogin prohibit-password',
          'UsePAM no',
          'StrictModes no',
          `SetEnv DOCKER_HOST=${dockerSocket}`,
          '',
        ].join('\n'),
      );
      const sshd = spawn(SSHD, ['-D', '-e', '-f', file('sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
      children.add(sshd);
      started.push(sshd);
      let stderr = '';
      sshd.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const listening = await waitFor(
        () => /Server listening/.test(stderr),
        () => sshd.exitCode !== null,
        10_000,
      );
      if (listening) break;
      if (!/Address already in use/.test(stderr) || attempt === 3) throw new Error(`sshd did not start: ${stderr.trim()}`);
    }
    const agent = async (name: string): Promise<string> => {
      const socket = file(name);
      const child = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore', detached: true });
      children.add(child);
      started.push(child);
      if (
        !(await waitFor(
          () => existsSync(socket),
          () => child.exitCode !== null,
          10_000,
        ))
      )
        throw new Error('ssh-agent did not start');
      return socket;
    };
    const agentSocket = await agent('agent.sock');
    await run('ssh-add', ['-q', file('user_key')], { env: { ...process.env, SSH_AUTH_SOCK: agentSocket } });
    const emptyAgentSocket = await agent('empty-agent.sock');
    return { endpoint: `ssh://${user}@127.0.0.1:${port}`, agentSocket, emptyAgentSocket, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function waitFor(ready: () => boolean, failed: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (failed() || Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}

export async function removeDir(dir: string | undefined): Promise<void> {
  if (dir) await rm(dir, { recursive: true, force: true });
}
