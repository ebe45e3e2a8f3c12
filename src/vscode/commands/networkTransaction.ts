/**
 * Invoke Transaction and Query with connections: where they run. With no connection they run on the
 * embedded peer as before; with one or more, the user picks the embedded peer or a connection (the
 * last one used first), unless the row they ran it from says (a chaincode of the Chaincodes view is
 * the embedded peer's; one under a connection in the Networks view is that network's). On a
 * network, the chaincode is picked among the channel's definitions, the function from its contract
 * metadata (evaluated through the Gateway) or typed; submit or evaluate through the Gateway client;
 * the result opens in the same result document as the embedded peer's, marked with the network.
 */
import * as vscode from 'vscode';
import type { NetworkTransactionResult } from '../../engine/connection/networkConnection';
import type { ExecuteResult } from '../../engine/transactions/types';
import type { Ctx } from '../ctx';
import type { ChaincodeDocuments } from '../documents/documents';
import { prettyPayload, type ResultView } from '../documents/render';
import type { ActiveNetwork } from '../networks/networkConnections';
import { functionsFromMetadata, GET_METADATA, type ContractFunction } from './contractMetadata';
import { askArgs, askTransient, chooseFunction, runTransaction, type InvokeKind, type InvokeRequest } from './invokeTransaction';
import { orCancel, showError, targetOf } from './registerCommands';
import { shortTxId } from '../../engine/txId';

/** An Invoke/Query request that names where it runs: `embedded` or a connection's id. */
export interface TargetedInvokeRequest extends InvokeRequest {
  readonly network?: string;
}

/** A network's result, with how long it took (what Invoke and Query return for a network). */
export interface NetworkRunResult extends NetworkTransactionResult {
  readonly network: string;
  readonly durationMs: number;
  /** An invoke's block number and read/write sets, from the committed block. */
  readonly committed?: ResultView['committed'];
}

const EMBEDDED = 'embedded';
/** The target picked last comes first in the next pick. */
let lastPicked = EMBEDDED;

export async function runOnTarget(ctx: Ctx, docs: ChaincodeDocuments, kind: InvokeKind, arg?: unknown): Promise<ExecuteResult | NetworkRunResult> {
  const network = await pickTarget(ctx, kind, arg);
  if (!network) return runTransaction(ctx, docs, kind, arg);
  return runOnNetwork(ctx, docs, network, kind, arg);
}

async function pickTarget(ctx: Ctx, kind: InvokeKind, arg: unknown): Promise<ActiveNetwork | undefined> {
  const named = networkIdOf(arg);
  // A row of the Chaincodes view (or a chaincode id alone) is the embedded peer's.
  if (named === undefined && (targetOf(arg) || typeof arg === 'string')) return undefined;
  return pickNetwork(ctx, kind === 'invoke' ? vscode.l10n.t('Invoke Transaction') : vscode.l10n.t('Query'), named);
}

/**
 * The connection `named` (an id; `embedded`: undefined), or, when none is named and some are
 * connected, the one the user picks (undefined: the embedded peer). No connection: the embedded peer.
 */
export async function pickNetwork(ctx: Ctx, title: string, named?: string): Promise<ActiveNetwork | undefined> {
  if (named === EMBEDDED) return undefined;
  if (named !== undefined) {
    const network = ctx.networks.get(named);
    if (!network) throw new Error(vscode.l10n.t('No connection {0}: it was disconnected.', named));
    return network;
  }
  const networks = ctx.networks.list();
  if (networks.length === 0) return undefined;
  const items = [
    { label: vscode.l10n.t('Embedded peer'), description: ctx.engine.current ? ctx.engine.current.peer.address : vscode.l10n.t('starts when needed'), id: EMBEDDED },
    ...networks.map((n) => ({
      label: n.file.split(/[\\/]/).pop() ?? n.file,
      description: `${n.connection.spec.identity.mspId} · ${n.connection.channel} · ${n.connection.spec.endpoint}`,
      id: n.id,
    })),
  ].sort((a, b) => Number(b.id === lastPicked) - Number(a.id === lastPicked));
  const picked = orCancel(await vscode.window.showQuickPick(items, { title, placeHolder: vscode.l10n.t('Run it where?') }));
  lastPicked = picked.id;
  return picked.id === EMBEDDED ? undefined : ctx.networks.get(picked.id);
}

/** `network` of a request, or the connection of a Networks view row. */
function networkIdOf(arg: unknown): string | undefined {
  if (!arg || typeof arg !== 'object') return undefined;
  const t = (arg as { target?: unknown }).target ?? arg;
  const target = t as { kind?: string; networkId?: string };
  if ((target.kind === 'network' || target.kind === 'networkChaincode') && typeof target.networkId === 'string') return target.networkId;
  const network = (arg as TargetedInvokeRequest).network;
  return typeof network === 'string' ? network : undefined;
}

