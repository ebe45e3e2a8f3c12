/**
 * What a container of ours is on a shared Docker host: run under an init process (a stop ends it
 * by SIGTERM, not by SIGKILL after the grace period), and owned by one engine instance (two
 * engines with the same network and peer ids never see or remove each other's containers).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DockerVM } from '../../../src/engine/container/docker/dockerVM';
import type { StartRequest } from '../../../src/engine/container/types';
import { nodePlatform, prepareBuild } from '../../../src/engine/platforms';
import { dockerSkip, ensureBaseImages, type TestBaseImages } from '../../support/docker';
import { makeTree, removeTree } from '../platforms/helpers';
import { EventLog, NODE_PROJECT, removeEverythingOf } from './dockerHarness';

/** 128 + the signal number: how Docker reports a process killed by a signal. */
const KILLED_BY_SIGTERM = 128 + 15;
const KILLED_BY_SIGKILL = 128 + 9;

describe('containers on a shared Docker host', { skip: dockerSkip() }, () => {
  const naming = { networkId: 'ccltest', peerId: `iso${process.pid}` };
  // Two engines alike in every setting but their data directories' instance ids.
  const first = new DockerVM({ ...naming, instanceId: '0000aaaa' });
  const second = new DockerVM({ ...naming, instanceId: '0000bbbb' });
  const vms = [first, second];
  let images: TestBaseImages;
  let dir: string;

  const request = async (ccid: string): Promise<StartRequest> => {
    const prepared = await prepareBuild(nodePlatform, dir, { baseImages: { node: images.node } });
    return {
      ccid,
      // As the Node platform starts chaincode: `sh -c "cd … && npm start -- …"`, npm's child runs node.
      args: nodePlatform.chaincodeArgs('127.0.0.1:7052'),
      env: { CORE_CHAINCODE_ID_NAME: ccid, STAY: '1' },
      builder: prepared.builder,
      imageTag: prepared.imageTag,
      ...(prepared.dependencies ? { dependencies: prepared.dependencies } : {}),
    };
  };

  const running = async (vm: DockerVM, ccid: string): Promise<void> => {
    const log = new EventLog(vm);
    try {
      await vm.start(await request(ccid));
      // Up: the chaincode's first line shows node is running under npm.
      await log.waitFor((e) => e.kind === 'log' && e.ccid === ccid && e.line === `hello from ${ccid}`, 60_000, `${ccid} running`);
    } finally {
      log.dispose();
    }
  };

  before(async () => {
    images = await ensureBaseImages(['node']);
    dir = await makeTree(NODE_PROJECT);
    for (const vm of vms) await removeEverythingOf(vm.docker, vm.peerLabel);
  });

  after(async () => {
    for (const vm of vms) {
      await removeEverythingOf(vm.docker, vm.peerLabel);
      vm.dispose();
    }
    await removeTree(dir);
  });

  test('the instance id is part of the peer label and of container and image names', () => {
    assert.equal(first.peerLabel, `ccltest-iso${process.pid}-0000aaaa`);
    assert.equal(first.containerName('cc:1.0'), `ccltest-iso${process.pid}-0000aaaa-cc-1.0`);
    assert.notEqual(first.imageName('cc:1.0'), second.imageName('cc:1.0'));
    // Without one, Fabric's names (GetVMName): `<networkId>-<peerId>-<ccid>`.
    assert.equal(new DockerVM(naming).containerName('cc:1.0'), `ccltest-iso${process.pid}-cc-1.0`);
  });

  test('a stop ends npm start and its node by SIGTERM, through the init process, within the grace period', async () => {
    const ccid = 'graceful:1.0';
    await running(first, ccid);
    const name = first.containerName(ccid);
    assert.equal((await first.docker.getContainer(name).inspect()).HostConfig.Init, true);
    // A long grace period: had SIGTERM been dropped, Docker would SIGKILL after it (exit 137).
    await first.stop(ccid, { timeoutSeconds: 120, remove: false });
    const state = (await first.docker.getContainer(name).inspect()).State;
    assert.equal(state.Running, false);
    assert.equal(state.ExitCode, KILLED_BY_SIGTERM, `exit code ${state.ExitCode}: not ended by SIGTERM`);
    await first.stop(ccid);
  });

  test('without the init process the same container ignores SIGTERM and is SIGKILLed (what Init fixes)', async () => {
    const ccid = 'stubborn:1.0';
    const bare = new DockerVM({ ...naming, instanceId: '0000aaaa', hostConfig: { Init: false } });
    try {
      await running(bare, ccid);
      await bare.stop(ccid, { timeoutSeconds: 1, remove: false });
      const state = (await bare.docker.getContainer(bare.containerName(ccid)).inspect()).State;
      assert.equal(state.ExitCode, KILLED_BY_SIGKILL, `exit code ${state.ExitCode}`);
      await bare.stop(ccid);
    } finally {
      bare.dispose();
    }
  });

  test('two engines run the same chaincode side by side; each lists and stops only its own', async () => {
    const ccid = 'shared:1.0';
    await running(first, ccid);
    // The second engine's start removes "any old container of the name" (Fabric's start): not the first's.
    await running(second, ccid);
    const state = async (vm: DockerVM): Promise<string> => (await vm.docker.getContainer(vm.containerName(ccid)).inspect()).State.Status;
    assert.equal(await state(first), 'running', "the first engine's container survived the second's start");
    assert.equal(await state(second), 'running');

    const listed = async (vm: DockerVM): Promise<string[]> => (await vm.listContainers()).map((c) => `${c.peer} ${c.name}`);
    assert.deepEqual(await listed(first), [`${first.peerLabel} ${first.containerName(ccid)}`]);
    assert.deepEqual(await listed(second), [`${second.peerLabel} ${second.containerName(ccid)}`]);

    await first.stop(ccid);
    assert.deepEqual(await listed(first), []);
    assert.equal(await state(second), 'running', "stopping the first engine's chaincode left the second's running");
    await second.stop(ccid);
    assert.deepEqual(await listed(second), []);
  });

  test('an engine restarted with the same instance id recognises its leftovers and replaces them', async () => {
    const ccid = 'leftover:1.0';
    await running(first, ccid);
    const before = (await first.docker.getContainer(first.containerName(ccid)).inspect()).Id;
    // As after a crash: the engine goes, its container stays.
    const restarted = new DockerVM({ ...naming, instanceId: '0000aaaa' });
    try {
      assert.deepEqual(
        (await restarted.listContainers()).map((c) => c.id),
        [before],
      );
      assert.deepEqual(await second.listContainers(), [], 'another engine does not see it');
      await running(restarted, ccid);
      const now = await restarted.listContainers();
      assert.equal(now.length, 1);
      assert.notEqual(now[0].id, before, 'the leftover was replaced');
      await restarted.stop(ccid);
    } finally {
      restarted.dispose();
    }
  });
});
