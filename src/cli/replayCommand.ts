/**
 * `chaincode-launcher replay`: "what would this transaction do now?" on a folder's current code
 * (`replay <txid>`, nothing committed), and a recorded sequence re-run onto a fresh ledger (`replay
 * --all --data-dir NEW`), so a bug found by clicking becomes a script. JSON lines on stdout, what
 * happened in words on stderr.
 */
import type { Engine } from '../engine/engine';
import { LedgerInUseError } from '../engine/ledger/ledgerFiles';
import type { TransactionRecord } from '../engine/ledger/types';
import { versionText } from '../engine/replay/historicalState';
import { IncompleteRecordsError, NotFreshError, prepareFreshDataDir, RecordedLedger } from '../engine/replay/recordedLedger';
import { peerDataDir } from '../engine/ledger/channelDirectories';
import { replayTransaction, type ReplayResult } from '../engine/replay/replay';
import { replaySequence, stateDifferences, type OutcomeDifference, type SequenceStep } from '../engine/replay/sequence';
import { requireChaincode } from '../engine/workspace/detect';
import { chaincodeDefinition, EXIT, launchChaincode, log, startEngine, watchEngine } from './chaincodeSession';
import type { ReplayCommand } from './options';
import { printedPayload } from './results';
import { chaincodeNameOf } from '../engine/chaincodeId';

const print = (line: object): void => {
  process.stdout.write(`${JSON.stringify(line)}\n`);
};

export async function runReplay(cmd: ReplayCommand): Promise<number> {
  requireChaincode(cmd.folder); // a folder that is not chaincode is a usage error, before anything starts
  return cmd.target.kind === 'one' ? replayOne(cmd, cmd.target.txId) : replayAll(cmd, cmd.target.from, cmd.target.scope);
}

/** Runs `work` with the folder's chaincode launched on `engine` (named `name`), then stops both. */
async function withChaincode(engine: Engine, cmd: ReplayCommand, name: string, work: (chaincodeName: string) => Promise<number>): Promise<number> {
  watchEngine(engine);
  const definition = chaincodeDefinition({ ...cmd, name });
  const launched = await launchChaincode(engine, definition, cmd.runtime);
  if (!launched) {
    await engine.dispose();
    return EXIT.launchFailed;
  }
  try {
    return await work(definition.name);
  } finally {
    await engine.dispose();
  }
}

async function replayOne(cmd: ReplayCommand, txId: string): Promise<number> {
  const engine = await startEngine(cmd.config);
  const original = engine.transactions.transaction(txId);
  if (!original) {
    log(
      `error: transaction ${txId} is not recorded in ${cmd.config.dataDir} (replay reads the ledger of --data-dir; the records keep the newest 10,000 transactions of each channel)`,
    );
    await engine.dispose();
    return EXIT.usage;
  }
  // The recorded name by default: the chaincode reads and writes the namespace of the name it runs as.
  return withChaincode(engine, cmd, cmd.name ?? chaincodeNameOf(original.chaincode), async () => {
    let result: ReplayResult;
    try {
      result = await replayTransaction(engine, txId);
    } catch (err) {
      log(`error: the replay could not run: ${(err as Error).message}`);
      return EXIT.launchFailed;
    }
    print(replayLine(result));
    describeReplay(result);
    return result.differences.length === 0 ? EXIT.ok : EXIT.txFailed;
  });
}

function replayLine(r: ReplayResult): object {
  const outcome = (t: TransactionRecord): object => ({
    status: t.status,
    message: t.message,
    ...printedPayload(t.payload),
    event: t.event ? { name: t.event.eventName, ...printedPayload(t.event.payload) } : null,
    writes: t.rwset.writes.length,
  });
  return {
    txId: r.original.txId,
    fn: r.original.fn,
    args: r.original.args,
    chaincode: r.replayed.chaincode,
    same: r.differences.length === 0,
    differences: r.differences,
    original: outcome(r.original),
    replayed: outcome(r.replayed),
    asOf: versionText(r.point.asOf),
    durationMs: r.durationMs,
    ...(r.failure ? { failure: r.failure } : {}),
    ...(r.unavailable.length ? { unavailable: r.unavailable } : {}),
    ...(r.caveats.length ? { caveats: r.caveats } : {}),
  };
}

