/** Stop, Restart, Show Logs (chaincodes), Start Peer, Stop Peer, Show Extension Log. */
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { serveSpecOf } from '../debug/ccaasSessions';
import { chaincodeIdOfTarget, orCancel } from './registerCommands';
import { chaincodeNameOf, chaincodeVersionOf } from '../../engine/chaincodeId';

async function pickChaincode(ctx: Ctx, arg: unknown, title: string, filter: (ccid: string) => boolean = () => true): Promise<string> {
  const given = chaincodeIdOfTarget(arg);
  if (given) return given;
  const ids = [
    ...new Set([
      ...ctx.running().map((r) => r.ccid),
      ...ctx
        .handlers()
        .map((h) => h.chaincodeId)
        .filter(Boolean),
      ...ctx.folders.keys(),
    ]),
  ]
    .filter(filter)
    .sort();
  if (ids.length === 0) throw new Error(vscode.l10n.t('No chaincode is running.'));
  if (ids.length === 1) return ids[0];
  return orCancel(await vscode.window.showQuickPick(ids, { title }));
}

export async function stopChaincode(ctx: Ctx, arg?: unknown): Promise<void> {
  const ccid = await pickChaincode(ctx, arg, vscode.l10n.t('Stop Chaincode'));
  const session = ctx.debugSessions.session(ccid);
  if (session) await vscode.debug.stopDebugging(session);
  const engine = ctx.engine.current;
  if (engine && (engine.launcher.running().some((r) => r.ccid === ccid) || engine.peer.handlers().some((h) => h.chaincodeId === ccid && h.state !== 'ended'))) {
    await engine.launcher.stop(ccid);
  }
  ctx.log.info(`${ccid} stopped`);
}

export async function restartChaincode(ctx: Ctx, arg?: unknown): Promise<void> {
  const ccid = await pickChaincode(ctx, arg, vscode.l10n.t('Restart Chaincode'));
  const session = ctx.debugSessions.session(ccid);
  if (session) {
    await vscode.commands.executeCommand('workbench.action.debug.restart');
    return;
  }
  const running = ctx.running().find((r) => r.ccid === ccid);
  const folder = ctx.folders.get(ccid) ?? running?.definition.path;
  const name = chaincodeNameOf(ccid);
  const version = chaincodeVersionOf(ccid);
  await stopChaincode(ctx, ccid).catch(() => undefined);
  const mode = running?.definition.mode === 'net' || running?.definition.mode === 'external' ? running.definition.mode : 'dev';
  const external = mode === 'external' ? { address: running?.definition.address, packageId: ccid } : {};
  await vscode.commands.executeCommand('chaincode.launchChaincode', { folder, mode, name, version, ...external });
}

export async function showLogs(ctx: Ctx, arg?: unknown): Promise<void> {
  const ccid = chaincodeIdOfTarget(arg) ?? (await pickChaincode(ctx, undefined, vscode.l10n.t('Show Logs')));
  ctx.logs.show(ccid);
}

export async function startPeer(ctx: Ctx): Promise<string> {
  const engine = await ctx.ensureEngine();
  void vscode.window.showInformationMessage(vscode.l10n.t('The embedded peer listens on {0}.', engine.peer.address));
  return engine.peer.address;
}

export async function stopPeer(ctx: Ctx): Promise<void> {
  for (const [ccid] of ctx.debugSessions.snapshot()) {
    const s = ctx.debugSessions.session(ccid);
    // A chaincode served for a network's peer (CCaaS) does not depend on the embedded peer.
    if (s && !serveSpecOf(s)) await vscode.debug.stopDebugging(s);
  }
  await ctx.engine.stop(); // stops the chaincode processes it started too
}
