/**
 * The chaincodes the editor serves while a CCaaS debug session runs (ccaasDebug.ts): when such a
 * session starts, the relay opens where the peer dials, in front of the debuggee's own server (the
 * debugger runs the chaincode, not the process runtime); when it ends, the relay closes. Feeds the
 * Chaincodes view (`serving`, each peer connection) and writes each connection to the chaincode's
 * output channel, beside its debuggee output.
 */
import * as vscode from 'vscode';
import type { RelayEvent } from '../../engine/ccaas/connectionRelay';
import type { ServedChaincode } from '../../engine/ccaas/servedChaincode';
import type { ServedChaincodeInfo } from '../../engine/ccaas/types';
import type { Language } from '../../engine/platforms/types';
import { serveChaincode } from '../engineAssembly';
import type { ChaincodeLogs } from '../logs';
import { CHAINCODE_FOLDER_FIELD, CHAINCODE_LANGUAGE_FIELD } from './chaincodeDebug';
import { CCAAS_FIELD, readServingTls, type ServeSpec } from './ccaasDebug';

interface Entry {
  readonly session: vscode.DebugSession;
  served?: ServedChaincode;
  info?: ServedChaincodeInfo;
  /** Settles once its relay is closed (or never opened). */
  closed: Promise<void>;
}

export function serveSpecOf(session: vscode.DebugSession): ServeSpec | undefined {
  const spec = session.configuration[CCAAS_FIELD] as ServeSpec | undefined;
  return spec && typeof spec.packageId === 'string' ? spec : undefined;
}

export class ServedChaincodes implements vscode.Disposable {
  private readonly byId = new Map<string, Entry>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[];

  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly logs: ChaincodeLogs,
  ) {
    this.disposables = [
      this.changed,
      vscode.debug.onDidStartDebugSession((s) => void this.sessionStarted(s)),
      vscode.debug.onDidTerminateDebugSession((s) => void this.sessionEnded(s)),
    ];
  }

  /** What the Chaincodes view shows: one per served chaincode, once its relay listens. */
  list(): ServedChaincodeInfo[] {
    return [...this.byId.values()].flatMap((e) => (e.info ? [e.info] : []));
  }

  /** The debug session serving `packageId`, if any. */
  session(packageId: string): vscode.DebugSession | undefined {
    return this.byId.get(packageId)?.session;
  }

  /** Ends the session serving `packageId` and waits until its address is free (a new session takes over). */
  async release(packageId: string): Promise<void> {
    const entry = this.byId.get(packageId);
    if (!entry) return;
    this.log.info(`${packageId} is served already: ending that debug session first`);
    await vscode.debug.stopDebugging(entry.session);
    await this.sessionEnded(entry.session);
  }

  private async sessionStarted(session: vscode.DebugSession): Promise<void> {
    const spec = serveSpecOf(session);
    if (!spec || session.parentSession) return;
    const { packageId } = spec;
    let markClosed!: () => void;
    const entry: Entry = { session, closed: new Promise<void>((r) => (markClosed = r)) };
    this.byId.set(packageId, entry);
    const listen = `${spec.listen.host}:${spec.listen.port}`;
    try {
      const tls = spec.tlsFiles ? readServingTls(spec.tlsFiles) : undefined;
      const language = session.configuration[CHAINCODE_LANGUAGE_FIELD] as Language | undefined;
      const folder = String(session.configuration[CHAINCODE_FOLDER_FIELD] ?? '');
      // No process: the debugger runs the chaincode; no startup timeout: it may sit at a breakpoint.
      entry.served = await serveChaincode({ packageId, language: language ?? 'node', folder, listen: spec.listen, serverAddress: spec.serverAddress, ...(tls ? { tls } : {}) });
    } catch (err) {
      markClosed();
      if (this.byId.get(packageId) === entry) this.byId.delete(packageId);
      const message = vscode.l10n.t('Cannot serve {0} on {1}: {2}', packageId, listen, (err as Error).message);
      this.log.error(message);
      void vscode.window.showErrorMessage(message);
      await vscode.debug.stopDebugging(session);
      return;
    }
    const served = entry.served;
    entry.info = served.info();
    served.onDidChange((info) => {
      entry.info = info;
      if (info.status === 'stopped') markClosed();
      this.changed.fire();
    });
    served.onConnection((e) => this.logs.append(packageId, connectionLine(e)));
    this.logs.append(packageId, `[serve] a peer dials ${served.address}${entry.info.tls === 'off' ? '' : ' over TLS'}; waiting for the chaincode's server`);
    served.ready.then(
      () => {
        this.log.info(`${packageId}: serving on ${served.address} (debugging)`);
        this.logs.append(packageId, `[serve] serving ${packageId} on ${served.address}`);
      },
      (err: Error) => this.log.info(`${packageId}: ${err.message}`),
    );
    this.changed.fire();
    // The session may have ended while the relay opened.
    if (this.byId.get(packageId) !== entry) await served.stop();
  }

  private async sessionEnded(session: vscode.DebugSession): Promise<void> {
    const spec = serveSpecOf(session);
    if (!spec || session.parentSession) return;
    const entry = this.byId.get(spec.packageId);
    if (!entry || entry.session.id !== session.id) return;
    this.byId.delete(spec.packageId);
    await entry.served?.stop();
    await entry.closed;
    this.changed.fire();
  }

  dispose(): void {
    for (const entry of this.byId.values()) void entry.served?.stop();
    this.byId.clear();
    for (const d of this.disposables) d.dispose();
  }
}

function connectionLine(e: RelayEvent): string {
  if (e.kind === 'connected') return `[serve] a peer connected from ${e.connection.remote}${e.connection.clientSubject ? ` (${e.connection.clientSubject})` : ''}`;
  if (e.kind === 'disconnected') return `[serve] the connection from ${e.connection.remote} closed${e.reason ? `: ${e.reason}` : ''}`;
  return `[serve] refused a connection from ${e.remote}: TLS handshake failed: ${e.reason}`;
}
