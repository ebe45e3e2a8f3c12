/**
 * Launch Chaincode: find the chaincode folders of the workspace, ask mode, name and version (with
 * defaults from package.json / go.mod / the build file / the folder), then launch under a progress
 * notification with honest steps and a cancel button. The launcher starts the runtime: in dev mode a
 * local process (no debugger; F5 is the debugger's way), in net mode a container; in external mode
 * (chaincode as a service) it asks the server's address and the id it registers with, and the peer
 * dials it. A failure offers Show Logs, Retry and Open Settings.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import type { ChaincodeMode } from '../../engine/config';
import type { RunningChaincode } from '../../engine/launch/types';
import { detectChaincodeFolders, DetectedChaincode, requireChaincode, isValidChaincodeName, isValidChaincodeVersion, sourceLanguageOf } from '../../engine/workspace/detect';
import { Cancelled, Ctx } from '../ctx';
import { openSetting, orCancel } from './registerCommands';
import { settingOfError } from '../engineSettings';
import { engineBundle } from '../engineAssembly';
import { buildProblems } from './watchProblems';

/**
 * A TypeScript chaincode is built first (issue 8 item 13: a stale compiled output ran silently after
 * an edit): the project's own build, its diagnostics in Problems; a failed build launches nothing.
 */
async function buildFirst(ctx: Ctx, cc: DetectedChaincode, step: (message: string) => void, signal: AbortSignal): Promise<void> {
  step(vscode.l10n.t('building'));
  const problems = buildProblems(ctx.extensionContext);
  try {
    const built = await engineBundle().buildBeforeLaunch(cc.folder, { signal, onLine: (line) => ctx.log.debug(`build: ${line}`) });
    if (built) {
      ctx.log.info(`${cc.folder}: ${built.commandLine} done in ${Math.round(built.durationMs)} ms`);
      problems.show(cc.folder, built);
    }
  } catch (err) {
    const failed = err as Error & { outcome?: Parameters<typeof problems.show>[1] };
    // Matched by name: the engine is a bundle of its own (no instanceof across bundles).
    if (failed.name !== 'BuildFailedError' || !failed.outcome) throw err;
    problems.show(cc.folder, failed.outcome);
    throw new Error(vscode.l10n.t('{0} (see Problems)', failed.message), { cause: err });
  }
}

/** dev and net, or external: the peer dials a chaincode server (chaincode as a service, e.g. one F5 serves). */
export type LaunchMode = ChaincodeMode | 'external';
import { chaincodeId } from '../../engine/chaincodeId';

/** Everything a launch needs; commands run from tests or other commands pass it to skip prompts. */
export interface LaunchRequest {
  readonly folder?: string;
  readonly mode?: LaunchMode;
  readonly name?: string;
  readonly version?: string;
  /** External mode: `HOST:PORT` of the chaincode server. */
  readonly address?: string;
  /** External mode: the id the server registers with (its package ID); name and version are its halves. */
  readonly packageId?: string;
}

/** `HOST:PORT` with a port 1–65535 (what the external runtime can dial). */
export function isServerAddress(text: string): boolean {
  const port = /^(?:\[[^\]]+\]|[^\s:[\]]+):(\d{1,5})$/.exec(text)?.[1];
  return port !== undefined && Number(port) >= 1 && Number(port) <= 65535;
}

/** A package ID (`label:hash`) or `name:version`: what a chaincode server registers with. */
export function isServerChaincodeId(text: string): boolean {
  return /^[^:\s]+:[^:\s]+$/.test(text);
}

export function workspaceChaincodes(): DetectedChaincode[] {
  return (vscode.workspace.workspaceFolders ?? []).flatMap((f) => detectChaincodeFolders(f.uri.fsPath));
}

async function pickChaincode(ctx: Ctx, folder: string | undefined): Promise<DetectedChaincode> {
  if (folder) {
    // The CLI's check: a NotChaincodeError says what the folder holds instead.
    return requireChaincode(folder);
  }
  const found = workspaceChaincodes();
  if (found.length === 0) {
    throw new Error(
      vscode.l10n.t(
        'No chaincode found in the workspace: open a folder with a package.json depending on fabric-contract-api or fabric-shim, a go.mod requiring fabric-chaincode-go or fabric-contract-api-go, or a Maven/Gradle build using fabric-chaincode-shim.',
      ),
    );
  }
  if (found.length === 1) return found[0];
  const roots = vscode.workspace.workspaceFolders ?? [];
  const picked = await vscode.window.showQuickPick(
    found.map((cc) => ({
      label: cc.name,
      description: `${sourceLanguageOf(cc)}${cc.contractApi ? ' · contract API' : ''}`,
      detail: roots.length ? path.relative(path.dirname(roots[0].uri.fsPath), cc.folder) : cc.folder,
      cc,
    })),
    { title: vscode.l10n.t('Launch Chaincode'), placeHolder: vscode.l10n.t('Which chaincode?') },
  );
  ctx.log.debug(`picked ${picked?.cc.folder ?? 'nothing'}`);
  return orCancel(picked).cc;
}

