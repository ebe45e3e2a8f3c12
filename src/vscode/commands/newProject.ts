/**
 * Chaincode: New Project. Asks the language, the parent folder and the name; writes a contract
 * project (src/engine/scaffold); installs its dependencies under a cancellable progress notification
 * (each tool line in the extension's log); opens it (in this window, a new one, or added to the
 * workspace); and offers to start debugging it once it is open. Opening a folder restarts the
 * extension in that window, so the offer waits in globalState, keyed by folder, for the extension
 * there to make it.
 *
 * Tests and other commands pass `{ language, parent, name, open: false }` to skip every prompt.
 */
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import {
  commandLine,
  installDependencies,
  isScaffoldLanguage,
  LANGUAGES,
  projectNameProblem,
  SCAFFOLD_LANGUAGES,
  ScaffoldLanguage,
  targetFolderProblem,
  ToolCancelledError,
  writeProject,
} from '../../engine/scaffold';
import type { Ctx } from '../ctx';
import { f5Configuration } from '../debug/f5';
import { orCancel } from './registerCommands';

export interface NewProjectRequest {
  readonly language?: ScaffoldLanguage;
  /** The folder the project's folder is created in. */
  readonly parent?: string;
  readonly name?: string;
  /** Open the project when done (default true; the prompt asks where when a workspace is open). */
  readonly open?: boolean;
  /** Install its dependencies (default true). */
  readonly install?: boolean;
}

export interface NewProjectResult {
  readonly folder: string;
  readonly language: ScaffoldLanguage;
  readonly name: string;
  readonly installed: boolean;
}

/** globalState: the projects whose window should offer F5 once it opens them. */
const DEBUG_OFFERS_KEY = 'chaincode.newProject.debugOffers';
/** An offer not taken up within this long (the window never opened) is dropped. */
const OFFER_TTL_MS = 60 * 60 * 1000;

interface DebugOffer {
  readonly folder: string;
  readonly at: number;
}

async function pickLanguage(): Promise<ScaffoldLanguage> {
  const items = SCAFFOLD_LANGUAGES.map((language) => ({ label: LANGUAGES[language].label, detail: LANGUAGES[language].description, language }));
  return orCancel(await vscode.window.showQuickPick(items, { title: vscode.l10n.t('New Chaincode Project: language') })).language;
}

async function pickParent(): Promise<string> {
  const first = vscode.workspace.workspaceFolders?.[0]?.uri;
  const picked = await vscode.window.showOpenDialog({
    title: vscode.l10n.t('New Chaincode Project: the folder to create it in'),
    openLabel: vscode.l10n.t('Create Project Here'),
    canSelectFiles: false,
    canSelectFolders: true,
    canSelectMany: false,
    defaultUri: first ? vscode.Uri.joinPath(first, '..') : vscode.Uri.file(os.homedir()),
  });
  return orCancel(picked?.[0]).fsPath;
}

async function askName(parent: string): Promise<string> {
  const name = await vscode.window.showInputBox({
    title: vscode.l10n.t('New Chaincode Project: name'),
    prompt: vscode.l10n.t('The chaincode name; the project is created in {0}', path.join(parent, '…')),
    value: 'asset-transfer',
    validateInput: (v) => projectNameProblem(v.trim()) ?? targetFolderProblem(path.join(parent, v.trim())),
  });
  return orCancel(name).trim();
}

/** Runs the install under a progress notification; false when it failed or was cancelled (already said). */
async function installWithProgress(ctx: Ctx, folder: string, language: ScaffoldLanguage, name: string): Promise<boolean> {
  const steps = LANGUAGES[language].install.map(commandLine).join(' && ');
  try {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Setting up {0}', name), cancellable: true },
      async (progress, token) => {
        const abort = new AbortController();
        const cancel = token.onCancellationRequested(() => abort.abort());
        let step = '';
        try {
          await installDependencies(folder, language, {
            signal: abort.signal,
            onStep: (s) => {
              step = s.commandLine;
              ctx.log.info(`[new project] ${folder}: ${step}`);
              progress.report({ message: step });
            },
            onLine: (l) => {
              ctx.log.info(`[new project] ${l.line}`);
              progress.report({ message: `${step}: ${l.line.length > 80 ? `${l.line.slice(0, 77)}…` : l.line}` });
            },
          });
        } finally {
          cancel.dispose();
        }
      },
    );
    return true;
  } catch (err) {
    const cancelled = err instanceof ToolCancelledError;
    ctx.log.warn(`[new project] ${(err as Error).message}`);
    const message = cancelled
      ? vscode.l10n.t('Setting up {0} was cancelled. The project is written; to install its dependencies, run {1} in it.', name, steps)
      : vscode.l10n.t('The project {0} is written, but installing its dependencies failed: {1}. Run {2} in it once fixed.', name, (err as Error).message.split('\n')[0], steps);
    void vscode.window.showWarningMessage(message, vscode.l10n.t('Show Log')).then((pick) => pick && ctx.log.show());
    return false;
  }
}

