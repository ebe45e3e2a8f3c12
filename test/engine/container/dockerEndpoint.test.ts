import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { filesTar } from '../../../src/engine/container/docker/archive';
import { dockerClientOptions } from '../../../src/engine/container/docker/endpoint';
import { DockerUnreachableError } from '../../../src/engine/container/docker/errors';
import { extract } from 'tar-stream';

describe('docker endpoint settings', () => {
  test('unix sockets, bare paths, tcp with and without TLS', () => {
    assert.deepEqual(dockerClientOptions('unix:///var/run/docker.sock'), { socketPath: '/var/run/docker.sock' });
    assert.deepEqual(dockerClientOptions('/run/user/1000/docker.sock'), { socketPath: '/run/user/1000/docker.sock' });
    assert.deepEqual(dockerClientOptions('tcp://127.0.0.1:2375'), { host: '127.0.0.1', port: '2375', protocol: 'http' });
    assert.deepEqual(dockerClientOptions('tcp://docker.local', { ca: 'CA' }), {
      host: 'docker.local',
      port: '2376',
      protocol: 'https',
      ca: 'CA',
    });
  });

  test('an unusable endpoint is the same typed error as an unreachable one', () => {
    assert.throws(() => dockerClientOptions('ftp://x'), DockerUnreachableError);
    assert.throws(() => dockerClientOptions('not an endpoint'), /Docker is not reachable at not an endpoint/);
  });
});

describe('files uploaded into a container', () => {
  test('a tar with the absolute paths made relative, modes kept, fixed owner and time', async () => {
    const tar = await filesTar([
      { path: '/etc/hyperledger/fabric/peer.crt', content: Buffer.from('PEM') },
      { path: '/run/x.key', content: Buffer.from('KEY'), mode: 0o600 },
    ]);
    const seen: { name: string; mode: number; uid: number; mtime: number; body: string }[] = [];
    const ex = extract();
    ex.on('entry', (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: unknown) => chunks.push(c as Buffer));
      stream.on('end', () => {
        seen.push({ name: header.name, mode: header.mode, uid: header.uid, mtime: header.mtime.getTime(), body: Buffer.concat(chunks).toString() });
        next();
      });
    });
    await new Promise<void>((resolve, reject) => {
      ex.on('finish', resolve);
      ex.on('error', reject);
      ex.end(tar);
    });
    assert.deepEqual(seen, [
      { name: 'etc/hyperledger/fabric/peer.crt', mode: 0o644, uid: 0, mtime: 0, body: 'PEM' },
      { name: 'run/x.key', mode: 0o600, uid: 0, mtime: 0, body: 'KEY' },
    ]);
    await assert.rejects(filesTar([{ path: 'relative', content: Buffer.from('') }]), /must be absolute/);
  });
});
