/**
 * Snapshot files: the whole committed state (entries, history, recent transaction records) as a
 * sequence of frames ending with an `end` frame. Written to a temporary file, synced, renamed and
 * the directory synced, so a snapshot file that exists under its final name is complete.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { StateView } from './committedState';
import { readFrames, writeFrame } from './frames';
import { snapshotPath, syncDirectory } from './ledgerFiles';
import type { HistoryEntry, Namespace, StateEntry, TransactionRecord } from './types';
import { ByteWriter } from './valueCodec';

const FORMAT = 'chaincode-launcher/world-state-snapshot';
/**
 * 3: a space may hold a collection's hash entries (`hashed`), which an older reader would take for
 * plaintext. 2 (still read): history rows carry each change's version; 1 (still read) did not.
 */
const VERSION = 3;
const READABLE_VERSIONS: readonly number[] = [1, 2, 3];
const ROWS_PER_FRAME = 1000;
const FLUSH_BYTES = 1 << 20;

type EntryRow = [key: string, value: Buffer, blockNum: number, txNum: number, metadata: Record<string, Buffer>];
/** A change as version 1 wrote it, and as version 2 writes it (with blockNum and txNum). */
type HistoryChange = [txId: string, value: Buffer, timestamp: number, isDelete: boolean, blockNum?: number, txNum?: number];
type HistoryRow = [key: string, changes: HistoryChange[]];

type SnapshotFrame =
  | { t: 'header'; format: string; version: number; gen: number; height: number }
  | { t: 'space'; channel: string; chaincode: string; collection: string; hashed?: true; rows: EntryRow[] }
  | { t: 'history'; channel: string; chaincode: string; rows: HistoryRow[] }
  | { t: 'records'; records: TransactionRecord[] }
  | { t: 'end'; frames: number };

/** Writes snapshot `gen`, yielding to the event loop between chunks so reads and commits go on. */
export async function writeSnapshot(dir: string, gen: number, view: StateView, records: readonly TransactionRecord[]): Promise<number> {
  const final = snapshotPath(dir, gen);
  const temp = `${final}.tmp`;
  const handle = await fs.promises.open(temp, 'w');
  let bytes = 0;
  try {
    const w = new ByteWriter(FLUSH_BYTES * 2);
    let frames = 0;
    const put = async (frame: SnapshotFrame): Promise<void> => {
      writeFrame(w, frame);
      frames++;
      if (w.length >= FLUSH_BYTES) await flush();
    };
    const flush = async (): Promise<void> => {
      await handle.write(w.bytes());
      bytes += w.length;
      w.reset();
      await new Promise<void>((resolve) => setImmediate(resolve));
    };
    await put({ t: 'header', format: FORMAT, version: VERSION, gen, height: view.height });
    for (const { ns, collection, hashed, entries } of view.spaces) {
      for (const rows of chunks(entries)) {
        const encoded = rows.map((e): EntryRow => [e.key, e.value, e.version.blockNum, e.version.txNum, e.metadata]);
        await put({ t: 'space', channel: ns.channel, chaincode: ns.chaincode, collection, ...(hashed ? { hashed } : {}), rows: encoded });
      }
    }
    for (const rows of chunks(view.histories)) {
      // Histories of one frame may span namespaces; group per namespace to keep frames simple.
      for (const [ns, list] of groupByNamespace(rows)) {
        const encoded = list.map(({ key, list: changes, length }): HistoryRow => [
          key,
          changes
            .slice(0, length)
            .map((h): HistoryChange => (h.version ? [h.txId, h.value, h.timestamp, h.isDelete, h.version.blockNum, h.version.txNum] : [h.txId, h.value, h.timestamp, h.isDelete])),
        ]);
        await put({ t: 'history', channel: ns.channel, chaincode: ns.chaincode, rows: encoded });
      }
    }
    for (const list of chunks(records)) await put({ t: 'records', records: list });
    writeFrame(w, { t: 'end', frames } satisfies SnapshotFrame);
    await flush();
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.promises.rename(temp, final);
  await syncDirectory(path.dirname(final));
  return bytes;
}

export interface SnapshotSink {
  /** `hashed`: a collection's hash entries (see CommittedState). */
  entries(ns: Namespace, collection: string, entries: StateEntry[], hashed: boolean): void;
  history(ns: Namespace, key: string, changes: HistoryEntry[]): void;
  record(record: TransactionRecord): void;
}

export class DamagedSnapshotError extends Error {
  constructor(file: string, detail: string, options?: ErrorOptions) {
    super(`world state snapshot ${file} is damaged (${detail}); move the ledger directory aside to start afresh`, options);
    this.name = 'DamagedSnapshotError';
  }
}

/** Loads a snapshot into `sink`; returns its chain height and size in bytes. */
export async function readSnapshot(file: string, sink: SnapshotSink): Promise<{ height: number; bytes: number }> {
  const buf = await fs.promises.readFile(file);
  let scan;
  try {
    scan = readFrames(buf);
  } catch (err) {
    throw new DamagedSnapshotError(file, (err as Error).message, { cause: err });
  }
  const frames = scan.values as SnapshotFrame[];
  const header = frames[0];
  const end = frames[frames.length - 1];
  if (scan.validLength !== buf.length || header?.t !== 'header' || end?.t !== 'end' || end.frames !== frames.length - 1) {
    throw new DamagedSnapshotError(file, 'incomplete');
  }
  if (header.format !== FORMAT || !READABLE_VERSIONS.includes(header.version)) throw new DamagedSnapshotError(file, `unknown format ${header.format} v${header.version}`);
  for (const frame of frames) {
    if (frame.t === 'space') {
      const ns = { channel: frame.channel, chaincode: frame.chaincode };
      const entries = frame.rows.map(([key, value, blockNum, txNum, metadata]): StateEntry => ({ key, value, version: { blockNum, txNum }, metadata }));
      sink.entries(ns, frame.collection, entries, frame.hashed === true);
    } else if (frame.t === 'history') {
      const ns = { channel: frame.channel, chaincode: frame.chaincode };
      for (const [key, changes] of frame.rows) {
        sink.history(ns, key, changes.map(historyEntryOf));
      }
    } else if (frame.t === 'records') {
      for (const record of frame.records) sink.record(record);
    }
  }
  return { height: header.height, bytes: buf.length };
}

function historyEntryOf([txId, value, timestamp, isDelete, blockNum, txNum]: HistoryChange): HistoryEntry {
  const version = blockNum !== undefined && txNum !== undefined ? { blockNum, txNum } : null;
  return { txId, value, timestamp, isDelete, version };
}

function* chunks<T>(items: readonly T[]): IterableIterator<T[]> {
  for (let i = 0; i < items.length; i += ROWS_PER_FRAME) yield items.slice(i, i + ROWS_PER_FRAME);
}

function groupByNamespace<T extends { ns: Namespace }>(rows: readonly T[]): Map<Namespace, T[]> {
  const groups = new Map<Namespace, T[]>();
  for (const row of rows) {
    const list = groups.get(row.ns);
    if (list) list.push(row);
    else groups.set(row.ns, [row]);
  }
  return groups;
}
