/**
 * F5 in a chaincode folder with no launch.json, without VS Code's "Select debugger" picker.
 *
 * With no launch configuration VS Code guesses a debugger from the active editor's language, and a
 * `.js` file interests js-debug's debuggers as well as ours: it shows a picker. So the manifest binds
 * F5 to `chaincode.debugChaincode` while no configuration is selected (`!debugConfigurationType`), no
 * session runs, and either this extension says there is a chaincode to debug (`chaincode.debugTarget`)
 * or it is not active yet and the active file is in a chaincode language. The command debugs the
 * chaincode, or, when there is none, runs VS Code's own Start Debugging: F5 behaves as before.
 * With a launch.json (a selected configuration) VS Code's own F5 binding applies, untouched.
 */
import * as vscode from 'vscode';
import { DEBUG_TYPE, type ChaincodeDebugProvider } from './provider';

export const DEBUG_TARGET_CONTEXT = 'chaincode.debugTarget';
export const ACTIVATED_CONTEXT = 'chaincode.activated';
/** Some workspace folder holds chaincode: the Chaincodes view welcomes with Open Folder / New Project when not. */
export const WORKSPACE_CHAINCODE_CONTEXT = 'chaincode.workspaceHasChaincode';

/** The configuration F5 starts: the provider fills it in from the folder (as with no launch.json). */
export function f5Configuration(): vscode.DebugConfiguration {
  return { type: DEBUG_TYPE, request: 'launch', name: vscode.l10n.t('Debug Chaincode'), mode: 'dev' };
}

export async function debugChaincode(provider: ChaincodeDebugProvider): Promise<boolean> {
  if (!provider.hasDebugTarget()) {
    // Not a chaincode: what F5 does without us.
    await vscode.commands.executeCommand('workbench.action.debug.start');
    return false;
  }
  const active = vscode.window.activeTextEditor?.document.uri;
  const folder = (active && vscode.workspace.getWorkspaceFolder(active)) ?? vscode.workspace.workspaceFolders?.[0];
  return vscode.debug.startDebugging(folder, f5Configuration());
}

/** Keeps `chaincode.debugTarget` in step with the active editor and the workspace folders. */
export function trackDebugTarget(provider: ChaincodeDebugProvider): vscode.Disposable {
  let last: boolean | undefined;
  let lastHasChaincode: boolean | undefined;
  const update = (): void => {
    const now = provider.hasDebugTarget();
    const hasChaincode = provider.workspaceHasChaincode();
    if (hasChaincode !== lastHasChaincode) {
      lastHasChaincode = hasChaincode;
      void vscode.commands.executeCommand('setContext', WORKSPACE_CHAINCODE_CONTEXT, hasChaincode);
    }
    if (now === last) return;
    last = now;
    void vscode.commands.executeCommand('setContext', DEBUG_TARGET_CONTEXT, now);
  };
  const rescan = (): void => {
    provider.forgetWorkspaceChaincodes();
    update();
  };
  update();
  void vscode.commands.executeCommand('setContext', ACTIVATED_CONTEXT, true);
  return vscode.Disposable.from(
    vscode.window.onDidChangeActiveTextEditor(update),
    vscode.workspace.onDidChangeWorkspaceFolders(rescan),
    vscode.workspace.onDidCreateFiles(rescan),
    vscode.workspace.onDidDeleteFiles(rescan),
    vscode.workspace.onDidRenameFiles(rescan),
  );
}