async function runOnNetwork(ctx: Ctx, docs: ChaincodeDocuments, network: ActiveNetwork, kind: InvokeKind, arg: unknown): Promise<NetworkRunResult> {
  const request: TargetedInvokeRequest = arg && typeof arg === 'object' && ('fn' in arg || 'args' in arg || 'chaincodeId' in arg) ? (arg as TargetedInvokeRequest) : {};
  const rowChaincode = (((arg as { target?: unknown } | undefined)?.target ?? arg) as { kind?: string; chaincode?: string } | undefined)?.chaincode;
  const asked = request.fn === undefined;
  const name = request.chaincodeId ?? rowChaincode ?? (await pickDefinedChaincode(network, kind));
  let fn = request.fn;
  let args = request.args ? [...request.args] : undefined;
  let transient = request.transient;
  if (fn === undefined) {
    const picked = await chooseFunction(await networkFunctions(ctx, network, name), name, kind);
    fn = picked.fn;
    const title = `${fn} · ${name} · ${network.connection.spec.endpoint}`;
    args = await askArgs(title, picked.spec);
    if (kind === 'invoke') transient = await askTransient(title);
  }
  const where = `${network.connection.spec.endpoint} (${network.connection.channel})`;
  const started = Date.now();
  const callArgs = [fn, ...(args ?? [])];
  const outcome =
    kind === 'invoke'
      ? await network.connection.submit(name, callArgs, transient ? { ...transient } : undefined)
      : await network.connection.evaluate(name, callArgs, transient ? { ...transient } : undefined);
  const durationMs = Date.now() - started;
  // What was committed, read from the block the network's peer stored it in (qscc), as on a network
  // the read/write set is only known from the block.
  const committed = kind === 'invoke' && outcome.txId ? await committedSets(ctx, network, outcome.txId) : undefined;
  const result: NetworkRunResult = { ...outcome, network: where, durationMs, ...(committed ? { committed } : {}) };
  const ok = result.status < 400 && (kind === 'query' || result.validation === 'VALID');
  const summary = `${fn} → ${result.status}${result.status < 400 ? '' : ` ${result.message}`}${kind === 'invoke' ? ` · ${result.validation}` : ''} · ${result.durationMs} ms · tx ${shortTxId(result.txId)} · ${where}`;
  ctx.log.info(`${kind} ${name} on ${where}: ${summary}`);
  if (request.showResult ?? asked) await docs.open(docs.resultUri(fn, args ?? [], result), { beside: true });
  if (ok) void vscode.window.showInformationMessage(`${summary}${result.payload.length ? `: ${prettyPayload(result.payload).slice(0, 200)}` : ''}`);
  else void showError(ctx, summary, new Error(result.message));
  return result;
}

async function committedSets(ctx: Ctx, network: ActiveNetwork, txId: string): Promise<NetworkRunResult['committed']> {
  try {
    const t = await network.connection.committedTransaction(txId);
    return { blockNumber: t.blockNumber, readWriteSets: t.readWriteSets };
  } catch (err) {
    ctx.log.info(`the block of ${shortTxId(txId)} could not be read from ${network.connection.spec.endpoint}: ${(err as Error).message}`);
    return undefined;
  }
}

/** The chaincodes defined on the connection's channel; typed when `_lifecycle` cannot list them. */
async function pickDefinedChaincode(network: ActiveNetwork, kind: InvokeKind): Promise<string> {
  const title = `${kind === 'invoke' ? vscode.l10n.t('Invoke Transaction') : vscode.l10n.t('Query')} · ${network.connection.spec.endpoint}`;
  let names: string[] = [];
  try {
    names = (await network.connection.chaincodeDefinitions()).map((d) => d.name).sort();
  } catch {
    // Listed in the Networks view with the reason; here the name is typed instead.
  }
  if (names.length === 1) return names[0];
  if (names.length > 1) return orCancel(await vscode.window.showQuickPick(names, { title, placeHolder: vscode.l10n.t('Which chaincode on {0}?', network.connection.channel) }));
  const typed = orCancel(
    await vscode.window.showInputBox({
      title,
      prompt: vscode.l10n.t('Chaincode name on channel {0}', network.connection.channel),
      validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('A name is needed')),
    }),
  );
  return typed.trim();
}

/** The contract's functions from its metadata, evaluated through the Gateway (not recorded anywhere). */
async function networkFunctions(ctx: Ctx, network: ActiveNetwork, name: string): Promise<ContractFunction[] | undefined> {
  try {
    const r = await network.connection.evaluate(name, [GET_METADATA]);
    return r.status < 400 ? functionsFromMetadata(r.payload.toString('utf8')) : undefined;
  } catch (err) {
    ctx.log.info(`${name} on ${network.connection.spec.endpoint} has no contract metadata (${(err as Error).message}); functions are typed`);
    return undefined;
  }
}
