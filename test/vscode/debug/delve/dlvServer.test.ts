/**
 * The `dlv dap` server the editor starts per debug session, with the real Delve (.ci/fixtures.sh
 * installs it into .cache/go-tools): it listens on a loopback port the system picks, answers a DAP
 * `initialize` there, and exits once its client disconnects. A Delve that exits or says nothing
 * before listening is an error carrying its last output lines.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { locateDelve } from '../../../../src/vscode/debug/delve/discovery';
import { delveEnv, DelveStartError, startDelveServer } from '../../../../src/vscode/debug/delve/dlvServer';
import { isCI, repoRoot } from '../../../support/toolchains';
import { waitUntil } from '../../../support/waitUntil';

function realDelve(): string | undefined {
  try {
    return locateDelve({ env: process.env, extensionPath: repoRoot() }).path;
  } catch {
    return undefined;
  }
}

interface DapMessage {
  readonly seq: number;
  readonly type: string;
  readonly command?: string;
  readonly event?: string;
  readonly success?: boolean;
  readonly body?: Record<string, unknown>;
}

/** A bare DAP client: Content-Length framed JSON over TCP. */
function dapClient(port: number): Promise<{ request(command: string, args?: object): Promise<DapMessage>; readonly closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let buffer = Buffer.alloc(0);
    let seq = 0;
    const waiting = new Map<number, (m: DapMessage) => void>();
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const headerEnd = buffer.indexOf('\r\n\r\n');
        if (headerEnd < 0) return;
        const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, headerEnd).toString())?.[1]);
        if (buffer.length < headerEnd + 4 + length) return;
        const message = JSON.parse(buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString()) as DapMessage & { request_seq?: number };
        buffer = buffer.subarray(headerEnd + 4 + length);
        if (message.type === 'response') waiting.get(message.request_seq ?? -1)?.(message);
      }
    });
    const closed = new Promise<void>((r) => socket.on('close', () => r()));
    socket.once('error', reject);
    socket.once('connect', () =>
      resolve({
        closed,
        request: (command, args) =>
          new Promise<DapMessage>((answer) => {
            const body = JSON.stringify({ seq: ++seq, type: 'request', command, arguments: args ?? {} });
            waiting.set(seq, answer);
            socket.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
          }),
      }),
    );
  });
}

/** Whether `pid` runs (a killed process nobody has reaped yet is a zombie: not running). */
function running(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

function script(body: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cc-fake-dlv-')), 'dlv');
  fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return file;
}

describe('the dlv dap server', () => {
  const dlv = realDelve();
  const skip = !dlv && !isCI() ? 'no Delve on PATH, in GOPATH/bin or in .cache/go-tools: run .ci/fixtures.sh delve' : false;

  it('listens on a loopback port of its own, answers initialize, and exits when its client disconnects', { skip, timeout: 30_000 }, async () => {
    assert.ok(dlv, 'Delve installed [CI=true: .ci/fixtures.sh must install it]');
    const output: string[] = [];
    const server = await startDelveServer(dlv, { cwd: os.tmpdir(), env: process.env, onOutput: (l) => output.push(l) });
    try {
      assert.equal(server.host, '127.0.0.1');
      assert.ok(server.port > 0 && server.port !== 7052, `port ${server.port}`);
      const client = await dapClient(server.port);
      const init = await client.request('initialize', { adapterID: 'chaincode', clientID: 'test', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
      assert.equal(init.success, true);
      assert.equal(init.body?.supportsConfigurationDoneRequest, true, 'Delve speaks DAP itself');
      const bye = await client.request('disconnect', {});
      assert.equal(bye.success, true);
      await client.closed;
      assert.equal(await server.exited, 0, `Delve ends with its session; its output: ${output.join(' | ')}`);
    } finally {
      await server.stop();
    }
  });

  it('stop() ends a Delve nobody connected to', { skip, timeout: 30_000 }, async () => {
    assert.ok(dlv);
    const server = await startDelveServer(dlv, { cwd: os.tmpdir(), env: process.env });
    await server.stop();
    assert.notEqual(await Promise.race([server.exited.then(() => 'exited'), new Promise((r) => setTimeout(() => r('running'), 100))]), 'running');
  });

  it('a Delve that exits before listening: DelveStartError with its last lines', async () => {
    const fake = script('echo "could not launch: version of Go is too old" >&2\nexit 3');
    await assert.rejects(startDelveServer(fake, { cwd: os.tmpdir(), env: process.env }), (err: unknown) => {
      assert.ok(err instanceof DelveStartError);
      assert.equal(err.name, 'DelveStartError');
      assert.match(err.message, /exited \(code 3\) before listening/);
      assert.deepEqual(err.lastLines, ['could not launch: version of Go is too old']);
      return true;
    });
  });

  it('a Delve that never says where it listens: DelveStartError after the start timeout, and it is killed', async () => {
    const pidFile = path.join(os.tmpdir(), `cc-fake-dlv-${process.pid}.pid`);
    const fake = script(`echo $$ > ${pidFile}\necho starting\nexec sleep 30`);
    await assert.rejects(
      startDelveServer(fake, { cwd: os.tmpdir(), env: process.env, startTimeoutMs: 500 }),
      /no "DAP server listening at" line within 0.5 s; its last output lines:\nstarting/,
    );
    const pid = Number(fs.readFileSync(pidFile, 'utf8'));
    fs.rmSync(pidFile);
    // SIGKILL was sent as it failed; the process is gone once the kernel has run it (later on a busy machine).
    await waitUntil(() => !running(pid), 5000, 'the silent Delve to be killed');
  });

  it('Delve, and so the chaincode, gets no CORE_* variable of ours: only the launch request sets them', () => {
    assert.deepEqual(delveEnv({ PATH: '/bin', CORE_PEER_ADDRESS: 'elsewhere:7051', GOFLAGS: '-mod=mod' }), { PATH: '/bin', GOFLAGS: '-mod=mod' });
  });
});
