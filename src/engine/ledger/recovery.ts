/**
 * Rebuilds the in-memory state from the ledger directory on open: the highest complete snapshot,
 * then every log from that generation on, stopping at the first torn or damaged frame (the tail
 * of a write a crash interrupted; zeros after the last frame are preallocated space, not damage).
 * Leftovers of interrupted compactions are removed.
 */
import * as fs from 'fs';
import { writesOf, type LogEntry } from './blockPlan';
import type { CommittedState } from './committedState';
import { readFrames } from './frames';
import { listDirectory, logPath, removeFiles, snapshotPath } from './ledgerFiles';
import { isCleanTail } from './logFile';
import { readSnapshot } from './snapshotFile';
import type { TransactionRecords } from './transactionRecords';

export interface Recovered {
  /** Generation of the log to append to. */
  readonly gen: number;
  /** Intact bytes of that log (a torn tail beyond is cut when it is opened). */
  readonly logSize: number;
  /** Size of the snapshot the state came from (0 = none); compaction compares the log with it. */
  readonly snapshotBytes: number;
}

/**
 * `maxHeight`: replay blocks only up to this number (the block store's height, when it is behind
 * after a crash: the ledger stays the prefix that both hold). Later blocks in the log are dropped.
 */
export async function recover(dir: string, state: CommittedState, records: TransactionRecords, maxHeight = Infinity): Promise<Recovered> {
  const listing = await listDirectory(dir);
  const base = listing.snapshots[listing.snapshots.length - 1] ?? 0;
  let snapshotBytes = 0;
  if (base > 0) {
    const loaded = await readSnapshot(snapshotPath(dir, base), {
      entries: (ns, collection, entries, hashed) => state.loadEntries(ns, collection, entries, hashed),
      history: (ns, key, changes) => state.loadHistory(ns, key, changes),
      record: (record) => records.add(record),
    });
    state.height = loaded.height;
    snapshotBytes = loaded.bytes;
  }

  const logs = listing.logs.filter((gen) => gen >= base);
  let gen = base;
  let logSize = 0;
  const obsolete = [
    ...listing.temporaries,
    ...listing.snapshots.filter((g) => g < base).map((g) => snapshotPath(dir, g)),
    ...listing.logs.filter((g) => g < base).map((g) => logPath(dir, g)),
  ];
  for (let i = 0; i < logs.length; i++) {
    gen = logs[i];
    const buf = await fs.promises.readFile(logPath(dir, gen));
    const scan = readFrames(buf);
    let kept = scan.values.length;
    for (let f = 0; f < scan.values.length; f++) {
      const entry = scan.values[f] as LogEntry;
      if (entry.t === 'block' && entry.blockNum > maxHeight) {
        kept = f;
        break;
      }
      replay(entry, state, records);
    }
    logSize = kept === scan.values.length ? scan.validLength : kept === 0 ? 0 : scan.ends[kept - 1];
    if (kept < scan.values.length || !isCleanTail(buf.subarray(scan.validLength))) {
      // A torn record is only expected at the very end. Later logs would follow a gap: drop them
      // so the ledger stays a prefix of what was committed (only possible after a power loss with
      // `process` durability, which syncs in the background).
      obsolete.push(...logs.slice(i + 1).map((g) => logPath(dir, g)));
      break;
    }
  }
  await removeFiles(obsolete);
  return { gen, logSize, snapshotBytes };
}

function replay(entry: LogEntry, state: CommittedState, records: TransactionRecords): void {
  if (entry.t === 'record') {
    records.add(entry.record);
    return;
  }
  for (const tx of entry.txs) {
    if (tx.record.validation === 'VALID') state.apply(writesOf(entry.blockNum, tx));
    records.add(tx.record);
  }
  if (entry.purged) state.purge(entry.purged);
  state.height = entry.blockNum;
}
