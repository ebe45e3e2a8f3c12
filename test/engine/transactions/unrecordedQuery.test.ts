/**
 * An evaluation a tool makes for itself (the editor's contract-metadata lookup) runs like any query
 * but is not kept among the transaction records nor announced; a submitted transaction cannot opt
 * out. A real fabric-contract-api chaincode (the example) on a real peer.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Peer } from '../../../src/engine/peer/peer';
import { TransactionPipeline } from '../../../src/engine/transactions/pipeline';
import type { TransactionEnded, TransactionStarted } from '../../../src/engine/transactions/types';
import { EXAMPLE_CHAINCODE, RunningProcess, startContractChaincode } from '../../support/nodeChaincode';

const CC = 'assets:1.0';
const GET_METADATA = 'org.hyperledger.fabric:GetMetadata';

describe('transaction pipeline: unrecorded evaluations', () => {
  let peer: Peer;
  let pipeline: TransactionPipeline;
  let dataDir: string;
  let chaincode: RunningProcess;
  const started: TransactionStarted[] = [];
  const ended: TransactionEnded[] = [];

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'peer-unrecorded-'));
    peer = await Peer.start({ dataDir, port: 0 });
    pipeline = new TransactionPipeline(peer);
    pipeline.onDidStartTransaction((e) => started.push(e));
    pipeline.onDidEndTransaction((e) => ended.push(e));
    chaincode = startContractChaincode(EXAMPLE_CHAINCODE, CC, peer.address);
    await peer.waitForReady(CC, 30_000).catch((e: Error) => {
      throw new Error(`${e.message}\n${chaincode.output()}`);
    });
  });

  after(async () => {
    await chaincode.kill();
    await peer.stop();
    pipeline.dispose();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('record: false answers the query, and leaves no record and no event', async () => {
    const r = await pipeline.execute({ chaincode: CC, args: [GET_METADATA], kind: 'query', record: false });
    assert.equal(r.status, 200, r.message);
    assert.equal(r.validation, 'NOT_VALIDATED');
    assert.ok(JSON.parse(r.payload.toString()).contracts.AssetTransfer, 'the metadata came back');
    assert.deepEqual(pipeline.transactions(), [], 'no record kept');
    assert.equal(pipeline.transaction(r.txId), undefined);
    assert.deepEqual([started.length, ended.length], [0, 0], 'no start or end announced');
  });

  test('the same query recorded (the default) is kept and announced', async () => {
    const r = await pipeline.execute({ chaincode: CC, args: [GET_METADATA], kind: 'query' });
    assert.equal(pipeline.transaction(r.txId)?.fn, GET_METADATA);
    assert.deepEqual([started.length, ended.length], [1, 1]);
  });

  test('an invoke cannot go unrecorded: it is refused before it runs', async () => {
    const before = pipeline.transactions().length;
    await assert.rejects(pipeline.execute({ chaincode: CC, args: ['InitLedger'], record: false }), {
      name: 'TypeError',
      message: 'only an evaluation can go unrecorded, not an invoke',
    });
    assert.equal(pipeline.transactions().length, before);
    assert.equal(peer.ledger().state.namespaces().length, 0, 'nothing was written');
  });
});
