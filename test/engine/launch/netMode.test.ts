/**
 * Net mode end to end: the real engine (peer, launcher, recipes, VM controller, DockerVM) against
 * a real Docker engine. Chaincode runs in the local Node base image (test/support/docker.ts) and
 * registers back over mutual TLS; every check that matters is made on Docker's own lists.
 */
import * as grpc from '@grpc/grpc-js';
import assert from 'node:assert/strict';
import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { LABEL_DEPENDENCIES } from '../../../src/engine/container/docker/labels';
import type { RuntimeEvent } from '../../../src/engine/container/types';
import type { Engine } from '../../../src/engine/engine';
import { LaunchError } from '../../../src/engine/launch/launcher';
import { codecs } from '../../../src/engine/wire/codec';
import { MessageType } from '../../../src/engine/wire/messages';
import { dockerSkip, ensureBaseImages } from '../../support/docker';
import {
  activeTimeouts,
  containersOf,
  imageTagsOf,
  launchNet,
  lowLevelChaincode,
  netDefinition,
  openTlsShimStream,
  pendingLocks,
  removeChaincodeArtifacts,
  removeFolders,
  scriptChaincode,
  startEngine,
  tinyChaincode,
  trackTimers,
  waitUntil,
} from '../../support/netChaincode';
import { goNetModeSuite } from './netModeGo';
import { javaNetModeSuite } from './netModeJava';

const CYCLES = 50;
/** Unique per run: our containers and images are told apart from anyone else's by these ids. */
const TAG = `nm${process.pid}`;

/** Records the Docker VM's events for one chaincode id while `work` runs. */
async function recording<T>(engine: Engine, ccid: string, work: () => Promise<T>): Promise<{ result: T; events: RuntimeEvent[] }> {
  const events: RuntimeEvent[] = [];
  const sub = engine.docker.onEvent((e) => {
    if (e.ccid === ccid) events.push(e);
  });
  try {
    return { result: await work(), events };
  } finally {
    sub.dispose();
  }
}

/** After a failed assertion, leave nothing running for the next test. */
async function ensureStopped(engine: Engine, ccid: string): Promise<void> {
  if (engine.launcher.running().some((c) => c.ccid === ccid)) await engine.launcher.stop(ccid).catch(() => undefined);
}

const built = (events: readonly RuntimeEvent[]): boolean => events.some((e) => e.kind === 'status' && e.status === 'building');

