/**
 * Replay on Current Code: a recorded transaction runs again on its chaincode's current code against
 * the state it read then (nothing is committed), and VS Code's diff editor shows the original
 * transaction document beside the replayed one. Export as Test…: the recorded transactions of a
 * chaincode written as a test for its own runner (mocha, go test). The work is the engine's
 * (src/engine/replay); this is prompts and documents.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { SequenceScope } from '../../engine/replay/recordedLedger';
import type { ReplayResult } from '../../engine/replay/replay';
import type { TestLanguage } from '../../engine/replay/testExport';
import { detectChaincode, sourceLanguageOf, type DetectedChaincode } from '../../engine/workspace/detect';
import type { Ctx } from '../ctx';
import type { ChaincodeDocuments } from '../documents/documents';
import { renderTransaction } from '../documents/render';
import { engineBundle } from '../engineAssembly';
import { workspaceChaincodes } from './launchChaincode';
import { orCancel, targetOf, type CommandHandler } from './registerCommands';
import { chaincodeNameOf } from '../../engine/chaincodeId';
import { shortTxId } from '../../engine/txId';

export const REPLAY_SCHEME = 'chaincode-replay';

/** The replayed transaction documents (read-only JSON), the last few kept for their diff editors. */
export class ReplayDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(REPLAY_SCHEME, this);
  private count = 0;

  /** A new document for this replay (each replay its own, so an open diff is never rewritten). */
  add(result: ReplayResult): vscode.Uri {
    const id = String(++this.count);
    this.texts.set(id, renderTransaction(result.replayed));
    if (this.texts.size > 20) this.texts.delete(this.texts.keys().next().value as string);
    const name = `${result.original.fn || 'transaction'}-${shortTxId(result.original.txId)}-replayed-${id}.json`;
    return vscode.Uri.from({ scheme: REPLAY_SCHEME, path: `/replays/${name}`, query: new URLSearchParams({ id }).toString() });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return (
      this.texts.get(new URLSearchParams(uri.query).get('id') ?? '') ?? JSON.stringify({ error: vscode.l10n.t('This replay is no longer kept: replay the transaction again.') })
    );
  }

  dispose(): void {
    this.registration.dispose();
  }
}

/** The commands, for registerAllCommands. */
export function replayCommands(ctx: Ctx, docs: ChaincodeDocuments): Record<string, CommandHandler> {
  const replays = new ReplayDocuments();
  ctx.extensionContext.subscriptions.push(replays);
  return {
    'chaincode.replayTransaction': (arg?: unknown) => replayOnCurrentCode(ctx, docs, replays, arg),
    'chaincode.exportAsTest': (arg?: unknown) => exportAsTest(ctx, arg),
  };
}

async function pickTransaction(ctx: Ctx, arg: unknown, title: string): Promise<string> {
  const t = targetOf(arg);
  if (t?.kind === 'transaction') return t.txId;
  const given = arg as { txId?: unknown } | undefined;
  if (typeof given?.txId === 'string') return given.txId;
  const records = (await ctx.ensureEngine()).transactions.transactions({ limit: 50 });
  if (records.length === 0) throw new Error(vscode.l10n.t('No transaction is recorded yet: invoke or query a chaincode first.'));
  const items = records.map((r) => ({ label: `${r.fn}(${r.args.join(', ')})`, description: `${r.status} · ${r.chaincode}`, txId: r.txId }));
  return orCancel(await vscode.window.showQuickPick(items, { title })).txId;
}

/** Replays the transaction and opens the diff editor (original ↔ replayed); returns the result. */
export async function replayOnCurrentCode(ctx: Ctx, docs: ChaincodeDocuments, replays: ReplayDocuments, arg?: unknown): Promise<ReplayResult> {
  const txId = await pickTransaction(ctx, arg, vscode.l10n.t('Replay on Current Code'));
  const engine = await ctx.ensureEngine();
  const original = engine.transactions.transaction(txId);
  let result: ReplayResult;
  try {
    result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Replaying {0}', original?.fn ?? shortTxId(txId)) }, () =>
      engineBundle().replayTransaction(engine, txId),
    );
  } catch (err) {
    if ((err as Error).name !== 'UnknownChaincodeError' || !original) throw err;
    throw new Error(vscode.l10n.t('Replay runs the current code of {0}: launch it (or press F5 in its folder) first. {1}', original.chaincode, (err as Error).message), {
      cause: err,
    });
  }
  const { original: o, replayed, differences } = result;
  ctx.log.info(
    `replayed ${o.fn} ${o.txId} on ${replayed.chaincode}: ${differences.length ? differences.map((d) => `${d.type}${d.key !== undefined ? ` ${d.key}` : ''}`).join('; ') : 'no differences'}`,
  );
  for (const why of [...result.unavailable, ...result.caveats]) ctx.log.warn(`replay of ${o.txId}: ${why}`);
  const left = docs.transactionUri(txId, o.fn);
  const right = replays.add(result);
  const title = vscode.l10n.t('{0}({1}): recorded ↔ replayed on {2}', o.fn, o.args.join(', '), replayed.chaincode);
  await vscode.commands.executeCommand('vscode.diff', left, right, title, { preview: true });
  const summary =
    differences.length === 0
      ? vscode.l10n.t('The current code does what the recorded transaction did.')
      : vscode.l10n.t('The current code differs from the recorded transaction in {0} places.', differences.length);
  vscode.window.setStatusBarMessage(summary, 8000);
  if (result.unavailable.length) void vscode.window.showWarningMessage(vscode.l10n.t('The replay could not serve every read as it was: {0}', result.unavailable.join(' ')));
  return result;
}

