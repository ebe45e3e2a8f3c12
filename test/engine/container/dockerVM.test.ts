import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { VMController } from '../../../src/engine/container/controller';
import { DockerVM } from '../../../src/engine/container/docker/dockerVM';
import { ImageBuildError, ImageMissingError } from '../../../src/engine/container/docker/errors';
import { LABEL_CCID, LABEL_DEPENDENCIES, LABEL_IMAGE_KIND, LABEL_MANAGED, LABEL_PEER } from '../../../src/engine/container/docker/labels';
import type { StartRequest } from '../../../src/engine/container/types';
import { nodePlatform, prepareBuild, type PreparedBuild } from '../../../src/engine/platforms';
import { dockerSkip, ensureBaseImages, type TestBaseImages } from '../../support/docker';
import { makeTree, removeTree } from '../platforms/helpers';
import { countingBuilder, EventLog, imageExists, imagesOf, NODE_PROJECT, recordingBuilder, removeEverythingOf } from './dockerHarness';
import { pack } from 'tar-stream';
import { Readable } from 'node:stream';

const PEER_ADDRESS = '127.0.0.1:7052';

describe('DockerVM against a real Docker engine', { skip: dockerSkip() }, () => {
  // A peer id of our own: parallel test files and earlier runs never collide.
  const vm = new DockerVM({ networkId: 'ccltest', peerId: `vm${process.pid}` });
  const controller = new VMController([vm]);
  const log = new EventLog(vm);
  let images: TestBaseImages;
  let dir: string;

  const prepare = (): Promise<PreparedBuild> => prepareBuild(nodePlatform, dir, { baseImages: { node: images.node } });
  const request = (ccid: string, prepared: PreparedBuild | undefined, extra: Partial<StartRequest> = {}): StartRequest => ({
    ccid,
    args: nodePlatform.chaincodeArgs(PEER_ADDRESS),
    env: { CORE_CHAINCODE_ID_NAME: ccid },
    ...(prepared ? { builder: prepared.builder, imageTag: prepared.imageTag, dependencies: prepared.dependencies } : {}),
    ...extra,
  });

  before(async () => {
    const started = Date.now();
    images = await ensureBaseImages(['node']);
    console.log(`# base image ready in ${Date.now() - started} ms: ${images.node}`);
    dir = await makeTree(NODE_PROJECT);
    await removeEverythingOf(vm.docker, vm.peerLabel);
  });

  after(async () => {
    log.dispose();
    await removeEverythingOf(vm.docker, vm.peerLabel);
    vm.dispose();
    await removeTree(dir);
  });

  test('first start builds the image, streams stdout and stderr line by line, reports the exit', async () => {
    const ccid = 'logs:1.0';
    const prepared = await prepare();
    const builder = countingBuilder(prepared.builder);
    const started = Date.now();
    await controller.start('docker', { ...request(ccid, prepared), builder });
    const exited = await log.exited(ccid);
    console.log(`# cold build + start + run: ${Date.now() - started} ms`);
    assert.equal(builder.calls, 1);
    assert.equal(exited.kind === 'status' && exited.exitCode, 0);
    assert.ok(log.logs(ccid, 'stdout').includes('hello from logs:1.0'), log.logs(ccid).join('\n'));
    assert.ok(log.logs(ccid, 'stdout').includes(`args: --peer.address ${PEER_ADDRESS}`));
    assert.deepEqual(log.logs(ccid, 'stderr'), ['a line on stderr']);
    assert.ok(
      log.logs(ccid).some((l) => l.startsWith('Step 1/')),
      'build output arrives as log lines',
    );
    const statuses = log.statuses(ccid);
    const order = ['building', 'created', 'running', 'exited'].map((s) => statuses.indexOf(s));
    assert.ok(
      order.every((i, k) => i >= 0 && (k === 0 || i > order[k - 1])),
      `status order: ${statuses.join(' ')}`,
    );
    const steps = log.events.flatMap((e) => (e.kind === 'progress' && e.ccid === ccid ? [e.step] : []));
    assert.ok(
      steps.some((step) => /^building dependencies image: step 1\/\d+: FROM /.test(step)),
      steps.join('\n'),
    );
    assert.ok(
      steps.some((step) => /^building image: step 2\/\d+: FROM \$\{DEPENDENCIES_IMAGE\}$/.test(step)),
      steps.join('\n'),
    );
    assert.ok(steps.indexOf('building dependencies image') < steps.indexOf('building image'), 'the dependencies image first');

    const info = await vm.docker.getImage(vm.imageRef(ccid, prepared.imageTag)).inspect();
    assert.equal(info.Config.Labels?.[LABEL_MANAGED], 'true');
    assert.equal(info.Config.Labels?.[LABEL_CCID], ccid);
    assert.equal(info.Config.Labels?.[LABEL_PEER], vm.peerLabel);
    assert.equal(info.Config.Labels?.[LABEL_IMAGE_KIND], 'chaincode');
    assert.equal(info.Config.Labels?.['org.hyperledger.fabric.chaincode.type'], 'NODE');
    assert.ok(info.RepoTags.includes(`${vm.imageName(ccid)}:${prepared.imageTag}`), 'tagged with the content hash');
    // node_modules went into a dependencies image of its own, which the image starts FROM.
    const depsRef = `${vm.imageName(ccid)}-deps:${prepared.dependencies?.imageTag}`;
    assert.equal(info.Config.Labels?.[LABEL_DEPENDENCIES], depsRef);
    const deps = await vm.docker.getImage(depsRef).inspect();
    assert.equal(deps.Config.Labels?.[LABEL_IMAGE_KIND], 'dependencies');
    assert.equal(deps.Config.Labels?.[LABEL_CCID], ccid);
    assert.equal(deps.Config.Labels?.[LABEL_PEER], vm.peerLabel);
    // Every label in one LABEL step per image (Docker's build API would add one step per label).
    assert.equal(log.logs(ccid).filter((l) => /^Step \d+\/\d+ : LABEL /.test(l)).length, 2, log.logs(ccid).join('\n'));
    const container = await vm.docker.getContainer(vm.containerName(ccid)).inspect();
    assert.equal(container.HostConfig.NetworkMode, 'host');
    assert.equal(container.Config.Labels[LABEL_CCID], ccid);
  });

  test('relaunch with unchanged code reuses the image: the builder is not called', async () => {
    const ccid = 'logs:1.0';
    log.clear();
    const started = Date.now();
    const prepared = await prepare();
    const builder = countingBuilder(prepared.builder);
    await controller.start('docker', { ...request(ccid, prepared), builder });
    await log.exited(ccid);
    console.log(`# warm relaunch (hash + start + run): ${Date.now() - started} ms`);
    assert.equal(builder.calls, 0);
    assert.ok(!log.statuses(ccid).includes('building'));
    assert.ok(log.logs(ccid, 'stdout').includes('hello from logs:1.0'));
  });

  test('two chaincodes built from the same code share no layer above the base image', async () => {
    // Removing one chaincode's old images removes their untagged parents too: a cached layer the
    // two shared (FROM base + WORKDIR) could vanish while the other's build stood on it.
    const twins = ['twin-a:1.0', 'twin-b:1.0'];
    const prepared = await prepare();
    for (const ccid of twins) {
      await controller.start('docker', request(ccid, prepared));
      await log.exited(ccid);
    }
    const base = new Set((await vm.docker.getImage(images.node).history()).map((h: { Id: string }) => h.Id));
    const layers = async (ccid: string): Promise<Set<string>> => {
      const refs = [vm.imageRef(ccid, prepared.imageTag), `${vm.imageName(ccid)}-deps:${prepared.dependencies!.imageTag}`];
      const ids = (await Promise.all(refs.map((ref) => vm.docker.getImage(ref).history()))).flat().map((h: { Id: string }) => h.Id);
      return new Set(ids.filter((id) => id !== '<missing>' && !base.has(id)));
    };
    const [a, b] = await Promise.all(twins.map(layers));
    assert.ok(a.size >= 4 && b.size >= 4, `each chaincode has its own layers (${a.size}, ${b.size})`);
    assert.deepEqual(
      [...a].filter((id) => b.has(id)),
      [],
      'no layer shared between the two chaincodes',
    );
    for (const ccid of twins) await vm.stop(ccid, { remove: true });
  });

  test('a code change builds only a new image, from a context without node_modules, and removes the old one', async () => {
    const ccid = 'logs:1.0';
    const old = await prepare();
    assert.ok(await imageExists(vm.docker, vm.imageRef(ccid, old.imageTag)));
    await writeFile(path.join(dir, 'index.js'), `${NODE_PROJECT['index.js']}\nconsole.log('version two');\n`);
    const changed = await prepare();
    assert.notEqual(changed.imageTag, old.imageTag);
    assert.equal(changed.dependencies?.imageTag, old.dependencies?.imageTag);
    log.clear();
    const builder = recordingBuilder(changed.builder);
    const dependencies = { imageTag: changed.dependencies!.imageTag, builder: countingBuilder(changed.dependencies!.builder) };
    await controller.start('docker', { ...request(ccid, changed), builder, dependencies });
    await log.exited(ccid);
    assert.equal(builder.contexts.length, 1);
    assert.deepEqual(builder.contexts[0], ['Dockerfile', 'src/index.js', 'src/package.json'], 'the code alone is sent');
    assert.equal(dependencies.builder.calls, 0, 'the dependencies image is reused');
    assert.ok(log.logs(ccid, 'stdout').includes('version two'));
    assert.ok(log.logs(ccid, 'stdout').includes('hello from logs:1.0'), 'node_modules comes from the dependencies image');
    assert.deepEqual(
      await imagesOf(vm.docker, ccid),
      {
        chaincode: [vm.imageRef(ccid, changed.imageTag)],
        dependencies: [`${vm.imageName(ccid)}-deps:${changed.dependencies!.imageTag}`],
      },
      'the old image is gone; the dependencies image it shared with the new one stays',
    );
    await writeFile(path.join(dir, 'index.js'), NODE_PROJECT['index.js']);
  });

  test('a dependency change builds a new dependencies image and an image on it; the old ones go', async () => {
    const ccid = 'logs:1.0';
    const old = await prepare();
    await writeFile(path.join(dir, 'node_modules/greeting/index.js'), "module.exports = 'hi';");
    try {
      const changed = await prepare();
      assert.notEqual(changed.dependencies?.imageTag, old.dependencies?.imageTag);
      log.clear();
      const dependencies = { imageTag: changed.dependencies!.imageTag, builder: recordingBuilder(changed.dependencies!.builder) };
      await controller.start('docker', { ...request(ccid, changed), dependencies });
      await log.exited(ccid);
      assert.equal(dependencies.builder.contexts.length, 1);
      assert.deepEqual(dependencies.builder.contexts[0], [
        'Dockerfile',
        'node_modules.tar',
        'node_modules.tar/node_modules/',
        'node_modules.tar/node_modules/greeting/',
        'node_modules.tar/node_modules/greeting/index.js',
        'node_modules.tar/node_modules/greeting/package.json',
      ]);
      assert.ok(log.logs(ccid, 'stdout').includes('hi from logs:1.0'), log.logs(ccid).join('\n'));
      assert.deepEqual(await imagesOf(vm.docker, ccid), {
        chaincode: [vm.imageRef(ccid, changed.imageTag)],
        dependencies: [`${vm.imageName(ccid)}-deps:${changed.dependencies!.imageTag}`],
      });
    } finally {
      await writeFile(path.join(dir, 'node_modules/greeting/index.js'), NODE_PROJECT['node_modules/greeting/index.js']);
    }
  });

  test('an older image still used by a container stays, and so does the dependencies image it starts FROM', async () => {
    const ccid = 'inuse:1.0';
    const depsRef = (p: PreparedBuild): string => `${vm.imageName(ccid)}-deps:${p.dependencies!.imageTag}`;
    const first = await prepare();
    await controller.start('docker', request(ccid, first));
    await log.exited(ccid);
    // Someone else's container on the first image (ours is replaced at each start).
    const user = await vm.docker.createContainer({ Image: vm.imageRef(ccid, first.imageTag), Cmd: ['true'] });
    await writeFile(path.join(dir, 'node_modules/greeting/extra.js'), '');
    try {
      const second = await prepare();
      await controller.start('docker', request(ccid, second));
      await log.exited(ccid);
      assert.deepEqual(await imagesOf(vm.docker, ccid), {
        chaincode: [vm.imageRef(ccid, first.imageTag), vm.imageRef(ccid, second.imageTag)].sort(),
        dependencies: [depsRef(first), depsRef(second)].sort(),
      });
      await user.remove();
      // Once nothing uses it, the next build's cleanup takes it and its dependencies image.
      await writeFile(path.join(dir, 'index.js'), `${NODE_PROJECT['index.js']}\n// third\n`);
      const third = await prepare();
      await controller.start('docker', request(ccid, third));
      await log.exited(ccid);
      assert.deepEqual(await imagesOf(vm.docker, ccid), { chaincode: [vm.imageRef(ccid, third.imageTag)], dependencies: [depsRef(second)] });
    } finally {
      await user.remove().catch(() => undefined);
      const { unlink } = await import('node:fs/promises');
      await unlink(path.join(dir, 'node_modules/greeting/extra.js'));
      await writeFile(path.join(dir, 'index.js'), NODE_PROJECT['index.js']);
    }
  });

  test('an image whose dependencies image was removed by hand is rebuilt on a new one', async () => {
    const ccid = 'orphan:1.0';
    const prepared = await prepare();
    await controller.start('docker', request(ccid, prepared));
    await log.exited(ccid);
    await controller.stop('docker', ccid);
    // `docker rmi` of the chaincode image; the dependencies image stays and is reused.
    await vm.docker.getImage(vm.imageRef(ccid, prepared.imageTag)).remove();
    const dependencies = { imageTag: prepared.dependencies!.imageTag, builder: countingBuilder(prepared.dependencies!.builder) };
    log.clear();
    await controller.start('docker', { ...request(ccid, prepared), dependencies });
    await log.exited(ccid);
    assert.equal(dependencies.builder.calls, 0);
    assert.ok(log.logs(ccid, 'stdout').includes('hello from orphan:1.0'));
    // And the other way round: the dependencies image gone, the image is still there and runs.
    await controller.stop('docker', ccid);
    await vm.docker.getImage(`${vm.imageName(ccid)}-deps:${prepared.dependencies!.imageTag}`).remove();
    log.clear();
    await controller.start('docker', { ...request(ccid, prepared), dependencies });
    await log.exited(ccid);
    assert.equal(dependencies.builder.calls, 0, 'the image exists: nothing is built');
    assert.ok(log.logs(ccid, 'stdout').includes('hello from orphan:1.0'));
  });

  test('stop removes the container; the exit is reported before stopped and removed', async () => {
    const ccid = 'stay:1.0';
    log.clear();
    await controller.start('docker', request(ccid, await prepare(), { env: { CORE_CHAINCODE_ID_NAME: ccid, STAY: '1' } }));
    await log.waitFor((e) => e.kind === 'log' && e.ccid === ccid && e.line === 'hello from stay:1.0', 20_000, 'first line');
    assert.equal((await vm.docker.getContainer(vm.containerName(ccid)).inspect()).State.Status, 'running');
    await controller.stop('docker', ccid);
    const statuses = log.statuses(ccid);
    assert.deepEqual(statuses.slice(statuses.indexOf('running')), ['running', 'exited', 'stopped', 'removed']);
    const left = await vm.docker.listContainers({ all: true, filters: { name: [vm.containerName(ccid)] } });
    assert.deepEqual(left, []);
    assert.equal(vm.followedContainers, 0);
    await controller.stop('docker', ccid); // stopping again is harmless
  });

  test('an old container of the same name (running, not ours) is replaced', async () => {
    const ccid = 'replace:1.0';
    const squatter = await vm.docker.createContainer({ name: vm.containerName(ccid), Image: images.node, Cmd: ['sleep', '600'] });
    await squatter.start();
    log.clear();
    await controller.start('docker', request(ccid, await prepare()));
    await log.exited(ccid);
    await assert.rejects(squatter.inspect(), (err: { statusCode?: number }) => err.statusCode === 404);
    const now = await vm.docker.getContainer(vm.containerName(ccid)).inspect();
    assert.notEqual(now.Id, squatter.id);
    assert.equal(now.Config.Labels[LABEL_CCID], ccid);
  });

  test('files are uploaded before start', async () => {
    const ccid = 'files:1.0';
    log.clear();
    const pem = '-----BEGIN CERTIFICATE-----\nroot\n-----END CERTIFICATE-----';
    await controller.start(
      'docker',
      request(ccid, await prepare(), {
        env: { CORE_CHAINCODE_ID_NAME: ccid, SHOW_FILE: '/etc/hyperledger/fabric/peer.crt' },
        files: [{ path: '/etc/hyperledger/fabric/peer.crt', content: Buffer.from(pem) }],
      }),
    );
    await log.exited(ccid);
    const lines = log.logs(ccid, 'stdout');
    assert.ok(lines.includes('file: -----BEGIN CERTIFICATE-----'), lines.join('\n'));
    assert.ok(lines.includes('-----END CERTIFICATE-----'));
  });

  test('a non-zero exit code is reported', async () => {
    const ccid = 'fails:1.0';
    log.clear();
    await controller.start('docker', request(ccid, await prepare(), { env: { CORE_CHAINCODE_ID_NAME: ccid, EXIT_CODE: '3' } }));
    const exited = await log.exited(ccid);
    assert.equal(exited.kind === 'status' && exited.exitCode, 3);
  });

  test('a start cancelled once the container exists leaves no container behind', async () => {
    const ccid = 'cancelled:1.0';
    const prepared = await prepare();
    const abort = new AbortController();
    const sub = vm.onEvent((e) => {
      if (e.ccid === ccid && e.kind === 'status' && e.status === 'created') abort.abort(new Error('cancelled once created'));
    });
    await assert.rejects(controller.start('docker', request(ccid, prepared, { signal: abort.signal })), /cancelled once created/);
    sub.dispose();
    assert.deepEqual(await vm.docker.listContainers({ all: true, filters: { name: [vm.containerName(ccid)] } }), []);
    assert.equal(vm.followedContainers, 0);
  });

  test('a missing image without a builder is a clear error', async () => {
    const ccid = 'nobuilder:1.0';
    await assert.rejects(controller.start('docker', request(ccid, undefined)), ImageMissingError);
    assert.deepEqual(await vm.docker.listContainers({ all: true, filters: { name: [vm.containerName(ccid)] } }), []);
  });

  test('a failing build reports its last output lines and leaves no container', async () => {
    const ccid = 'badbuild:1.0';
    const tar = pack();
    tar.entry({ name: 'Dockerfile' }, `FROM ${images.node}\nRUN echo about to fail && exit 3\n`);
    tar.finalize();
    const builder = async () => ({ recipeHash: 'f'.repeat(64), stream: Readable.from(tar) });
    const failure = await controller.start('docker', request(ccid, undefined, { builder, imageTag: 'f'.repeat(64) })).then(
      () => assert.fail('the build should fail'),
      (err: unknown) => err,
    );
    assert.ok(failure instanceof ImageBuildError, String(failure));
    assert.match(failure.message, /returned a non-zero code: 3/);
    assert.ok(failure.lastLines.includes('about to fail'), failure.lastLines.join('\n'));
    assert.deepEqual(await vm.docker.listContainers({ all: true, filters: { name: [vm.containerName(ccid)] } }), []);
  });

  test('cancelled during the build: the controller waits, rejects with the reason, nothing is left', async () => {
    const ccid = 'cancelled:1.0';
    await writeFile(path.join(dir, 'cancel.txt'), 'a distinct tag, so the image must be built');
    const prepared = await prepare();
    const abort = new AbortController();
    const builder = async () => {
      const context = await prepared.builder();
      abort.abort(new Error('user pressed stop'));
      return context;
    };
    await assert.rejects(controller.start('docker', request(ccid, prepared, { builder, signal: abort.signal })), /user pressed stop/);
    assert.equal(await imageExists(vm.docker, vm.imageRef(ccid, prepared.imageTag)), false);
    assert.deepEqual(await vm.docker.listContainers({ all: true, filters: { name: [vm.containerName(ccid)] } }), []);
    assert.equal(controller.pendingContainers, 0);
    assert.equal(vm.followedContainers, 0);
    const { unlink } = await import('node:fs/promises');
    await unlink(path.join(dir, 'cancel.txt'));
  });

  test('cancelled while Docker is building: the build is abandoned and no image is tagged', async () => {
    const ccid = 'slowbuild:1.0';
    const tag = 'e'.repeat(64);
    const tar = pack();
    tar.entry({ name: 'Dockerfile' }, `FROM ${images.node}\nRUN echo building slowly && sleep 5\n`);
    tar.finalize();
    const abort = new AbortController();
    log.clear();
    const pending = controller.start(
      'docker',
      request(ccid, undefined, {
        builder: async () => ({ recipeHash: tag, stream: Readable.from(tar) }),
        imageTag: tag,
        signal: abort.signal,
      }),
    );
    await log.waitFor((e) => e.kind === 'log' && e.ccid === ccid && e.line === 'building slowly', 20_000, 'the RUN step');
    const aborted = Date.now();
    abort.abort(new Error('user pressed stop'));
    await assert.rejects(pending, /user pressed stop/);
    assert.ok(Date.now() - aborted < 4000, 'the build was abandoned, not waited out');
    await new Promise((r) => setTimeout(r, 6000)); // long enough for an unabandoned build to finish
    assert.equal(await imageExists(vm.docker, vm.imageRef(ccid, tag)), false);
    assert.deepEqual(await vm.docker.listContainers({ all: true, filters: { name: [vm.containerName(ccid)] } }), []);
  });

  test("Docker's event stream, filtered to our labelled containers", async () => {
    const ccid = 'events:1.0';
    const seen: { action: string; ccid: string | undefined }[] = [];
    const subscription = await vm.watchEvents((e) => {
      if (e.type === 'container') seen.push({ action: e.action, ccid: e.attributes[LABEL_CCID] });
    });
    const stranger = await vm.docker.createContainer({ Image: images.node, Cmd: ['true'], Labels: {} });
    await stranger.start();
    await stranger.wait();
    await stranger.remove();
    log.clear();
    await controller.start('docker', request(ccid, await prepare()));
    await log.exited(ccid);
    await controller.stop('docker', ccid);
    // Events trail the API calls slightly: wait for the last one.
    for (let waited = 0; waited < 10_000 && !seen.some((e) => e.ccid === ccid && e.action === 'destroy'); waited += 50) {
      await new Promise((r) => setTimeout(r, 50));
    }
    subscription.dispose();
    const actions = seen.filter((e) => e.ccid === ccid).map((e) => e.action);
    for (const action of ['create', 'start', 'die', 'destroy']) assert.ok(actions.includes(action), `${action} in ${actions.join(',')}`);
    assert.ok(
      seen.every((e) => e.ccid !== undefined),
      'unlabelled containers are filtered out',
    );
  });

  test('the editor can list our containers by label', async () => {
    const ccid = 'listed:1.0';
    await controller.start('docker', request(ccid, await prepare(), { env: { CORE_CHAINCODE_ID_NAME: ccid, STAY: '1' } }));
    const listed = await vm.listContainers();
    const mine = listed.find((c) => c.ccid === ccid);
    assert.equal(mine?.name, vm.containerName(ccid));
    assert.equal(mine?.peer, vm.peerLabel);
    assert.equal(mine?.state, 'running');
    await controller.stop('docker', ccid);
    assert.equal(
      (await vm.listContainers()).find((c) => c.ccid === ccid),
      undefined,
    );
  });
});
