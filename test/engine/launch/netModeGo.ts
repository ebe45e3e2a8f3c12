/**
 * Go chaincode in net mode: the v2 fixture (real fabric-chaincode-go/v2 shim) vendored from the
 * local module cache, compiled in the builder stage of the local Go image, run in the baseos image,
 * registering over mutual TLS. Opt-in: compiling the shim and gRPC inside the image takes minutes
 * on a small machine, far beyond the suite's budget.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import type { Engine } from '../../../src/engine/engine';
import { dockerSkip, ensureBaseImages } from '../../support/docker';
import { containersOf, launchNet, removeChaincodeArtifacts, removeFolders, startEngine } from '../../support/netChaincode';
import { findOnPath, repoRoot } from '../../support/toolchains';

const run = promisify(execFile);
const OPT_IN = 'CCL_NET_GO';

function goSkip(): string | false {
  const docker = dockerSkip();
  if (docker) return docker;
  if (!findOnPath('go')) return 'no Go toolchain on PATH: cannot vendor the Go fixture';
  if (process.env[OPT_IN] !== '1') {
    return `set ${OPT_IN}=1 to run: compiling fabric-chaincode-go and gRPC inside the image takes minutes on a small machine (cold, image build included)`;
  }
  return false;
}

/** A copy of test/fixtures/go/v2 with vendor/ filled from the local module cache (no network). */
async function vendoredGoFixture(): Promise<string> {
  const source = path.join(repoRoot(), 'test', 'fixtures', 'go', 'v2');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ccl-netmode-go-'));
  for (const file of await readdir(source)) {
    if (file === 'go.mod' || file === 'go.sum' || file.endsWith('.go')) await copyFile(path.join(source, file), path.join(dir, file));
  }
  await run('go', ['mod', 'vendor'], { cwd: dir, env: { ...process.env, GOFLAGS: '-mod=mod', GOPROXY: 'off', GOTOOLCHAIN: 'local' }, maxBuffer: 1 << 24 });
  return dir;
}

export function goNetModeSuite(tag: string): void {
  describe('net mode: a Go chaincode', { skip: goSkip() }, () => {
    const dirs: string[] = [];
    const name = `${tag}-gocc`;
    const ccid = `${name}:1.0`;
    let engine: Engine | undefined;

    before(async () => {
      const images = await ensureBaseImages(['golang']);
      assert.ok(images.golang && images.baseos, 'the Go test images exist');
      // Each org's peer builds its own image (as Fabric's peers do): two Go builds at once on a small machine.
      engine = await startEngine(dirs, { baseImages: { node: images.node, golang: images.golang, golangRuntime: images.baseos }, startupTimeoutMs: 300_000 });
    });

    after(async () => {
      await engine?.dispose();
      if (engine) await removeChaincodeArtifacts(engine.docker.docker, [ccid]);
      await removeFolders(dirs);
    });

    test('the v2 fixture builds, registers over mutual TLS and runs a transaction', { timeout: 15 * 60_000 }, async (t) => {
      assert.ok(engine);
      const dir = await vendoredGoFixture();
      dirs.push(dir);
      const started = Date.now();
      const { running } = await launchNet(engine, { name, version: '1.0', mode: 'net', language: 'golang', path: dir });
      t.diagnostic(`Go net-mode cold launch → READY in ${Date.now() - started} ms`);
      assert.equal(running.status, 'ready');
      assert.ok(engine.peer.registry.get(ccid)?.stream.clientCertFingerprint, 'registered with a client certificate');
      const put = await engine.transactions.execute({ chaincode: ccid, args: ['put', 'lang', 'go'] });
      assert.equal(put.status, 200, put.message);
      const get = await engine.transactions.execute({ chaincode: ccid, args: ['get', 'lang'], kind: 'query' });
      assert.match(get.payload.toString('utf8'), /go/);
      await engine.launcher.stop(ccid);
      assert.deepEqual(await containersOf(engine.docker.docker, [ccid]), []);
    });
  });
}
