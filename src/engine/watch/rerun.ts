/**
 * What a reload runs again, and how its outcome compares with the run before it. The last
 * transaction of the chaincode, or the ones pinned, with the same function, arguments and kind as
 * they were recorded, through the pipeline's in-process front door.
 *
 * A re-run of an invoke is a new transaction, and it is committed when it succeeds, as Fabric would
 * commit a client's resubmission of the same proposal: only then does the next transaction (and the
 * next save's re-run) see its writes, and the World State view and the records show what the code
 * now does. (Replay answers "what would this transaction have done", without committing.) So a
 * re-run reads what the previous run wrote, and the comparison leaves out read versions, which every
 * commit moves; keys read, values written, the event and the response are compared. An invoke that
 * refuses to run twice (`CreateAsset` of an asset that now exists) answers differently on its
 * second run for that reason, not the code's: pin a read or an idempotent transaction instead.
 *
 * What records do not hold is not re-run: transient data (never recorded) is empty, and the creator
 * is the pipeline's client identity.
 */
import type { TransactionRecord } from '../ledger/types';
import { simulationOf } from '../replay/replay';
import { recordedArgument } from '../replay/recordedValues';
import { endorsementDifferences, type EndorsementDifference } from '../transactions/endorsementDiff';
import type { TransactionPipeline } from '../transactions/pipeline';
import type { ExecuteResult } from '../transactions/types';
import type { RerunRequest } from './rerunRequest';

export { requestOf, requestText, type RerunRequest } from './rerunRequest';

export type RerunHost = Pick<TransactionPipeline, 'execute' | 'transaction' | 'transactions'>;

export interface Rerun {
  readonly request: RerunRequest;
  /** The newest earlier run of the same request, which the differences are against (none: the first). */
  readonly previous: TransactionRecord | undefined;
  /** This run's record (queries are recorded too), when the chaincode ran it. */
  readonly record: TransactionRecord | undefined;
  readonly result: ExecuteResult | undefined;
  /** The peer could not run it (the chaincode is not ready…). */
  readonly error: string | undefined;
  /** Every difference from `previous`; [] when the same (or when there is nothing to compare). */
  readonly differences: readonly EndorsementDifference[];
}

function sameRequest(record: TransactionRecord, request: RerunRequest): boolean {
  return (
    record.channel === request.channel &&
    record.kind === request.kind &&
    record.fn === request.fn &&
    record.args.length === request.args.length &&
    record.args.every((a, i) => a === request.args[i])
  );
}

/** The newest recorded transaction of `ccid` (any channel), if any. */
export function lastTransaction(host: RerunHost, ccid: string): TransactionRecord | undefined {
  return host.transactions({ chaincode: ccid, limit: 1 })[0];
}

/** Runs `request` on `ccid` again and compares it with the newest earlier run of the same request. */
export async function rerun(host: RerunHost, ccid: string, request: RerunRequest, timeoutMs?: number): Promise<Rerun> {
  const previous = host.transactions({ chaincode: ccid, channel: request.channel }).find((r) => sameRequest(r, request));
  let result: ExecuteResult;
  try {
    result = await host.execute({ chaincode: ccid, channel: request.channel, kind: request.kind, args: [request.fn, ...request.args].map(recordedArgument), timeoutMs });
  } catch (err) {
    return { request, previous, record: undefined, result: undefined, error: (err as Error).message, differences: [] };
  }
  const record = host.transaction(result.txId);
  return { request, previous, record, result, error: undefined, differences: previous && record ? runDifferences(previous, record) : [] };
}

/**
 * How two runs of one request differ, in the words of Fabric's gateway (endorsementDiff.ts), without
 * the read versions: the earlier run's commit moves them, whatever the code does.
 */
export function runDifferences(previous: TransactionRecord, next: TransactionRecord): EndorsementDifference[] {
  return endorsementDifferences(simulationOf(previous), simulationOf(next)).filter((d) => d.type !== 'read value mismatch');
}
