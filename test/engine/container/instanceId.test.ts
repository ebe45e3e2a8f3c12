import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { engineInstanceId, INSTANCE_ID_FILE, isInstanceId } from '../../../src/engine/container/docker/instanceId';
import { imageName } from '../../../src/engine/container/docker/names';
import { resolveConfig } from '../../../src/engine/config';
import { Engine } from '../../../src/engine/engine';

describe('engine instance id (kept in the data directory)', () => {
  const made: string[] = [];
  const dataDir = async (): Promise<string> => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ccl-instance-'));
    made.push(dir);
    return dir;
  };
  after(async () => {
    for (const dir of made) await rm(dir, { recursive: true, force: true });
  });

  test('made on first use, the same on every later start on that data directory', async () => {
    const dir = await dataDir();
    const id = await engineInstanceId(dir);
    assert.ok(isInstanceId(id), id);
    assert.equal(await engineInstanceId(dir), id);
    assert.equal((await readFile(path.join(dir, INSTANCE_ID_FILE), 'utf8')).trim(), id);
  });

  test('a data directory that does not exist yet is created', async () => {
    const dir = path.join(await dataDir(), 'not', 'yet');
    assert.ok(isInstanceId(await engineInstanceId(dir)));
  });

  test('different data directories, different ids', async () => {
    const ids = new Set(await Promise.all([dataDir(), dataDir(), dataDir()].map(async (d) => engineInstanceId(await d))));
    assert.equal(ids.size, 3);
  });

  test('engines starting at once on a new data directory agree on one id', async () => {
    const dir = await dataDir();
    const ids = await Promise.all(Array.from({ length: 8 }, () => engineInstanceId(dir)));
    assert.equal(new Set(ids).size, 1, ids.join(' '));
    assert.equal(await engineInstanceId(dir), ids[0]);
  });

  test('a file that holds no id is replaced by a new one', async () => {
    const dir = await dataDir();
    await writeFile(path.join(dir, INSTANCE_ID_FILE), 'Not An Id!\n');
    const id = await engineInstanceId(dir);
    assert.ok(isInstanceId(id), id);
    assert.equal(await engineInstanceId(dir), id);
  });

  test("an engine labels what it runs with its data directory's id, the same after a restart", async () => {
    const dir = await dataDir();
    const labels: string[] = [];
    for (let start = 0; start < 2; start++) {
      const engine = await Engine.start(resolveConfig({ dataDir: dir, peerPort: 0 }));
      labels.push(engine.docker.peerLabel);
      await engine.dispose();
    }
    const id = (await readFile(path.join(dir, INSTANCE_ID_FILE), 'utf8')).trim();
    // Fabric names the peer in its label: dev-<peer name>, here with this data directory's id after it.
    assert.deepEqual(labels, [`dev-peer0.org1.example.com-${id}`, `dev-peer0.org1.example.com-${id}`]);
  });

  test('an id is valid in image repository names (lowercase) and container names', () => {
    for (const id of ['0123abcd', 'ffffffff']) assert.doesNotThrow(() => imageName({ networkId: 'dev', peerId: 'peer0', instanceId: id }, 'cc:1.0'));
    for (const bad of ['ABCDEF01', '1234', 'a-b-c-d-', '']) assert.equal(isInstanceId(bad), false, bad);
  });
});
