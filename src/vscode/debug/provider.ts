/**
 * The `chaincode` debug type's configuration provider. Works with no launch.json (an empty
 * configuration is filled in from the active editor's chaincode folder or the workspace's only
 * chaincode), offers one configuration per chaincode folder, starts the embedded peer if needed and
 * hands the chaincode to its language's debugger. A chaincode of that id that runs already (Launch in
 * dev mode, an earlier debug session) hands over to the debuggee: it is stopped first. When the debug
 * session starts it tells the launcher a dev-mode chaincode is coming (so the Chaincodes view shows it
 * starting, then ready); a debuggee that does not become ready is an error notification. The `ccaas`
 * flavour (ccaasDebug.ts) starts no peer: its debuggee is a chaincode server a peer dials.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { serverAddressOnLoopback } from '../../engine/ccaas/connectionRelay';
import type { SourceLanguage } from '../../engine/platforms/types';
import { chaincodeContaining, detectChaincode, detectChaincodeFolders, DetectedChaincode, sourceLanguageOf } from '../../engine/workspace/detect';
import type { Engine } from '../engineAssembly';
import type { Ctx } from '../ctx';
import { CHAINCODE_FOLDER_FIELD, CHAINCODE_ID_FIELD, CHAINCODE_LANGUAGE_FIELD, ChaincodeLaunchConfig, DebugConfigError } from './chaincodeDebug';
import { requireDebugger, showDebuggerProblem } from './debuggerCheck';
import { DelveAdapterFactory } from './delve/adapterFactory';
import { CCAAS_FIELD, CcaasLaunchConfig, isCcaasConfig, resolveCcaasConfiguration, type ServeSpec } from './ccaasDebug';
import { debugConfigurationFor } from './languages';
import { chaincodeNameOf, chaincodeVersionOf } from '../../engine/chaincodeId';

export const DEBUG_TYPE = 'chaincode';

function substitute(value: string, folder: vscode.WorkspaceFolder | undefined): string {
  return value.replace(/\$\{workspaceFolder\}/g, folder?.uri.fsPath ?? '').replace(/\$\{workspaceFolderBasename\}/g, folder?.name ?? '');
}

export class ChaincodeDebugProvider implements vscode.DebugConfigurationProvider {
  /** Chaincodes whose debug session the user is ending: their launch's end is no failure. */
  private readonly endingByUser = new Set<string>();

  constructor(private readonly ctx: Ctx) {}

  /** The user is ending the debug session of `ccid`. */
  sessionEnding(ccid: string): void {
    this.endingByUser.add(ccid);
  }

  provideDebugConfigurations(folder: vscode.WorkspaceFolder | undefined): vscode.DebugConfiguration[] {
    const roots = folder ? [folder] : (vscode.workspace.workspaceFolders ?? []);
    const found = roots.flatMap((f) => detectChaincodeFolders(f.uri.fsPath).map((cc) => ({ f, cc })));
    if (found.length === 0) return [{ type: DEBUG_TYPE, request: 'launch', name: vscode.l10n.t('Debug Chaincode'), mode: 'dev' }];
    return found.map(({ f, cc }) => ({
      type: DEBUG_TYPE,
      request: 'launch',
      name: vscode.l10n.t('Debug Chaincode {0}', cc.name),
      mode: 'dev',
      language: sourceLanguageOf(cc),
      folder: cc.folder === f.uri.fsPath ? '${workspaceFolder}' : `\${workspaceFolder}/${path.relative(f.uri.fsPath, cc.folder)}`,
      chaincodeName: cc.name,
      version: cc.version,
    }));
  }

  /** Which chaincode: the configuration's folder, the active editor's, or the workspace's only one. */
  findChaincode(
    folder: vscode.WorkspaceFolder | undefined,
    config: ChaincodeLaunchConfig,
    scan: (root: string) => DetectedChaincode[] = detectChaincodeFolders,
  ): DetectedChaincode {
    if (config.folder) {
      const dir = path.resolve(folder?.uri.fsPath ?? '', substitute(config.folder, folder));
      const cc = detectChaincode(dir);
      if (!cc) throw new DebugConfigError(vscode.l10n.t('{0} holds no chaincode.', dir));
      return cc;
    }
    const active = vscode.window.activeTextEditor?.document.uri;
    if (active?.scheme === 'file') {
      const owner = vscode.workspace.getWorkspaceFolder(active);
      const cc = chaincodeContaining(active.fsPath, owner?.uri.fsPath);
      if (cc) return cc;
    }
    const roots = folder ? [folder] : (vscode.workspace.workspaceFolders ?? []);
    const found = roots.flatMap((f) => scan(f.uri.fsPath));
    if (found.length === 1) return found[0];
    if (found.length === 0) throw new DebugConfigError(vscode.l10n.t('No chaincode found in the workspace to debug.'));
    throw new DebugConfigError(vscode.l10n.t('Several chaincodes in the workspace: open a file of the one to debug, or set "folder" in the launch configuration.'));
  }

  async resolveDebugConfiguration(folder: vscode.WorkspaceFolder | undefined, raw: vscode.DebugConfiguration): Promise<vscode.DebugConfiguration | undefined> {
    try {
      return await this.resolveChaincodeConfiguration(folder, raw);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.ctx.log.error(`debug configuration: ${message}`);
      void showDebuggerProblem(err);
      return undefined; // aborts the launch
    }
  }

  /**
   * The configuration handed to the language's debugger. Starts the embedded peer (its address goes
   * into the configuration) and nothing else: the launcher is told about the chaincode when the debug
   * session actually starts (a failing preLaunchTask, say, leaves nothing waiting). `checkDebugger:
   * false` skips the check that the language's debugger is there (Delve for Go, the Java debugger
   * extension for Java: the tests resolve configurations where one is missing).
   */
  async resolveChaincodeConfiguration(
    folder: vscode.WorkspaceFolder | undefined,
    raw: vscode.DebugConfiguration,
    options: { checkDebugger?: boolean } = {},
  ): Promise<vscode.DebugConfiguration> {
    // F5 with no launch.json: an empty configuration.
    const config: ChaincodeLaunchConfig =
      !raw.type && !raw.request && !raw.name ? { type: DEBUG_TYPE, request: 'launch', name: vscode.l10n.t('Debug Chaincode'), mode: 'dev' } : raw;
    const cc = this.findChaincode(folder, config);
    const language: SourceLanguage = config.language ?? sourceLanguageOf(cc);
    const languageConfig = debugConfigurationFor(language);
    if (options.checkDebugger !== false) requireDebugger(this.ctx, language, languageConfig, () => vscode.debug.startDebugging(folder, config));
    if (isCcaasConfig(config)) return this.resolveCcaas(folder, config, cc, language);
    const engine = await this.ctx.ensureEngine();
    const input = {
      config: { ...config, args: config.args?.map((a) => substitute(a, folder)) },
      chaincode: cc,
      peerAddress: engine.peer.address,
      mspId: engine.config.mspId,
      logLevel: this.ctx.config.engine.logLevel,
    };
    const resolved = languageConfig.resolve(input);
    const ccid = languageConfig.chaincodeId(input);
    await this.handOver(engine, ccid);
    this.ctx.log.info(`debugging ${ccid} with ${resolved.type}: ${JSON.stringify({ ...resolved, env: undefined })}`);
    return resolved;
  }

  /**
   * The CCaaS configuration: no embedded peer (the peer dialling in is a network's, or the embedded
   * one launched in external mode); a debug session serving the same package ID ends first, so that
   * the address is free for this one.
   */
  private async resolveCcaas(
    folder: vscode.WorkspaceFolder | undefined,
    config: CcaasLaunchConfig,
    cc: DetectedChaincode,
    language: SourceLanguage,
  ): Promise<vscode.DebugConfiguration> {
    const resolved = resolveCcaasConfiguration({
      config: { ...config, args: config.args?.map((a) => substitute(a, folder)) },
      chaincode: cc,
      language,
      serverAddress: await serverAddressOnLoopback(),
      mspId: this.ctx.config.engine.mspId,
      logLevel: this.ctx.config.engine.logLevel,
      substitute: (v) => substitute(v, folder),
    });
    const spec = resolved[CCAAS_FIELD] as ServeSpec;
    await this.ctx.served.release(spec.packageId);
    this.ctx.log.info(`debugging ${spec.packageId} as a chaincode server with ${resolved.type}: ${JSON.stringify({ ...resolved, env: undefined })}`);
    return resolved;
  }

  /**
   * The debuggee takes over a chaincode that runs already (a process Launch started, an earlier debug
   * session, one started by hand): that one is stopped and its handler has ended before the debuggee
   * starts, so the debuggee's REGISTER is not refused as a duplicate of it.
   */
  private async handOver(engine: Engine, ccid: string): Promise<void> {
    const session = this.ctx.debugSessions.session(ccid);
    const running = (): boolean => engine.launcher.running().some((r) => r.ccid === ccid) || !!engine.peer.registry.handler(ccid);
    if (!session && !running()) return;
    this.ctx.log.info(`${ccid} runs already: stopping it, the debugger starts it`);
    if (session) await vscode.debug.stopDebugging(session);
    try {
      if (running()) await engine.launcher.stop(ccid);
    } catch (err) {
      throw new Error(vscode.l10n.t('Cannot debug {0}: stopping the running chaincode failed: {1}', ccid, (err as Error).message), { cause: err });
    }
    if (engine.peer.registry.handler(ccid)) {
      throw new Error(vscode.l10n.t('Cannot debug {0}: another process registered under that id again. Stop it, then press F5 again.', ccid));
    }
  }

  /** A root debug session of ours started: the launcher waits for its chaincode to register. */
  sessionStarted(session: vscode.DebugSession): void {
    const c = session.configuration;
    const ccid: unknown = c[CHAINCODE_ID_FIELD];
    const folder: unknown = c[CHAINCODE_FOLDER_FIELD];
    const language: unknown = c[CHAINCODE_LANGUAGE_FIELD];
    // A CCaaS session dials no peer: the served chaincodes follow it (ccaasSessions.ts).
    if (session.parentSession || typeof ccid !== 'string' || typeof folder !== 'string' || c[CCAAS_FIELD]) return;
    const engine = this.ctx.engine.current;
    if (!engine) return;
    const name = chaincodeNameOf(ccid);
    const version = chaincodeVersionOf(ccid);
    this.ctx.folders.set(ccid, folder);
    this.endingByUser.delete(ccid);
    const definition = {
      name,
      version,
      mode: 'dev',
      language: language === 'golang' || language === 'java' ? language : 'node',
      path: folder,
      typescript: language === 'typescript',
    } as const;
    // The Chaincodes view shows it starting, then ready when the debuggee registers.
    engine.launcher.launch({ kind: 'deployment', definition }, { userRunsChaincode: true }).then(
      () => this.ctx.log.info(`${ccid} is ready (debugging)`),
      (err: Error) => {
        if (this.endingByUser.has(ccid)) {
          this.ctx.log.info(`${ccid}: the debug session ended before the chaincode registered`);
          return;
        }
        const message = vscode.l10n.t('Debugging {0}: the chaincode did not become ready: {1}', ccid, err.message);
        this.ctx.log.error(message);
        void vscode.window.showErrorMessage(message, vscode.l10n.t('Show Logs')).then((pick) => pick && this.ctx.logs.show(ccid));
      },
    );
  }

  /** Workspace scans for hasDebugTarget (it runs on every change of the active editor). */
  private readonly scans = new Map<string, DetectedChaincode[]>();

  private cachedScan(root: string): DetectedChaincode[] {
    let found = this.scans.get(root);
    if (!found) {
      found = detectChaincodeFolders(root);
      this.scans.set(root, found);
    }
    return found;
  }

  forgetWorkspaceChaincodes(): void {
    this.scans.clear();
  }

  /** Whether any workspace folder holds chaincode (the Chaincodes view's welcome depends on it). */
  workspaceHasChaincode(): boolean {
    return (vscode.workspace.workspaceFolders ?? []).some((f) => this.cachedScan(f.uri.fsPath).length > 0);
  }

  /**
   * Whether F5 with no launch configuration would debug a chaincode here: the active editor is in a
   * chaincode folder, or the workspace holds exactly one chaincode.
   */
  hasDebugTarget(): boolean {
    try {
      this.findChaincode(undefined, { type: DEBUG_TYPE, request: 'launch', name: '' }, (root) => this.cachedScan(root));
      return true;
    } catch {
      return false;
    }
  }
}

/**
 * Registers the provider for launch.json-less F5 (initial) and for the debug picker (dynamic), and the
 * type's own debug adapter (Delve, for Go).
 */
export function registerDebugProvider(ctx: Ctx): ChaincodeDebugProvider {
  const provider = new ChaincodeDebugProvider(ctx);
  const delve = new DelveAdapterFactory(ctx);
  ctx.extensionContext.subscriptions.push(
    delve,
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, delve),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, provider, vscode.DebugConfigurationProviderTriggerKind.Initial),
    vscode.debug.registerDebugConfigurationProvider(
      DEBUG_TYPE,
      { provideDebugConfigurations: (f) => provider.provideDebugConfigurations(f) },
      vscode.DebugConfigurationProviderTriggerKind.Dynamic,
    ),
    vscode.debug.onDidStartDebugSession((s) => provider.sessionStarted(s)),
    ctx.debugSessions.onWillEndSession((ccid) => provider.sessionEnding(ccid)),
  );
  return provider;
}
