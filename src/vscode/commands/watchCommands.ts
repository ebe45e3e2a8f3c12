/**
 * The watch's commands: Watch (the eye on a chaincode row) and Stop Watching, Pin for Re-run on a
 * Transactions row, Unpin on a pinned row (or the Transactions row). The work is WatchController's.
 */
import * as vscode from 'vscode';
import { requestKey, requestOf, requestText, type RerunRequest } from '../../engine/watch/rerunRequest';
import type { Ctx } from '../ctx';
import type { ChaincodeDocuments } from '../documents/documents';
import { chaincodeIdOfTarget, orCancel, targetOf, type CommandHandler } from './registerCommands';
import { WatchController } from './watchChaincodes';

/** Which chaincode: the row's, the id given, or one picked among the running ones launched from a folder. */
async function pickChaincode(ctx: Ctx, arg: unknown, title: string, filter: (ccid: string) => boolean): Promise<string> {
  const given = chaincodeIdOfTarget(arg);
  if (given) return given;
  const ids = ctx
    .running()
    .filter((r) => r.definition.path && (r.definition.mode === 'dev' || r.definition.mode === 'net'))
    .map((r) => r.ccid)
    .filter(filter)
    .sort();
  if (ids.length === 0) throw new Error(vscode.l10n.t('No chaincode launched from a folder is running: launch one (or press F5) first.'));
  if (ids.length === 1) return ids[0];
  return orCancel(await vscode.window.showQuickPick(ids, { title }));
}

/** A pinned row of the Chaincodes view: `chaincode:<ccid>/pin/<key>` (tree/chaincodes/model.ts). */
function pinnedRow(arg: unknown): { ccid: string; key: string } | undefined {
  const id = (arg as { id?: unknown } | undefined)?.id;
  const m = typeof id === 'string' ? /^chaincode:([^/]+)\/pin\/(.*)$/s.exec(id) : null;
  return m ? { ccid: m[1], key: m[2] } : undefined;
}

async function recordOf(ctx: Ctx, arg: unknown): Promise<{ ccid: string; request: RerunRequest }> {
  const t = targetOf(arg);
  if (t?.kind !== 'transaction') throw new Error(vscode.l10n.t('Pin a transaction from the Transactions view.'));
  const record = (await ctx.ensureEngine()).transactions.transaction(t.txId);
  if (!record) throw new Error(vscode.l10n.t('Transaction {0} is not in the ledger.', t.txId));
  return { ccid: record.chaincode, request: requestOf(record) };
}

export function watchCommands(ctx: Ctx, docs: ChaincodeDocuments): { commands: Record<string, CommandHandler>; controller: WatchController } {
  const controller = new WatchController(ctx, docs);
  ctx.extensionContext.subscriptions.push(controller);
  const commands: Record<string, CommandHandler> = {
    'chaincode.watchChaincode': async (arg?: unknown) => {
      const ccid = await pickChaincode(ctx, arg, vscode.l10n.t('Watch Chaincode'), (id) => !controller.isWatching(id));
      await controller.enable(ccid);
      const what = controller.pinned(ccid).length ? vscode.l10n.t('the pinned transactions') : vscode.l10n.t('the last transaction');
      vscode.window.setStatusBarMessage(`$(eye) ${vscode.l10n.t('Watching {0}: a save restarts it and runs {1} again', ccid, what)}`, 5000);
      return true;
    },
    'chaincode.unwatchChaincode': async (arg?: unknown) => {
      const ccid = await pickChaincode(ctx, arg, vscode.l10n.t('Stop Watching'), (id) => controller.isWatching(id));
      await controller.disable(ccid);
      return false;
    },
    'chaincode.pinTransaction': async (arg?: unknown) => {
      const { ccid, request } = await recordOf(ctx, arg);
      controller.pin(ccid, request);
      const note = controller.isWatching(ccid) ? '' : ` ${vscode.l10n.t('(once {0} is watched)', ccid)}`;
      vscode.window.setStatusBarMessage(`$(pinned) ${vscode.l10n.t('{0} runs again on every save of {1}', requestText(request), ccid)}${note}`, 5000);
      return controller.pinned(ccid);
    },
    'chaincode.unpinTransaction': async (arg?: unknown) => {
      let row = pinnedRow(arg);
      if (!row) {
        const { ccid, request } = await recordOf(ctx, arg);
        row = { ccid, key: requestKey(request) };
      }
      controller.unpin(row.ccid, row.key);
      return controller.pinned(row.ccid);
    },
  };
  return { commands, controller };
}
