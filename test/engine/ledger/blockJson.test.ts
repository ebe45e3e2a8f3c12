/**
 * A stored block as readable JSON (the editor's block documents): the header's hashes as the store
 * chained them, each transaction's header, creator, chaincode input, response and read/write set,
 * and the validation code the committing peer recorded (Fabric's TxValidationCode names).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChannelLedger } from '../../../src/engine/ledger/channelLedger';
import { blockToJson } from '../../../src/engine/ledger/blocks/blockJson';
import { NS, put, tempDir, tx, withEnvelope } from './ledgerTestKit';

test('a committed block decodes to its transactions, read/write sets and validation codes; the genesis block to its config transaction', async () => {
  const { dir, cleanup } = tempDir('block-json');
  try {
    const ledger = await ChannelLedger.open(dir, NS.channel);
    await ledger.commitBlock([withEnvelope(tx('t1', [put('asset1', '{"Owner":"Tomoko"}')]))]);
    const stale = { channel: NS.channel, chaincode: NS.chaincode, collection: '', key: 'asset1', version: null };
    await ledger.commitBlock([withEnvelope(tx('t2', [put('asset1', '{"Owner":"Max"}')])), withEnvelope(tx('t3', [put('asset1', 'lost')], { reads: [stale] }))]);

    const genesis = blockToJson(await ledger.blocks.getBlock(0));
    assert.equal(genesis.number, 0);
    assert.equal(genesis.transactions[0].type, 'CONFIG');

    const one = blockToJson(await ledger.blocks.getBlock(1));
    assert.equal(one.header.previous_hash, ledger.blocks.headerHash(0).toString('hex'), 'chained to the genesis block');
    const [t1] = one.transactions;
    assert.deepEqual([t1.type, t1.tx_id, t1.channel_id, t1.validation_code], ['ENDORSER_TRANSACTION', 't1', 'mychannel', 'VALID']);
    assert.equal((t1.creator as { mspid: string }).mspid, 'Org1MSP');
    const [action] = t1.actions as { chaincode_id: { name: string }; input: { args: string[] }; response: { status: number }; rwset: { writes: unknown[] } }[];
    assert.equal(action.chaincode_id.name, 'basic');
    assert.deepEqual(action.input.args, ['put']);
    assert.equal(action.response.status, 200);
    assert.deepEqual(action.rwset.writes, [{ namespace: 'basic', key: 'asset1', value: '{"Owner":"Tomoko"}' }]);

    const two = blockToJson(await ledger.blocks.getBlock(2));
    assert.deepEqual(
      two.transactions.map((t) => [t.tx_id, t.validation_code]),
      [
        ['t2', 'VALID'],
        ['t3', 'MVCC_READ_CONFLICT'],
      ],
      'an invalid transaction is in its block, marked',
    );
    await ledger.close();
  } finally {
    cleanup();
  }
});

test('bytes that do not decode as a block are an error', () => {
  assert.throws(() => blockToJson(Buffer.from([0xff, 0xff, 0xff])));
});
