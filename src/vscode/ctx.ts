/**
 * The extension's context: what every command, view and debug provider shares (settings, logs, the
 * engine host, debug sessions), plus a few helpers over them. Built once by activate.
 */
import * as vscode from 'vscode';
import { isPeerSystemChaincode } from '../engine/chaincodeId';
import type { RunningChaincode } from '../engine/launch/types';
import type { HandlerInfo } from '../engine/peer/types';
import { Config } from './config';
import { ServedChaincodes } from './debug/ccaasSessions';
import { DebugSessions } from './debug/debugSessions';
import type { Engine } from './engineAssembly';
import { EngineHost } from './engineHost';
import { ChaincodeLogs } from './logs';
import { NetworkConnections } from './networks/networkConnections';
import { applySettings } from './settingsApply';

/** The user dismissed a prompt: commands end quietly. */
export class Cancelled extends Error {
  override readonly name = 'Cancelled';
  constructor() {
    super('cancelled');
  }
}

export class Ctx implements vscode.Disposable {
  readonly config: Config;
  readonly log: vscode.LogOutputChannel;
  readonly logs: ChaincodeLogs;
  readonly engine: EngineHost;
  readonly debugSessions: DebugSessions;
  /** Chaincodes served for a peer to dial while their CCaaS debug session runs. */
  readonly served: ServedChaincodes;
  /** Connections to Fabric networks (Connect to Fabric Network…), beside the embedded peer. */
  readonly networks: NetworkConnections;
  /** Folders chaincodes were launched from (by ccid), for metadata and restarts. */
  readonly folders = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Anything the Chaincodes view or the status bar shows changed. */
  readonly onDidChangeChaincodes = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(readonly extensionContext: vscode.ExtensionContext) {
    const storage = extensionContext.storageUri ?? extensionContext.globalStorageUri;
    this.log = vscode.window.createOutputChannel('Chaincode', { log: true });
    this.config = new Config(vscode.Uri.joinPath(storage, 'peer').fsPath);
    this.logs = new ChaincodeLogs(this.log);
    this.engine = new EngineHost(this.config, this.log);
    this.debugSessions = new DebugSessions(
      () => this.engine.current,
      (ccid, text) => this.logs.append(ccid, text, { inFlight: this.inFlightTxIds(ccid) }),
    );
    this.served = new ServedChaincodes(this.log, this.logs);
    this.networks = new NetworkConnections(this.log, extensionContext.workspaceState);
    const fire = (): void => this.changed.fire();
    this.disposables.push(
      this.log,
      this.logs,
      this.engine,
      this.debugSessions,
      this.served,
      this.networks,
      this.config,
      this.changed,
      this.served.onDidChange(fire),
      this.engine.onDidChangePeer(fire),
      this.engine.onDidChangeHandlerState(fire),
      this.engine.onDidChangeChaincode(fire),
      this.engine.onDidStartTransaction(fire),
      this.engine.onDidEndTransaction(fire),
      this.debugSessions.onDidChange(fire),
      this.engine.onLog((l) => this.logs.append(l.ccid, l.line, { txId: l.txId, inFlight: this.inFlightTxIds(l.ccid) })),
      this.config.onDidChange((change) => applySettings(this, change)),
    );
  }

  /** The running engine, starting the peer when it is not up. */
  ensureEngine(): Promise<Engine> {
    return this.engine.ensureStarted();
  }

  /** The user's chaincodes' handlers: the peer's own system chaincodes (qscc…) are part of the peer, not offered or listed. */
  handlers(): HandlerInfo[] {
    return (this.engine.current?.peer.handlers() ?? []).filter((h) => !isPeerSystemChaincode(h.chaincodeId));
  }

  /** The user's chaincodes the launcher runs (not the peer's own system chaincodes). */
  running(): RunningChaincode[] {
    return (this.engine.current?.launcher.running() ?? []).filter((r) => !isPeerSystemChaincode(r.ccid));
  }

  inFlightTxIds(ccid: string): string[] {
    return this.handlers()
      .filter((h) => h.chaincodeId === ccid)
      .flatMap((h) => h.inFlight.map((t) => t.txId));
  }

  dispose(): void {
    for (const d of this.disposables.reverse()) d.dispose();
  }
}
