/**
 * `chaincode-launcher replay` as a script uses it: the real CLI in a child process and the example
 * chaincode in dev mode. A recorded query replays with what it read then, nothing is committed, a
 * code change shows as differences (exit 1), and `replay --all` rebuilds the ledger in a new data
 * directory with the same outcomes and final state.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseCli, UsageError } from '../../src/cli/options';
import { ChannelLedger } from '../../src/engine/ledger/channelLedger';
import { peerDataDir } from '../../src/engine/ledger/channelDirectories';
import { copyExample, shoutingTransfer, type ExampleCopy } from '../engine/replay/exampleCopy';

const REPO = path.resolve(__dirname, '..', '..', '..');
const CLI = path.join(REPO, 'out', 'src', 'cli', 'main.js');
const EXAMPLE = path.join(REPO, 'examples', 'asset-transfer');

interface Run {
  code: number | null;
  stderr: string;
  lines: Record<string, unknown>[];
}

function cli(args: string[]): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });
  return {
    code: r.status,
    stderr: r.stderr,
    lines: r.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

/** The first org's peer's ledger of mychannel in a network data directory (what the CLI records into). */
async function heightOf(dataDir: string): Promise<{ height: number; records: number }> {
  const ledger = await ChannelLedger.open(peerDataDir(dataDir, 'Org1MSP'), 'mychannel');
  try {
    return { height: ledger.height, records: ledger.state.transactions().length };
  } finally {
    await ledger.close();
  }
}

describe('chaincode-launcher replay', () => {
  const dirs: string[] = [];
  const tempDir = (): string => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-replay-'));
    dirs.push(d);
    return d;
  };
  let recorded: string;
  let txIds: string[];
  let changed: ExampleCopy;

  before(() => {
    recorded = tempDir();
    const r = cli(['launch', EXAMPLE, '--data-dir', recorded, '--port', '0', '--once', '--tx', 'InitLedger', '--query', 'ReadAsset asset1', '--tx', 'TransferAsset asset1 Alice']);
    assert.equal(r.code, 0, r.stderr);
    txIds = r.lines.map((l) => l.txId as string);
    changed = copyExample('cli');
    changed.edit(shoutingTransfer);
  });

  after(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    changed.remove();
  });

  test('replay <txid>: a query recorded before a transfer answers with the owner it read; nothing is committed', async () => {
    const before = await heightOf(recorded);
    const r = cli(['replay', txIds[1], EXAMPLE, '--data-dir', recorded, '--port', '0']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.lines.length, 1);
    const line = r.lines[0] as { same: boolean; differences: unknown[]; replayed: { json: { Owner: string } }; chaincode: string; asOf: string };
    assert.equal(line.same, true);
    assert.deepEqual(line.differences, []);
    assert.equal(line.replayed.json.Owner, 'Tomoko');
    assert.equal(line.chaincode, 'asset-transfer:1.0.0');
    assert.equal(line.asOf, 'end of block 1', 'the height it ran at');
    assert.match(r.stderr, /\[replay\] ReadAsset\(asset1\) on asset-transfer:1\.0\.0 does what it did/);
    assert.deepEqual(await heightOf(recorded), before);
  });

  test('replay <txid> on changed code: the differences, and exit 1', () => {
    const r = cli(['replay', txIds[2], changed.folder, '--data-dir', recorded, '--port', '0']);
    assert.equal(r.code, 1, r.stderr);
    const line = r.lines[0] as { same: boolean; differences: { type: string; key?: string; invoked: string }[] };
    assert.equal(line.same, false);
    assert.deepEqual(
      line.differences.map((d) => [d.type, d.key ?? null]),
      [
        ['chaincode event mismatch', null],
        ['write value mismatch', 'asset1'],
      ],
    );
    assert.match(line.differences[1].invoked, /"Owner":"ALICE"/);
    assert.match(r.stderr, /now differs from the original:\n {2}chaincode event mismatch: AssetTransferred: .* → AssetMoved: /);
  });

  test('replay of a transaction that is not recorded: exit 2, and the chaincode is not launched', () => {
    const r = cli(['replay', 'f'.repeat(64), EXAMPLE, '--data-dir', recorded, '--port', '0']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /transaction f{64} is not recorded in/);
    assert.doesNotMatch(r.stderr, /launching/);
  });

  test('replay --all: the committed transactions onto a new data directory, same outcomes, same final state', async () => {
    const fresh = path.join(tempDir(), 'new');
    const r = cli(['replay', '--all', EXAMPLE, '--from', recorded, '--data-dir', fresh, '--port', '0']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      r.lines.slice(0, -1).map((l) => [l.index, (l.tx as string[])[0], l.outcome, l.validation]),
      [
        [0, 'InitLedger', 'same', 'VALID'],
        [1, 'TransferAsset', 'same', 'VALID'],
      ],
    );
    assert.deepEqual(r.lines.at(-1), { summary: { same: 2, different: 0, skipped: 0, failed: 0 }, finalState: 'same', stateDifferences: [] });
    assert.equal((await heightOf(fresh)).height, 2);

    const again = cli(['replay', '--all', EXAMPLE, '--from', recorded, '--data-dir', fresh, '--port', '0']);
    assert.equal(again.code, 2, again.stderr);
    assert.match(again.stderr, /already holds a ledger/);
  });

  test('replay --all --include-uncommitted on changed code: evaluations too, and the keys that end up different', () => {
    const r = cli([
      'replay',
      '--all',
      changed.folder,
      '--from',
      recorded,
      '--data-dir',
      path.join(tempDir(), 'new'),
      '--port',
      '0',
      '--include-uncommitted',
      '--name',
      'asset-transfer',
    ]);
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(
      r.lines.slice(0, -1).map((l) => [(l.tx as string[])[0], l.outcome]),
      [
        ['InitLedger', 'same'],
        ['ReadAsset', 'same'],
        ['TransferAsset', 'different'],
      ],
    );
    const last = r.lines.at(-1) as { finalState: string; stateDifferences: { key: string; recorded: string; replayed: string }[] };
    assert.equal(last.finalState, 'different');
    assert.deepEqual(
      last.stateDifferences.map((d) => d.key),
      ['asset1'],
    );
    assert.match(last.stateDifferences[0].replayed, /"Owner":"ALICE"/);
  });

  test('usage: what replay takes and refuses', () => {
    const one = parseCli(['replay', 'abc']);
    assert.ok(one.command === 'replay' && one.target.kind === 'one' && one.target.txId === 'abc' && one.folder === '.');
    const all = parseCli(['replay', '--all', 'cc', '--data-dir', 'new']);
    assert.ok(all.command === 'replay' && all.target.kind === 'all' && all.target.from === '.chaincode' && all.target.scope === 'committed' && all.folder === 'cc');
    for (const [args, message] of [
      [['replay'], /needs a transaction id/],
      [['replay', '--all', 'cc'], /needs --data-dir NEW/],
      [['replay', 'abc', '--from', 'x'], /go with replay --all/],
      [['replay', 'abc', '--tx', 'Foo'], /--tx and --query belong to launch/],
      [['launch', 'cc', '--all'], /options of replay/],
    ] as const) {
      assert.throws(
        () => parseCli(args),
        (e: Error) => e instanceof UsageError && message.test(e.message),
        args.join(' '),
      );
    }
  });
});
