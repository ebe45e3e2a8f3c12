/** The status bar item of the calling identity (`Org1MSP/User1`); click to change it. */
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { currentIdentity } from './callingIdentity';
import { identityRefText } from './identityRef';

export class IdentityStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('chaincode.identity', vscode.StatusBarAlignment.Left, 9);
  private readonly subscription: vscode.Disposable;

  constructor(private readonly ctx: Ctx) {
    this.item.name = vscode.l10n.t('Chaincode Identity');
    this.item.command = 'chaincode.selectIdentity';
    this.subscription = vscode.Disposable.from(
      ctx.config.onDidChange(() => this.update()),
      ctx.engine.onDidChangePeer(() => this.update()),
    );
    this.update();
    this.item.show();
  }

  update(): void {
    try {
      const ref = identityRefText(currentIdentity(this.ctx));
      this.item.text = `$(account) ${ref}`;
      this.item.tooltip = vscode.l10n.t('Transactions from the editor are signed as {0} (chaincode.identity). Click to change it.', ref);
      this.item.backgroundColor = undefined;
    } catch (err) {
      this.item.text = `$(warning) ${vscode.l10n.t('Identity?')}`;
      this.item.tooltip = `${(err as Error).message}. ${vscode.l10n.t('Click to pick an identity.')}`;
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    }
  }

  /** What the item shows (tests read it). */
  get text(): string {
    return this.item.text;
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
