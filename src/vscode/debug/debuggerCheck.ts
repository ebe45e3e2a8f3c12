/**
 * Whether the debugger a chaincode's language needs is there, checked before anything starts: Go
 * needs Delve and the Go toolchain (this extension brings the adapter), Java needs the Java debugger
 * extension. What is missing becomes an error whose buttons fix it (install, open the setting), and
 * the F5 that hit it goes on once the fix is in.
 */
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import type { SourceLanguage } from '../../engine/platforms/types';
import type { ChaincodeDebugConfiguration } from './chaincodeDebug';
import { DelveNotFoundError, DELVE_SETTING } from './delve/discovery';
import { findDelve, findGo, installWithProgress } from './delve/prerequisites';

/** A button on the error message, and what it does. */
export interface DebuggerAction {
  readonly title: string;
  run(): unknown;
}

/** The language's debugger is missing or misconfigured; `actions` fix it. */
export class DebuggerUnavailableError extends Error {
  override readonly name = 'DebuggerUnavailableError';
  constructor(
    message: string,
    readonly actions: readonly DebuggerAction[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Shows the error with its actions' buttons and runs the one picked. */
export async function showDebuggerProblem(err: unknown): Promise<void> {
  const message = err instanceof Error ? err.message : String(err);
  const actions = err instanceof DebuggerUnavailableError ? err.actions : [];
  const pick = await vscode.window.showErrorMessage(message, ...actions.map((a) => a.title));
  await actions.find((a) => a.title === pick)?.run();
}

/** Throws DebuggerUnavailableError when `language`'s debugger cannot run; `retry` starts the debug session again. */
export function requireDebugger(ctx: Ctx, language: SourceLanguage, languageConfig: ChaincodeDebugConfiguration, retry: () => Thenable<unknown>): void {
  if (language === 'golang') {
    requireGoDebugger(ctx, retry);
    return;
  }
  const id = languageConfig.debuggerExtension;
  if (!id || vscode.extensions.getExtension(id)) return;
  const install = async (): Promise<void> => {
    // VS Code installs its dependencies too (the Java debugger needs Red Hat's Java support).
    await vscode.commands.executeCommand('workbench.extensions.installExtension', id);
    void vscode.window.showInformationMessage(vscode.l10n.t('{0} is installed. Press F5 again to debug the chaincode.', id));
  };
  throw new DebuggerUnavailableError(
    vscode.l10n.t(
      'Debugging {0} chaincode needs the extension {1}, which is not installed. Install it, then press F5 again (or run it without a debugger: Chaincode: Launch Chaincode).',
      language,
      id,
    ),
    [
      { title: vscode.l10n.t('Install {0}', id), run: install },
      { title: vscode.l10n.t('Show in Extensions'), run: () => vscode.commands.executeCommand('workbench.extensions.search', `@id:${id}`) },
    ],
  );
}

/** Go: the Go toolchain (Delve builds the chaincode with it) and Delve itself. */
function requireGoDebugger(ctx: Ctx, retry: () => Thenable<unknown>): void {
  if (!findGo()) {
    throw new DebuggerUnavailableError(
      vscode.l10n.t(
        'Debugging Go chaincode builds it with the Go toolchain, which was not found (on the PATH VS Code runs with, in GOROOT/bin or /usr/local/go/bin). Install Go (or add it to PATH), restart VS Code, then press F5 again.',
      ),
      [],
    );
  }
  try {
    findDelve(ctx);
  } catch (err) {
    if (!(err instanceof DelveNotFoundError)) throw err;
    const openSetting = { title: vscode.l10n.t('Open Settings'), run: () => vscode.commands.executeCommand('workbench.action.openSettings', DELVE_SETTING) };
    const install = { title: vscode.l10n.t('Install Delve'), run: async () => (await installWithProgress(ctx)) && retry() };
    throw new DebuggerUnavailableError(err.message, err.badSetting === undefined ? [install, openSetting] : [openSetting], { cause: err });
  }
}
