/**
 * A channel's ledger: blocks and state stay one prefix of what was committed. Every committed block
 * is in the block store as Fabric's committer stores it (chained to the genesis block, every
 * transaction with its TxValidationCode), and a crash between the state's log and the store is
 * repaired on open from whichever is behind.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'crypto';
import * as path from 'path';
import { ChannelLedger } from '../../../src/engine/ledger/channelLedger';
import { buildBlock } from '../../../src/engine/ledger/blocks/blockBuilder';
import { readBlock } from '../../../src/engine/ledger/blocks/blockReader';
import { BlockStore } from '../../../src/engine/ledger/blocks/blockStore';
import { channelLedgerDir } from '../../../src/engine/ledger/channelDirectories';
import { WorldState } from '../../../src/engine/ledger/worldState';
import { TxValidationCode } from '../../../src/engine/wire/messages';
import { NS, put, tempDir, text, tx, withEnvelope } from './ledgerTestKit';

describe('ChannelLedger', () => {
  test('a new channel starts with its genesis block; each committed block is stored, chained, with every transaction and its code', async () => {
    const { dir, cleanup } = tempDir('channel');
    try {
      const ledger = await ChannelLedger.open(dir, NS.channel);
      assert.deepEqual([ledger.height, ledger.blocks.height], [0, 1]);
      const genesis = readBlock(await ledger.blocks.getBlock(0));
      assert.equal(genesis.transactions[0].header?.channelId, NS.channel);
      await ledger.commitBlock([withEnvelope(tx('t1', [put('k', '1')]))]);
      const stale = { ...NS, collection: '', key: 'k', version: null };
      const committed = await ledger.commitBlock([withEnvelope(tx('t2', [put('k', '2')])), withEnvelope(tx('t3', [put('k', '3')], { reads: [stale] }))]);
      assert.deepEqual(
        committed.results.map((r) => r.validation),
        ['VALID', 'MVCC_READ_CONFLICT'],
      );
      assert.deepEqual([ledger.height, ledger.blocks.height], [2, 3]);
      const block2 = readBlock(await ledger.blocks.getBlock(2));
      assert.deepEqual(
        block2.transactions.map((t) => [t.header?.txId, t.validationCode]),
        [
          ['t2', TxValidationCode.VALID],
          ['t3', TxValidationCode.MVCC_READ_CONFLICT],
        ],
      );
      assert.deepEqual(block2.previousHash, ledger.blocks.headerHash(1));
      assert.deepEqual(ledger.blocks.findTransaction('t3'), { blockNumber: 2, txIndex: 1, validationCode: TxValidationCode.MVCC_READ_CONFLICT });
      await ledger.close();
      const reopened = await ChannelLedger.open(dir, NS.channel);
      assert.deepEqual([reopened.height, reopened.blocks.height], [2, 3]);
      assert.equal(text(reopened.state.getState(NS, 'k')?.value), '2');
      await reopened.close();
    } finally {
      cleanup();
    }
  });

  test('a block the state logged but the store never got is cut from the state on open', async () => {
    const { dir, cleanup } = tempDir('channel');
    try {
      const ledger = await ChannelLedger.open(dir, NS.channel);
      await ledger.commitBlock([withEnvelope(tx('t1', [put('k', 'stored')]))]);
      await ledger.close();
      // The state's log gets block 2 and the process dies before the store appends it.
      const state = await WorldState.open(path.join(channelLedgerDir(dir, NS.channel), 'state'));
      await state.commitBlock([tx('lost', [put('k', 'never stored')])]);
      await state.close();
      const reopened = await ChannelLedger.open(dir, NS.channel);
      assert.deepEqual([reopened.height, reopened.blocks.height], [1, 2]);
      assert.equal(text(reopened.state.getState(NS, 'k')?.value), 'stored');
      assert.equal(reopened.state.getTransaction('lost'), undefined);
      // The next block takes the number the lost one had.
      assert.equal((await reopened.commitBlock([withEnvelope(tx('t2', [put('k', 'next')]))])).blockNum, 2);
      await reopened.close();
    } finally {
      cleanup();
    }
  });

  test('a block the store has and the state lost (a power loss) is re-applied from the block on open', async () => {
    const { dir, cleanup } = tempDir('channel');
    try {
      const ledger = await ChannelLedger.open(dir, NS.channel);
      await ledger.commitBlock([withEnvelope(tx('t1', [put('a', '1')]))]);
      await ledger.close();
      const request = withEnvelope(tx('t2', [put('a', '2'), put('b', 'new')]));
      const store = await BlockStore.open(path.join(channelLedgerDir(dir, NS.channel), 'blocks'));
      await store.append(buildBlock({ number: 2, previousHash: store.next.previousHash, transactions: [{ envelope: request.envelope!, validationCode: TxValidationCode.VALID }] }));
      await store.close();
      const reopened = await ChannelLedger.open(dir, NS.channel);
      assert.deepEqual([reopened.height, reopened.blocks.height], [2, 3]);
      assert.equal(text(reopened.state.getState(NS, 'a')?.value), '2');
      assert.deepEqual(reopened.state.getState(NS, 'b')?.version, { blockNum: 2, txNum: 0 });
      assert.equal(reopened.state.getTransaction('t2')?.validation, 'VALID');
      await reopened.close();
    } finally {
      cleanup();
    }
  });

  test("a peer outside a collection re-applies a lost block's hashed writes: the block carries the hashes, its store no private data", async () => {
    const { dir, cleanup } = tempDir('channel');
    try {
      const ledger = await ChannelLedger.open(dir, NS.channel);
      await ledger.commitBlock([withEnvelope(tx('t1', [put('a', '1')]))]);
      await ledger.close();
      const request = withEnvelope(tx('t2', [put('k', 'secret', 'coll'), put('gone', null, 'coll')]));
      const store = await BlockStore.open(path.join(channelLedgerDir(dir, NS.channel), 'blocks'));
      await store.append(buildBlock({ number: 2, previousHash: store.next.previousHash, transactions: [{ envelope: request.envelope!, validationCode: TxValidationCode.VALID }] }));
      await store.close();
      const reopened = await ChannelLedger.open(dir, NS.channel);
      assert.equal(reopened.height, 2);
      assert.equal(reopened.state.getPrivateData(NS, 'coll', 'k'), undefined);
      assert.equal(reopened.state.getPrivateDataHash(NS, 'coll', 'k')?.toString('hex'), createHash('sha256').update('secret').digest('hex'));
      assert.deepEqual(reopened.state.getPrivateDataHashEntry(NS, 'coll', 'k')?.version, { blockNum: 2, txNum: 0 });
      assert.equal(reopened.state.getPrivateDataHashEntry(NS, 'coll', 'gone'), undefined);
      await reopened.close();
    } finally {
      cleanup();
    }
  });
});
