/** Helpers shared by the in-extension-host tests. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { ExecuteResult } from '../../src/engine/transactions/types';
import type { ChaincodeExtensionApi } from '../../src/vscode/extension';

export const EXTENSION_ID = 'chaincode-launcher.chaincode-launcher';

export async function extensionApi(): Promise<ChaincodeExtensionApi> {
  const ext = vscode.extensions.getExtension<ChaincodeExtensionApi>(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not installed`);
  return ext.activate();
}

export function workspaceFolder(): vscode.WorkspaceFolder {
  const f = vscode.workspace.workspaceFolders?.[0];
  if (!f) throw new Error('no workspace folder open');
  return f;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` until it returns a truthy value. */
export async function waitFor<T>(fn: () => T | undefined | false | Promise<T | undefined | false>, ms: number, what: string): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(100);
  }
}

let seq = 0;

/**
 * Asks the browser driver (scripts/e2e/browser.js) for a screenshot, or a key press, and waits until
 * it has acted. A no-op outside the e2e driver.
 */
export async function browser(request: { shot?: string; key?: string; waitStatus?: string; idle?: boolean; settleMs?: number }, ms = 30_000): Promise<string | undefined> {
  const dir = process.env.E2E_FLAG_DIR;
  if (!dir) return undefined;
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${String(++seq).padStart(3, '0')}-${request.shot ?? request.key ?? 'req'}`);
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(request));
  fs.renameSync(`${file}.tmp`, file); // the driver never sees a half-written request
  const done = `${file}.done`;
  await waitFor(() => fs.existsSync(done), ms, `the browser driver to handle ${path.basename(file)}`);
  return fs.readFileSync(done, 'utf8');
}

export function lineOf(file: string, marker: string): number {
  const i = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(marker));
  if (i < 0) throw new Error(`${marker} not found in ${file}`);
  return i + 1;
}

/** Opens the Chaincode sidebar (so the screenshots show the views). */
export async function showSidebar(): Promise<void> {
  await vscode.commands.executeCommand('workbench.view.extension.chaincode');
}

/** Where a debugger stopped: the session that reported `stopped`, and the thread. */
export interface DebugStop {
  readonly session: vscode.DebugSession;
  readonly threadId: number;
}

/**
 * A debuggee stopped inside `transaction` since `since`: stays paused past the execute timeout,
 * continues, and returns the transaction's result, checked to have succeeded after the pause (the
 * peer held its timeout while the debugger held the chaincode).
 */
export async function continuePastTimeout(stop: DebugStop, transaction: Thenable<ExecuteResult | undefined>, since: number, timeoutMs: number): Promise<ExecuteResult> {
  await sleep(Math.max(0, timeoutMs + 1500 - (Date.now() - since)));
  assert.ok(Date.now() - since > timeoutMs, 'paused longer than the execute timeout');
  await stop.session.customRequest('continue', { threadId: stop.threadId });
  const result = await transaction;
  assert.ok(result, 'the transaction returned');
  assert.strictEqual(result.status, 200, `the transaction succeeded after the pause: ${result.message}`);
  assert.ok(result.durationMs > timeoutMs, `it took ${result.durationMs} ms, longer than the ${timeoutMs} ms timeout`);
  return result;
}
