/**
 * Copy Client Environment: the two lines a fabric-samples client application reads to reach the
 * embedded peer's Fabric Gateway (CRYPTO_PATH, PEER_ENDPOINT), as the CLI prints them.
 */
import * as vscode from 'vscode';
import { clientEnvironment, environmentLines } from '../../engine/gateway/clientEnvironment';
import type { Ctx } from '../ctx';

/** Starts the peer if needed; returns the copied text, or undefined when the Gateway is off. */
export async function copyClientEnvironment(ctx: Ctx): Promise<string | undefined> {
  const engine = await ctx.ensureEngine();
  if (!engine.gateway) {
    const open = vscode.l10n.t('Open Settings');
    void vscode.window
      .showErrorMessage(vscode.l10n.t('The Fabric Gateway is off: set chaincode.gateway.port (7051 is a peer’s usual port) and restart the peer.'), open)
      .then((picked) => (picked === open ? vscode.commands.executeCommand('workbench.action.openSettings', 'chaincode.gateway.port') : undefined));
    return undefined;
  }
  const env = clientEnvironment(engine.gateway, engine.config.channel);
  const text = environmentLines(env).join('\n');
  await vscode.env.clipboard.writeText(text);
  void vscode.window.showInformationMessage(
    vscode.l10n.t(
      'Copied CRYPTO_PATH and PEER_ENDPOINT: the Fabric Gateway on {0} (TLS host name {1}, MSP {2}, channel {3}).',
      env.endpoint,
      env.hostAlias,
      env.mspId,
      env.channel,
    ),
  );
  return text;
}
