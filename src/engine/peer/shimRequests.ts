/**
 * What the peer does for each request a shim sends during a transaction (Fabric 2.x
 * core/chaincode/handler.go Handle*): decode the payload, act on the transaction's simulator, and
 * return the RESPONSE payload. A thrown error becomes an ERROR reply naming the request.
 */
import { codecs, timestampOf } from '../wire/codec';
import { ChaincodeMessage, MessageType, messageTypeName, QueryMetadata, WriteRecordType } from '../wire/messages';
import type { HistoryEntry, QueryPage, StateEntry } from '../ledger/types';
import type { QueryIterator, TransactionContext } from './transactionContext';
import { keptCopy } from '../util/bytes';

/** Fabric's MaxResultLimit: rows per QueryResponse before the shim must ask QUERY_STATE_NEXT. */
export const QUERY_BATCH_SIZE = 100;

const EMPTY = Buffer.alloc(0);

/** Calls another chaincode on this peer within the caller's transaction (INVOKE_CHAINCODE). */
export type InvokeChaincode = (ctx: TransactionContext, target: { name: string; channel: string }, args: Uint8Array[]) => Promise<ChaincodeMessage>;

export interface ShimRequestOptions {
  /** 1.0 shims send GET_STATE / DEL_STATE payloads as raw key bytes (no channel id on the wire). */
  readonly legacyWire: boolean;
  readonly invokeChaincode: InvokeChaincode;
}

/** Request types a shim may send while a transaction runs. */
export const SHIM_REQUEST_TYPES: ReadonlySet<MessageType> = new Set([
  MessageType.GET_STATE,
  MessageType.PUT_STATE,
  MessageType.DEL_STATE,
  MessageType.INVOKE_CHAINCODE,
  MessageType.GET_STATE_BY_RANGE,
  MessageType.GET_QUERY_RESULT,
  MessageType.QUERY_STATE_NEXT,
  MessageType.QUERY_STATE_CLOSE,
  MessageType.GET_HISTORY_FOR_KEY,
  MessageType.GET_STATE_METADATA,
  MessageType.PUT_STATE_METADATA,
  MessageType.GET_PRIVATE_DATA_HASH,
  MessageType.PURGE_PRIVATE_DATA,
  MessageType.WRITE_BATCH_STATE,
  MessageType.GET_STATE_MULTIPLE,
]);

function keyFrom(payload: Uint8Array, legacyWire: boolean, decode: () => { key: string; collection: string }): { key: string; collection: string } {
  return legacyWire ? { key: Buffer.from(payload).toString('utf8'), collection: '' } : decode();
}

function readValue(ctx: TransactionContext, collection: string, key: string): Buffer | undefined {
  return collection ? ctx.simulator.getPrivateData(ctx.namespace, collection, key) : ctx.simulator.getState(ctx.namespace, key);
}

function write(ctx: TransactionContext, collection: string, key: string, value: Uint8Array): void {
  ctx.simulator.putState(ctx.namespace, collection, key, keptCopy(value));
}

/**
 * The pagination a range or rich query asks for, or null for an ordinary query, as Fabric's
 * handler decides (core/chaincode/handler.go isMetadataSetForPagination): a page size of 0 with
 * an empty bookmark is no pagination, and the response then carries no metadata. The Node shim
 * encodes a page size given as the string "0" explicitly, so the metadata bytes are not empty.
 * Fabric serves private-data queries unpaginated whatever the metadata says.
 */
function paging(metadata: Uint8Array, collection: string): QueryMetadata | null {
  if (collection !== '' || !metadata || metadata.length === 0) return null;
  const m = codecs.QueryMetadata.decode(metadata);
  if (m.pageSize === 0 && m.bookmark === '') return null;
  return { pageSize: m.pageSize, bookmark: m.bookmark };
}

