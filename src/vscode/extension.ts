/**
 * The extension's entry point: it only wires the parts together. Each part can be read alone:
 * ctx.ts (what they share), engineHost.ts (the embedded peer and launcher), tree/ (the views),
 * commands/ (one registerCommands wrapper), debug/ (F5), documents/ (read-only JSON), statusBar.ts,
 * identities/ (who calls), endorsement/ (the endorsement policy setting).
 */
import * as vscode from 'vscode';
import { registerAllCommands } from './commands';
import { offerDebugForNewProjects } from './commands/newProject';
import { registerCommands } from './commands/registerCommands';
import { Ctx } from './ctx';
import { debugChaincode, trackDebugTarget } from './debug/f5';
import { ChaincodeDebugProvider, registerDebugProvider } from './debug/provider';
import { ChaincodeDocuments } from './documents/documents';
import { EndorsementPolicySetting } from './endorsement/endorsementPolicySetting';
import { IdentityStatusBar } from './identities/identityStatusBar';
import { PeerStatusBar } from './statusBar';
import { readyCount } from './tree/chaincodes/model';
import { ChaincodeViews } from './tree/views';

/** What activate returns: the live parts, for the integration tests and other extensions. */
export interface ChaincodeExtensionApi {
  readonly version: string;
  readonly ctx: Ctx;
  readonly views: ChaincodeViews;
  readonly statusBar: PeerStatusBar;
  /** The calling identity's status bar item. */
  readonly identityStatusBar: IdentityStatusBar;
  /** The `chaincode` debug type's configuration provider, as registered with VS Code. */
  readonly debugProvider: ChaincodeDebugProvider;
}

let current: Ctx | undefined;

export function activate(context: vscode.ExtensionContext): ChaincodeExtensionApi {
  const ctx = new Ctx(context);
  current = ctx;
  const docs = new ChaincodeDocuments(ctx);
  const views = new ChaincodeViews(ctx);
  const statusBar = new PeerStatusBar();
  const identityStatusBar = new IdentityStatusBar(ctx);
  context.subscriptions.push(ctx, docs, views, statusBar, identityStatusBar, new EndorsementPolicySetting(ctx));
  registerAllCommands(ctx, views, docs);
  const debugProvider = registerDebugProvider(ctx);
  registerCommands(ctx, { 'chaincode.debugChaincode': () => debugChaincode(debugProvider) });
  context.subscriptions.push(trackDebugTarget(debugProvider));

  const stopLaunched = (ccid: string): void => {
    const engine = ctx.engine.current;
    if (engine?.launcher.running().some((r) => r.ccid === ccid)) void engine.launcher.stop(ccid).catch(() => undefined);
  };
  const updateStatus = (): void => {
    const engine = ctx.engine.current;
    const gatewayPort = engine?.gateway?.server.port;
    statusBar.update(engine?.peer.address, readyCount(views.chaincodesInput()), gatewayPort === undefined ? undefined : `localhost:${gatewayPort}`);
    void vscode.commands.executeCommand('setContext', 'chaincode.peerRunning', !!ctx.engine.current);
  };
  context.subscriptions.push(
    ctx.onDidChangeChaincodes(updateStatus),
    // Ending a debug session ends the chaincode: the view shows it stopped, not failed. (Stopped as
    // the user ends the session, before the debuggee is killed; and again once it ended, for sessions
    // that end by themselves.)
    ctx.debugSessions.onWillEndSession(stopLaunched),
    ctx.debugSessions.onDidEndSession(stopLaunched),
  );
  updateStatus();
  void offerDebugForNewProjects(ctx);
  const version = String((context.extension.packageJSON as { version?: unknown }).version);
  ctx.log.info(vscode.l10n.t('Chaincode Launcher {0} activated', version));
  return { version, ctx, views, statusBar, identityStatusBar, debugProvider };
}

export async function deactivate(): Promise<void> {
  // Stop the peer (and the chaincode processes it started) first so its ledger is closed cleanly;
  // VS Code disposes the rest.
  await current?.engine.stop().catch(() => undefined);
  current = undefined;
}
