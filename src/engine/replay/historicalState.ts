/**
 * The ledger as a recorded transaction read it, for replay: a StateReader over a channel's current
 * ledger that answers from history instead of the current state.
 *
 * - A key the original read is served at the version its read set records (the value the newest
 *   change at or before that version wrote), so the replay starts from the original's inputs.
 * - Any other key (new code may read keys the original did not) is served as it was at the replay
 *   point, `asOf`: see `replayPoint`.
 * - Range and rich queries run over the namespace as it was: every key ever written (history keeps
 *   deleted ones too), each resolved as above, with the ledger's own paging and Mango code.
 * - Private data has no history in Fabric: a private key is served when it has not changed since
 *   the point (its current version is not newer); one that changed cannot be served and the read
 *   fails with ReplayStateUnavailableError. A private key deleted since reads as absent (nothing
 *   records that it existed).
 * - Key-level metadata (e.g. a key's endorsement policy) is not in history: it is served only for
 *   a key unchanged since; an older version reads with no metadata.
 */
import { createHash } from 'crypto';
import { targetId } from '../ledger/committedState';
import { compareKeys } from '../ledger/keyOrder';
import { KeySpace, rangePage } from '../ledger/keySpace';
import { parseMangoQuery, runMangoQuery } from '../ledger/mango';
import type { HistoryEntry, Namespace, QueryOptions, QueryPage, ReadEntry, StateEntry, StateReader, TransactionRecord, Version } from '../ledger/types';

/** What replay needs of a channel's ledger: its state and, per namespace, every key with history. */
export interface LedgerHistory extends StateReader {
  historyKeys(ns: Namespace): readonly string[];
}

/** A value the replay cannot serve as it was; the chaincode's read fails with this message. */
export class ReplayStateUnavailableError extends Error {
  override readonly name = 'ReplayStateUnavailableError';
}

/** Larger than any transaction index: `{ blockNum: b, txNum: END_OF_BLOCK }` is the end of block b. */
const END_OF_BLOCK = Number.MAX_SAFE_INTEGER;
/** Fabric's ledger.state.totalQueryLimit default, the cap of an unpaginated query. */
const TOTAL_QUERY_LIMIT = 100_000;
const NO_METADATA: Readonly<Record<string, Buffer>> = Object.freeze({});

/**
 * Where a replay stands: the versions the original read, and the point every other key is served
 * at: the end of the last block the original could read, the height its record gives (for one in a
 * block, at least the block before it: MVCC validated its reads against that), or the newest
 * version it read when that is later (a block committed while it ran). A record from an older
 * release has no height; for one never ordered the newest version read is then the best lower
 * bound known, so keys it did not read may show older values than it saw (the replay's
 * differences list such reads as extraneous).
 */
export interface ReplayPoint {
  readonly channel: string;
  readonly reads: readonly ReadEntry[];
  readonly asOf: Version;
}

export function replayPoint(record: Pick<TransactionRecord, 'channel' | 'blockNum' | 'height' | 'rwset'>): ReplayPoint {
  const reads = record.rwset.reads.filter((r) => r.channel === record.channel);
  const lastBlock = Math.max(record.height ?? 0, record.blockNum !== null ? record.blockNum - 1 : 0);
  let asOf: Version = { blockNum: lastBlock, txNum: END_OF_BLOCK };
  for (const r of reads) if (r.version && compareVersions(r.version, asOf) > 0) asOf = r.version;
  return { channel: record.channel, reads, asOf };
}

export function compareVersions(a: Version, b: Version): number {
  return a.blockNum - b.blockNum || a.txNum - b.txNum;
}

/** A key space as it was, and the keys of it that could not be resolved (with why). */
interface PastSpace {
  readonly space: KeySpace;
  readonly unavailable: Map<string, string>;
}

