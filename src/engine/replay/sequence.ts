/**
 * A recorded sequence replayed onto a fresh ledger: each transaction re-executed, in its original
 * order, through the pipeline of another engine (committed there when it succeeds, as it was), and
 * its outcome compared with the original's, so a bug found by clicking becomes a script that
 * reproduces it. Afterwards the two world states can be compared key by key.
 */
import type { TransactionRecord, ValidationCode } from '../ledger/types';
import type { WorldState } from '../ledger/worldState';
import { endorsementDifferences, type EndorsementDifference } from '../transactions/endorsementDiff';
import type { TransactionPipeline } from '../transactions/pipeline';
import type { ExecuteResult } from '../transactions/types';
import { recordedArgument } from './recordedValues';
import { simulationOf } from './replay';
import { chaincodeNameOf } from '../chaincodeId';

/** The original was valid (or not) and the replay is not (or is). */
export interface ValidationDifference {
  readonly type: 'validation mismatch';
  readonly initial: ValidationCode;
  readonly invoked: ValidationCode;
}

export type OutcomeDifference = EndorsementDifference | ValidationDifference;

export type SequenceStep =
  | {
      /** same: response, event, writes and validation as the original's; different: see differences. */
      readonly outcome: 'same' | 'different';
      readonly original: TransactionRecord;
      readonly result: ExecuteResult;
      readonly differences: readonly OutcomeDifference[];
    }
  | { readonly outcome: 'skipped'; readonly original: TransactionRecord; readonly reason: string }
  /** The peer could not run it (e.g. the chaincode stopped). */
  | { readonly outcome: 'failed'; readonly original: TransactionRecord; readonly error: string };

export interface SequenceOptions {
  /** The chaincode name that runs the transactions; others' transactions are skipped. */
  readonly chaincode: string;
  readonly onStep?: (step: SequenceStep, index: number) => void;
}

/** Re-executes `sequence` in order on `target` (a fresh ledger's engine); never throws for a step. */
export async function replaySequence(
  target: { readonly transactions: Pick<TransactionPipeline, 'execute'> },
  sequence: readonly TransactionRecord[],
  options: SequenceOptions,
): Promise<SequenceStep[]> {
  const steps: SequenceStep[] = [];
  for (const original of sequence) {
    const step = await replayStep(target.transactions, original, options.chaincode);
    options.onStep?.(step, steps.length);
    steps.push(step);
  }
  return steps;
}

async function replayStep(pipeline: Pick<TransactionPipeline, 'execute'>, original: TransactionRecord, chaincode: string): Promise<SequenceStep> {
  if (chaincodeNameOf(original.chaincode) !== chaincode) {
    return { outcome: 'skipped', original, reason: `it ran on chaincode ${original.chaincode}, not ${chaincode}` };
  }
  if (original.blockNum !== null && original.validation !== 'VALID') {
    return {
      outcome: 'skipped',
      original,
      reason: `it was ordered but invalid (${original.validation}): run one at a time, the transactions it raced with cannot invalidate it again`,
    };
  }
  let result: ExecuteResult;
  try {
    result = await pipeline.execute({
      chaincode,
      channel: original.channel,
      args: [original.fn, ...original.args].map(recordedArgument),
      kind: original.kind,
      txId: original.txId,
      timestampMs: original.startedAt,
    });
  } catch (err) {
    return { outcome: 'failed', original, error: (err as Error).message };
  }
  const differences = outcomeDifferences(original, result);
  return { outcome: differences.length === 0 ? 'same' : 'different', original, result, differences };
}

/**
 * How a re-execution's outcome differs from the original's: response, event, writes, validation.
 * Reads are left out: on another ledger the same state has other versions (other block numbers).
 */
export function outcomeDifferences(original: TransactionRecord, result: ExecuteResult): OutcomeDifference[] {
  const withoutReads = (r: TransactionRecord): TransactionRecord => ({ ...r, rwset: { ...r.rwset, reads: [] } });
  const replayed: TransactionRecord = { ...original, status: result.status, message: result.message, payload: result.payload, event: result.event, rwset: result.readWriteSet };
  const out: OutcomeDifference[] = endorsementDifferences(simulationOf(withoutReads(original)), simulationOf(withoutReads(replayed)));
  if (original.validation !== result.validation) out.push({ type: 'validation mismatch', initial: original.validation, invoked: result.validation });
  return out;
}

/** One key whose committed value differs between two ledgers (null: absent there). */
export interface StateDifference {
  readonly chaincode: string;
  /** '' for public state. */
  readonly collection: string;
  readonly key: string;
  readonly recorded: Buffer | null;
  readonly replayed: Buffer | null;
}

type StateListing = Pick<WorldState, 'namespaces' | 'collections' | 'entries'>;

/** Every key of `chaincodes` whose value differs between the recorded and the replayed world state. */
export function stateDifferences(recorded: StateListing, replayed: StateListing, channel: string, chaincodes: readonly string[]): StateDifference[] {
  const out: StateDifference[] = [];
  for (const chaincode of chaincodes) {
    const ns = { channel, chaincode };
    const collections = new Set(['', ...recorded.collections(ns), ...replayed.collections(ns)]);
    for (const collection of collections) {
      const a = new Map(recorded.entries(ns, collection).map((e) => [e.key, e.value]));
      const b = new Map(replayed.entries(ns, collection).map((e) => [e.key, e.value]));
      for (const key of [...new Set([...a.keys(), ...b.keys()])].sort()) {
        const [x, y] = [a.get(key) ?? null, b.get(key) ?? null];
        if (x === null || y === null ? x !== y : !x.equals(y)) out.push({ chaincode, collection, key, recorded: x, replayed: y });
      }
    }
  }
  return out;
}
