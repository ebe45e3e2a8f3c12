/**
 * A recorded sequence replayed onto a fresh ledger (the engine side of `replay --all`): the same
 * outcomes in order and the same final state on the same code; on changed code, the transactions
 * and keys that now differ. Real shim: the example contract.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Peer } from '../../../src/engine/peer/peer';
import { IncompleteRecordsError, NotFreshError, prepareFreshDataDir, RecordedLedger, recordedSequence } from '../../../src/engine/replay/recordedLedger';
import { replaySequence, stateDifferences, type SequenceStep } from '../../../src/engine/replay/sequence';
import { TransactionPipeline } from '../../../src/engine/transactions/pipeline';
import type { TransactionRecord } from '../../../src/engine/ledger/types';
import { RunningProcess, startContractChaincode } from '../../support/nodeChaincode';
import { copyExample, shoutingTransfer, type ExampleCopy } from './exampleCopy';

const CC = 'assets:1.0';

/** A peer on `dataDir` with the example (from `folder`) ready on it. */
async function peerWithExample(dataDir: string, folder: string): Promise<{ peer: Peer; pipeline: TransactionPipeline; stop: () => Promise<void> }> {
  const peer = await Peer.start({ dataDir, port: 0, executeTimeoutMs: 20_000 });
  const chaincode: RunningProcess = startContractChaincode(folder, CC, peer.address);
  await peer.waitForReady(CC, 30_000).catch((e: Error) => {
    throw new Error(`${e.message}\n${chaincode.output()}`);
  });
  return { peer, pipeline: new TransactionPipeline(peer), stop: async () => void (await Promise.all([chaincode.kill(), peer.stop()])) };
}