function kvRows(namespace: string, page: QueryPage<StateEntry>): Buffer[] {
  return page.rows.map((row) => codecs.KV.encode({ namespace, key: row.key, value: row.value }));
}

function historyRows(entries: readonly HistoryEntry[]): Buffer[] {
  return entries.map((e) => codecs.KeyModification.encode({ tx_id: e.txId, value: e.value, timestamp: timestampOf(e.timestamp), is_delete: e.isDelete }));
}

/** Opens an iterator and answers with its first batch. */
function openIterator(ctx: TransactionContext, rows: Buffer[], metadata: Buffer): Buffer {
  const id = ctx.newIteratorId();
  const iterator: QueryIterator = { rows, offset: 0, metadata };
  ctx.iterators.set(id, iterator);
  return nextBatch(ctx, id, iterator);
}

function nextBatch(ctx: TransactionContext, id: string, iterator: QueryIterator): Buffer {
  const batch = iterator.rows.slice(iterator.offset, iterator.offset + QUERY_BATCH_SIZE);
  iterator.offset += batch.length;
  const hasMore = iterator.offset < iterator.rows.length;
  if (!hasMore) ctx.iterators.delete(id);
  return codecs.QueryResponse.encode({
    results: batch.map((resultBytes) => ({ resultBytes })),
    has_more: hasMore,
    id,
    metadata: iterator.metadata,
  });
}

function pageMetadata(page: QueryPage<unknown>, paginated: boolean): Buffer {
  if (!paginated) return EMPTY;
  return codecs.QueryResponseMetadata.encode({ fetched_records_count: page.rows.length, bookmark: page.bookmark });
}

/** Parses INVOKE_CHAINCODE's target: "cc", "cc/channel" or "cc:version/channel" (Fabric's ParseName). */
export function parseInvokeTarget(name: string, callerChannel: string): { name: string; channel: string } {
  const slash = name.indexOf('/');
  const id = slash >= 0 ? name.slice(0, slash) : name;
  const channel = slash >= 0 ? name.slice(slash + 1) : '';
  return { name: id, channel: channel || callerChannel };
}

