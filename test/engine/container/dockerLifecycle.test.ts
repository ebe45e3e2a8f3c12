import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { after, before, describe, test } from 'node:test';
import { VMController } from '../../../src/engine/container/controller';
import { DockerVM } from '../../../src/engine/container/docker/dockerVM';
import { DockerUnreachableError } from '../../../src/engine/container/docker/errors';
import type { StartRequest } from '../../../src/engine/container/types';
import { nodePlatform, prepareBuild, type PreparedBuild } from '../../../src/engine/platforms';
import { dockerSkip, ensureBaseImages } from '../../support/docker';
import { makeTree, removeTree } from '../platforms/helpers';
import { countingBuilder, EventLog, NODE_PROJECT, removeEverythingOf } from './dockerHarness';

const CYCLES = 50;

describe('Docker unreachable', () => {
  for (const endpoint of ['unix:///tmp/ccl-no-such-docker.sock', 'tcp://127.0.0.1:1']) {
    test(`${endpoint}: a clear typed error, nothing built, nothing started, nothing left behind`, async () => {
      const vm = new DockerVM({ endpoint, peerId: `gone${process.pid}` });
      const controller = new VMController([vm]);
      const builder = countingBuilder(async () => assert.fail('the builder must not run'));
      const abort = new AbortController();
      const req: StartRequest = {
        ccid: 'unreachable:1.0',
        args: ['true'],
        env: {},
        builder,
        imageTag: 'a'.repeat(64),
        signal: abort.signal,
      };
      const err = await controller.start('docker', req).then(
        () => assert.fail('start should fail'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof DockerUnreachableError, String(err));
      assert.ok(err.message.startsWith(`Docker is not reachable at ${endpoint}: `), err.message);
      assert.equal(err.endpoint, endpoint);
      assert.equal(builder.calls, 0);
      assert.equal(controller.pendingContainers, 0, 'no lock entry left');
      assert.equal(vm.followedContainers, 0, 'nothing followed');
      assert.equal(getEventListeners(abort.signal, 'abort').length, 0, 'no listener left on the signal');
      await assert.rejects(controller.stop('docker', 'unreachable:1.0'), DockerUnreachableError);
      await assert.rejects(vm.listContainers(), DockerUnreachableError);
      vm.dispose();
    });
  }
});

describe(`${CYCLES} start/stop cycles against a real Docker engine`, { skip: dockerSkip() }, () => {
  const vm = new DockerVM({ networkId: 'ccltest', peerId: `cycle${process.pid}` });
  const controller = new VMController([vm]);
  let dir: string;
  let prepared: PreparedBuild;

  before(async () => {
    const images = await ensureBaseImages(['node']);
    dir = await makeTree(NODE_PROJECT);
    prepared = await prepareBuild(nodePlatform, dir, { baseImages: { node: images.node } });
    await removeEverythingOf(vm.docker, vm.peerLabel);
  });

  after(async () => {
    await removeEverythingOf(vm.docker, vm.peerLabel);
    vm.dispose();
    await removeTree(dir);
  });

  test('leave no containers (Docker’s own list), no followed containers, no listeners, no lock entries', async (t) => {
    const ccid = 'cycle:1.0';
    const listenersBefore = vm.listenerCount;
    const log = new EventLog(vm);
    const abort = new AbortController();
    const builder = countingBuilder(prepared.builder);
    const started = Date.now();
    for (let i = 0; i < CYCLES; i++) {
      await controller.start('docker', {
        ccid,
        args: nodePlatform.chaincodeArgs('127.0.0.1:7052'),
        env: { CORE_CHAINCODE_ID_NAME: ccid, STAY: '1' },
        builder,
        imageTag: prepared.imageTag,
        dependencies: prepared.dependencies,
        signal: abort.signal,
      });
      await controller.stop('docker', ccid, { timeoutSeconds: 0 }, abort.signal);
    }
    t.diagnostic(`${CYCLES} cycles in ${Date.now() - started} ms`);
    assert.equal(builder.calls, 1, 'built once, reused 49 times');
    const statuses = log.statuses(ccid);
    assert.equal(statuses.filter((s) => s === 'running').length, CYCLES);
    assert.equal(statuses.filter((s) => s === 'removed').length, CYCLES);
    log.dispose();

    const byName = await vm.docker.listContainers({ all: true, filters: { name: [vm.containerName(ccid)] } });
    const byLabel = await vm.listContainers();
    assert.deepEqual(byName, []);
    assert.deepEqual(byLabel, []);
    assert.equal(vm.followedContainers, 0);
    assert.equal(controller.pendingContainers, 0);
    assert.equal(vm.listenerCount, listenersBefore);
    assert.equal(getEventListeners(abort.signal, 'abort').length, 0);
  });

  test('concurrent start and stop of one id through the controller end in a consistent state', async () => {
    const ccid = 'race:1.0';
    const start = (): Promise<void> =>
      controller.start('docker', {
        ccid,
        args: ['sleep', '600'],
        env: {},
        builder: prepared.builder,
        imageTag: prepared.imageTag,
        dependencies: prepared.dependencies,
      });
    await Promise.all([start(), controller.stop('docker', ccid), start(), start(), controller.stop('docker', ccid), start()]);
    const left = await vm.listContainers();
    assert.equal(left.length, 1, 'the last start wins: exactly one container');
    assert.equal(left[0]?.state, 'running');
    assert.equal(vm.followedContainers, 1);
    await controller.stop('docker', ccid);
    assert.deepEqual(await vm.listContainers(), []);
    assert.equal(vm.followedContainers, 0);
    assert.equal(controller.pendingContainers, 0);
  });
});
