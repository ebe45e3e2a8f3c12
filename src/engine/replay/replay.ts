/**
 * "What would this transaction do now?": a recorded transaction runs again on the chaincode's
 * current code, against the ledger as it originally read it (./historicalState.ts), without being
 * ordered, committed or recorded; its response, event and read/write set are compared with the
 * original's in the words of Fabric's gateway (../transactions/endorsementDiff.ts).
 *
 * What a record does not hold cannot be replayed as it was: the transient map (never recorded) is
 * empty, the creator is this peer's client identity (a caveat says so when the original's was
 * another), and a chaincode-to-chaincode call to another channel reads that channel's current state.
 */
import type { TransactionRecord } from '../ledger/types';
import type { Peer, Simulation } from '../peer/peer';
import { endorsementDifferences, type EndorsementDifference } from '../transactions/endorsementDiff';
import type { TransactionPipeline } from '../transactions/pipeline';
import { buildProposal } from '../transactions/proposal';
import { HistoricalState, replayPoint, type ReplayPoint } from './historicalState';
import { recordedArgument } from './recordedValues';
import { chaincodeNameOf } from '../chaincodeId';

/** What replay runs on: an engine's peer (ledgers, identity) and its pipeline (records, chaincode). */
export interface ReplayHost {
  readonly peer: Pick<Peer, 'ledger' | 'creator'>;
  readonly transactions: Pick<TransactionPipeline, 'transaction' | 'simulateAgainst'>;
}

export interface ReplayOptions {
  /** Run on this chaincode name instead of the recorded one's. */
  readonly chaincode?: string;
  readonly timeoutMs?: number;
}

export interface ReplayResult {
  readonly original: TransactionRecord;
  /**
   * The replay as a record: the original's identity (txId, function, arguments, creator, start,
   * validation, block, and duration, so the two records differ only where the code's behaviour
   * does) with the replay's chaincode, response, read/write set and event.
   */
  readonly replayed: TransactionRecord;
  /** How long the replay took. */
  readonly durationMs: number;
  /** Every difference of the replay from the original; [] when the current code does the same. */
  readonly differences: readonly EndorsementDifference[];
  /** The versions served (see replayPoint). */
  readonly point: ReplayPoint;
  /** Reads that could not be served as they were (the chaincode saw an error for each). */
  readonly unavailable: readonly string[];
  /** Why the chaincode gave no response (a timeout, a lost stream, an ERROR), or null. */
  readonly failure: string | null;
  /** What may make the replay differ for reasons other than the code, e.g. another creator. */
  readonly caveats: readonly string[];
}

export class TransactionNotRecordedError extends Error {
  override readonly name = 'TransactionNotRecordedError';
  constructor(readonly txId: string) {
    super(`transaction ${txId} is not in this peer's records (they keep the newest 10,000 transactions of each channel)`);
  }
}

/** Replays of one txid share one run: the chaincode's handler refuses a txid already in flight. */
const running = new WeakMap<object, Map<string, Promise<ReplayResult>>>();

/** Replays recorded transaction `txId` on the current code of its chaincode. Commits nothing. */
export function replayTransaction(host: ReplayHost, txId: string, options: ReplayOptions = {}): Promise<ReplayResult> {
  let mine = running.get(host.transactions);
  if (!mine) running.set(host.transactions, (mine = new Map<string, Promise<ReplayResult>>()));
  const inFlight = mine.get(txId);
  if (inFlight) return inFlight;
  const replay = run(host, txId, options).finally(() => mine.delete(txId));
  mine.set(txId, replay);
  return replay;
}

async function run(host: ReplayHost, txId: string, options: ReplayOptions): Promise<ReplayResult> {
  const original = host.transactions.transaction(txId);
  if (!original) throw new TransactionNotRecordedError(txId);
  const point = replayPoint(original);
  const state = new HistoricalState(host.peer.ledger(original.channel).state, point);
  const creator = host.peer.creator;
  const proposal = buildProposal({
    channel: original.channel,
    chaincodeName: options.chaincode ?? chaincodeNameOf(original.chaincode),
    args: [original.fn, ...original.args].map(recordedArgument),
    transient: {},
    isInit: original.kind === 'init',
    creator: creator.serialized,
    // The chaincode sees the original's txid and timestamp, so code that uses them answers alike.
    txId: original.txId,
    timestampMs: original.startedAt,
  });
  const started = Date.now();
  const { chaincodeId, simulation } = await host.transactions.simulateAgainst(state, proposal, options.timeoutMs);
  const durationMs = Date.now() - started;
  const replayed: TransactionRecord = {
    ...original,
    chaincode: chaincodeId,
    status: simulation.response.status,
    message: simulation.response.message,
    payload: simulation.response.payload,
    rwset: simulation.rwset,
    // An evaluation emits no event (the pipeline records none), so neither does its replay.
    event: original.kind === 'query' ? null : simulation.event,
  };
  const caveats: string[] = [];
  if (original.creator.mspId !== creator.mspId || original.creator.subject !== creator.subject) {
    caveats.push(
      `the original creator (${original.creator.mspId}, ${original.creator.subject}) is not this peer's client identity; replayed as ${creator.mspId}, ${creator.subject}`,
    );
  }
  return {
    original,
    replayed,
    durationMs,
    differences: endorsementDifferences(simulationOf(original), simulationOf(replayed)),
    point,
    unavailable: state.unavailable,
    failure: simulation.failure,
    caveats,
  };
}

/** A record as the simulation it came from, for endorsementDifferences. */
export function simulationOf(record: TransactionRecord): Simulation {
  return { response: { status: record.status, message: record.message, payload: record.payload }, failure: null, event: record.event, rwset: record.rwset };
}
