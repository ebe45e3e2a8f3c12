/**
 * qscc (Fabric's core/scc/qscc/query.go) launched as a system chaincode through the in-process VM,
 * called through the transaction pipeline as any chaincode, answering from a real block store.
 * Answers are decoded with fabric-protos' own classes; error texts are Fabric's.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { common, peer as peerProtos } from '@hyperledger/fabric-protos';
import { resolveConfig } from '../../../src/engine/config';
import { Engine } from '../../../src/engine/engine';
import { BlockStore } from '../../../src/engine/ledger/blocks/blockStore';
import type { BuiltBlock } from '../../../src/engine/ledger/blocks/blockBuilder';
import { SYSTEM_CHAINCODE_VERSION } from '../../../src/engine/chaincodeId';
import { LedgerQuerier, QSCC_NAME } from '../../../src/engine/scc/qscc';
import { buildProposal } from '../../../src/engine/transactions/proposal';
import { codecs } from '../../../src/engine/wire/codec';
import { TxValidationCode } from '../../../src/engine/wire/messages';
import { chain, txIdOf } from '../ledger/blocks/blockTestKit';
import { startGatewayPeer, type GatewayPeer } from '../../support/gatewayPeer';

describe('qscc', () => {
  let dir: string;
  let engine: Engine;
  let store: BlockStore;
  let blocks: BuiltBlock[];

  const qscc = async (...args: string[]): Promise<{ status: number; message: string; payload: Buffer }> =>
    engine.transactions.execute({ chaincode: QSCC_NAME, args, kind: 'query' });

  before(async () => {
    dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'ccl-qscc-'));
    store = await BlockStore.open(path.join(dir, 'blocks'));
    blocks = chain(3);
    for (const b of blocks) await store.append(b);
    engine = await Engine.start(resolveConfig({ dataDir: path.join(dir, 'peer'), peerPort: 0, gatewayPort: null, mode: 'net' }));
    engine.registerSystemChaincode(QSCC_NAME, new LedgerQuerier((channel) => (channel === 'mychannel' ? store : undefined)));
    await engine.launcher.launch({ kind: 'deployment', definition: { name: QSCC_NAME, version: SYSTEM_CHAINCODE_VERSION, mode: 'system', language: 'node', path: QSCC_NAME } });
  });

  after(async () => {
    await engine?.dispose();
    await store?.close();
    await fs.promises.rm(dir, { recursive: true, force: true });
  });

  test('runs in process, as qscc:syscc', () => {
    const handler = engine.peer.handlers().find((h) => h.chaincodeId === `${QSCC_NAME}:${SYSTEM_CHAINCODE_VERSION}`);
    assert.equal(handler?.connection, 'inproc');
    assert.equal(handler?.state, 'ready');
  });

  test('GetChainInfo: height, current and previous block hashes (common.BlockchainInfo)', async () => {
    const r = await qscc('GetChainInfo', 'mychannel');
    assert.equal(r.status, 200, r.message);
    const info = common.BlockchainInfo.deserializeBinary(r.payload);
    assert.equal(info.getHeight(), 4);
    assert.deepEqual(Buffer.from(info.getCurrentblockhash_asU8()), blocks[3].headerHash);
    assert.deepEqual(Buffer.from(info.getPreviousblockhash_asU8()), blocks[2].headerHash);
  });

  test('GetBlockByNumber: the block as stored; MaxUint64 is the last block', async () => {
    const r = await qscc('GetBlockByNumber', 'mychannel', '2');
    assert.equal(r.status, 200, r.message);
    assert.deepEqual(r.payload, blocks[2].bytes);
    assert.equal(common.Block.deserializeBinary(r.payload).getHeader()?.getNumber(), 2);
    const last = await qscc('GetBlockByNumber', 'mychannel', '18446744073709551615');
    assert.deepEqual(last.payload, blocks[3].bytes);
  });

  test('GetBlockByHash and GetBlockByTxID find the block', async () => {
    // The hash is an argument of raw bytes, as the peer CLI and the SDKs send it.
    const r = await engine.transactions.execute({ chaincode: QSCC_NAME, args: [Buffer.from('GetBlockByHash'), Buffer.from('mychannel'), blocks[1].headerHash], kind: 'query' });
    assert.equal(r.status, 200, r.message);
    assert.deepEqual(r.payload, blocks[1].bytes);
    const byTx = await qscc('GetBlockByTxID', 'mychannel', txIdOf('3.1'));
    assert.equal(byTx.status, 200, byTx.message);
    assert.deepEqual(byTx.payload, blocks[3].bytes);
  });

  test('GetTransactionByID: the envelope and its validation code (protos.ProcessedTransaction)', async () => {
    const r = await qscc('GetTransactionByID', 'mychannel', txIdOf('2.2'));
    assert.equal(r.status, 200, r.message);
    const processed = peerProtos.ProcessedTransaction.deserializeBinary(r.payload);
    assert.equal(processed.getValidationcode(), TxValidationCode.MVCC_READ_CONFLICT);
    const envelope = codecs.Block.decode(blocks[2].bytes).data?.data?.[2];
    assert.deepEqual(Buffer.from(processed.getTransactionenvelope()!.serializeBinary()), Buffer.from(envelope!));
  });

  test("Fabric's errors: missing data, bad numbers, unknown channel and function, too few arguments", async () => {
    const cases: [string[], string][] = [
      [['GetBlockByNumber', 'mychannel', '99'], 'Failed to get block number 99, error no such block number [99] in index'],
      [['GetBlockByNumber', 'mychannel', 'abc'], 'Failed to parse block number with error strconv.ParseUint: parsing "abc": invalid syntax'],
      [['GetTransactionByID', 'mychannel', 'nope'], 'Failed to get transaction with id nope, error no such transaction ID [nope] in index'],
      [['GetBlockByTxID', 'mychannel', 'nope'], 'Failed to get block for txID nope, error no such transaction ID [nope] in index'],
      [['GetChainInfo', 'otherchannel'], 'Invalid chain ID, otherchannel'],
      [['GetBlockByNumber', 'mychannel'], 'missing 3rd argument for GetBlockByNumber'],
      [['GetChainInfo'], 'Incorrect number of arguments, 1'],
      [['Nope', 'mychannel', 'x'], 'Requested function Nope not found.'],
    ];
    for (const [args, message] of cases) {
      const r = await qscc(...args);
      assert.equal(r.status, 500, args.join(' '));
      assert.equal(r.message, message);
    }
  });

  test('refuses a call that another chaincode relayed (the proposal names another chaincode)', async () => {
    const proposal = buildProposal({ channel: 'mychannel', chaincodeName: 'basic', args: [], transient: {}, isInit: false, creator: Buffer.from('creator') });
    const r = await new LedgerQuerier(() => store).invoke({
      txId: proposal.txId,
      channel: 'mychannel',
      args: ['GetChainInfo', 'mychannel'].map((a) => Buffer.from(a)),
      signedProposal: proposal.signed,
      getState: () => Promise.reject(new Error('unused')),
      putState: () => Promise.reject(new Error('unused')),
    });
    assert.equal(r.status, 500);
    assert.equal(r.message, "Rejecting invoke of QSCC from another chaincode because of potential for deadlocks, original invocation for 'basic'");
  });
});

describe('qscc through the Gateway, as clients call it', { timeout: 120_000 }, () => {
  let peer: GatewayPeer;

  before(async () => {
    peer = await startGatewayPeer();
  });

  after(async () => {
    await peer?.stop();
  });

  test("contract('qscc').evaluateTransaction: chain info, a block by number, a transaction by id", async () => {
    const network = peer.connect().gateway.getNetwork('mychannel');
    const commit = await network.getContract('basic').submitAsync('InitLedger');
    const status = await commit.getStatus();
    const qscc = network.getContract('qscc');
    const info = common.BlockchainInfo.deserializeBinary(await qscc.evaluateTransaction('GetChainInfo', 'mychannel'));
    assert.equal(info.getHeight(), Number(status.blockNumber) + 1);
    const block = common.Block.deserializeBinary(await qscc.evaluateTransaction('GetBlockByNumber', 'mychannel', String(status.blockNumber)));
    assert.equal(block.getHeader()?.getNumber(), Number(status.blockNumber));
    const processed = peerProtos.ProcessedTransaction.deserializeBinary(await qscc.evaluateTransaction('GetTransactionByID', 'mychannel', commit.getTransactionId()));
    assert.equal(processed.getValidationcode(), TxValidationCode.VALID);
    const byTx = common.Block.deserializeBinary(await qscc.evaluateTransaction('GetBlockByTxID', 'mychannel', commit.getTransactionId()));
    assert.equal(byTx.getHeader()?.getNumber(), Number(status.blockNumber));
    await assert.rejects(
      qscc.evaluateTransaction('GetBlockByNumber', 'mychannel', '999'),
      (err: { code?: number; message?: string }) =>
        err.code === 2 && /chaincode response 500, Failed to get block number 999, error no such block number \[999\] in index/.test(err.message ?? ''),
    );
  });
});
