/**
 * The `chaincode` debug type's own debug adapter, for Go: a `dlv dap` server per session (Delve
 * speaks the Debug Adapter Protocol itself, over a socket only: hence a DebugAdapterServer, not a
 * DebugAdapterExecutable on stdio). Only
 * Go configurations keep the `chaincode` type when resolved (Node and Java ones become `node` and
 * `java`), so only they reach this factory. Delve exits when VS Code disconnects; a Delve still
 * running shortly after its session ended is stopped, and every one is when the extension stops.
 */
import * as vscode from 'vscode';
import type { Ctx } from '../../ctx';
import { CHAINCODE_FOLDER_FIELD, CHAINCODE_ID_FIELD, CHAINCODE_LANGUAGE_FIELD } from '../chaincodeDebug';
import { DelveServer, startDelveServer } from './dlvServer';
import { delveProcessEnv, findDelve } from './prerequisites';

/** How long Delve gets to exit by itself after its session ended (it kills the chaincode first). */
const EXIT_GRACE_MS = 3000;

export class DelveAdapterFactory implements vscode.DebugAdapterDescriptorFactory, vscode.Disposable {
  /** The Delve serving each session, by session id. */
  private readonly servers = new Map<string, DelveServer>();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly ctx: Ctx) {
    this.subscription = vscode.debug.onDidTerminateDebugSession((s) => this.sessionEnded(s));
  }

  async createDebugAdapterDescriptor(session: vscode.DebugSession): Promise<vscode.DebugAdapterDescriptor> {
    const c = session.configuration;
    const ccid = String(c[CHAINCODE_ID_FIELD] ?? session.name);
    const folder: unknown = c[CHAINCODE_FOLDER_FIELD];
    if (c[CHAINCODE_LANGUAGE_FIELD] !== 'golang' || typeof folder !== 'string') {
      // Only a configuration the provider resolved for Go comes here with the `chaincode` type.
      throw new Error(vscode.l10n.t('The chaincode debug type runs its own debugger for Go chaincode only; "{0}" is not a Go chaincode configuration.', session.name));
    }
    const dlv = findDelve(this.ctx);
    const server = await startDelveServer(dlv.path, { cwd: folder, env: delveProcessEnv(), onOutput: (line) => this.ctx.log.info(`[dlv ${ccid}] ${line}`) });
    this.servers.set(session.id, server);
    void server.exited.then((code) => {
      // A restarted session gets a new Delve under the same session id: forget only this one.
      if (this.servers.get(session.id) === server) this.servers.delete(session.id);
      this.ctx.log.info(`[dlv ${ccid}] Delve exited (code ${code})`);
    });
    this.ctx.log.info(`[dlv ${ccid}] ${dlv.path} (found: ${dlv.source}) serves the debug session on ${server.host}:${server.port}`);
    return new vscode.DebugAdapterServer(server.port, server.host);
  }

  private sessionEnded(session: vscode.DebugSession): void {
    const server = this.servers.get(session.id);
    if (!server) return;
    const timer = setTimeout(() => void server.stop(), EXIT_GRACE_MS);
    void server.exited.then(() => clearTimeout(timer));
  }

  dispose(): void {
    this.subscription.dispose();
    for (const server of this.servers.values()) void server.stop();
    this.servers.clear();
  }
}