/** Export as Test… without prompts (tests, other commands): any field left out is asked for. */
export interface ExportRequest {
  readonly chaincode?: string;
  readonly folder?: string;
  readonly file?: string;
  readonly scope?: SequenceScope;
}

/** Writes the recorded transactions of a chaincode as a test in its folder; returns the file. */
export async function exportAsTest(ctx: Ctx, arg?: unknown): Promise<string> {
  const engine = await ctx.ensureEngine();
  const channel = engine.peer.channel;
  const bundle = engineBundle();
  const given = (targetOf(arg) ? {} : (arg ?? {})) as ExportRequest;
  const t = targetOf(arg);
  const fromRow = t?.kind === 'transaction' ? engine.transactions.transaction(t.txId)?.chaincode : undefined;
  const chaincode = given.chaincode ?? (fromRow ? chaincodeNameOf(fromRow) : await pickRecordedChaincode(engine.transactions.transactions({ channel })));
  const scope = given.scope ?? (await pickScope());
  const cc = await chaincodeFolder(ctx, chaincode, given.folder);
  const language = testLanguageOf(cc);
  let file = given.file;
  if (!file) {
    const saved = await vscode.window.showSaveDialog({
      title: vscode.l10n.t('Export as Test'),
      defaultUri: vscode.Uri.file(bundle.defaultTestFile(cc.folder, language)),
      filters: language === 'golang' ? { Go: ['go'] } : language === 'typescript' ? { TypeScript: ['ts'] } : { JavaScript: ['js'] },
    });
    file = orCancel(saved).fsPath;
  }
  const sequence = bundle.recordedSequence(engine.peer.ledger(channel).state, scope);
  const written = await bundle.exportTest({ language, folder: cc.folder, testFile: file, chaincodeName: chaincode, channel, sequence, launcher: launcherFor(ctx) });
  await vscode.window.showTextDocument(vscode.Uri.file(written.file), { preview: false });
  const runner = language === 'golang' ? 'go test' : 'mocha';
  void vscode.window.showInformationMessage(vscode.l10n.t('Exported {0} transactions of {1} as a test: run it with {2}.', written.count, chaincode, runner));
  return written.file;
}

async function pickRecordedChaincode(records: readonly { chaincode: string }[]): Promise<string> {
  const names = [...new Set(records.map((r) => chaincodeNameOf(r.chaincode)))].sort();
  if (names.length === 0) throw new Error(vscode.l10n.t('No transaction is recorded on this channel yet: there is nothing to export.'));
  if (names.length === 1) return names[0];
  return orCancel(await vscode.window.showQuickPick(names, { title: vscode.l10n.t('Export as Test: which chaincode?') }));
}

async function pickScope(): Promise<SequenceScope> {
  const items: (vscode.QuickPickItem & { scope: SequenceScope })[] = [
    { scope: 'all', label: vscode.l10n.t('Every recorded transaction'), detail: vscode.l10n.t('Queries and failed transactions too: each is expected to answer as it did.') },
    { scope: 'committed', label: vscode.l10n.t('Committed transactions only'), detail: vscode.l10n.t('The transactions that built the world state.') },
  ];
  return orCancel(await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Export as Test: which transactions?') })).scope;
}

/** The folder the chaincode was launched or debugged from, else the workspace's chaincode of that name. */
async function chaincodeFolder(ctx: Ctx, name: string, folder: string | undefined): Promise<DetectedChaincode> {
  const known = folder ?? [...ctx.folders].find(([ccid]) => chaincodeNameOf(ccid) === name)?.[1] ?? ctx.running().find((r) => r.definition.name === name)?.definition.path;
  const candidates = known ? [detectChaincode(known)].filter((c): c is DetectedChaincode => !!c) : workspaceChaincodes();
  if (candidates.length === 1) return candidates[0];
  if (candidates.length === 0) throw new Error(vscode.l10n.t('No chaincode folder found for {0}: open its folder, or launch it from there first.', name));
  const picked = await vscode.window.showQuickPick(
    candidates.map((cc) => ({ label: cc.name, description: cc.folder, cc })),
    { title: vscode.l10n.t('Export as Test: the folder of {0}', name) },
  );
  return orCancel(picked).cc;
}

function testLanguageOf(cc: DetectedChaincode): TestLanguage {
  const language = sourceLanguageOf(cc);
  if (language !== 'java') return language;
  throw new Error(vscode.l10n.t('Export as Test writes mocha tests (Node, TypeScript) and go tests; {0} is {1} chaincode.', cc.name, cc.language));
}

/**
 * How the exported test starts the launcher: this extension's own CLI when it has one (a clone of
 * the repository), else the `chaincode-launcher` command (the npm package's bin). The test's
 * CHAINCODE_LAUNCHER variable overrides it.
 */
function launcherFor(ctx: Ctx): string {
  const cli = path.join(ctx.extensionContext.extensionPath, 'out', 'src', 'cli', 'main.js');
  return fs.existsSync(cli) ? cli : 'chaincode-launcher';
}
