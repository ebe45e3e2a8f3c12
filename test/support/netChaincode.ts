/**
 * Net-mode test support: chaincode folders that run in the local Node base image (a copy of the
 * low-level fixture with fabric-shim's node_modules hard-linked in, or tiny scripts that fail on
 * purpose), Docker's own view of what a test left behind, and a TLS client of the peer.
 */
import * as grpc from '@grpc/grpc-js';
import type Dockerode from 'dockerode';
import { createHook } from 'node:async_hooks';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { LABEL_CCID, LABEL_IMAGE_KIND, MANAGED_FILTER } from '../../src/engine/container/docker/labels';
import { resolveConfig } from '../../src/engine/config';
import { Engine } from '../../src/engine/engine';
import type { ChaincodeDefinition, RunningChaincode } from '../../src/engine/launch/types';
import { RawShimStream } from './rawShimClient';
import { repoRoot } from './toolchains';

const run = promisify(execFile);

export const LOWLEVEL_FIXTURE = path.join(repoRoot(), 'test', 'fixtures', 'node', 'lowlevel');
/** The example's dependencies hold fabric-shim 2.5.8 and everything it needs, installed offline. */
export const SHIM_NODE_MODULES = path.join(repoRoot(), 'examples', 'asset-transfer', 'node_modules');

export type EngineSettings = NonNullable<Parameters<typeof resolveConfig>[0]>;

/**
 * A net-mode engine on an ephemeral port and a fresh data directory (pushed to `dirs` for cleanup).
 * One org unless `settings` says otherwise: these tests are about one peer's containers.
 */
export async function startEngine(dirs: string[], settings: EngineSettings): Promise<Engine> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ccl-netmode-data-'));
  dirs.push(dataDir);
  const config = resolveConfig({ dataDir, peerPort: 0, mode: 'net', executeTimeoutMs: 20_000, orgs: ['Org1MSP'], ...settings });
  return Engine.start(config, { acceptUnlaunched: false });
}

/** The VM controller's lock table (the launcher keeps its controller private). */
export function pendingLocks(engine: Engine): number {
  return engine.orgs.reduce((sum, node) => sum + node.launcher['deps'].vms.pendingContainers, 0);
}

/** A fresh temp folder; `files` maps relative paths to contents. */
export async function makeFolder(prefix: string, files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), content);
  }
  return dir;
}

/**
 * A copy of the low-level fixture with fabric-shim in node_modules. The 2 400 dependency files are
 * hard-linked (this disk is slow at writing many small files); only the fixture's files are copied.
 */