export class HistoricalState implements StateReader {
  /** Read versions by targetId; null = the original read the key as absent. */
  private readonly pinned = new Map<string, Version | null>();
  private readonly pastSpaces = new Map<string, PastSpace>();
  /** Reads this replay could not serve, in the order they failed (one message per key). */
  private readonly failures = new Map<string, string>();

  constructor(
    private readonly ledger: LedgerHistory,
    readonly point: ReplayPoint,
  ) {
    for (const r of point.reads) this.pinned.set(targetId(r.channel, r.chaincode, r.collection, r.key), r.version);
  }

  /** Why reads failed, one line per key (empty when every read was served). */
  get unavailable(): readonly string[] {
    return [...this.failures.values()];
  }

  getState(ns: Namespace, key: string): StateEntry | undefined {
    return this.guard(ns, '', key, () => this.publicEntry(ns, key));
  }

  getPrivateData(ns: Namespace, collection: string, key: string): StateEntry | undefined {
    if (collection === '') return undefined;
    return this.guard(ns, collection, key, () => this.privateEntry(ns, collection, key, this.ledger.getPrivateData(ns, collection, key)));
  }

  getPrivateDataHash(ns: Namespace, collection: string, key: string): Buffer | undefined {
    return this.getPrivateDataHashEntry(ns, collection, key)?.value;
  }

  getPrivateDataHashEntry(ns: Namespace, collection: string, key: string): StateEntry | undefined {
    const entry = this.getPrivateData(ns, collection, key);
    return entry && { ...entry, value: createHash('sha256').update(entry.value).digest() };
  }

  getStateRange(ns: Namespace, collection: string, startKey: string, endKey: string, options?: QueryOptions): QueryPage<StateEntry> {
    const past = this.pastSpace(ns, collection);
    const page = rangePage(past.space, startKey, endKey, options, TOTAL_QUERY_LIMIT);
    // The scan covered [from, bookmark) (or to the end of the range): a key there that could not be
    // resolved might have been a row.
    const from = options?.bookmark || startKey;
    const to = page.bookmark || endKey;
    for (const [key, why] of past.unavailable) {
      if (compareKeys(key, from) >= 0 && (to === '' || compareKeys(key, to) < 0)) this.fail(ns, collection, key, why);
    }
    return page;
  }

  getQueryResult(ns: Namespace, collection: string, query: string, options?: QueryOptions): QueryPage<StateEntry> {
    const parsed = parseMangoQuery(query);
    const past = this.pastSpace(ns, collection);
    // A Mango query reads every key of the space: any unresolved one might have matched.
    for (const [key, why] of past.unavailable) this.fail(ns, collection, key, why);
    return runMangoQuery(parsed, past.space.scan('', ''), { ...options, totalQueryLimit: TOTAL_QUERY_LIMIT });
  }

  /** The key's changes up to the version it is served at, newest first. */
  getHistory(ns: Namespace, key: string): readonly HistoryEntry[] {
    const pinned = this.pinned.get(targetId(ns.channel, ns.chaincode, '', key));
    const bound = pinned && compareVersions(pinned, this.point.asOf) > 0 ? pinned : this.point.asOf;
    return this.guard(ns, '', key, () => changesUpTo(this.ledger.getHistory(ns, key), bound, key));
  }

  private publicEntry(ns: Namespace, key: string): StateEntry | undefined {
    const pinned = this.pinned.get(targetId(ns.channel, ns.chaincode, '', key));
    if (pinned === null) return undefined;
    const current = this.ledger.getState(ns, key);
    if (pinned !== undefined) {
      if (current && compareVersions(current.version, pinned) === 0) return current;
      const [change] = changesUpTo(this.ledger.getHistory(ns, key), pinned, key);
      if (!change || change.isDelete)
        throw new ReplayStateUnavailableError(`the history of key ${JSON.stringify(key)} has no value at version ${versionText(pinned)}, which the original transaction read`);
      // The version the original saw (a metadata write may have moved it past the value's change).
      return { key, value: change.value, version: pinned, metadata: NO_METADATA };
    }
    // Not changed since the point: the current entry is what it was.
    if (current && compareVersions(current.version, this.point.asOf) <= 0) return current;
    const [change] = changesUpTo(this.ledger.getHistory(ns, key), this.point.asOf, key);
    if (!change || change.isDelete) return undefined;
    // changesUpTo answers only from changes whose version it knows.
    return { key, value: change.value, version: change.version as Version, metadata: NO_METADATA };
  }

