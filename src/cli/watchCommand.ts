/**
 * `launch --watch`: after the transactions, every saved change in the chaincode's folder rebuilds it
 * (TypeScript), restarts it and runs the last transaction again on the kept world state
 * (src/engine/watch). Each re-run prints one JSON line on stdout, like a --tx line plus `reload`,
 * `previousTxId`, `same` and `differences`; what happened, the differences and build errors go to
 * stderr in words. Runs until Ctrl-C.
 */
import { shortTxId } from '../engine/txId';
import * as path from 'path';
import type { Engine } from '../engine/engine';
import type { ChaincodeDefinition } from '../engine/launch/types';
import { ChaincodeWatch, diagnosticText, relaunch, requestText, type ChaincodeWatchOptions, type ReloadOutcome, type Rerun } from '../engine/watch';
import type { SigningIdentity } from '../engine/msp';
import { log, untilInterrupted } from './chaincodeSession';
import { differenceText } from './replayCommand';
import { outcomeFields } from './results';

/** What a re-run prints on stdout. */
export function rerunLine(reload: number, r: Rerun): object {
  const base = { reload, kind: r.request.kind, tx: [r.request.fn, ...r.request.args] };
  if (!r.result) return { ...base, error: r.error ?? 'the peer did not run it' };
  return {
    ...base,
    ...outcomeFields(r.result),
    previousTxId: r.previous?.txId ?? null,
    same: r.differences.length === 0,
    differences: r.differences,
  };
}

function changedText(files: readonly string[]): string {
  if (files.length === 0) return 'reload';
  const shown = files.slice(0, 3).join(', ');
  return `${shown}${files.length > 3 ? ` and ${files.length - 3} more` : ''} changed`;
}

/** Prints an outcome: re-run lines on stdout, the story on stderr. */
export function reportReload(outcome: ReloadOutcome, folder: string, print: (line: object) => void): void {
  const head = `[watch] ${changedText(outcome.trigger.files)}`;
  if (outcome.kind === 'build failed') {
    const errors = outcome.build.diagnostics.filter((d) => d.severity === 'error');
    log(
      `${head}: the build failed (${outcome.build.commandLine}); nothing restarted, ${errors.length ? `${errors.length} error${errors.length === 1 ? '' : 's'}:` : 'its output:'}`,
    );
    if (errors.length) for (const d of errors) log(`  ${diagnosticText(d, folder)}`);
    else for (const l of outcome.build.output.slice(-10)) log(`  ${l}`);
    return;
  }
  if (outcome.kind === 'restart failed') {
    log(`${head}: the restart failed: ${outcome.error.message}`);
    return;
  }
  const t = outcome.timings;
  const build = outcome.build ? `built in ${Math.round(t.buildMs)} ms, ` : '';
  log(
    `${head}: ${build}restarted in ${Math.round(t.restartMs)} ms; ${outcome.reruns.length ? `${Math.round(t.totalMs)} ms from the save to the result` : 'no transaction to run again yet'}`,
  );
  for (const r of outcome.reruns) {
    print(rerunLine(outcome.reload, r));
    const call = requestText(r.request);
    if (!r.result) log(`[watch] ${call} could not run: ${r.error}`);
    else if (!r.previous) log(`[watch] ${call} ran (status ${r.result.status}); nothing earlier to compare with`);
    else if (r.differences.length === 0) log(`[watch] ${call}: the same response, event and writes as tx ${shortTxId(r.previous.txId)}`);
    else log(`[watch] ${call} differs from tx ${shortTxId(r.previous.txId)}:\n${r.differences.map((d) => `  ${differenceText(d)}`).join('\n')}`);
  }
}

/** Watches the launched chaincode's folder until Ctrl-C; re-runs call as `creator` (default: the pipeline's client). */
export async function watchUntilInterrupted(
  engine: Engine,
  definition: ChaincodeDefinition,
  ccid: string,
  print: (line: object) => void,
  creator?: SigningIdentity,
): Promise<void> {
  const pipeline = engine.transactions;
  // The re-runs call as the steps did (--identity); records do not say which identity that was.
  const transactions: ChaincodeWatchOptions['transactions'] = {
    execute: (req) => pipeline.execute({ ...req, creator: req.creator ?? creator }),
    transaction: (txId) => pipeline.transaction(txId),
    transactions: (filter) => pipeline.transactions(filter),
  };
  const watch = await ChaincodeWatch.start(
    { ccid, folder: definition.path, language: definition.language, typescript: !!definition.typescript },
    // The ledger must not count as a change, when --data-dir is inside the folder.
    { transactions, restart: relaunch(engine.launcher, definition), excluded: [path.resolve(engine.config.dataDir)] },
  );
  watch.onDidStartReload(({ trigger }) => log(`[watch] ${changedText(trigger.files)}: reloading ${ccid}`));
  watch.onDidReload((outcome) => reportReload(outcome, definition.path, print));
  log(
    `[watch] watching ${definition.path} (${watch.directories.length} folders; dependencies, build output and tests are not watched): a save ${definition.typescript ? 'rebuilds, ' : ''}restarts ${ccid} and runs the last transaction again; Ctrl-C stops`,
  );
  try {
    await untilInterrupted();
  } finally {
    await watch.dispose();
  }
}
