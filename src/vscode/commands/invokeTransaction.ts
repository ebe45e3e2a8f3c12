/**
 * Invoke Transaction and Query: pick a ready chaincode, then the function (from the contract
 * metadata when the chaincode answers GetMetadata, else typed), then the arguments and transient
 * data (Invoke only); run it on the embedded peer; show the result (JSON pretty-printed). The peer
 * records it, so it appears in the Transactions view. Query never commits.
 */
import * as vscode from 'vscode';
import type { ExecuteResult } from '../../engine/transactions/types';
import type { Ctx } from '../ctx';
import type { ChaincodeDocuments } from '../documents/documents';
import { prettyPayload } from '../documents/render';
import { argumentProblem, ContractFunction, functionsFromMetadata, GET_METADATA, parseArgs, parseTransient } from './contractMetadata';
import { chaincodeIdOfTarget, orCancel, showError } from './registerCommands';
import { shortTxId } from '../../engine/txId';

export interface InvokeRequest {
  readonly chaincodeId?: string;
  readonly fn?: string;
  readonly args?: readonly string[];
  readonly transient?: Readonly<Record<string, string>>;
  readonly channel?: string;
  /** Show the result document (default true when the user was asked anything). */
  readonly showResult?: boolean;
}

export type InvokeKind = 'invoke' | 'query';

/** Metadata per handler: a restarted chaincode (new handler) is asked again. */
const metadataCache = new Map<string, ContractFunction[] | null>();

export async function contractFunctions(ctx: Ctx, ccid: string): Promise<ContractFunction[] | undefined> {
  const engine = await ctx.ensureEngine();
  const handler = engine.peer.handlers().find((h) => h.chaincodeId === ccid && h.state === 'ready');
  const key = `${handler?.id ?? ''}/${ccid}`;
  if (metadataCache.has(key)) return metadataCache.get(key) ?? undefined;
  let fns: ContractFunction[] | null = null;
  try {
    // Asked for the editor's own use: not a transaction of the user's (no record, no Transactions row).
    const r = await engine.transactions.execute({ chaincode: ccid, args: [GET_METADATA], kind: 'query', timeoutMs: 10_000, record: false });
    if (r.status < 400) fns = functionsFromMetadata(r.payload.toString('utf8'));
  } catch (err) {
    ctx.log.info(`${ccid} has no contract metadata (${(err as Error).message}); functions are typed`);
  }
  metadataCache.set(key, fns);
  return fns ?? undefined;
}

async function pickReadyChaincode(ctx: Ctx, kind: InvokeKind): Promise<string> {
  const ready = [
    ...new Set(
      ctx
        .handlers()
        .filter((h) => h.state === 'ready')
        .map((h) => h.chaincodeId),
    ),
  ].sort();
  if (ready.length === 0) {
    const launch = vscode.l10n.t('Launch Chaincode');
    const pick = await vscode.window.showWarningMessage(vscode.l10n.t('No chaincode is ready. Launch one (or press F5 in a chaincode folder) first.'), launch);
    if (pick === launch) void vscode.commands.executeCommand('chaincode.launchChaincode');
    return orCancel<string>(undefined);
  }
  if (ready.length === 1) return ready[0];
  const title = kind === 'invoke' ? vscode.l10n.t('Invoke Transaction') : vscode.l10n.t('Query');
  return orCancel(await vscode.window.showQuickPick(ready, { title, placeHolder: vscode.l10n.t('Which chaincode?') }));
}

async function pickFunction(ctx: Ctx, ccid: string, kind: InvokeKind): Promise<{ fn: string; spec?: ContractFunction }> {
  return chooseFunction(await contractFunctions(ctx, ccid), ccid, kind);
}