  private privateEntry(ns: Namespace, collection: string, key: string, current: StateEntry | undefined): StateEntry | undefined {
    const pinned = this.pinned.get(targetId(ns.channel, ns.chaincode, collection, key));
    if (pinned === null) return undefined;
    const at = pinned ?? this.point.asOf;
    const unchanged = current && (pinned ? compareVersions(current.version, pinned) === 0 : compareVersions(current.version, at) <= 0);
    if (unchanged) return current;
    if (!current && !pinned) return undefined;
    throw new ReplayStateUnavailableError(
      `private data ${collection}/${JSON.stringify(key)} changed since version ${versionText(at)} and Fabric keeps no history of private data, so its value then is unknown`,
    );
  }

  /** Every key of the space as it was at the point (built once per replay). */
  private pastSpace(ns: Namespace, collection: string): PastSpace {
    const id = targetId(ns.channel, ns.chaincode, collection, '');
    let past = this.pastSpaces.get(id);
    if (past) return past;
    past = { space: new KeySpace(), unavailable: new Map() };
    const resolve = (key: string, entry: () => StateEntry | undefined): void => {
      try {
        const e = entry();
        if (e) past.space.put(e);
      } catch (err) {
        if (!(err instanceof ReplayStateUnavailableError)) throw err;
        past.unavailable.set(key, err.message);
      }
    };
    if (collection === '') {
      for (const key of this.ledger.historyKeys(ns)) resolve(key, () => this.publicEntry(ns, key));
    } else {
      for (const current of this.ledger.getStateRange(ns, collection, '', '').rows) resolve(current.key, () => this.privateEntry(ns, collection, current.key, current));
    }
    this.pastSpaces.set(id, past);
    return past;
  }

  /** Runs a read; one that cannot be served is remembered for the replay's result, then thrown. */
  private guard<T>(ns: Namespace, collection: string, key: string, read: () => T): T {
    try {
      return read();
    } catch (err) {
      if (err instanceof ReplayStateUnavailableError) this.fail(ns, collection, key, err.message);
      throw err;
    }
  }

  private fail(ns: Namespace, collection: string, key: string, why: string): never {
    const id = targetId(ns.channel, ns.chaincode, collection, key);
    if (!this.failures.has(id)) this.failures.set(id, `${ns.chaincode}: ${why}`);
    throw new ReplayStateUnavailableError(why);
  }
}

/**
 * A key's changes at or before `bound`, newest first. A change whose version is unknown (history
 * from an older release's snapshot) cannot be placed against the bound: when one lies above every
 * change known to be at or before it, the answer is unknown.
 */
function changesUpTo(newestFirst: readonly HistoryEntry[], bound: Version, key: string): HistoryEntry[] {
  for (let i = 0; i < newestFirst.length; i++) {
    const version = newestFirst[i].version;
    if (version === null) {
      throw new ReplayStateUnavailableError(
        `key ${JSON.stringify(key)} has changes from before this ledger kept versions in history (an older release wrote its snapshot), so its value at version ${versionText(bound)} is unknown`,
      );
    }
    if (compareVersions(version, bound) <= 0) return newestFirst.slice(i);
  }
  return [];
}

/** A version as people read it: `3:0` (block 3, its first transaction), or `end of block 3`. */
export function versionText(v: Version): string {
  return v.txNum === END_OF_BLOCK ? `end of block ${v.blockNum}` : `${v.blockNum}:${v.txNum}`;
}