describe('net mode through the real engine and Docker', { skip: dockerSkip() }, () => {
  const dirs: string[] = [];
  const name = `${TAG}-lowlevel`;
  const ccid = `${name}:1.0`;
  let engine: Engine;
  let ccDir: string;
  let firstImage = '';
  let firstDependencies = '';

  before(async () => {
    const images = await ensureBaseImages(['node']);
    engine = await startEngine(dirs, { baseImages: { node: images.node }, startupTimeoutMs: 60_000 });
    ccDir = await lowLevelChaincode();
    dirs.push(ccDir);
  });

  after(async () => {
    await engine?.dispose();
    if (engine) await removeChaincodeArtifacts(engine.docker.docker, [ccid]);
    await removeFolders(dirs);
  });

  test('launches a Node chaincode to READY over mutual TLS; a transaction commits and reads back', async (t) => {
    const started = Date.now();
    const { result, events } = await recording(engine, ccid, () => launchNet(engine, netDefinition(name, ccDir)));
    t.diagnostic(`cold launch (image build) → READY in ${Date.now() - started} ms`);
    assert.equal(result.running.status, 'ready');
    assert.ok(built(events), 'the first launch builds the image');
    assert.ok(result.steps.includes('waiting for the chaincode to register'), result.steps.join(' | '));

    const listed = await containersOf(engine.docker.docker, [ccid]);
    assert.equal(listed.length, 1, 'one container in Docker’s list');
    assert.equal(listed[0]?.State, 'running');
    const row = engine.launcher.running().find((c) => c.ccid === ccid);
    assert.equal(row?.status, 'ready');
    assert.equal(row?.container?.id, listed[0]?.Id, 'the Chaincodes table shows the container');
    assert.equal(row?.container?.status, 'running');
    firstImage = row?.container?.image ?? '';
    assert.match(firstImage, new RegExp(`^${engine.docker.imageName(ccid)}:[0-9a-f]{64}$`));
    firstDependencies = (await engine.docker.docker.getImage(firstImage).inspect()).Config.Labels?.[LABEL_DEPENDENCIES] ?? '';
    assert.match(firstDependencies, new RegExp(`^${engine.docker.imageName(ccid)}-deps:[0-9a-f]{64}$`), 'node_modules in an image of its own');
    assert.ok(result.steps.includes('building dependencies image'), result.steps.join(' | '));

    // Registered over the TLS listener with the client certificate issued for this launch.
    const handler = engine.peer.registry.get(ccid);
    const fingerprint = handler?.stream.clientCertFingerprint;
    assert.ok(fingerprint, 'the chaincode connected with a client certificate');
    const { authority } = await engine.peer.enableTls();
    assert.equal(authority.chaincodeFor(fingerprint), ccid);

    const put = await engine.transactions.execute({ chaincode: ccid, args: ['put', 'colour', 'blue'] });
    assert.equal(put.status, 200, put.message);
    assert.equal(put.validation, 'VALID');
    assert.notEqual(put.blockNum, null, 'committed in a block');
    const get = await engine.transactions.execute({ chaincode: ccid, args: ['get', 'colour'], kind: 'query' });
    assert.deepEqual(JSON.parse(get.payload.toString('utf8')), { value: 'blue' });
  });

  test('stop removes the container, the table entry and the handler', async () => {
    await engine.launcher.stop(ccid);
    assert.deepEqual(await containersOf(engine.docker.docker, [ccid]), []);
    assert.equal(
      engine.launcher.running().find((c) => c.ccid === ccid),
      undefined,
    );
    await waitUntil(() => !engine.peer.handlers().some((h) => h.chaincodeId === ccid), 5000, 'the handler to end');
    assert.equal(engine.docker.followedContainers, 0);
  });

  test('a relaunch of unchanged code reuses the image: no build', async (t) => {
    t.after(() => ensureStopped(engine, ccid));
    const imageId = (await engine.docker.docker.getImage(firstImage).inspect()).Id;
    const started = Date.now();
    const { result, events } = await recording(engine, ccid, () => launchNet(engine, netDefinition(name, ccDir)));
    t.diagnostic(`warm relaunch → READY in ${Date.now() - started} ms`);
    assert.equal(result.running.status, 'ready');
    assert.ok(!built(events), `no build: ${JSON.stringify(events.filter((e) => e.kind !== 'log'))}`);
    assert.ok(!result.steps.some((s) => s.startsWith('building image')), result.steps.join(' | '));
    assert.equal(result.running.container?.image, firstImage);
    const [container] = await containersOf(engine.docker.docker, [ccid]);
    assert.equal(container?.ImageID, imageId, 'the container runs the image built before');
  });

  test('two concurrent launches of one chaincode start exactly one container and both return it', async (t) => {
    t.after(() => ensureStopped(engine, ccid));
    const def = netDefinition(name, ccDir);
    const [first, second] = await Promise.all([launchNet(engine, def), launchNet(engine, def)]);
    assert.equal(first.running.status, 'ready');
    assert.equal(second.running.status, 'ready');
    assert.equal(second.running.handlerId, first.running.handlerId, 'the same running chaincode');
    const listed = await containersOf(engine.docker.docker, [ccid]);
    assert.equal(listed.length, 1, 'exactly one container');
    assert.equal(engine.peer.handlers().filter((h) => h.chaincodeId === ccid).length, 1, 'exactly one handler');
  });

  test('a code change rebuilds under a new tag and removes the old image', async (t) => {
    t.after(() => ensureStopped(engine, ccid));
    await appendFile(path.join(ccDir, 'index.js'), '\n// edited by the net-mode test\n');
    const { result, events } = await recording(engine, ccid, () => launchNet(engine, netDefinition(name, ccDir)));
    assert.equal(result.running.status, 'ready');
    assert.ok(built(events), 'the edit triggers a build');
    assert.ok(
      result.steps.some((s) => s.startsWith('building image')),
      `the launch's progress shows the build: ${result.steps.join(' | ')}`,
    );
    const newImage = result.running.container?.image ?? '';
    assert.notEqual(newImage, firstImage);
    assert.equal(newImage.split(':')[0], firstImage.split(':')[0], 'same repository, new content tag');
    const dependencies = (await engine.docker.docker.getImage(newImage).inspect()).Config.Labels?.[LABEL_DEPENDENCIES];
    assert.ok(dependencies, 'the image starts FROM a dependencies image (node_modules)');
    assert.equal(dependencies, firstDependencies, 'the dependencies image is reused across code edits');
    assert.deepEqual(await imageTagsOf(engine.docker.docker, ccid), [newImage, dependencies].sort(), 'only the new image and its dependencies image are left');
    assert.ok(!result.steps.some((s) => s.startsWith('building dependencies image')), `node_modules is not sent again: ${result.steps.join(' | ')}`);
    await assert.rejects(engine.docker.docker.getImage(firstImage).inspect(), (err: { statusCode?: number }) => err.statusCode === 404);
    // The world state outlives the container.
    const get = await engine.transactions.execute({ chaincode: ccid, args: ['get', 'colour'], kind: 'query' });
    assert.deepEqual(JSON.parse(get.payload.toString('utf8')), { value: 'blue' });
  });

  test(`${CYCLES} launch/stop cycles leave no containers, handlers, table or lock entries, listeners or timers`, async (t) => {
    const tiny = `${TAG}-tiny`;
    const tinyId = `${tiny}:1.0`;
    t.after(async () => {
      await ensureStopped(engine, tinyId);
      await removeChaincodeArtifacts(engine.docker.docker, [tinyId]);
    });
    const dir = await tinyChaincode();
    dirs.push(dir);
    const def = netDefinition(tiny, dir);
    // Warm-up: build the image once; the cycles must reuse it.
    const warm = await recording(engine, tinyId, () => launchNet(engine, def));
    assert.ok(built(warm.events), 'the warm-up builds');
    assert.equal(warm.result.running.status, 'ready');
    await engine.launcher.stop(tinyId);
    await waitUntil(() => engine.peer.handlers().length === 0, 5000, 'the warm-up handler to end');
    const baseline = {
      listeners: engine.docker.listenerCount,
      followed: engine.docker.followedContainers,
      locks: pendingLocks(engine),
      timers: activeTimeouts(),
    };
    const timers = trackTimers();
    t.after(() => timers.dispose());
    const started = Date.now();
    let builds = 0;
    let launchMs = 0;
    for (let i = 0; i < CYCLES; i++) {
      const before = Date.now();
      const { result, events } = await recording(engine, tinyId, () => launchNet(engine, def));
      launchMs += Date.now() - before;
      assert.equal(result.running.status, 'ready', `cycle ${i}`);
      assert.ok(engine.peer.registry.get(tinyId)?.stream.clientCertFingerprint, `cycle ${i}: registered over mutual TLS`);
      if (built(events)) builds++;
      await engine.launcher.stop(tinyId);
    }
    const elapsed = Date.now() - started;
    t.diagnostic(`${CYCLES} launch → READY → stop cycles in ${elapsed} ms (${Math.round(elapsed / CYCLES)} ms each, launch ${Math.round(launchMs / CYCLES)} ms)`);
    assert.equal(builds, 0, 'the warm image is reused every time');

    assert.deepEqual(await containersOf(engine.docker.docker, [tinyId]), [], 'Docker lists no container of ours');
    assert.equal(engine.launcher.running().length, 0, 'no table entries');
    await waitUntil(() => engine.peer.handlers().length === 0, 5000, 'every handler to end');
    assert.equal(engine.peer.registry.get(tinyId), undefined, 'no registration left');
    assert.equal(engine.peer.registry.isLaunching(tinyId), false, 'no launch left waiting');
    assert.equal(pendingLocks(engine), baseline.locks, 'no lock entries');
    assert.equal(engine.docker.followedContainers, baseline.followed, 'no followed containers');
    assert.equal(engine.docker.listenerCount, baseline.listeners, 'no leaked listeners');
    // Exit reporting waits up to 2 s for the log stream to drain; give those timers time to run out.
    await waitUntil(() => activeTimeouts() <= baseline.timers, 10_000, 'timers back to the baseline').catch(() => undefined);
    assert.equal(activeTimeouts(), baseline.timers, 'no leaked timers holding the process open');
    // Unref'd ones too. The engine's longest-lived are 5 s waits (Docker ping, exit report) and the
    // HTTP agent's idle-socket timeouts; a startup timeout or interval left running would stay.
    timers.freeze();
    const left = timers.pending();
    await waitUntil(() => timers.pending() === 0, 10_000, `the cycles’ timers to fire or be cleared (${left} pending)`).catch(() => undefined);
    assert.equal(timers.pending(), 0, `every timer the cycles started has fired or been cleared (${left} pending right after)`);
  });

  test('TLS: no client certificate is refused; a certificate for another chaincode cannot REGISTER', async () => {
    const { address, authority } = await engine.peer.enableTls();
    const handlersBefore = engine.peer.handlers().length;

    const anonymous = openTlsShimStream(address, { rootCertPem: authority.ca.certPem });
    anonymous.stream.send({ type: MessageType.REGISTER, payload: codecs.ChaincodeID.encode({ name: ccid }) });
    const refused = await anonymous.stream.waitForEnd(10_000);
    anonymous.close();
    assert.equal(refused.code, grpc.status.UNAVAILABLE, `the call fails at the handshake: ${refused.details}`);
    assert.equal(anonymous.stream.received.length, 0, 'the peer never answered');

    const victim = `${TAG}-victim:1.0`;
    const other = await authority.issueClientCertificate(`${TAG}-other:1.0`);
    engine.peer.registry.launching(victim); // being launched: only the certificate binding can refuse it
    const impostor = openTlsShimStream(address, { rootCertPem: authority.ca.certPem, keyPem: other.keyPem, certPem: other.certPem });
    try {
      await assert.rejects(impostor.stream.register(victim), /REGISTER .* refused: ERROR .*issued for .*-other:1\.0, not .*-victim:1\.0/);
      await impostor.stream.waitForEnd(5000);
    } finally {
      impostor.close();
      engine.peer.registry.forgetLaunch(victim);
    }

    // Control: the same connection path with a matching certificate is accepted.
    const own = `${TAG}-own:1.0`;
    const cert = await authority.issueClientCertificate(own);
    engine.peer.registry.launching(own);
    const honest = openTlsShimStream(address, { rootCertPem: authority.ca.certPem, keyPem: cert.keyPem, certPem: cert.certPem });
    try {
      honest.stream.send({ type: MessageType.REGISTER, payload: codecs.ChaincodeID.encode({ name: own }) });
      await honest.stream.waitFor((m) => m.type === MessageType.REGISTERED, 5000, 'REGISTERED');
    } finally {
      honest.stream.cancel();
      honest.close();
      engine.peer.registry.forgetLaunch(own);
    }
    await waitUntil(() => engine.peer.handlers().length === handlersBefore, 5000, 'the test handlers to end');
  });

  test('a container that exits before registering: a LaunchError quoting its last lines; container removed', async (t) => {
    const failing = `${TAG}-exits`;
    const failingId = `${failing}:1.0`;
    const dir = await scriptChaincode(['starting the failing chaincode', 'fatal: no ledger for you'], 3);
    dirs.push(dir);
    try {
      const err = await launchNet(engine, netDefinition(failing, dir)).then(
        () => assert.fail('the launch must fail'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof LaunchError, String(err));
      t.diagnostic(err.message);
      assert.match(err.message, new RegExp(`chaincode ${failingId} exited with code 3 before registering`));
      assert.match(err.message, /last log lines:\n[\s\S]*starting the failing chaincode\nfatal: no ledger for you$/);
      assert.doesNotMatch(err.message, /Successfully built|Step \d+\/\d+|\n\n/, 'the container’s own lines, not the image build’s, no blanks');
      assert.deepEqual(await containersOf(engine.docker.docker, [failingId]), [], 'the container is removed');
      assert.equal(engine.launcher.running().find((c) => c.ccid === failingId)?.status, 'failed');
      assert.equal(engine.docker.followedContainers, 0);
    } finally {
      await removeChaincodeArtifacts(engine.docker.docker, [failingId]);
    }
  });
});

describe('net mode startup timeout', { skip: dockerSkip() }, () => {
  const dirs: string[] = [];
  const ccid = `${TAG}-sleeper:1.0`;
  let engine: Engine;

  before(async () => {
    const images = await ensureBaseImages(['node']);
    engine = await startEngine(dirs, { baseImages: { node: images.node }, startupTimeoutMs: 5000 });
  });

  after(async () => {
    await engine?.dispose();
    if (engine) await removeChaincodeArtifacts(engine.docker.docker, [ccid]);
    await removeFolders(dirs);
  });

  test('a container that never registers: "timeout expired while starting chaincode", container stopped and removed', async (t) => {
    const dir = await scriptChaincode(['sleeping instead of registering'], null);
    dirs.push(dir);
    const states: string[] = [];
    const sub = engine.docker.onEvent((e) => {
      if (e.ccid === ccid && e.kind === 'status') states.push(e.status);
    });
    const err = await launchNet(engine, netDefinition(`${TAG}-sleeper`, dir)).then(
      () => assert.fail('the launch must time out'),
      (e: unknown) => e,
    );
    sub.dispose();
    assert.ok(err instanceof LaunchError, String(err));
    t.diagnostic(err.message);
    assert.match(err.message, new RegExp(`^timeout expired while starting chaincode ${ccid}`));
    assert.match(err.message, /last log lines:\n[\s\S]*sleeping instead of registering$/, 'the error quotes the last log lines');
    assert.doesNotMatch(err.message, /Successfully built|Step \d+\/\d+/, 'the container’s lines, not the build’s');
    const ran = states.indexOf('running');
    assert.ok(ran >= 0, `the container ran: ${states.join(', ')}`);
    assert.ok(states.slice(ran).includes('stopped') && states.at(-1) === 'removed', `stopped then removed: ${states.join(', ')}`);
    assert.deepEqual(await containersOf(engine.docker.docker, [ccid]), []);
    assert.equal(engine.docker.followedContainers, 0);
  });
});

describe('net mode with Docker unreachable', () => {
  for (const endpoint of ['unix:///nonexistent.sock', 'tcp://127.0.0.1:1']) {
    test(`${endpoint}: a clear error naming the endpoint, nothing left behind`, async () => {
      const dirs: string[] = [];
      const engine = await startEngine(dirs, { dockerEndpoint: endpoint, startupTimeoutMs: 5000 });
      try {
        const dir = await scriptChaincode(['never runs'], 0);
        dirs.push(dir);
        const ccid = `${TAG}-nodocker:1.0`;
        const err = await launchNet(engine, netDefinition(`${TAG}-nodocker`, dir)).then(
          () => assert.fail('the launch must fail'),
          (e: unknown) => e,
        );
        assert.ok(err instanceof LaunchError, String(err));
        assert.match(err.message, new RegExp(`^error starting container: Docker is not reachable at ${endpoint.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: `));
        assert.equal(
          engine.launcher.running().find((c) => c.ccid === ccid),
          undefined,
          'no table entry left',
        );
        assert.deepEqual(engine.peer.handlers(), []);
        assert.equal(engine.peer.registry.isLaunching(ccid), false, 'no launch left waiting');
        assert.equal(pendingLocks(engine), 0, 'no lock entries');
        assert.equal(engine.docker.followedContainers, 0);
      } finally {
        await engine.dispose();
        await removeFolders(dirs);
      }
    });
  }
});

goNetModeSuite(TAG);
javaNetModeSuite(TAG);
