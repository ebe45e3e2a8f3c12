/**
 * `launch --watch` as a developer runs it: the real binary in a child process on a copy of the
 * example; a saved edit prints the re-run's result line with its differences from the run before;
 * Ctrl-C stops everything. And the combinations it refuses.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseCli, UsageError } from '../../src/cli/options';
import { copyExample, shoutingTransfer } from '../engine/replay/exampleCopy';
import { waitUntil } from '../support/netChaincode';

const CLI = path.resolve(__dirname, '..', '..', 'src', 'cli', 'main.js');
const cleanups: (() => void)[] = [];
after(() => {
  for (const c of cleanups) c();
});

interface RerunLine {
  reload: number;
  kind: string;
  tx: string[];
  txId: string;
  status: number;
  payload: string;
  previousTxId: string | null;
  same: boolean;
  differences: { type: string; key?: string; initial: string | null; invoked: string | null }[];
}

describe('chaincode-launcher launch --watch', () => {
  test('a saved edit restarts the chaincode and prints the last transaction run again, with its differences', async () => {
    const example = copyExample('cli-watch');
    cleanups.push(() => example.remove());
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-watch-'));
    cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const child = spawn(
      process.execPath,
      [
        CLI,
        'launch',
        example.folder,
        '--port',
        '0',
        '--data-dir',
        dataDir,
        '--watch',
        '--tx',
        'InitLedger',
        '--tx',
        'TransferAsset asset1 Alice',
        '--tx',
        'TransferAsset asset1 Alice',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    cleanups.push(() => child.kill('SIGKILL'));
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const lines = (): Record<string, unknown>[] =>
      stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>);

    await waitUntil(() => /\[watch\] watching /.test(stderr), 90_000, `the watch to start; stderr:\n${stderr}`);
    const transfer = lines()[2];
    example.edit(shoutingTransfer);
    await waitUntil(() => lines().some((l) => l.reload === 1), 90_000, `a re-run line; stderr:\n${stderr}`);
    const rerun = lines().find((l) => l.reload === 1) as unknown as RerunLine;
    assert.deepEqual([rerun.kind, rerun.tx, rerun.status, rerun.payload], ['invoke', ['TransferAsset', 'asset1', 'Alice'], 200, 'Alice']);
    assert.equal(rerun.previousTxId, transfer.txId);
    assert.notEqual(rerun.txId, transfer.txId);
    assert.equal(rerun.same, false);
    assert.deepEqual(
      rerun.differences.map((d) => d.type),
      ['chaincode event mismatch', 'write value mismatch'],
    );
    assert.match(stderr, /\[watch\] lib\/assetTransfer\.js changed: restarted in \d+ ms/);
    assert.match(stderr, /\[watch\] TransferAsset\(asset1, Alice\) differs from tx [0-9a-f]{8}:\n {2}chaincode event mismatch: AssetTransferred: .* → AssetMoved: /);

    child.kill('SIGINT');
    assert.equal(await exited, 0, stderr);
  });

  test('--watch with --once, --no-start or a chaincode server is a usage error', () => {
    assert.equal((parseCli(['launch', 'cc', '--watch']) as { watch: boolean }).watch, true);
    assert.equal((parseCli(['launch', 'cc', '--watch', '--mode', 'net']) as { watch: boolean }).watch, true);
    assert.throws(
      () => parseCli(['launch', 'cc', '--watch', '--once']),
      (e: Error) => e instanceof UsageError && /choose one/.test(e.message),
    );
    assert.throws(() => parseCli(['launch', 'cc', '--watch', '--no-start']), /drop --no-start/);
    assert.throws(() => parseCli(['launch', 'cc', '--watch', '--mode', 'external', '--address', '127.0.0.1:9999']), /yours to restart/);
  });
});