async function rememberDebugOffer(ctx: Ctx, folder: string): Promise<void> {
  const now = Date.now();
  const offers = ctx.extensionContext.globalState.get<DebugOffer[]>(DEBUG_OFFERS_KEY, []).filter((o) => now - o.at < OFFER_TTL_MS && o.folder !== folder);
  await ctx.extensionContext.globalState.update(DEBUG_OFFERS_KEY, [...offers, { folder, at: now }]);
}

/** Opens the project where the user wants it; when it stays in this window, makes the F5 offer here. */
async function openProject(ctx: Ctx, result: NewProjectResult): Promise<void> {
  const uri = vscode.Uri.file(result.folder);
  const open = vscode.l10n.t('Open');
  const newWindow = vscode.l10n.t('Open in New Window');
  const add = vscode.l10n.t('Add to Workspace');
  const hasWorkspace = (vscode.workspace.workspaceFolders?.length ?? 0) > 0;
  const where = hasWorkspace
    ? await vscode.window.showInformationMessage(vscode.l10n.t('Created {0} in {1}. Open it?', result.name, path.dirname(result.folder)), newWindow, open, add)
    : open;
  if (!where) return;
  if (where === add) {
    vscode.workspace.updateWorkspaceFolders(vscode.workspace.workspaceFolders?.length ?? 0, 0, { uri });
    if (result.installed) void offerDebug(result.folder);
    return;
  }
  if (result.installed) await rememberDebugOffer(ctx, result.folder);
  await vscode.commands.executeCommand('vscode.openFolder', uri, { forceNewWindow: where === newWindow });
}

export async function newProject(ctx: Ctx, request: NewProjectRequest = {}): Promise<NewProjectResult> {
  if (request.language !== undefined && !isScaffoldLanguage(request.language)) {
    throw new Error(vscode.l10n.t('Unknown language {0}: choose one of {1}.', String(request.language), SCAFFOLD_LANGUAGES.join(', ')));
  }
  const language = request.language ?? (await pickLanguage());
  const parent = request.parent ?? (await pickParent());
  const name = request.name ?? (await askName(parent));
  const project = await writeProject({ folder: path.join(parent, name), language, name });
  ctx.log.info(`[new project] wrote ${project.files.length} files to ${project.folder}`);
  const installed = request.install === false ? false : await installWithProgress(ctx, project.folder, language, name);
  const result: NewProjectResult = { folder: project.folder, language, name: project.name, installed };
  if (request.open !== false) await openProject(ctx, result);
  return result;
}

/** The contract's source file, opened so a breakpoint is one click away. */
async function showContract(folder: string): Promise<void> {
  const [file] = await vscode.workspace.findFiles(
    new vscode.RelativePattern(folder, '{lib/assetContract.js,src/assetContract.ts,assetContract.go,src/main/java/**/*Contract.java}'),
    undefined,
    1,
  );
  if (file) await vscode.window.showTextDocument(file, { preview: true });
}

async function offerDebug(folder: string): Promise<void> {
  await showContract(folder).catch(() => undefined);
  const start = vscode.l10n.t('Start Debugging (F5)');
  const pick = await vscode.window.showInformationMessage(
    vscode.l10n.t('{0} is ready. Set a breakpoint in the contract and start debugging it against the embedded peer?', path.basename(folder)),
    start,
  );
  if (pick !== start) return;
  const wsFolder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(folder));
  await vscode.debug.startDebugging(wsFolder, { ...f5Configuration(), folder });
}

/**
 * On activation: if this window opened a project New Project just wrote, offer F5 (once: the offer
 * is removed from globalState before it shows).
 */
export async function offerDebugForNewProjects(ctx: Ctx): Promise<void> {
  // (Not awaited by activate: the offers are notifications that wait for the user.)
  const offers = ctx.extensionContext.globalState.get<DebugOffer[]>(DEBUG_OFFERS_KEY, []);
  const open = new Set((vscode.workspace.workspaceFolders ?? []).map((f) => path.resolve(f.uri.fsPath)));
  const now = Date.now();
  const mine = offers.filter((o) => open.has(path.resolve(o.folder)) && now - o.at < OFFER_TTL_MS);
  if (mine.length === 0) return;
  await ctx.extensionContext.globalState.update(
    DEBUG_OFFERS_KEY,
    offers.filter((o) => !mine.includes(o) && now - o.at < OFFER_TTL_MS),
  );
  for (const offer of mine) void offerDebug(offer.folder);
}
