/**
 * What Go debugging needs, found from the editor: Delve where the setting or the search says
 * (discovery.ts), and the Go toolchain on PATH (Delve builds the chaincode with it); and "Install
 * Delve": `go install` into the extension's storage, with progress.
 */
import * as vscode from 'vscode';
import { ToolCancelledError } from '../../../engine/scaffold/errors';
import type { Ctx } from '../../ctx';
import { commandLine } from '../../../engine/scaffold/languages';
import { DELVE_SETTING, DELVE_VERSION, DelveSearch, LocatedDelve, locateDelve, locateGo, withFolderOnPath } from './discovery';
import { delveInstallStep, installDelve } from './install';

/** The extension's own tools folder ("Install Delve" puts dlv there). */
export function extensionToolsFolder(ctx: Ctx): string {
  return vscode.Uri.joinPath(ctx.extensionContext.globalStorageUri, 'go-tools').fsPath;
}

export function delveSearch(ctx: Ctx): DelveSearch {
  return {
    setting: vscode.workspace.getConfiguration().get<string>(DELVE_SETTING),
    env: process.env,
    extensionTools: extensionToolsFolder(ctx),
    extensionPath: ctx.extensionContext.extensionPath,
  };
}

/** The Delve to debug with; throws DelveNotFoundError. */
export function findDelve(ctx: Ctx): LocatedDelve {
  return locateDelve(delveSearch(ctx));
}

/** The Go toolchain Delve builds with, or undefined. */
export function findGo(): string | undefined {
  return locateGo(process.env);
}

/** The environment Delve runs with: ours, with the Go toolchain's folder on PATH. */
export function delveProcessEnv(): NodeJS.ProcessEnv {
  const go = findGo();
  return go ? withFolderOnPath(process.env, go) : process.env;
}

/** Installs Delve into the extension's tools folder, with a cancellable progress notification; true when it worked. */
export async function installWithProgress(ctx: Ctx): Promise<boolean> {
  const gobin = extensionToolsFolder(ctx);
  const go = findGo() ?? 'go';
  const line = commandLine(delveInstallStep(gobin, go));
  ctx.log.info(`[delve] GOBIN=${gobin} ${line}`);
  try {
    const dlv = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Installing Delve {0}', DELVE_VERSION), cancellable: true },
      async (progress, token) => {
        const abort = new AbortController();
        const cancel = token.onCancellationRequested(() => abort.abort());
        try {
          progress.report({ message: line });
          return await installDelve(gobin, go, { signal: abort.signal, onLine: (l) => ctx.log.info(`[delve] ${l.line}`) });
        } finally {
          cancel.dispose();
        }
      },
    );
    ctx.log.info(`[delve] installed ${dlv}`);
    return true;
  } catch (err) {
    if (err instanceof ToolCancelledError) return false;
    const message = vscode.l10n.t('Installing Delve failed: {0}', (err as Error).message);
    ctx.log.error(message);
    void vscode.window.showErrorMessage(message, vscode.l10n.t('Show Log')).then((pick) => pick && ctx.log.show());
    return false;
  }
}