async function pickMode(defaultMode: ChaincodeMode): Promise<LaunchMode> {
  const items: (vscode.QuickPickItem & { mode: LaunchMode })[] = [
    {
      mode: 'dev',
      label: vscode.l10n.t('Dev mode'),
      description: 'dev',
      detail: vscode.l10n.t('Run the chaincode as a process on this machine; no Docker. (To debug it, press F5 instead.)'),
    },
    {
      mode: 'net',
      label: vscode.l10n.t('Net mode'),
      description: 'net',
      detail: vscode.l10n.t('Build an image and run the chaincode in a Docker container, as a Fabric peer does.'),
    },
    {
      mode: 'external',
      label: vscode.l10n.t('External (chaincode as a service)'),
      description: 'external',
      detail: vscode.l10n.t('The peer dials a chaincode server that runs already: the CCaaS debug configuration, or chaincode-launcher serve.'),
    },
  ];
  items.sort((a, b) => (a.mode === defaultMode ? -1 : b.mode === defaultMode ? 1 : 0));
  return orCancel(await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Launch Chaincode: mode') })).mode;
}

async function askText(title: string, value: string, valid: (v: string) => boolean, hint: string): Promise<string> {
  const v = await vscode.window.showInputBox({ title, value, validateInput: (s) => (valid(s.trim()) ? undefined : hint) });
  return orCancel(v).trim();
}

export async function launchChaincode(ctx: Ctx, request: LaunchRequest = {}): Promise<RunningChaincode> {
  const cc = await pickChaincode(ctx, request.folder);
  const mode = request.mode ?? (await pickMode(ctx.config.engine.mode));
  let name: string;
  let version: string;
  let address: string | undefined;
  if (mode === 'external') {
    address =
      request.address ??
      (await askText(
        vscode.l10n.t('Launch Chaincode: chaincode server address'),
        '127.0.0.1:9999',
        isServerAddress,
        vscode.l10n.t('HOST:PORT where the chaincode server listens.'),
      ));
    const id =
      request.packageId ??
      (request.name && request.version ? `${request.name}:${request.version}` : undefined) ??
      (await askText(
        vscode.l10n.t('Launch Chaincode: the id the server registers with (its package ID)'),
        `${cc.name}:${cc.version}`,
        isServerChaincodeId,
        vscode.l10n.t('LABEL:HASH (a package ID) or NAME:VERSION.'),
      ));
    [name, version] = [id.slice(0, id.indexOf(':')), id.slice(id.indexOf(':') + 1)];
  } else {
    name =
      request.name ?? (await askText(vscode.l10n.t('Launch Chaincode: name'), cc.name, isValidChaincodeName, vscode.l10n.t('Letters, digits, and single - or _ between them.')));
    version = request.version ?? (await askText(vscode.l10n.t('Launch Chaincode: version'), cc.version, isValidChaincodeVersion, vscode.l10n.t('Letters, digits, . _ + - only.')));
  }
  const interactive = request.mode === undefined || (request.name === undefined && request.packageId === undefined);
  try {
    return await runLaunch(ctx, cc, mode, name, version, address);
  } catch (err) {
    if (err instanceof Cancelled) throw err;
    const ccid = chaincodeId(name, version);
    const message = vscode.l10n.t('Launching {0} failed: {1}', ccid, (err as Error).message);
    ctx.log.error(message);
    const showLogs = vscode.l10n.t('Show Logs');
    const retry = vscode.l10n.t('Retry');
    const settings = vscode.l10n.t('Open Settings');
    const show = vscode.window.showErrorMessage(message, showLogs, retry, settings);
    if (!interactive) {
      void show;
      throw new Error(message, { cause: err });
    }
    const pick = await show;
    if (pick === showLogs) ctx.logs.show(ccid);
    else if (pick === settings) void openSetting(settingOfError(err, ctx.config.engine) ?? 'chaincode.');
    else if (pick === retry) return launchChaincode(ctx, { folder: cc.folder, mode, name, version, ...(address ? { address } : {}) });
    throw new Cancelled();
  }
}

async function runLaunch(ctx: Ctx, cc: DetectedChaincode, mode: LaunchMode, name: string, version: string, address: string | undefined): Promise<RunningChaincode> {
  const ccid = chaincodeId(name, version);
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Launching {0}', ccid), cancellable: true }, async (progress, token) => {
    const abort = new AbortController();
    token.onCancellationRequested(() => abort.abort(new Cancelled()));
    const step = (message: string): void => {
      ctx.log.info(`${ccid}: ${message}`);
      progress.report({ message });
    };
    step(vscode.l10n.t('starting the embedded peer'));
    const engine = await ctx.ensureEngine();
    ctx.folders.set(ccid, cc.folder);
    if (cc.typescript) await buildFirst(ctx, cc, step, abort.signal);
    const definition = { name, version, mode, language: cc.language, path: cc.folder, typescript: cc.typescript, ...(address ? { address } : {}) } as const;
    const running = await engine.launcher.launch({ kind: 'deployment', definition }, { signal: abort.signal, onProgress: step });
    step(vscode.l10n.t('ready'));
    return running;
  });
}
