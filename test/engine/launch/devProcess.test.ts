/**
 * Dev-mode processes: started per language as a developer would, stopped with their whole process
 * group, and never outliving the process that started them (an orphaned fabric-shim spins on its
 * broken output pipe).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'child_process';
import * as path from 'path';
import { devProcessCommand, startDevProcess } from '../../../src/engine/launch/devProcess';
import { isAlive } from '../../support/toolchains';

const DEV_PROCESS_MODULE = path.resolve(__dirname, '..', '..', '..', 'src', 'engine', 'launch', 'devProcess.js');


async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

describe('dev-mode processes', () => {
  test('commands carry the peer address in the form each shim reads', () => {
    const example = path.resolve(__dirname, '..', '..', '..', '..', 'examples', 'asset-transfer');
    const node = devProcessCommand('node', example, 'cc:1', '127.0.0.1:7052');
    assert.deepEqual(node.args.slice(-2), ['--peer.address', '127.0.0.1:7052']);
    assert.equal(node.env.CORE_CHAINCODE_ID_NAME, 'cc:1');
    assert.equal(node.env.CORE_PEER_TLS_ENABLED, 'false');
    assert.equal(node.env.NPM_CONFIG_UPDATE_NOTIFIER, 'false', 'npm start without its update check');
    assert.deepEqual(devProcessCommand('golang', '/x', 'cc:1', '127.0.0.1:7052').args, ['run', '.', '-peer.address=127.0.0.1:7052']);
    assert.throws(() => devProcessCommand('java', '/nonexistent', 'cc:1', '127.0.0.1:7052'), /no chaincode jar/);
  });

  test('stop ends the process and its children; the exit code is reported', async () => {
    const lines: string[] = [];
    const p = startDevProcess({ command: 'sh', args: ['-c', 'echo ready; sleep 600 & wait'], env: {}, cwd: '/' }, (_s, l) => lines.push(l));
    assert.ok(await until(() => lines.includes('ready'), 5000), 'the process printed');
    await p.stop();
    assert.equal(isAlive(p.child.pid!), false);
    const q = startDevProcess({ command: 'sh', args: ['-c', 'exit 7'], env: {}, cwd: '/' }, () => undefined);
    assert.equal(await q.exited, 7);
  });

  test('the process group dies when its parent is killed with SIGKILL', async () => {
    // A parent that starts a dev process, prints the group id, then waits to be killed.
    const parentScript = `const { startDevProcess } = require(${JSON.stringify(DEV_PROCESS_MODULE)});
      const p = startDevProcess({ command: 'sh', args: ['-c', 'sleep 600 & echo child $!; wait'], env: {}, cwd: '/' }, (_s, l) => console.log(l));
      console.log('group ' + p.child.pid);`;
    const parent = spawn(process.execPath, ['-e', parentScript], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    parent.stdout.on('data', (d: Buffer) => (out += d.toString()));
    assert.ok(await until(() => /group \d+/.test(out) && /child \d+/.test(out), 5000), out);
    const sleeper = Number(/child (\d+)/.exec(out)![1]);
    assert.ok(isAlive(sleeper));
    parent.kill('SIGKILL');
    assert.ok(await until(() => !isAlive(sleeper), 5000), 'the chaincode outlived its parent');
  });
});
