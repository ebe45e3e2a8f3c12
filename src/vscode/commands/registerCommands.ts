/**
 * Registers every command through one wrapper with the same error handling (as vscode-docker does):
 * a failure is logged and shown with a "Show Log" action, and "Open Settings" on the setting it is
 * about when there is one; a dismissed prompt ends quietly; nothing throws into the extension host.
 * Commands return their result (tests use it).
 */
import * as vscode from 'vscode';
import { Cancelled, Ctx } from '../ctx';
import { settingOfError } from '../engineSettings';
import type { NodeTarget, ViewNode } from '../tree/viewNode';

export type CommandHandler = (...args: never[]) => unknown;

export function registerCommands(ctx: Ctx, commands: Readonly<Record<string, CommandHandler>>): void {
  for (const [id, handler] of Object.entries(commands)) {
    ctx.extensionContext.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          return await (handler as (...a: unknown[]) => unknown)(...args);
        } catch (err) {
          if (err instanceof Cancelled) return undefined;
          const message = err instanceof Error ? err.message : String(err);
          ctx.log.error(`${id} failed: ${err instanceof Error && err.stack ? err.stack : message}`);
          showError(ctx, message, err);
          return undefined;
        }
      }),
    );
  }
}

/** An error with Show Log, and Open Settings on the setting it is about (when there is one). */
export function showError(ctx: Ctx, message: string, err: unknown, ...more: string[]): Thenable<string | undefined> {
  const setting = settingOfError(err, ctx.config.engine);
  const showLog = vscode.l10n.t('Show Log');
  const openSettings = vscode.l10n.t('Open Settings');
  return vscode.window.showErrorMessage(message, ...more, ...(setting ? [openSettings] : []), showLog).then((pick) => {
    if (pick === showLog) ctx.log.show();
    else if (pick === openSettings && setting) void openSetting(setting);
    return pick;
  });
}

/** The Settings editor on one setting (its full id as the search shows exactly that one). */
export function openSetting(setting: string): Thenable<unknown> {
  return vscode.commands.executeCommand('workbench.action.openSettings', setting);
}

/** The target of a command run from a tree row (the row itself or its target), else undefined. */
export function targetOf(arg: unknown): NodeTarget | undefined {
  if (!arg || typeof arg !== 'object') return undefined;
  const node = arg as Partial<ViewNode> & { kind?: string };
  if (node.target) return node.target;
  const kinds: readonly string[] = ['chaincode', 'container', 'stateKey', 'transaction', 'block', 'organization', 'identity'] satisfies NodeTarget['kind'][];
  if (node.kind !== undefined && kinds.includes(node.kind)) return arg as NodeTarget;
  return undefined;
}

/** A chaincode id from a tree row, a string, or `{ chaincodeId }`. */
export function chaincodeIdOfTarget(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  const t = targetOf(arg);
  if (t && (t.kind === 'chaincode' || t.kind === 'container')) return t.chaincodeId;
  const o = arg as { chaincodeId?: unknown } | undefined;
  return typeof o?.chaincodeId === 'string' ? o.chaincodeId : undefined;
}

export function orCancel<T>(value: T | undefined): T {
  if (value === undefined) throw new Cancelled();
  return value;
}
