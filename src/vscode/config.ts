/** Typed access to the `chaincode.*` settings (see engineSettings.ts for the mapping). */
import * as vscode from 'vscode';
import type { EngineConfig } from '../engine/config';
import type { RestartSetting } from '../engine/engine';
import { engineConfigFrom, RESTART_ONLY_SETTINGS } from './engineSettings';

export interface SettingsChange {
  /** The restart-only settings this change touched (engine keys): a running peer keeps its values. */
  readonly restartOnly: readonly RestartSetting[];
}

export class Config {
  private readonly changed = new vscode.EventEmitter<SettingsChange>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly defaultDataDir: string) {
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('chaincode')) return;
      const restartOnly = (Object.entries(RESTART_ONLY_SETTINGS) as [RestartSetting, string][])
        .filter(([, key]) => e.affectsConfiguration(`chaincode.${key}`))
        .map(([setting]) => setting);
      this.changed.fire({ restartOnly });
    });
  }

  get engine(): EngineConfig {
    const section = vscode.workspace.getConfiguration('chaincode');
    return engineConfigFrom(<T>(key: string) => section.get<T>(key), this.defaultDataDir);
  }

  /** `chaincode.identity`: who the editor's transactions are signed as (identities/identityRef.ts reads it); '' = chaincode.mspId's User1. */
  get identity(): string {
    return vscode.workspace.getConfiguration('chaincode').get<string>('identity') ?? '';
  }

  /** Makes `text` (`MSPID/NAME`) the calling identity: in the workspace's settings when a folder is open, else the user's. */
  async setIdentity(text: string): Promise<void> {
    const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    await vscode.workspace.getConfiguration('chaincode').update('identity', text, target);
  }

  /** `chaincode.endorsementPolicy`: signature-policy text ('' = the channel's default, a majority of the orgs). */
  get endorsementPolicy(): string {
    return vscode.workspace.getConfiguration('chaincode').get<string>('endorsementPolicy') ?? '';
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