function describeReplay(r: ReplayResult): void {
  const call = `${r.original.fn}(${r.original.args.join(', ')})`;
  if (r.differences.length === 0) log(`[replay] ${call} on ${r.replayed.chaincode} does what it did: same response, event and read/write set`);
  else log(`[replay] ${call} on ${r.replayed.chaincode} now differs from the original:\n${r.differences.map((d) => `  ${differenceText(d)}`).join('\n')}`);
  for (const why of r.unavailable) log(`[replay] could not serve a read as it was: ${why}`);
  for (const c of r.caveats) log(`[replay] note: ${c}`);
}

/** One difference as a line: its type, where, and the value before → after. */
export function differenceText(d: OutcomeDifference): string {
  const where = 'key' in d && d.key !== undefined ? ` ${d.namespace}${d.collection ? `/${d.collection}` : ''} ${JSON.stringify(d.key)}` : '';
  return `${d.type}${where}: ${d.initial ?? '(none)'} → ${d.invoked ?? '(none)'}`;
}

async function replayAll(cmd: ReplayCommand, from: string, scope: 'committed' | 'all'): Promise<number> {
  const channel = cmd.config.channel;
  let recorded: RecordedLedger;
  let sequence: TransactionRecord[];
  try {
    await prepareFreshDataDir(from, cmd.config.dataDir);
    // The records the editor and the CLI see: those of the first organisation's peer.
    recorded = await RecordedLedger.open(peerDataDir(from, cmd.config.orgs[0]));
  } catch (err) {
    log(`error: ${(err as Error).message}`);
    return err instanceof LedgerInUseError ? EXIT.unavailable : EXIT.usage;
  }
  try {
    sequence = recorded.sequence(channel, scope);
  } catch (err) {
    await recorded.close();
    log(`error: ${(err as Error).message}`);
    return err instanceof IncompleteRecordsError || err instanceof NotFreshError ? EXIT.usage : EXIT.unavailable;
  }
  for (const other of recorded.channels.filter((c) => c !== channel)) {
    const n = recorded.sequence(other, scope).length;
    if (n > 0) log(`[replay] channel ${other}: ${n} recorded transactions not replayed (replay --all runs on --channel, here ${channel})`);
  }
  const names = [...new Set(sequence.map((r) => chaincodeNameOf(r.chaincode)))];
  const folderName = requireChaincode(cmd.folder).name;
  const name = cmd.name ?? (names.length === 1 ? names[0] : folderName);
  log(`[replay] ${sequence.length} recorded transactions of channel ${channel} from ${from}, onto a new ledger in ${cmd.config.dataDir}, on chaincode ${name}`);
  const engine = await startEngine(cmd.config);
  try {
    return await withChaincode(engine, cmd, name, async (chaincode) => {
      const steps = await replaySequence(engine, sequence, { chaincode, onStep: (step, index) => print(stepLine(step, index)) });
      const count = (o: SequenceStep['outcome']): number => steps.filter((s) => s.outcome === o).length;
      const state = stateDifferences(recorded.state(channel), engine.peer.ledger(channel).state, channel, [chaincode]);
      const summary = { same: count('same'), different: count('different'), skipped: count('skipped'), failed: count('failed') };
      print({
        summary,
        finalState: state.length === 0 ? 'same' : 'different',
        stateDifferences: state.map((d) => ({ ...d, recorded: d.recorded && printedPayload(d.recorded).payload, replayed: d.replayed && printedPayload(d.replayed).payload })),
      });
      log(
        `[replay] ${summary.same} same, ${summary.different} different, ${summary.skipped} skipped, ${summary.failed} failed; the final state of ${chaincode} is ${state.length === 0 ? 'the same' : `different in ${state.length} keys`}`,
      );
      return summary.different + summary.failed + state.length === 0 ? EXIT.ok : EXIT.txFailed;
    });
  } finally {
    await recorded.close();
  }
}

function stepLine(step: SequenceStep, index: number): object {
  const { original } = step;
  const base = { index, txId: original.txId, kind: original.kind, tx: [original.fn, ...original.args], outcome: step.outcome };
  if (step.outcome === 'skipped') return { ...base, reason: step.reason };
  if (step.outcome === 'failed') return { ...base, error: step.error };
  return { ...base, status: step.result.status, validation: step.result.validation, ...(step.differences.length ? { differences: step.differences } : {}) };
}
