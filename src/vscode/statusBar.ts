/** The status bar item: the peer's address and how many chaincodes are ready; click opens the view. */
import * as vscode from 'vscode';

export class PeerStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('chaincode.peer', vscode.StatusBarAlignment.Left, 10);

  constructor() {
    this.item.name = vscode.l10n.t('Chaincode Peer');
    this.item.command = 'workbench.view.extension.chaincode';
    this.update(undefined, 0);
    this.item.show();
  }

  /** `gateway`: where client applications reach the Fabric Gateway (`localhost:7051`), when it runs. */
  update(address: string | undefined, ready: number, gateway?: string): void {
    if (!address) {
      this.item.text = `$(circle-slash) ${vscode.l10n.t('Peer stopped')}`;
      this.item.tooltip = vscode.l10n.t('The embedded peer is not running. It starts when you launch or debug a chaincode.');
      return;
    }
    this.item.text = `$(server-process) ${address}${gateway ? ` · ${vscode.l10n.t('gateway {0}', gateway)}` : ''} · ${vscode.l10n.t('{0} ready', ready)}`;
    this.item.tooltip = gateway
      ? vscode.l10n.t(
          'Embedded peer on {0} (chaincode server); Fabric Gateway for client applications on {1}; {2} chaincode(s) ready. Click to open the Chaincodes view.',
          address,
          gateway,
          ready,
        )
      : vscode.l10n.t('Embedded peer on {0}; {1} chaincode(s) ready. Click to open the Chaincodes view.', address, ready);
  }

  /** What the item shows (tests read it). */
  get text(): string {
    return this.item.text;
  }

  dispose(): void {
    this.item.dispose();
  }
}
