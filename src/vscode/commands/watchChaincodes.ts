/**
 * Watch in the editor: which chaincodes are watched, and what a reload shows. Watch is a choice per
 * chaincode (the eye in the Chaincodes view; `chaincode.watch` is the choice for chaincodes not
 * chosen for), acted on while the chaincode runs: stopping it stops the watch, launching it again
 * resumes it. The engine's ChaincodeWatch does the work (src/engine/watch); here its outcomes
 * become Problems (build diagnostics), a diff editor (the previous run's transaction document beside
 * the re-run's), status bar messages and the view's row. A chaincode under the debugger restarts as
 * its debug session (VS Code's restart, breakpoints kept); others through the launcher.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import type { ChaincodeDefinition, RunningChaincode } from '../../engine/launch/types';
import type { ChaincodeWatch, ReloadOutcome } from '../../engine/watch/chaincodeWatch';
import type { Rerun } from '../../engine/watch/rerun';
import { requestKey, requestText, type RerunRequest } from '../../engine/watch/rerunRequest';
import { detectChaincode } from '../../engine/workspace/detect';
import type { Ctx } from '../ctx';
import { ChaincodeDocuments } from '../documents/documents';
import { engineBundle, type Engine } from '../engineAssembly';
import type { WatchInfo } from '../tree/chaincodes/model';
import { showError } from './registerCommands';
import { buildProblems } from './watchProblems';

interface Watched {
  readonly watch: ChaincodeWatch;
  readonly folder: string;
  state: WatchInfo['state'];
}

export class WatchController implements vscode.Disposable {
  private readonly watched = new Map<string, Watched>();
  private readonly starting = new Map<string, Promise<void>>();
  /** The user's choice per chaincode id; absent: the `chaincode.watch` setting decides. */
  private readonly chosen = new Map<string, boolean>();
  /** Pinned transactions per chaincode id, kept while it is not watched too. */
  private readonly pins = new Map<string, Map<string, RerunRequest>>();
  /** Chaincodes whose reload is restarting them: their stop and relaunch are the watch's own. */
  private readonly reloading = new Set<string>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Anything the Chaincodes view shows of the watch changed. */
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly ctx: Ctx,
    private readonly docs: ChaincodeDocuments,
  ) {
    this.subscriptions = [
      this.changed,
      ctx.engine.onDidChangeChaincode((c) => this.onChaincode(c)),
      ctx.engine.onDidChangePeer((engine) => {
        if (!engine) void this.stopAll();
      }),
    ];
  }

  /** What the Chaincodes view shows per watched chaincode. */
  info(): ReadonlyMap<string, WatchInfo> {
    const out = new Map<string, WatchInfo>();
    for (const [ccid, w] of this.watched) {
      out.set(ccid, { state: w.state, pinned: [...(this.pins.get(ccid)?.entries() ?? [])].map(([key, r]) => ({ key, label: requestText(r) })) });
    }
    return out;
  }

  isWatching(ccid: string): boolean {
    return this.watched.has(ccid);
  }

  /** Turns watch on for `ccid` (it must run, launched from a folder); resolves once its folder is watched. */
  async enable(ccid: string): Promise<void> {
    this.chosen.set(ccid, true);
    await this.start(ccid, true);
  }

  async disable(ccid: string): Promise<void> {
    this.chosen.set(ccid, false);
    await this.stop(ccid);
  }

  pinned(ccid: string): RerunRequest[] {
    return [...(this.pins.get(ccid)?.values() ?? [])];
  }

  pin(ccid: string, request: RerunRequest): void {
    let pins = this.pins.get(ccid);
    if (!pins) this.pins.set(ccid, (pins = new Map<string, RerunRequest>()));
    pins.set(requestKey(request), request);
    this.watched.get(ccid)?.watch.pin(request);
    this.changed.fire();
  }

  unpin(ccid: string, key: string): RerunRequest | undefined {
    const request = this.pins.get(ccid)?.get(key);
    if (!request) return undefined;
    this.pins.get(ccid)?.delete(key);
    this.watched.get(ccid)?.watch.unpin(request);
    this.changed.fire();
    return request;
  }

  dispose(): void {
    void this.stopAll();
    for (const s of this.subscriptions) s.dispose();
  }

  private wanted(ccid: string): boolean {
    return this.chosen.get(ccid) ?? vscode.workspace.getConfiguration('chaincode').get<boolean>('watch', false);
  }

  /** A chaincode became ready: watch it if wanted; stopped by someone else: its watch stops. */
  private onChaincode(c: RunningChaincode): void {
    if (this.reloading.has(c.ccid)) return;
    if (c.status === 'ready' && !this.watched.has(c.ccid) && this.wanted(c.ccid)) {
      void this.start(c.ccid, false).catch((err: Error) => this.ctx.log.warn(`watch of ${c.ccid} did not start: ${err.message}`));
    } else if (c.status === 'stopped' && this.watched.has(c.ccid)) {
      void this.stop(c.ccid);
    }
  }

  private start(ccid: string, explicit: boolean): Promise<void> {
    if (this.watched.has(ccid)) return Promise.resolve();
    let starting = this.starting.get(ccid);
    if (!starting) {
      starting = this.startWatch(ccid, explicit).finally(() => this.starting.delete(ccid));
      this.starting.set(ccid, starting);
    }
    return starting;
  }

  private async startWatch(ccid: string, explicit: boolean): Promise<void> {
    const engine = this.ctx.engine.current;
    const running = engine?.launcher.running().find((r) => r.ccid === ccid);
    const definition = running?.definition;
    if (!engine || !definition || !definition.path || (definition.mode !== 'dev' && definition.mode !== 'net')) {
      if (!explicit) return;
      throw new Error(vscode.l10n.t('Watch restarts a chaincode launched from its folder (Launch Chaincode or F5); {0} is not running that way.', ccid));
    }
    const typescript = definition.typescript ?? detectChaincode(definition.path)?.typescript ?? false;
    const watch = await engineBundle().ChaincodeWatch.start(
      { ccid, folder: definition.path, language: definition.language, typescript },
      {
        transactions: engine.transactions,
        restart: (signal) => this.restart(engine, definition, signal),
        // The ledger is not a change of the chaincode, when the data folder is inside its folder.
        excluded: [path.resolve(engine.config.dataDir)],
        pinned: this.pinned(ccid),
      },
    );
    if (this.watched.has(ccid) || this.ctx.engine.current !== engine) {
      await watch.dispose(); // the peer stopped, or another start won, meanwhile
      return;
    }
    const entry: Watched = { watch, folder: definition.path, state: 'watching' };
    this.watched.set(ccid, entry);
    watch.onDidBuild((outcome) => buildProblems(this.ctx.extensionContext).show(definition.path, outcome));
    watch.onDidStartReload(({ trigger }) => {
      this.reloading.add(ccid);
      entry.state = 'reloading';
      this.changed.fire();
      this.ctx.log.info(`watch: ${trigger.files.join(', ') || 'reload'} changed: reloading ${ccid}`);
    });
    watch.onDidReload((outcome) => {
      this.reloading.delete(ccid);
      entry.state = outcome.kind === 'build failed' ? 'build failed' : 'watching';
      this.changed.fire();
      void this.show(ccid, outcome);
    });
    this.ctx.log.info(`watch: ${ccid} from ${definition.path} (${watch.directories.length} folders watched)`);
    this.changed.fire();
  }

  private async stop(ccid: string): Promise<void> {
    const entry = this.watched.get(ccid);
    if (!entry) return;
    this.watched.delete(ccid);
    this.reloading.delete(ccid);
    await entry.watch.dispose();
    buildProblems(this.ctx.extensionContext).clear(entry.folder);
    this.ctx.log.info(`watch: ${ccid} no longer watched`);
    this.changed.fire();
  }

  private async stopAll(): Promise<void> {
    await Promise.all([...this.watched.keys()].map((ccid) => this.stop(ccid)));
  }

  /** Under the debugger: VS Code restarts the session (its breakpoints stay); else the launcher relaunches it. */
  private async restart(engine: Engine, definition: ChaincodeDefinition, signal: AbortSignal): Promise<void> {
    const ccid = `${definition.name}:${definition.version}`;
    const bundle = engineBundle();
    const session = this.ctx.debugSessions.session(ccid);
    if (!session) return bundle.relaunch(engine.launcher, definition)(signal);
    const previous = engine.peer.handlers().find((h) => h.chaincodeId === ccid && h.state === 'ready')?.id;
    await vscode.commands.executeCommand('workbench.action.debug.restart', undefined, { sessionId: session.id });
    await bundle.awaitNewRegistration(engine.peer, ccid, previous, engine.config.startupTimeoutMs, signal);
  }

  /** A reload's outcome: the diff editor for each re-run, a status bar line, an error when it failed. */
  private async show(ccid: string, outcome: ReloadOutcome): Promise<void> {
    if (outcome.kind === 'build failed') {
      const errors = outcome.build.diagnostics.filter((d) => d.severity === 'error').length;
      this.ctx.log.warn(`watch: the build of ${ccid} failed (${outcome.build.commandLine}), nothing restarted: ${errors} errors`);
      const inProblems = errors === 1 ? vscode.l10n.t('1 error in Problems') : vscode.l10n.t('{0} errors in Problems', errors);
      vscode.window.setStatusBarMessage(`$(error) ${vscode.l10n.t('{0}: the build failed ({1}); nothing restarted', ccid, inProblems)}`, 8000);
      return;
    }
    if (outcome.kind === 'restart failed') {
      this.ctx.log.error(`watch: restarting ${ccid} failed: ${outcome.error.message}`);
      void showError(this.ctx, vscode.l10n.t('Watch: restarting {0} after the save failed: {1}', ccid, outcome.error.message), outcome.error);
      return;
    }
    const { reruns, timings } = outcome;
    this.ctx.log.info(
      `watch: ${ccid} reloaded (build ${Math.round(timings.buildMs)} ms, restart ${Math.round(timings.restartMs)} ms, re-run ${Math.round(timings.rerunMs)} ms; ${Math.round(timings.totalMs)} ms from the save)`,
    );
    if (reruns.length === 0) {
      vscode.window.setStatusBarMessage(vscode.l10n.t('{0} restarted; no transaction to run again yet', ccid), 8000);
      return;
    }
    for (const r of reruns)
      this.ctx.log.info(
        `watch: ${requestText(r.request)}: ${r.error ?? (r.differences.length ? r.differences.map((d) => `${d.type}${d.key !== undefined ? ` ${d.key}` : ''}`).join('; ') : 'no differences')}`,
      );
    const differences = (n: number): string => (n === 0 ? vscode.l10n.t('no differences') : n === 1 ? vscode.l10n.t('1 difference') : vscode.l10n.t('{0} differences', n));
    const summary = reruns
      .map((r) => `${requestText(r.request)}: ${r.error ? vscode.l10n.t('failed') : r.previous ? differences(r.differences.length) : vscode.l10n.t('ran')}`)
      .join(' · ');
    vscode.window.setStatusBarMessage(`$(eye) ${summary} (${Math.round(timings.totalMs)} ms)`, 8000);
    for (const r of reruns) await this.openDiff(r, reruns.length === 1);
    const failed = reruns.find((r) => r.error);
    if (failed) void vscode.window.showWarningMessage(vscode.l10n.t('Watch: {0} could not run again: {1}', requestText(failed.request), failed.error ?? ''));
  }

  /** The previous run's transaction document beside the re-run's; only the re-run's when it is the first. */
  private async openDiff(r: Rerun, preview: boolean): Promise<void> {
    if (!r.record) return;
    const right = this.docs.transactionUri(r.record.txId, r.record.fn);
    const viewColumn = ChaincodeDocuments.ourGroup() ?? vscode.ViewColumn.Beside;
    // The code keeps the focus: the developer goes on editing.
    const options: vscode.TextDocumentShowOptions = { preview, preserveFocus: true, viewColumn };
    if (!r.previous) {
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(right), options);
      return;
    }
    const left = this.docs.transactionUri(r.previous.txId, r.previous.fn);
    const title = vscode.l10n.t('{0}: previous run ↔ after the save', requestText(r.request));
    await vscode.commands.executeCommand('vscode.diff', left, right, title, options);
  }
}
