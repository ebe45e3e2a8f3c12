/**
 * Replay of recorded transactions on the real shims (the example contract, the low-level fabric-shim
 * fixture): the original inputs come back although the keys changed since, the current code's
 * differences show, and nothing is committed or recorded.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Peer } from '../../../src/engine/peer/peer';
import { awaitNewRegistration } from '../../../src/engine/watch/restart';
import { replayTransaction, TransactionNotRecordedError } from '../../../src/engine/replay/replay';
import { TransactionPipeline } from '../../../src/engine/transactions/pipeline';
import type { ExecuteResult } from '../../../src/engine/transactions/types';
import { RunningProcess, startContractChaincode, startLowLevelFixture } from '../../support/nodeChaincode';
import { copyExample, shoutingTransfer, type ExampleCopy } from './exampleCopy';

const ASSETS = 'assets:1.0';
const LOW = 'low:1.0';

describe('replay on the real shims', () => {
  let peer: Peer;
  let pipeline: TransactionPipeline;
  let dataDir: string;
  let example: ExampleCopy;
  let assets: RunningProcess;
  let low: RunningProcess;
  const host = () => ({ peer, transactions: pipeline });

  const run = async (chaincode: string, args: string[], kind: 'invoke' | 'query' = 'invoke'): Promise<ExecuteResult> => {
    const r = await pipeline.execute({ chaincode, args, kind });
    assert.ok(r.status === 200 || kind === 'query', `${args.join(' ')}: ${r.status} ${r.message}`);
    return r;
  };
  const startAssets = async (): Promise<void> => {
    assets = startContractChaincode(example.folder, ASSETS, peer.address);
    await peer.waitForReady(ASSETS, 30_000).catch((e: Error) => {
      throw new Error(`${e.message}\n${assets.output()}`);
    });
  };

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'replay-'));
    example = copyExample();
    peer = await Peer.start({ dataDir, port: 0, executeTimeoutMs: 20_000 });
    pipeline = new TransactionPipeline(peer);
    low = startLowLevelFixture(LOW, peer.address);
    await startAssets();
    await peer.waitForReady(LOW, 30_000).catch((e: Error) => {
      throw new Error(`${e.message}\n${low.output()}`);
    });
  });

  after(async () => {
    await Promise.all([assets?.kill(), low?.kill()]);
    await peer.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    example.remove();
  });

  test('a read replayed after the key changed answers with the value it read then', async () => {
    await run(ASSETS, ['InitLedger']);
    const read = await run(ASSETS, ['ReadAsset', 'asset1'], 'query');
    await run(ASSETS, ['TransferAsset', 'asset1', 'Alice']);
    assert.equal((JSON.parse((await run(ASSETS, ['ReadAsset', 'asset1'], 'query')).payload.toString()) as { Owner: string }).Owner, 'Alice');

    const replay = await replayTransaction(host(), read.txId);
    assert.equal((JSON.parse(replay.replayed.payload.toString()) as { Owner: string }).Owner, 'Tomoko');
    assert.deepEqual(replay.differences, []);
    assert.deepEqual(
      replay.replayed.rwset.reads.map((r) => [r.key, r.version]),
      [['asset1', { blockNum: 1, txNum: 0 }]],
    );
    assert.equal(replay.replayed.chaincode, ASSETS);
    assert.deepEqual([replay.unavailable, replay.caveats, replay.failure], [[], [], null]);
  });

  test('a transfer replayed after later transfers writes what it wrote, with the same event', async () => {
    const transfer = await run(ASSETS, ['TransferAsset', 'asset2', 'Max']);
    await run(ASSETS, ['TransferAsset', 'asset2', 'Zoe']);
    const replay = await replayTransaction(host(), transfer.txId);
    assert.deepEqual(replay.differences, []);
    assert.equal(replay.replayed.payload.toString(), 'Brad', 'the owner before it, not Max');
    assert.deepEqual(
      replay.replayed.rwset.writes.map((w) => [w.key, JSON.parse(w.value!.toString()).Owner]),
      transfer.readWriteSet.writes.map((w) => [w.key, JSON.parse(w.value!.toString()).Owner]),
    );
    assert.equal(replay.replayed.event?.eventName, 'AssetTransferred');
    assert.ok(replay.replayed.event?.payload.equals(transfer.event!.payload));
  });

  test('a failed transaction replays to the same failure', async () => {
    const failed = await pipeline.execute({ chaincode: ASSETS, args: ['ReadAsset', 'asset9'] });
    assert.equal(failed.status, 500);
    const replay = await replayTransaction(host(), failed.txId);
    assert.deepEqual(replay.differences, []);
    assert.match(replay.replayed.message, /The asset asset9 does not exist/);
  });

  test('replay commits nothing and records nothing', async () => {
    const transfer = await run(ASSETS, ['TransferAsset', 'asset3', 'Ann']);
    const ledger = peer.ledger();
    const height = ledger.height;
    const records = pipeline.transactions().map((r) => r.txId);
    const ended: string[] = [];
    const started: string[] = [];
    const listeners = [pipeline.onDidEndTransaction((e) => ended.push(e.record.txId)), pipeline.onDidStartTransaction((e) => started.push(e.txId))];
    try {
      await replayTransaction(host(), transfer.txId);
      await new Promise((r) => setTimeout(r, 300)); // past the records' lazy write
    } finally {
      for (const l of listeners) l.dispose();
    }
    assert.equal(ledger.height, height);
    assert.deepEqual(
      pipeline.transactions().map((r) => r.txId),
      records,
    );
    assert.deepEqual([started, ended], [[], []]);
    assert.equal((JSON.parse(ledger.state.getState({ channel: 'mychannel', chaincode: 'assets' }, 'asset3')!.value.toString()) as { Owner: string }).Owner, 'Ann');
  });

  test('two replays of one transaction at once share one run (the handler refuses a txid in flight)', async () => {
    const read = await run(ASSETS, ['ReadAsset', 'asset1'], 'query');
    const [a, b] = await Promise.all([replayTransaction(host(), read.txId), replayTransaction(host(), read.txId)]);
    assert.equal(a, b);
  });

  test('a transaction that is not recorded is refused by name', async () => {
    await assert.rejects(replayTransaction(host(), 'f'.repeat(64)), TransactionNotRecordedError);
  });

  test('a range query and a history query replay over the keys as they were', async () => {
    await run(LOW, ['putMany', 'r1', 'one', 'r2', 'two']);
    const range = await run(LOW, ['range', 'r', 's'], 'query');
    const history = await run(LOW, ['history', 'r1'], 'query');
    await run(LOW, ['del', 'r1']);
    await run(LOW, ['putMany', 'r3', 'three', 'r2', 'TWO']);
    assert.notEqual((await run(LOW, ['range', 'r', 's'], 'query')).payload.toString(), range.payload.toString());
    for (const original of [range, history]) {
      const replay = await replayTransaction(host(), original.txId);
      assert.deepEqual(replay.differences, [], JSON.stringify(replay.differences));
      assert.equal(replay.replayed.payload.toString(), original.payload.toString());
    }
  });

  test('after the code changed, the replay shows what the change does', async () => {
    const transfer = await run(ASSETS, ['TransferAsset', 'asset1', 'Bea']);
    const read = await run(ASSETS, ['ReadAsset', 'asset1'], 'query');
    const before = peer.handlers().find((h) => h.chaincodeId === ASSETS && h.state === 'ready')?.id;
    await assets.kill();
    example.edit(shoutingTransfer);
    await startAssets();
    // The killed process's stream may not have ended yet: wait for the new process's registration.
    await awaitNewRegistration(peer, ASSETS, before, 30_000);

    const replay = await replayTransaction(host(), transfer.txId);
    assert.deepEqual(
      replay.differences.map((d) => [d.type, d.key ?? null]),
      [
        ['chaincode event mismatch', null],
        ['write value mismatch', 'asset1'],
      ],
    );
    const write = replay.differences.find((d) => d.type === 'write value mismatch')!;
    assert.match(write.initial!, /"Owner":"Bea"/);
    assert.match(write.invoked!, /"Owner":"BEA"/);
    assert.match(replay.differences[0].invoked!, /^AssetMoved: /);
    assert.deepEqual((await replayTransaction(host(), read.txId)).differences, [], 'a read the change does not touch replays the same');
  });
});
