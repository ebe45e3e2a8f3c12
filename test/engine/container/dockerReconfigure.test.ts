/**
 * The Docker VM told of a new endpoint while a container of it runs (the editor's Docker settings
 * changed): what starts next goes to the new endpoint, and stopping the running one still reaches the
 * daemon that runs it. Real Docker; the new endpoint is a closed loopback port.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { VMController } from '../../../src/engine/container/controller';
import { DockerVM } from '../../../src/engine/container/docker/dockerVM';
import { DockerUnreachableError } from '../../../src/engine/container/docker/errors';
import type { StartRequest } from '../../../src/engine/container/types';
import { nodePlatform, prepareBuild } from '../../../src/engine/platforms';
import { dockerSkip, ensureBaseImages } from '../../support/docker';
import { makeTree, removeTree } from '../platforms/helpers';
import { EventLog, NODE_PROJECT, removeEverythingOf } from './dockerHarness';

const CLOSED_ENDPOINT = 'tcp://127.0.0.1:1';

describe('DockerVM.reconfigure against a real Docker engine', { skip: dockerSkip() }, () => {
  const vm = new DockerVM({ networkId: 'ccltest', peerId: `reconf${process.pid}` });
  const original = vm.docker;
  const controller = new VMController([vm]);
  const log = new EventLog(vm);
  let dir: string;

  before(async () => {
    dir = await makeTree(NODE_PROJECT);
  });

  after(async () => {
    log.dispose();
    await removeEverythingOf(original, vm.peerLabel);
    vm.dispose();
    await removeTree(dir);
  });

  test('a running container is stopped on its own daemon after the endpoint changed; the next start goes to the new one', async () => {
    const images = await ensureBaseImages(['node']);
    const prepared = await prepareBuild(nodePlatform, dir, { baseImages: { node: images.node } });
    const ccid = 'moved:1.0';
    const request = (extra: Partial<StartRequest> = {}): StartRequest => ({
      ccid,
      args: nodePlatform.chaincodeArgs('127.0.0.1:7052'),
      env: { CORE_CHAINCODE_ID_NAME: ccid, STAY: '1' },
      builder: prepared.builder,
      imageTag: prepared.imageTag,
      dependencies: prepared.dependencies,
      ...extra,
    });
    await controller.start('docker', request());
    await log.waitFor((e) => e.kind === 'log' && e.ccid === ccid && e.line === `hello from ${ccid}`, 30_000, 'the first line');
    const name = vm.containerName(ccid);
    assert.equal((await original.getContainer(name).inspect()).State.Status, 'running');

    vm.reconfigure({ endpoint: CLOSED_ENDPOINT, networkMode: 'host' });
    assert.equal(vm.endpoint, CLOSED_ENDPOINT);
    await assert.rejects(controller.start('docker', request({ ccid: 'next:1.0' })), (e: unknown) => e instanceof DockerUnreachableError && e.endpoint === CLOSED_ENDPOINT);

    await controller.stop('docker', ccid);
    const left = await original.listContainers({ all: true, filters: { name: [name] } });
    assert.deepEqual(left, [], 'stopped and removed where it ran');
    const statuses = log.statuses(ccid);
    assert.deepEqual(statuses.slice(statuses.indexOf('running')), ['running', 'exited', 'stopped', 'removed']);
  });
});