describe('replaying a recorded sequence onto a fresh ledger', () => {
  const dirs: string[] = [];
  const newDir = (): string => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replay-seq-'));
    dirs.push(dir);
    return dir;
  };
  let recordedDir: string;
  let example: ExampleCopy;
  let conflicted = 0;

  before(async () => {
    example = copyExample('seq');
    recordedDir = newDir();
    const { pipeline, stop } = await peerWithExample(recordedDir, example.folder);
    try {
      const run = (args: string[], kind: 'invoke' | 'query' = 'invoke') => pipeline.execute({ chaincode: CC, args, kind });
      await run(['InitLedger']);
      await run(['ReadAsset', 'asset1'], 'query');
      await run(['CreateAsset', 'asset4', 'pink', '3', 'Ola', '90']);
      await run(['CreateAsset', 'asset4', 'pink', '3', 'Ola', '90']); // fails: it exists
      // Two transfers of one asset at once: one of them is invalidated (MVCC_READ_CONFLICT).
      for (let attempt = 0; attempt < 5 && conflicted === 0; attempt++) {
        const both = await Promise.all([run(['TransferAsset', 'asset2', `ann${attempt}`]), run(['TransferAsset', 'asset2', `bob${attempt}`])]);
        conflicted = both.filter((r) => r.validation === 'MVCC_READ_CONFLICT').length;
      }
      await run(['TransferAsset', 'asset1', 'Alice']);
      await run(['DeleteAsset', 'asset3']);
    } finally {
      await stop();
    }
  });

  after(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
    example.remove();
  });

  async function replayOnto(
    folder: string,
    scope: 'committed' | 'all',
  ): Promise<{ steps: SequenceStep[]; sequence: TransactionRecord[]; state: ReturnType<typeof stateDifferences>; fresh: string }> {
    const fresh = newDir();
    await prepareFreshDataDir(recordedDir, fresh);
    const recorded = await RecordedLedger.open(recordedDir);
    try {
      const sequence = recorded.sequence('mychannel', scope);
      const target = await peerWithExample(fresh, folder);
      try {
        const steps = await replaySequence({ transactions: target.pipeline }, sequence, { chaincode: 'assets' });
        const state = stateDifferences(recorded.state('mychannel'), target.peer.ledger().state, 'mychannel', ['assets']);
        return { steps, sequence, state, fresh };
      } finally {
        await target.stop();
      }
    } finally {
      await recorded.close();
    }
  }

  test('on the same code: every replayed transaction answers as it did and the final state is the same', async () => {
    assert.ok(conflicted > 0, 'the recording holds an invalidated transaction');
    const { steps, sequence, state, fresh } = await replayOnto(example.folder, 'all');
    assert.deepEqual(state, []);
    assert.deepEqual(
      steps.map((s) => s.original.txId),
      sequence.map((r) => r.txId),
      'in the recorded order',
    );
    const byOutcome = (o: string) => steps.filter((s) => s.outcome === o).map((s) => `${s.original.fn} ${s.original.validation}`);
    assert.deepEqual(byOutcome('skipped'), Array(conflicted).fill('TransferAsset MVCC_READ_CONFLICT'));
    assert.deepEqual(byOutcome('different'), []);
    assert.deepEqual(byOutcome('failed'), []);
    assert.ok(byOutcome('same').includes('CreateAsset NOT_COMMITTED'), 'the failed create fails again');
    assert.ok(byOutcome('same').includes('ReadAsset NOT_VALIDATED'));
    // Same client identity: the chaincode saw the same creator certificate.
    const user1 = path.join('organizations', 'peerOrganizations', 'org1.example.com', 'users', 'User1@org1.example.com', 'msp', 'signcerts', 'User1@org1.example.com-cert.pem');
    assert.ok(fs.readFileSync(path.join(recordedDir, user1)).equals(fs.readFileSync(path.join(fresh, user1))));
  });

  test('committed scope leaves out evaluations and failures, and still rebuilds the state', async () => {
    const { steps, state } = await replayOnto(example.folder, 'committed');
    assert.deepEqual(state, []);
    assert.ok(steps.every((s) => s.original.blockNum !== null));
    assert.ok(steps.every((s) => s.outcome === 'same' || (s.outcome === 'skipped' && s.original.validation === 'MVCC_READ_CONFLICT')));
  });

  test('on changed code: the transactions and keys that now differ', async () => {
    const changed = copyExample('seq-changed');
    try {
      changed.edit(shoutingTransfer);
      const { steps, state } = await replayOnto(changed.folder, 'committed');
      const different = steps.filter((s) => s.outcome === 'different');
      assert.deepEqual([...new Set(different.map((s) => s.original.fn))], ['TransferAsset']);
      const firstDiff = different[0].outcome === 'different' ? different[0].differences.map((d) => d.type) : [];
      assert.deepEqual(firstDiff, ['chaincode event mismatch', 'write value mismatch']);
      assert.deepEqual(
        state.map((d) => d.key),
        ['asset1', 'asset2'],
      );
      assert.match(state[0].replayed!.toString(), /"Owner":"ALICE"/);
    } finally {
      changed.remove();
    }
  });

  test('a fresh data directory must be new, and not the recorded one', async () => {
    await assert.rejects(prepareFreshDataDir(recordedDir, recordedDir), NotFreshError);
    await assert.rejects(prepareFreshDataDir(newDir(), recordedDir), /already holds a ledger/);
  });

  test('records that no longer reach the first block cannot make a sequence', () => {
    const record = (txId: string, blockNum: number | null) => ({ txId, blockNum }) as TransactionRecord;
    const newestFirst = [record('c', 3), record('q', null), record('b', 2)];
    assert.throws(() => recordedSequence({ height: 3, transactions: () => newestFirst.slice() }, 'all'), IncompleteRecordsError);
    assert.deepEqual(
      recordedSequence({ height: 3, transactions: () => [...newestFirst, record('a', 1)] }, 'all').map((r) => r.txId),
      ['a', 'b', 'q', 'c'],
    );
    assert.deepEqual(
      recordedSequence({ height: 3, transactions: () => [...newestFirst, record('a', 1)] }, 'committed').map((r) => r.txId),
      ['a', 'b', 'c'],
    );
  });
});
