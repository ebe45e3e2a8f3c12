/**
 * The peer's answers to range and rich queries at the message level: when a response carries
 * pagination metadata, decided as Fabric's handler decides it (core/chaincode/handler.go).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CommittedState } from '../../../src/engine/ledger/committedState';
import { TxSimulator } from '../../../src/engine/ledger/simulator';
import { handleShimRequest, type ShimRequestOptions } from '../../../src/engine/peer/shimRequests';
import { TransactionContext } from '../../../src/engine/peer/transactionContext';
import { codecs } from '../../../src/engine/wire/codec';
import { MessageType, type QueryResponse } from '../../../src/engine/wire/messages';

const CHANNEL = 'mychannel';
const CC = 'cc';
const TXID = 'a1b2c3d4e5f6';

function state(): CommittedState {
  const s = new CommittedState(10_000);
  const put = (collection: string, key: string, value: string) => ({ channel: CHANNEL, chaincode: CC, collection, key, value: Buffer.from(value) });
  s.apply({
    blockNum: 1,
    txNum: 0,
    txId: 'seed',
    timestamp: 0,
    writes: [put('', 'a', '{"n":1}'), put('', 'b', '{"n":2}'), put('', 'c', '{"n":3}'), put('coll', 'p', '{"n":1}'), put('coll', 'q', '{"n":2}')],
    metadataWrites: [],
  });
  return s;
}

const options: ShimRequestOptions = {
  legacyWire: false,
  invokeChaincode: () => Promise.reject(new Error('not in this test')),
};

/** Sends one request in a fresh transaction; returns the decoded QueryResponse and the simulator. */
async function ask(type: MessageType, payload: Buffer): Promise<{ response: QueryResponse; sim: TxSimulator }> {
  const sim = new TxSimulator(state(), CHANNEL, TXID);
  const ctx = new TransactionContext(CHANNEL, TXID, CC, sim, { proposal_bytes: new Uint8Array(0), signature: new Uint8Array(0) }, 10_000, false);
  try {
    const reply = await handleShimRequest(ctx, { type, payload, txid: TXID, channel_id: CHANNEL }, options);
    return { response: codecs.QueryResponse.decode(reply), sim };
  } finally {
    ctx.fail('test over');
  }
}

const range = (metadata: Uint8Array, collection = '') => codecs.GetStateByRange.encode({ startKey: '', endKey: '', collection, metadata });
const richQuery = (metadata: Uint8Array, collection = '') => codecs.GetQueryResult.encode({ query: '{"selector":{}}', collection, metadata });
const keys = (r: QueryResponse) => r.results.map((row) => codecs.KV.decode(row.resultBytes).key);
const meta = (r: QueryResponse) => {
  const m = codecs.QueryResponseMetadata.decode(r.metadata);
  return { fetched_records_count: m.fetched_records_count, bookmark: m.bookmark };
};

// The Node shim's QueryMetadata for getStateByRangeWithPagination(start, end, "0", ""): google-protobuf
// writes a page size given as a string even when it is "0", so the bytes are not empty.
const PAGE_SIZE_ZERO_SENT = Buffer.from([0x08, 0x00]);

describe('query pagination metadata (Fabric: isMetadataSetForPagination)', () => {
  test('page size 0 with an empty bookmark is an ordinary range query: every row, no metadata', async () => {
    const sent = codecs.QueryMetadata.decode(PAGE_SIZE_ZERO_SENT);
    assert.deepEqual([sent.pageSize, sent.bookmark], [0, '']);
    const { response, sim } = await ask(MessageType.GET_STATE_BY_RANGE, range(PAGE_SIZE_ZERO_SENT));
    assert.deepEqual(keys(response), ['a', 'b', 'c']);
    assert.equal(response.metadata.length, 0, 'no QueryResponseMetadata');
    sim.putState(CC, '', 'k', Buffer.from('v')); // not a paginated query, so writes stay allowed
  });

  test('page size 0 with an empty bookmark is an ordinary rich query too', async () => {
    const { response } = await ask(MessageType.GET_QUERY_RESULT, richQuery(PAGE_SIZE_ZERO_SENT));
    assert.deepEqual(keys(response), ['a', 'b', 'c']);
    assert.equal(response.metadata.length, 0);
  });

  test('a page size or a bookmark makes it paginated, with metadata', async () => {
    const paged = await ask(MessageType.GET_STATE_BY_RANGE, range(codecs.QueryMetadata.encode({ pageSize: 2, bookmark: '' })));
    assert.deepEqual([keys(paged.response), meta(paged.response)], [['a', 'b'], { fetched_records_count: 2, bookmark: 'c' }]);
    const fromBookmark = await ask(MessageType.GET_STATE_BY_RANGE, range(codecs.QueryMetadata.encode({ pageSize: 0, bookmark: 'b' })));
    assert.deepEqual([keys(fromBookmark.response), meta(fromBookmark.response)], [['b', 'c'], { fetched_records_count: 2, bookmark: '' }]);
    assert.throws(() => fromBookmark.sim.putState(CC, '', 'k', Buffer.from('v')), /already performed a paginated query/);
    const rich = await ask(MessageType.GET_QUERY_RESULT, richQuery(codecs.QueryMetadata.encode({ pageSize: 1, bookmark: '' })));
    assert.deepEqual(keys(rich.response), ['a']);
    assert.equal(meta(rich.response).fetched_records_count, 1);
  });

  test('private-data queries ignore pagination metadata, as Fabric serves them unpaginated', async () => {
    const paging = codecs.QueryMetadata.encode({ pageSize: 0, bookmark: 'q' });
    const r = await ask(MessageType.GET_STATE_BY_RANGE, range(paging, 'coll'));
    assert.deepEqual([keys(r.response), r.response.metadata.length], [['p', 'q'], 0]);
    const q = await ask(MessageType.GET_QUERY_RESULT, richQuery(paging, 'coll'));
    assert.deepEqual([keys(q.response), q.response.metadata.length], [['p', 'q'], 0]);
  });
});
