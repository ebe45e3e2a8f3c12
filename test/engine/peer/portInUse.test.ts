/**
 * The chaincode server's bind when its port is held by another listener (after a window reload the
 * previous extension host can hold the peer's port for a few seconds): retried while it is held,
 * bound once it is released, and reported with the holder when it stays held. Real sockets.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { Peer } from '../../../src/engine/peer/peer';
import { findPortHolder, holderFromLsof, holderFromSs } from '../../../src/engine/peer/portHolder';
import { BIND_RETRY_MS, PortInUseError, startChaincodeServer } from '../../../src/engine/peer/server';

async function holdPort(port = 0): Promise<net.Server> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return server;
}

const portOf = (server: net.Server): number => (server.address() as net.AddressInfo).port;
const close = (server: net.Server): Promise<void> => new Promise((r) => server.close(() => r()));

describe('chaincode server: a port in use', () => {
  test('a port released within the retry window is bound: the server starts and answers', async () => {
    const holder = await holdPort();
    const port = portOf(holder);
    const t0 = Date.now();
    setTimeout(() => void close(holder), 700);
    const server = await startChaincodeServer('127.0.0.1', port, null, () => undefined);
    try {
      assert.equal(server.port, port);
      assert.ok(Date.now() - t0 >= 600, `it waited for the release (${Date.now() - t0} ms)`);
      // Really listening: a TCP connection is accepted.
      await new Promise<void>((resolve, reject) => {
        const s = net.connect(port, '127.0.0.1', () => {
          s.destroy();
          resolve();
        });
        s.once('error', reject);
      });
    } finally {
      await server.stop();
    }
  });

  test('a port that stays held: PortInUseError after the retries, naming the process that holds it', async () => {
    const holder = await holdPort();
    const port = portOf(holder);
    try {
      const t0 = Date.now();
      const err = await startChaincodeServer('127.0.0.1', port, null, () => undefined).then(
        () => assert.fail('bound a port that is in use'),
        (e: unknown) => e,
      );
      const waited = Date.now() - t0;
      assert.ok(err instanceof PortInUseError, String(err));
      assert.equal(err.name, 'PortInUseError');
      assert.equal(err.port, port);
      assert.ok(waited >= 300 && waited < BIND_RETRY_MS, `retried for a while, then gave up within the retry window (${waited} ms)`);
      assert.match(String((err.cause as Error).message), /EADDRINUSE/);
      // This process holds it; ss or lsof say so where they exist (they do on this project's CI image).
      const known = await findPortHolder(port);
      if (known) {
        assert.equal(err.holder?.pid, process.pid);
        assert.match(err.message, new RegExp(`^port ${port} is in use by \\S+ \\(pid ${process.pid}\\), still after \\d+\\.\\d s of retries`));
      } else {
        assert.equal(process.env.CI, undefined, 'CI has ss or lsof');
        assert.match(err.message, new RegExp(`^port ${port} is in use by another process`));
      }
    } finally {
      await close(holder);
    }
  });

  test('Peer.start keeps the cause: the error names the address, and its cause is the PortInUseError', async () => {
    const holder = await holdPort();
    const port = portOf(holder);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'peer-port-'));
    try {
      const err = await Peer.start({ dataDir, port }).then(
        async (peer) => {
          await peer.stop();
          assert.fail('the peer listened on a port in use');
        },
        (e: unknown) => e as Error,
      );
      assert.match(err.message, new RegExp(`^cannot listen on 127\\.0\\.0\\.1:${port}: port ${port} is in use by `));
      assert.ok(err.cause instanceof PortInUseError, `cause: ${String(err.cause)}`);
    } finally {
      await close(holder);
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('ss and lsof output are read for the holder', () => {
    const ss =
      'State  Recv-Q Send-Q Local Address:Port Peer Address:Port Process\nLISTEN 0      511        127.0.0.1:7052      0.0.0.0:*    users:(("code-server",pid=4242,fd=21))\n';
    assert.deepEqual(holderFromSs(ss, 7052), { command: 'code-server', pid: 4242 });
    assert.equal(holderFromSs(ss, 705), undefined, 'the port must match exactly');
    assert.deepEqual(holderFromLsof('p4242\ncnode\nf21\n'), { pid: 4242, command: 'node' });
    assert.equal(holderFromLsof(''), undefined);
  });
});