export async function lowLevelChaincode(): Promise<string> {
  if (!existsSync(path.join(SHIM_NODE_MODULES, 'fabric-shim', 'package.json'))) {
    throw new Error(`${SHIM_NODE_MODULES} has no fabric-shim: run npm install (postinstall installs the examples)`);
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ccl-netmode-cc-'));
  for (const file of ['package.json', 'index.js']) await copyFile(path.join(LOWLEVEL_FIXTURE, file), path.join(dir, file));
  await run('cp', ['-al', SHIM_NODE_MODULES, path.join(dir, 'node_modules')]).catch(() => run('cp', ['-r', SHIM_NODE_MODULES, path.join(dir, 'node_modules')]));
  return dir;
}

/**
 * A "chaincode" that never registers: it prints `lines` and then exits with `exitCode`, or, when
 * `exitCode` is null, stays up. A packaged dummy dependency keeps the image build offline.
 */
export function scriptChaincode(lines: readonly string[], exitCode: number | null): Promise<string> {
  const tail = exitCode === null ? 'setInterval(() => undefined, 1000);' : `process.exitCode = ${exitCode};`;
  return makeFolder('ccl-netmode-script-', {
    'package.json': JSON.stringify({ name: 'script-cc', version: '1.0.0', scripts: { start: 'node index.js' } }),
    'index.js': `for (const line of ${JSON.stringify(lines)}) console.log(line);\n${tail}\n`,
    'node_modules/dummy/package.json': '{"name":"dummy","version":"1.0.0"}',
  });
}

/**
 * A tiny chaincode on Node's own http2 (no dependencies to load, so it starts at once): REGISTER on
 * ChaincodeSupport/Register, over TLS with the launch's client certificate when the peer says so,
 * then it logs what the peer sends and idles. Enough for the launch flow, which ends at READY.
 */
const TINY_INDEX = `'use strict';
const fs = require('fs');
const http2 = require('http2');
const address = process.argv[process.argv.indexOf('--peer.address') + 1];
const name = Buffer.from(process.env.CORE_CHAINCODE_ID_NAME, 'utf8');
const tls = process.env.CORE_PEER_TLS_ENABLED === 'true';
const base64Pem = (file) => Buffer.from(fs.readFileSync(file, 'utf8'), 'base64');
const options = tls
  ? { ca: fs.readFileSync(process.env.CORE_PEER_TLS_ROOTCERT_FILE), key: base64Pem(process.env.CORE_TLS_CLIENT_KEY_PATH), cert: base64Pem(process.env.CORE_TLS_CLIENT_CERT_PATH) }
  : {};
const session = http2.connect((tls ? 'https://' : 'http://') + address, options);
session.on('error', (err) => { console.error('connection failed: ' + err.message); process.exit(2); });
const call = session.request({ ':method': 'POST', ':path': '/protos.ChaincodeSupport/Register', 'content-type': 'application/grpc', te: 'trailers' });
// ChaincodeMessage { type (1): REGISTER = 1, payload (3): ChaincodeID { name (2) } }
const id = Buffer.concat([Buffer.from([0x12, name.length]), name]);
const message = Buffer.concat([Buffer.from([0x08, 0x01, 0x1a, id.length]), id]);
const frame = Buffer.alloc(5 + message.length);
frame.writeUInt32BE(message.length, 1);
message.copy(frame, 5);
console.log('tiny chaincode registering as ' + name + ' at ' + address + (tls ? ' over TLS' : ''));
call.write(frame);
let pending = Buffer.alloc(0);
call.on('data', (chunk) => {
  pending = Buffer.concat([pending, chunk]);
  while (pending.length >= 5 && pending.length >= 5 + pending.readUInt32BE(1)) {
    const m = pending.subarray(5, 5 + pending.readUInt32BE(1));
    pending = pending.subarray(5 + m.length);
    console.log('peer sent message type ' + (m[0] === 0x08 ? m[1] : 0));
  }
});
call.on('error', (err) => console.error('stream error: ' + err.message));
call.on('close', () => { console.log('the peer closed the stream'); process.exit(1); });
`;

export function tinyChaincode(): Promise<string> {
  return makeFolder('ccl-netmode-tiny-', {
    'package.json': JSON.stringify({ name: 'tiny-cc', version: '1.0.0', scripts: { start: 'node index.js' } }),
    'index.js': TINY_INDEX,
    'node_modules/dummy/package.json': '{"name":"dummy","version":"1.0.0"}',
  });
}

export function netDefinition(name: string, dir: string, version = '1.0'): ChaincodeDefinition {
  return { name, version, mode: 'net', language: 'node', path: dir };
}

/** Launches in net mode and records the progress steps (the build shows up as 'building image…'). */
export async function launchNet(engine: Engine, def: ChaincodeDefinition, signal?: AbortSignal): Promise<{ running: RunningChaincode; steps: string[] }> {
  const steps: string[] = [];
  const running = await engine.launcher.launch({ kind: 'deployment', definition: def }, { signal, onProgress: (s) => steps.push(s) });
  return { running, steps };
}

/** What Docker itself lists (all states) among our labelled containers, for these chaincode ids. */
export async function containersOf(docker: Dockerode, ccids: readonly string[]): Promise<Dockerode.ContainerInfo[]> {
  const all = await docker.listContainers({ all: true, filters: { label: [MANAGED_FILTER] } });
  return all.filter((c) => ccids.includes(c.Labels[LABEL_CCID] ?? ''));
}

/** Tags of our labelled images of one chaincode id, dependencies images included, sorted. */
export async function imageTagsOf(docker: Dockerode, ccid: string): Promise<string[]> {
  const images = await docker.listImages({ filters: { label: [MANAGED_FILTER, `${LABEL_CCID}=${ccid}`] } });
  return images.flatMap((i) => (i.RepoTags ?? []).filter((t) => t !== '<none>:<none>')).sort();
}

/** Removes the containers and images of these chaincode ids (test cleanup, also after failures). */
export async function removeChaincodeArtifacts(docker: Dockerode, ccids: readonly string[]): Promise<void> {
  for (const c of await containersOf(docker, ccids))
    await docker
      .getContainer(c.Id)
      .remove({ force: true })
      .catch(() => undefined);
  for (const ccid of ccids) {
    const images = await docker.listImages({ filters: { label: [MANAGED_FILTER, `${LABEL_CCID}=${ccid}`] } });
    // Chaincode images before the dependencies images they start FROM (Docker refuses a parent first).
    const last = (i: Dockerode.ImageInfo): number => (i.Labels?.[LABEL_IMAGE_KIND] === 'dependencies' ? 1 : 0);
    for (const image of images.sort((a, b) => last(a) - last(b)))
      await docker
        .getImage(image.Id)
        .remove({ force: true })
        .catch(() => undefined);
  }
}

/**
 * Follows the timers created from now on until `freeze()` (unref'd ones included, which
 * `process.getActiveResourcesInfo()` does not list); `pending()` counts those of them that have
 * neither fired nor been cleared. Timers created after `freeze()` (a test's own waiting) are ignored.
 */
export function trackTimers(): { pending(): number; freeze(): void; dispose(): void } {
  const pending = new Set<number>();
  let frozen = false;
  const hook = createHook({
    init(asyncId, type) {
      if (type === 'Timeout' && !frozen) pending.add(asyncId);
    },
    destroy(asyncId) {
      pending.delete(asyncId);
    },
  }).enable();
  return {
    pending: () => pending.size,
    freeze: () => void (frozen = true),
    dispose: () => void hook.disable(),
  };
}

/** The number of active timers (`setTimeout`/`setInterval`) in this process. */
export function activeTimeouts(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
}

export { waitUntil } from './waitUntil';

export interface TlsClientMaterial {
  readonly rootCertPem: string;
  readonly keyPem?: string;
  readonly certPem?: string;
}

/** A Register stream over TLS to `address` (client certificate only when given). */
export function openTlsShimStream(address: string, tls: TlsClientMaterial): { stream: RawShimStream; close(): void } {
  const key = tls.keyPem === undefined ? null : Buffer.from(tls.keyPem);
  const cert = tls.certPem === undefined ? null : Buffer.from(tls.certPem);
  // The peer's certificate names localhost too; an IP as TLS server name draws a Node warning.
  const client = new grpc.Client(address, grpc.credentials.createSsl(Buffer.from(tls.rootCertPem), key, cert), {
    'grpc.ssl_target_name_override': 'localhost',
  });
  const pass = (b: Buffer): Buffer => b;
  const call = client.makeBidiStreamRequest<Buffer, Buffer>('/protos.ChaincodeSupport/Register', pass, pass);
  return { stream: new RawShimStream(call), close: () => client.close() };
}

export async function removeFolders(dirs: readonly string[]): Promise<void> {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
}
