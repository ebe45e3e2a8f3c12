/**
 * What the read-only documents show: a state key's value and history, a transaction's read set,
 * write set and event, an invocation's result. JSON a person can read (values pretty-printed when
 * they are JSON). No vscode here.
 */
import type { HistoryEntry, ReadWriteSet, StateEntry, TransactionRecord } from '../../engine/ledger/types';
import type { EndorserOutput } from '../../engine/transactions/endorsers';
import type { ExecuteResult } from '../../engine/transactions/types';
import { callerLabel } from '../identities/identityRef';
import { decodeCompositeKey } from '../tree/worldState/model';

/** A value as JSON data: parsed when it is JSON, text when it is text, `base64:…` otherwise. */
export function valueData(value: Buffer | null): unknown {
  if (value === null) return null;
  const text = value.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(value)) return `base64:${value.toString('base64')}`;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function keyData(key: string): unknown {
  const ck = decodeCompositeKey(key);
  return ck ? { compositeKey: ck, raw: key } : key;
}

export function renderStateKey(channel: string, chaincode: string, key: string, entry: StateEntry | undefined, history: readonly HistoryEntry[]): string {
  return JSON.stringify(
    {
      channel,
      chaincode,
      key: keyData(key),
      ...(entry ? { version: `${entry.version.blockNum}:${entry.version.txNum}`, value: valueData(entry.value) } : { deleted: true }),
      history: history.map((h) => ({ txId: h.txId, time: new Date(h.timestamp).toISOString(), ...(h.isDelete ? { deleted: true } : { value: valueData(h.value) }) })),
    },
    null,
    2,
  );
}

function rwsetData(rw: ReadWriteSet): unknown {
  return {
    reads: rw.reads.map((r) => ({
      ...(r.collection ? { collection: r.collection } : {}),
      key: keyData(r.key),
      version: r.version ? `${r.version.blockNum}:${r.version.txNum}` : null,
      namespace: r.chaincode,
    })),
    writes: rw.writes.map((w) => ({
      ...(w.collection ? { collection: w.collection } : {}),
      key: keyData(w.key),
      ...(w.value === null ? { delete: true } : { value: valueData(w.value) }),
      ...(w.purge ? { purge: true } : {}),
      namespace: w.chaincode,
    })),
    ...(rw.metadataWrites.length ? { metadataWrites: rw.metadataWrites.map((m) => ({ key: keyData(m.key), metakey: m.metakey, value: valueData(m.value) })) } : {}),
  };
}

export function renderTransaction(r: TransactionRecord): string {
  return JSON.stringify(
    {
      txId: r.txId,
      kind: r.kind,
      channel: r.channel,
      chaincode: r.chaincode,
      function: r.fn,
      args: r.args,
      caller: callerLabel(r.creator),
      creator: r.creator,
      started: new Date(r.startedAt).toISOString(),
      durationMs: r.durationMs,
      status: r.status,
      ...(r.message ? { message: r.message } : {}),
      result: valueData(r.payload),
      validation: r.validation,
      block: r.blockNum,
      ...(rwsetData(r.rwset) as object),
      event: r.event ? { name: r.event.eventName, payload: valueData(r.event.payload) } : null,
    },
    null,
    2,
  );
}

/** What a result document shows: the embedded peer's ExecuteResult, or a connected network's result (with where it ran). */
export type ResultView = Pick<ExecuteResult, 'status' | 'message' | 'payload' | 'txId' | 'durationMs' | 'mismatches'> & {
  readonly validation: string;
  readonly event: { readonly eventName: string; readonly payload: Buffer } | null;
  /** The network it ran on, when not the embedded peer. */
  readonly network?: string;
  /** A network transaction as its committed block has it: block number and read/write sets per chaincode. */
  readonly committed?: { readonly blockNumber: number; readonly readWriteSets: readonly { readonly chaincode: string; readonly rwset: ReadWriteSet }[] };
};

/** `caller`: who the transaction was sent as (`Org1MSP/User1`). */
export function renderResult(fn: string, args: readonly string[], r: ResultView, caller?: string): string {
  return JSON.stringify(
    {
      ...(r.network ? { network: r.network } : {}),
      function: fn,
      args,
      ...(caller ? { caller } : {}),
      status: r.status,
      ...(r.message ? { message: r.message } : {}),
      result: valueData(r.payload),
      txId: r.txId,
      validation: r.validation,
      durationMs: r.durationMs,
      ...(r.event ? { event: { name: r.event.eventName, payload: valueData(r.event.payload) } } : {}),
      ...(r.committed
        ? { block: r.committed.blockNumber, readWriteSets: r.committed.readWriteSets.map((s) => ({ chaincode: s.chaincode, ...(rwsetData(s.rwset) as object) })) }
        : {}),
      // Each endorser that disagrees with the first, and how (Fabric's gateway logs the same list).
      ...(r.mismatches?.length
        ? {
            endorsements: r.mismatches.map((m) => ({
              peers: [m.initial.peer, m.invoked.peer],
              differences: m.differences.map((d) => ({
                type: d.type,
                ...(d.namespace !== undefined ? { namespace: d.namespace } : {}),
                ...(d.collection !== undefined ? { collection: d.collection } : {}),
                ...(d.key !== undefined ? { key: keyData(d.key) } : {}),
                [m.initial.peer]: d.initial,
                [m.invoked.peer]: d.invoked,
              })),
            })),
          }
        : {}),
    },
    null,
    2,
  );
}

/** What one endorsing peer computed for a transaction: one side of a non-determinism diff. */
export function renderEndorserOutput(o: EndorserOutput): string {
  return JSON.stringify(
    {
      peer: o.peer,
      mspId: o.mspId,
      status: o.response.status,
      ...(o.response.message ? { message: o.response.message } : {}),
      result: valueData(o.response.payload),
      ...(rwsetData(o.readWriteSet) as object),
      event: o.event ? { name: o.event.eventName, payload: valueData(o.event.payload) } : null,
    },
    null,
    2,
  );
}

/** The payload alone, pretty-printed when it is JSON. */
export function prettyPayload(payload: Buffer): string {
  const data = valueData(payload);
  return typeof data === 'string' ? data : JSON.stringify(data, null, 2);
}
