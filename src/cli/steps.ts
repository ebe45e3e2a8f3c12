/**
 * Runs the --tx and --query steps against the ready chaincode. In order, one at a time; or with
 * --parallel, each run of consecutive --tx all at once (the high-throughput pattern: many delta
 * updates in flight together). A --query is a barrier in both: it sees exactly the transactions
 * listed before it, and none listed after it.
 */
import type { Engine } from '../engine/engine';
import type { SigningIdentity } from '../engine/msp';
import { creatorFields } from './caller';
import type { TransactionStep } from './options';
import { ErrorLine, errorLine, isFailure, ResultLine, resultLine } from './results';

/** What runs together: one step per group in order; with --parallel, consecutive --tx share one. */
export function stepGroups(steps: readonly TransactionStep[], parallel: boolean): TransactionStep[][] {
  const groups: TransactionStep[][] = [];
  for (const step of steps) {
    const last = groups[groups.length - 1];
    if (parallel && step.kind === 'invoke' && last?.[0].kind === 'invoke') last.push(step);
    else groups.push([step]);
  }
  return groups;
}

export interface StepRun {
  readonly failed: number;
  /** The most transactions the chaincode's handler had in flight at once, as the peer saw them. */
  readonly peakInFlight: number;
}

/**
 * Runs every step on `chaincode` as `creator` (default: the pipeline's client), printing each result
 * line as it completes; never throws for a step.
 */
export async function runSteps(
  engine: Engine,
  chaincode: string,
  steps: readonly TransactionStep[],
  parallel: boolean,
  print: (line: ResultLine | ErrorLine) => void,
  creator?: SigningIdentity,
): Promise<StepRun> {
  let failed = 0;
  let peakInFlight = 0;
  // The handler's own in-flight list, read when each transaction starts (it is in the list by then).
  const watch = engine.transactions.onDidStartTransaction((started) => {
    const handler = engine.peer.handlers().find((h) => h.id === started.handlerId);
    peakInFlight = Math.max(peakInFlight, handler?.inFlight.length ?? 0);
  });
  const runOne = async (step: TransactionStep): Promise<void> => {
    let line: ResultLine | ErrorLine;
    try {
      const { args, kind, channel, transient } = step;
      const result = await engine.transactions.execute({ chaincode, args, kind, channel, transient, creator });
      line = resultLine(step, result, creator && creatorFields(creator));
    } catch (err) {
      line = errorLine(step, err);
    }
    if (isFailure(line)) failed++;
    print(line);
  };
  try {
    for (const group of stepGroups(steps, parallel)) await Promise.all(group.map(runOne));
  } finally {
    watch.dispose();
  }
  return { failed, peakInFlight };
}