/** Handles one shim request; returns the RESPONSE payload or throws (→ ERROR). */
export async function handleShimRequest(ctx: TransactionContext, msg: ChaincodeMessage, options: ShimRequestOptions): Promise<Buffer> {
  const sim = ctx.simulator;
  const ns = ctx.namespace;
  switch (msg.type) {
    case MessageType.GET_STATE: {
      const { key, collection } = keyFrom(msg.payload, options.legacyWire, () => codecs.GetState.decode(msg.payload));
      return readValue(ctx, collection, key) ?? EMPTY;
    }
    case MessageType.GET_PRIVATE_DATA_HASH: {
      const { key, collection } = codecs.GetState.decode(msg.payload);
      if (!collection) throw new Error('a collection is required for private data');
      return sim.getPrivateDataHash(ns, collection, key) ?? EMPTY;
    }
    case MessageType.GET_STATE_MULTIPLE: {
      const { keys, collection } = codecs.GetStateMultiple.decode(msg.payload);
      return codecs.GetStateMultipleResult.encode({ values: keys.map((k) => readValue(ctx, collection, k) ?? EMPTY) });
    }
    case MessageType.PUT_STATE: {
      // PutState is wire-compatible with 1.0's PutStateInfo{key, value}.
      const { key, value, collection } = codecs.PutState.decode(msg.payload);
      write(ctx, collection, key, value);
      return EMPTY;
    }
    case MessageType.DEL_STATE: {
      const { key, collection } = keyFrom(msg.payload, options.legacyWire, () => codecs.DelState.decode(msg.payload));
      sim.delState(ns, collection, key);
      return EMPTY;
    }
    case MessageType.PURGE_PRIVATE_DATA: {
      const { key, collection } = codecs.PurgePrivateState.decode(msg.payload);
      if (!collection) throw new Error('a collection is required to purge private data');
      sim.purgePrivateData(ns, collection, key);
      return EMPTY;
    }
    case MessageType.GET_STATE_METADATA: {
      const { key, collection } = codecs.GetStateMetadata.decode(msg.payload);
      const metadata = sim.getStateMetadata(ns, collection, key);
      return codecs.StateMetadataResult.encode({
        entries: Object.keys(metadata)
          .sort()
          .map((metakey) => ({ metakey, value: metadata[metakey] })),
      });
    }
    case MessageType.PUT_STATE_METADATA: {
      const { key, collection, metadata } = codecs.PutStateMetadata.decode(msg.payload);
      if (!metadata?.metakey) throw new Error('metadata with a metakey is required');
      sim.putStateMetadata(ns, collection, key, metadata.metakey, keptCopy(metadata.value));
      return EMPTY;
    }
    case MessageType.WRITE_BATCH_STATE: {
      for (const rec of codecs.WriteBatchState.decode(msg.payload).rec) {
        if (rec.type === WriteRecordType.PUT_STATE) write(ctx, rec.collection, rec.key, rec.value);
        else if (rec.type === WriteRecordType.DEL_STATE) sim.delState(ns, rec.collection, rec.key);
        else if (rec.type === WriteRecordType.PURGE_PRIVATE_DATA) sim.purgePrivateData(ns, rec.collection, rec.key);
        else if (rec.type === WriteRecordType.PUT_STATE_METADATA && rec.metadata)
          sim.putStateMetadata(ns, rec.collection, rec.key, rec.metadata.metakey, keptCopy(rec.metadata.value));
        else throw new Error(`unknown write record type ${rec.type}`);
      }
      return EMPTY;
    }
    case MessageType.GET_STATE_BY_RANGE: {
      const req = codecs.GetStateByRange.decode(msg.payload);
      const paging_ = paging(req.metadata, req.collection);
      const page = sim.getStateRange(ns, req.collection, req.startKey, req.endKey, paging_ ?? undefined);
      return openIterator(ctx, kvRows(ns, page), pageMetadata(page, paging_ !== null));
    }
    case MessageType.GET_QUERY_RESULT: {
      const req = codecs.GetQueryResult.decode(msg.payload);
      const paging_ = paging(req.metadata, req.collection);
      const page = sim.getQueryResult(ns, req.collection, req.query, paging_ ?? undefined);
      return openIterator(ctx, kvRows(ns, page), pageMetadata(page, paging_ !== null));
    }
    case MessageType.GET_HISTORY_FOR_KEY: {
      const { key } = codecs.GetHistoryForKey.decode(msg.payload);
      return openIterator(ctx, historyRows(sim.getHistory(ns, key)), EMPTY);
    }
    case MessageType.QUERY_STATE_NEXT: {
      const { id } = codecs.QueryStateNext.decode(msg.payload);
      const iterator = ctx.iterators.get(id);
      if (!iterator) throw new Error(`query iterator not found: ${id}`);
      return nextBatch(ctx, id, iterator);
    }
    case MessageType.QUERY_STATE_CLOSE: {
      const { id } = codecs.QueryStateClose.decode(msg.payload);
      ctx.iterators.delete(id);
      return codecs.QueryResponse.encode({ results: [], has_more: false, id });
    }
    case MessageType.INVOKE_CHAINCODE: {
      const spec = codecs.ChaincodeSpec.decode(msg.payload);
      const name = spec.chaincode_id?.name ?? '';
      if (!name) throw new Error('INVOKE_CHAINCODE needs a chaincode name');
      const target = parseInvokeTarget(name, ctx.channel);
      const final = await options.invokeChaincode(ctx, target, spec.input?.args ?? []);
      // The shim expects the callee's whole final message, not a bare Response.
      return codecs.ChaincodeMessage.encode(final);
    }
    default:
      throw new Error(`the peer does not handle ${messageTypeName(msg.type)} during a transaction`);
  }
}
