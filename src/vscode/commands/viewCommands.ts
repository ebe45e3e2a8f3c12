/** World State and Transactions: choose the namespace, open a key, open a transaction, re-run one. */
import * as vscode from 'vscode';
import type { ExecuteResult } from '../../engine/transactions/types';
import type { Ctx } from '../ctx';
import { ChaincodeDocuments } from '../documents/documents';
import { identityRefText } from '../identities/identityRef';
import { networkIdentities } from '../identities/networkIdentities';
import type { ChaincodeViews } from '../tree/views';
import { orCancel, targetOf } from './registerCommands';

export async function selectNamespace(ctx: Ctx, views: ChaincodeViews, arg?: unknown): Promise<void> {
  const given = arg as { channel?: string; chaincode?: string } | undefined;
  if (given?.channel && given.chaincode) return views.select({ channel: given.channel, chaincode: given.chaincode });
  const namespaces = (await ctx.ensureEngine()).peer.ledgers().flatMap((l) => l.state.namespaces());
  if (namespaces.length === 0) throw new Error(vscode.l10n.t('The world state is empty: no transaction has committed yet.'));
  const picked = orCancel(
    await vscode.window.showQuickPick(
      namespaces.map((n) => ({ label: n.chaincode, description: n.channel, n })),
      { title: vscode.l10n.t('World State: chaincode and channel') },
    ),
  );
  views.select(picked.n);
}

export async function openStateKey(ctx: Ctx, docs: ChaincodeDocuments, arg?: unknown): Promise<vscode.TextEditor> {
  const t = targetOf(arg);
  if (t?.kind !== 'stateKey') throw new Error(vscode.l10n.t('Open a key from the World State view.'));
  await ctx.ensureEngine();
  return docs.open(ChaincodeDocuments.stateKeyUri(t.channel, t.chaincode, t.key));
}

export async function openTransaction(ctx: Ctx, docs: ChaincodeDocuments, arg?: unknown): Promise<vscode.TextEditor> {
  const t = targetOf(arg);
  let txId = t?.kind === 'transaction' ? t.txId : undefined;
  if (!txId) {
    const records = (await ctx.ensureEngine()).transactions.transactions({ limit: 50 });
    txId = orCancel(
      await vscode.window.showQuickPick(
        records.map((r) => ({ label: `${r.fn}(${r.args.join(', ')})`, description: `${r.status} · ${r.chaincode}`, txId: r.txId })),
        { title: vscode.l10n.t('Open Transaction') },
      ),
    ).txId;
  }
  return docs.open(docs.transactionUri(txId));
}

export async function openBlock(ctx: Ctx, docs: ChaincodeDocuments, arg?: unknown): Promise<vscode.TextEditor> {
  const t = targetOf(arg);
  if (t?.kind === 'block') return docs.open(ChaincodeDocuments.blockUri(t.channel, t.number));
  const engine = await ctx.ensureEngine();
  const picked = orCancel(
    await vscode.window.showQuickPick(
      engine.peer.ledgers().flatMap((l) =>
        Array.from({ length: Math.min(l.blocks.height, 100) }, (_, i) => l.blocks.height - 1 - i).map((n) => ({
          label: `${l.channel} · Block ${n}`,
          channel: l.channel,
          number: n,
        })),
      ),
      { title: vscode.l10n.t('Open Block') },
    ),
  );
  return docs.open(ChaincodeDocuments.blockUri(picked.channel, picked.number));
}

export async function rerunTransaction(ctx: Ctx, arg?: unknown): Promise<ExecuteResult | undefined> {
  const t = targetOf(arg);
  if (t?.kind !== 'transaction') throw new Error(vscode.l10n.t('Re-run a transaction from the Transactions view.'));
  const engine = await ctx.ensureEngine();
  const r = engine.transactions.transaction(t.txId);
  if (!r) throw new Error(vscode.l10n.t('Transaction {0} is not in the ledger.', t.txId));
  // As the same caller when it is one of the network's identities (a Gateway client's own may not be).
  const caller = (await networkIdentities(engine)).flatMap((o) => o.identities).find((id) => id.mspId === r.creator.mspId && id.subject === r.creator.subject);
  const command = r.kind === 'query' ? 'chaincode.queryChaincode' : 'chaincode.invokeTransaction';
  return vscode.commands.executeCommand<ExecuteResult | undefined>(command, {
    chaincodeId: r.chaincode,
    channel: r.channel,
    fn: r.fn,
    args: r.args,
    showResult: true,
    ...(caller ? { identity: identityRefText(caller) } : {}),
  });
}
