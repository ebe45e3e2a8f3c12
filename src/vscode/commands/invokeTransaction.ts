/**
 * Invoke Transaction and Query: pick a ready chaincode, then the function (from the contract
 * metadata when the chaincode answers GetMetadata, else typed), then the arguments and transient
 * data (Invoke only); run it on the embedded peer as the calling identity (`chaincode.identity`), or
 * as one picked for this transaction (Invoke As…); show the result (JSON
 * pretty-printed). The peer records it with its caller, so it appears in the Transactions view.
 * Query never commits. Transient data goes to the chaincode only: not to records, documents or logs.
 * When the endorsing peers' results differ (non-deterministic chaincode), the result says Fabric's
 * "ProposalResponsePayloads do not match" and a diff editor shows each peer's read/write set.
 */
import * as vscode from 'vscode';
import type { ExecuteResult } from '../../engine/transactions/types';
import type { Ctx } from '../ctx';
import { ChaincodeDocuments } from '../documents/documents';
import { prettyPayload } from '../documents/render';
import { currentIdentity } from '../identities/callingIdentity';
import { identityRefText, parseIdentityRef } from '../identities/identityRef';
import { signingIdentity } from '../identities/networkIdentities';
import { argumentProblem, ContractFunction, functionsFromMetadata, GET_METADATA, parseArgs, parseTransient } from './contractMetadata';
import { pickIdentity } from './identityCommands';
import { chaincodeIdOfTarget, orCancel, showError, targetOf } from './registerCommands';
import { shortTxId } from '../../engine/txId';

export interface InvokeRequest {
  readonly chaincodeId?: string;
  readonly fn?: string;
  readonly args?: readonly string[];
  /** Values as strings (UTF-8) or bytes. */
  readonly transient?: Readonly<Record<string, string | Uint8Array>>;
  readonly channel?: string;
  /** Who calls, `MSPID/NAME` (created as a client on first use); default the calling identity, `chaincode.identity`. */
  readonly identity?: string;
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

export async function askTransient(title: string): Promise<Record<string, Buffer> | undefined> {
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

/** The request a command was given: a plain object (not a tree row), else none. */
function requestOf(arg: unknown): InvokeRequest {
  return arg && typeof arg === 'object' && !targetOf(arg) ? arg : {};
}

export function runTransaction(ctx: Ctx, docs: ChaincodeDocuments, kind: InvokeKind, arg?: unknown): Promise<ExecuteResult> {
  return run(ctx, docs, kind, requestOf(arg), chaincodeIdOfTarget(arg));
}

/** Invoke As…: the identity first (the row's, the request's, or picked), for this one transaction. */
export async function invokeAs(ctx: Ctx, docs: ChaincodeDocuments, arg?: unknown): Promise<ExecuteResult> {
  const row = targetOf(arg);
  const request = requestOf(arg);
  const identity =
    row?.kind === 'identity' ? identityRefText({ mspId: row.mspId, name: row.name }) : (request.identity ?? identityRefText(await pickIdentity(ctx, vscode.l10n.t('Invoke As…'))));
  return run(ctx, docs, 'invoke', { ...request, identity }, row?.kind === 'chaincode' ? row.chaincodeId : undefined);
}

async function run(ctx: Ctx, docs: ChaincodeDocuments, kind: InvokeKind, request: InvokeRequest, rowChaincode: string | undefined): Promise<ExecuteResult> {
  const asked = request.fn === undefined;
  const ccid = request.chaincodeId ?? rowChaincode ?? (await pickReadyChaincode(ctx, kind));
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
  const ref = request.identity !== undefined ? parseIdentityRef(request.identity, engine.config.mspId, 'identity') : currentIdentity(ctx);
  const { identity: creator, issued } = await signingIdentity(engine, ref);
  const caller = identityRefText(ref);
  if (issued) {
    ctx.log.info(`identity ${caller} issued by its CA as a client (first use)`);
    void vscode.commands.executeCommand('chaincode.refreshIdentities');
  }
  const result = await engine.transactions.execute({ chaincode: ccid, channel: request.channel, args: [fn, ...(args ?? [])], transient, kind, creator });
  const mismatches = result.mismatches ?? [];
  const ok = result.status < 400 && mismatches.length === 0;
  const summary = `${fn} → ${ok ? result.status : mismatches.length ? result.message : `${result.status} ${result.message}`} · ${result.durationMs} ms · tx ${shortTxId(result.txId)}`;
  ctx.log.info(`${kind} ${ccid} as ${caller}: ${summary}`);
  for (const m of mismatches) {
    ctx.log.warn(`${m.initial.peer} ↔ ${m.peer}: ${m.differences.map((d) => `${d.type}${d.key !== undefined ? ` ${d.key}` : ''}`).join('; ')}`);
  }
  if (request.showResult ?? asked) {
    await docs.open(docs.resultUri(fn, args ?? [], result, caller), { beside: true });
  }
  if (mismatches.length > 0 && (request.showResult ?? asked)) await showEndorsementDiffs(docs, fn, result);
  const open = vscode.l10n.t('Open Transaction');
  const diff = vscode.l10n.t('Show Differences');
  const shown = ok
    ? vscode.window.showInformationMessage(`${summary}${result.payload.length ? `: ${prettyPayload(result.payload).slice(0, 200)}` : ''}`, open)
    : mismatches.length > 0
      ? showError(ctx, `${summary}: ${vscode.l10n.t('the endorsing peers computed different results (is the chaincode deterministic?)')}`, new Error(result.message), diff, open)
      : showError(ctx, summary, new Error(result.message), open); // a timeout offers its setting
  void shown.then((pick) => {
    if (pick === open) void vscode.commands.executeCommand('chaincode.openTransaction', { kind: 'transaction', txId: result.txId });
    else if (pick === diff) void showEndorsementDiffs(docs, fn, result);
  });
  return result;
}

/** One diff editor per endorser that disagrees: the first endorser's output beside its own. */
async function showEndorsementDiffs(docs: ChaincodeDocuments, fn: string, result: ExecuteResult): Promise<void> {
  for (const m of result.mismatches ?? []) {
    const left = docs.endorserUri(fn, result.txId, m.initial);
    const right = docs.endorserUri(fn, result.txId, m.invoked);
    const title = vscode.l10n.t('{0}: {1} ↔ {2} (ProposalResponsePayloads do not match)', fn, m.initial.peer, m.invoked.peer);
    await vscode.commands.executeCommand('vscode.diff', left, right, title, { preview: false, viewColumn: ChaincodeDocuments.ourGroup() ?? vscode.ViewColumn.Beside });
  }
}
