/**
 * Java chaincode in net mode: the fixture's prebuilt jar (real fabric-chaincode-shim 2.5, built by
 * .ci/fixtures.sh) packaged into an image of the local JDK, registering over mutual TLS. Building
 * the jar inside the image would need Maven Central, which containers must not reach.
 */
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Engine } from '../../../src/engine/engine';
import { dockerSkip, ensureBaseImages } from '../../support/docker';
import { containersOf, launchNet, removeChaincodeArtifacts, removeFolders, startEngine } from '../../support/netChaincode';
import { javaFixtureStatus, repoRoot } from '../../support/toolchains';

function javaSkip(): string | false {
  const docker = dockerSkip();
  if (docker) return docker;
  const status = javaFixtureStatus();
  if (status.path) return false;
  // Under CI a missing jar fails the test below instead of skipping it.
  return process.env.CI === 'true' ? false : `Java fixture not available: ${status.reason}`;
}

/** A chaincode folder as a Java developer has it after `mvn package`: pom.xml and the jar in target/. */
async function prebuiltJavaFolder(): Promise<string> {
  const source = path.join(repoRoot(), 'test', 'fixtures', 'java');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ccl-netmode-java-'));
  await mkdir(path.join(dir, 'target'));
  await copyFile(path.join(source, 'pom.xml'), path.join(dir, 'pom.xml'));
  await copyFile(path.join(source, 'target', 'javacc.jar'), path.join(dir, 'target', 'javacc.jar'));
  return dir;
}

export function javaNetModeSuite(tag: string): void {
  describe('net mode: a Java chaincode', { skip: javaSkip() }, () => {
    const dirs: string[] = [];
    const name = `${tag}-javacc`;
    const ccid = `${name}:1.0`;
    let engine: Engine | undefined;

    before(async () => {
      const images = await ensureBaseImages(['java']);
      assert.ok(images.java, 'the Java test image exists');
      engine = await startEngine(dirs, { baseImages: { node: images.node, java: images.java }, startupTimeoutMs: 60_000 });
    });

    after(async () => {
      await engine?.dispose();
      if (engine) await removeChaincodeArtifacts(engine.docker.docker, [ccid]);
      await removeFolders(dirs);
    });

    test('the prebuilt jar runs in a container, registers over mutual TLS and runs a transaction', { timeout: 5 * 60_000 }, async (t) => {
      assert.ok(engine);
      assert.ok(javaFixtureStatus().path, `the Java fixture jar is built: ${javaFixtureStatus().reason ?? ''}`);
      const dir = await prebuiltJavaFolder();
      dirs.push(dir);
      const started = Date.now();
      const { running } = await launchNet(engine, { name, version: '1.0', mode: 'net', language: 'java', path: dir });
      t.diagnostic(`Java net-mode cold launch → READY in ${Date.now() - started} ms`);
      assert.equal(running.status, 'ready');
      assert.ok(engine.peer.registry.get(ccid)?.stream.clientCertFingerprint, 'registered with a client certificate');
      const put = await engine.transactions.execute({ chaincode: ccid, args: ['put', 'lang', 'java'] });
      assert.equal(put.status, 200, put.message);
      const get = await engine.transactions.execute({ chaincode: ccid, args: ['get', 'lang'], kind: 'query' });
      assert.match(get.payload.toString('utf8'), /java/);
      await engine.launcher.stop(ccid);
      assert.deepEqual(await containersOf(engine.docker.docker, [ccid]), []);
    });
  });
}
