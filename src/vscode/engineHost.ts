/**
 * Owns the running engine for the editor: starts the embedded peer on demand (Start Peer, Launch,
 * F5), stops it, and re-publishes the engine's events as VS Code events that survive a peer restart,
 * so views subscribe once.
 */
import * as vscode from 'vscode';
import type { HandlerStateChange, LedgerBackgroundError } from '../engine/peer/types';
import type { TransactionEnded, TransactionStarted } from '../engine/transactions/types';
import type { ChaincodeLog, RunningChaincode } from '../engine/launch/types';
import type { Config } from './config';
import { type Engine, startEngine } from './engineAssembly';

export class EngineHost implements vscode.Disposable {
  private engine: Engine | undefined;
  private starting: Promise<Engine> | undefined;
  private engineSubscriptions: { dispose(): void }[] = [];

  private readonly peerChanged = new vscode.EventEmitter<Engine | undefined>();
  private readonly handlerChanged = new vscode.EventEmitter<HandlerStateChange>();
  private readonly txStarted = new vscode.EventEmitter<TransactionStarted>();
  private readonly txEnded = new vscode.EventEmitter<TransactionEnded>();
  private readonly chaincodeChanged = new vscode.EventEmitter<RunningChaincode>();
  private readonly log = new vscode.EventEmitter<ChaincodeLog>();
  readonly onDidChangePeer = this.peerChanged.event;
  readonly onDidChangeHandlerState = this.handlerChanged.event;
  readonly onDidStartTransaction = this.txStarted.event;
  readonly onDidEndTransaction = this.txEnded.event;
  readonly onDidChangeChaincode = this.chaincodeChanged.event;
  readonly onLog = this.log.event;

  constructor(
    private readonly config: Config,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  /** The running engine, if the peer is up. */
  get current(): Engine | undefined {
    return this.engine;
  }

  /** Starts the peer (once, even when asked concurrently) and returns the engine. */
  ensureStarted(): Promise<Engine> {
    if (this.engine) return Promise.resolve(this.engine);
    if (!this.starting) {
      this.starting = this.start().finally(() => (this.starting = undefined));
    }
    return this.starting;
  }

  private async start(): Promise<Engine> {
    const config = this.config.engine;
    this.output.info(`starting the embedded peer on ${config.peerHost}:${config.peerPort} (data in ${config.dataDir})`);
    const engine = await startEngine(config, (note) => this.output.warn(`${note} (the chaincode.gateway.port setting chooses one)`));
    const { peer, launcher, transactions } = engine;
    this.engineSubscriptions = [
      peer.onDidChangeHandlerState((e) => {
        this.output.info(
          `handler ${e.handler.id} ${e.handler.chaincodeId || '(unregistered)'}: ${e.previous ?? 'new'} → ${e.handler.state}${e.handler.endReason ? ` (${e.handler.endReason})` : ''}`,
        );
        this.handlerChanged.fire(e);
      }),
      transactions.onDidStartTransaction((e) => this.txStarted.fire(e)),
      transactions.onDidEndTransaction((e) => this.txEnded.fire(e)),
      peer.onDiagnostic((d) => {
        const text = `${d.handlerId ? `[${d.handlerId}] ` : ''}${d.message}`;
        if (d.level === 'error') this.output.error(text);
        else if (d.level === 'warn') this.output.warn(text);
        else this.output.info(text);
      }),
      engine.onLedgerError((e) => this.ledgerFailed(e)),
      launcher.onDidChangeChaincode((c) => {
        this.output.info(`chaincode ${c.ccid}: ${c.status}${c.lastError ? ` (${c.lastError})` : ''}`);
        this.chaincodeChanged.fire(c);
      }),
      launcher.onLog((l) => this.log.fire(l)),
    ];
    this.engine = engine;
    this.output.info(`embedded peer listening on ${peer.address}${engine.gateway ? `; Fabric Gateway on localhost:${engine.gateway.server.port}` : ''}`);
    this.peerChanged.fire(engine);
    return engine;
  }

  /** Commits go on, but the user should know the ledger could not compact or snapshot (a full disk…). */
  private ledgerFailed({ peer, channel, error }: LedgerBackgroundError): void {
    this.output.error(`ledger of channel ${channel} on ${peer}: ${error.message}`);
    const showLog = vscode.l10n.t('Show Log');
    void vscode.window.showWarningMessage(vscode.l10n.t('The ledger of channel {0} could not finish its background work: {1}', channel, error.message), showLog).then((picked) => {
      if (picked === showLog) this.output.show();
    });
  }

  async stop(): Promise<void> {
    const engine = this.engine ?? (this.starting ? await this.starting.catch(() => undefined) : undefined);
    if (!engine) return;
    this.engine = undefined;
    for (const s of this.engineSubscriptions) s.dispose();
    this.engineSubscriptions = [];
    await engine.dispose();
    this.output.info('embedded peer stopped');
    this.peerChanged.fire(undefined);
  }

  dispose(): void {
    void this.stop();
    for (const e of [this.peerChanged, this.handlerChanged, this.txStarted, this.txEnded, this.chaincodeChanged, this.log]) e.dispose();
  }
}
