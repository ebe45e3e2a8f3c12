/** Typed access to the `chaincode.*` settings (see engineSettings.ts for the mapping). */
import * as vscode from 'vscode';
import type { EngineConfig } from '../engine/config';
import { engineConfigFrom, PEER_SETTINGS } from './engineSettings';

export class Config {
  private readonly changed = new vscode.EventEmitter<{ peerAffected: boolean }>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly defaultDataDir: string) {
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('chaincode')) return;
      this.changed.fire({ peerAffected: PEER_SETTINGS.some((k) => e.affectsConfiguration(`chaincode.${k}`)) });
    });
  }

  get engine(): EngineConfig {
    const section = vscode.workspace.getConfiguration('chaincode');
    return engineConfigFrom(<T>(key: string) => section.get<T>(key), this.defaultDataDir);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
