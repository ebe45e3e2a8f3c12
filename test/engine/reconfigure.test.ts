/**
 * Settings applied to a running engine (the editor's settings changed): the Docker endpoint, base
 * images, TLS, log level and timeouts reach the next launch and transaction without a restart; the
 * peer's address, data directory, identity, channel and durability wait for the next engine. Real
 * peer, real launcher; the Docker endpoint is a closed loopback port, so no Docker is needed.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { resolveConfig, type EngineConfig } from '../../src/engine/config';
import { DockerUnreachableError } from '../../src/engine/container/docker/errors';
import { Engine } from '../../src/engine/engine';
import { EngineRecipes } from '../../src/engine/launch/recipes';
import type { ChaincodeDefinition } from '../../src/engine/launch/types';
import { EXAMPLE_CHAINCODE } from '../support/nodeChaincode';

const CLOSED_ENDPOINT = 'tcp://127.0.0.1:1';
const netDefinition: ChaincodeDefinition = { name: 'netcc', version: '1.0', mode: 'net', language: 'node', path: EXAMPLE_CHAINCODE };

describe('Engine.reconfigure', () => {
  let engine: Engine;
  let dataDir: string;
  let started: EngineConfig;

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'reconfigure-'));
    started = resolveConfig({ dataDir, peerPort: 0, startupTimeoutMs: 30_000, executeTimeoutMs: 30_000 });
    engine = await Engine.start(started, { acceptUnlaunched: true });
  });

  after(async () => {
    await engine.dispose();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('a changed Docker endpoint is the one the next net-mode launch uses (it fails there, naming it)', async () => {
    assert.deepEqual(engine.reconfigure({ ...engine.config, dockerEndpoint: CLOSED_ENDPOINT }), [], 'nothing waits for a restart');
    assert.equal(engine.config.dockerEndpoint, CLOSED_ENDPOINT);
    assert.equal(engine.docker.endpoint, CLOSED_ENDPOINT);
    const err = await engine.launcher.launch({ kind: 'deployment', definition: netDefinition }).then(
      () => assert.fail('launched on an endpoint where no Docker listens'),
      (e: Error) => e,
    );
    assert.match(err.message, new RegExp(`Docker is not reachable at ${CLOSED_ENDPOINT.replace(/[.:/]/g, '\\$&')}`));
  });

  test('an endpoint that is not one fails the next launch with the typed error, not at reconfigure', async () => {
    assert.deepEqual(engine.reconfigure({ ...engine.config, dockerEndpoint: 'ftp://nowhere' }), []);
    assert.throws(
      () => engine.docker.docker,
      (e: unknown) => e instanceof DockerUnreachableError && /unsupported scheme ftp:/.test(e.message),
    );
    await assert.rejects(engine.docker.listContainers(), DockerUnreachableError);
    engine.reconfigure({ ...engine.config, dockerEndpoint: CLOSED_ENDPOINT });
    assert.ok(engine.docker.docker, 'a valid endpoint again: a client');
  });

  test('the startup timeout applies to the next launch', async () => {
    engine.reconfigure({ ...engine.config, startupTimeoutMs: 300 });
    // Dev mode starts the folder's process; this one stays alive and never registers, so the launch
    // waits out the startup timeout (the example chaincode could register within 300 ms).
    const silent = path.join(dataDir, 'silent-chaincode');
    fs.mkdirSync(silent);
    fs.writeFileSync(path.join(silent, 'package.json'), JSON.stringify({ name: 'nobody', version: '1.0.0', scripts: { start: 'node index.js' } }));
    fs.writeFileSync(path.join(silent, 'index.js'), 'setInterval(() => {}, 1000);\n');
    const t0 = Date.now();
    await assert.rejects(
      engine.launcher.launch({ kind: 'deployment', definition: { ...netDefinition, name: 'nobody', mode: 'dev', path: silent } }),
      /timeout|did not register|register/i,
    );
    const waited = Date.now() - t0;
    assert.ok(waited < 5000, `gave up after the new 300 ms, not the 30 s it started with (${waited} ms)`);
  });

  test("the execute timeout is the peer's at once", () => {
    engine.reconfigure({ ...engine.config, executeTimeoutMs: 1234 });
    assert.equal(engine.peer.executeTimeoutMs, 1234);
    assert.equal(engine.config.executeTimeoutMs, 1234);
  });

  test('restart-only settings are reported and not applied: the peer keeps its address, data and identity', () => {
    const address = engine.peer.address;
    const pending = engine.reconfigure({
      ...engine.config,
      peerPort: 7999,
      dataDir: path.join(dataDir, 'other'),
      mspId: 'Org2MSP',
      channel: 'other',
      ledgerDurability: 'disk',
      logLevel: 'debug',
    });
    assert.deepEqual([...pending].sort(), ['channel', 'dataDir', 'ledgerDurability', 'mspId', 'peerPort']);
    assert.equal(engine.peer.address, address);
    assert.deepEqual(
      [engine.config.peerPort, engine.config.dataDir, engine.config.mspId, engine.config.channel, engine.config.ledgerDurability],
      [started.peerPort, started.dataDir, started.mspId, started.channel, started.ledgerDurability],
    );
    assert.equal(engine.config.logLevel, 'debug', 'the live ones in the same change are applied');
  });
});

describe('net-mode recipes follow their settings', () => {
  test('base images, log level and TLS: the next recipe is the one a fresh engine would make', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'recipes-'));
    const engine = await Engine.start(resolveConfig({ dataDir, peerPort: 0 }), { acceptUnlaunched: true });
    try {
      const before = resolveConfig({ dataDir, peerPort: 0 });
      const after = resolveConfig({ dataDir, peerPort: 0, baseImages: { node: 'ccl-test/node-base:2' }, logLevel: 'debug', netModeTls: false });
      const recipes = new EngineRecipes(engine.peer, before, before.mspId);
      const old = await recipes.recipeFor(netDefinition);
      recipes.configure(after);
      const next = await recipes.recipeFor(netDefinition);
      const fresh = await new EngineRecipes(engine.peer, after, after.mspId).recipeFor(netDefinition);
      assert.notEqual(next.imageTag, old.imageTag, 'another base image, another image');
      assert.equal(next.imageTag, fresh.imageTag);
      assert.equal(next.dependencies?.imageTag, fresh.dependencies?.imageTag);
      assert.equal(next.env.CORE_CHAINCODE_LOGGING_LEVEL, fresh.env.CORE_CHAINCODE_LOGGING_LEVEL);
      assert.notEqual(next.env.CORE_CHAINCODE_LOGGING_LEVEL, old.env.CORE_CHAINCODE_LOGGING_LEVEL);
      assert.equal(next.env.CORE_PEER_TLS_ENABLED, 'false');
      assert.equal(old.env.CORE_PEER_TLS_ENABLED, 'true');
    } finally {
      await engine.dispose();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