/** The function to run: picked from the contract's metadata when there is some, else typed. */
export async function chooseFunction(fns: ContractFunction[] | undefined, ccid: string, kind: InvokeKind): Promise<{ fn: string; spec?: ContractFunction }> {
  const title = `${kind === 'invoke' ? vscode.l10n.t('Invoke Transaction') : vscode.l10n.t('Query')}: ${ccid}`;
  if (fns && fns.length) {
    const preferred = kind === 'invoke' ? 'submit' : 'evaluate';
    const sorted = [...fns].sort((a, b) => Number(b.kind === preferred) - Number(a.kind === preferred) || a.name.localeCompare(b.name));
    const typed = { label: `$(edit) ${vscode.l10n.t('Type a function name…')}`, fn: undefined as ContractFunction | undefined };
    const items = [
      ...sorted.map((f) => ({
        label: f.name,
        description: `(${f.parameters.map((p) => p.name).join(', ')})`,
        detail: f.kind === 'unknown' ? undefined : f.kind,
        fn: f,
      })),
      typed,
    ];
    const picked = orCancel(await vscode.window.showQuickPick(items, { title, placeHolder: vscode.l10n.t('Function (from the contract metadata)'), matchOnDescription: true }));
    if (picked.fn) return { fn: picked.fn.name, spec: picked.fn };
  }
  const fn = orCancel(
    await vscode.window.showInputBox({
      title,
      prompt: vscode.l10n.t('Function name (args[0])'),
      validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('A function name is needed')),
    }),
  );
  return { fn: fn.trim() };
}

export async function askArgs(title: string, spec: ContractFunction | undefined): Promise<string[]> {
  if (spec) {
    const args: string[] = [];
    for (const [i, p] of spec.parameters.entries()) {
      const v = await vscode.window.showInputBox({
        title: `${title} (${i + 1}/${spec.parameters.length})`,
        prompt: `${p.name}${p.type ? `: ${p.type}` : ''}`,
        placeHolder: p.name,
        // Checked here against the metadata, not deep in the contract after a round trip.
        validateInput: (text) => argumentProblem(p, text),
      });
      args.push(orCancel(v));
    }
    return args;
  }
  const text = orCancel(
    await vscode.window.showInputBox({
      title,
      prompt: vscode.l10n.t('Arguments: words separated by spaces, or a JSON array of strings'),
      validateInput: (v) => {
        try {
          parseArgs(v);
          return undefined;
        } catch (e) {
          return (e as Error).message;
        }
      },
    }),
  );
  return parseArgs(text);
}

export async function askTransient(title: string): Promise<Record<string, string> | undefined> {
  const text = orCancel(
    await vscode.window.showInputBox({
      title,
      prompt: vscode.l10n.t('Transient data (optional): a JSON object, e.g. {"price":"100"}. Press Enter to skip.'),
      validateInput: (v) => {
        try {
          parseTransient(v);
          return undefined;
        } catch (e) {
          return (e as Error).message;
        }
      },
    }),
  );
  return parseTransient(text);
}

export async function runTransaction(ctx: Ctx, docs: ChaincodeDocuments, kind: InvokeKind, arg?: unknown): Promise<ExecuteResult> {
  const request: InvokeRequest = arg && typeof arg === 'object' && ('fn' in arg || 'args' in arg) ? (arg as InvokeRequest) : {};
  const asked = request.fn === undefined;
  const ccid = request.chaincodeId ?? chaincodeIdOfTarget(arg) ?? (await pickReadyChaincode(ctx, kind));
  let fn = request.fn;
  let args = request.args ? [...request.args] : undefined;
  let transient = request.transient;
  if (fn === undefined) {
    const picked = await pickFunction(ctx, ccid, kind);
    fn = picked.fn;
    const title = `${fn} · ${ccid}`;
    args = await askArgs(title, picked.spec);
    // Transient data is for what a submitted transaction must not record (private data inputs).
    if (kind === 'invoke') transient = await askTransient(title);
  }
  const engine = await ctx.ensureEngine();
  const result = await engine.transactions.execute({ chaincode: ccid, channel: request.channel, args: [fn, ...(args ?? [])], transient, kind });
  const ok = result.status < 400;
  const summary = `${fn} → ${result.status}${ok ? '' : ` ${result.message}`} · ${result.durationMs} ms · tx ${shortTxId(result.txId)}`;
  ctx.log.info(`${kind} ${ccid} ${summary}`);
  if (request.showResult ?? asked) {
    await docs.open(docs.resultUri(fn, args ?? [], result), { beside: true });
  }
  const open = vscode.l10n.t('Open Transaction');
  const shown = ok
    ? vscode.window.showInformationMessage(`${summary}${result.payload.length ? `: ${prettyPayload(result.payload).slice(0, 200)}` : ''}`, open)
    : showError(ctx, summary, new Error(result.message), open); // a timeout offers its setting
  void shown.then((pick) => pick === open && vscode.commands.executeCommand('chaincode.openTransaction', { kind: 'transaction', txId: result.txId }));
  return result;
}
