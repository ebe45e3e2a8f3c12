/**
 * A `chaincode.*` setting changed: the running engine takes what it can at once (Docker endpoint and
 * network mode, base images, TLS, log level, timeouts: Engine.reconfigure), so the next launch and
 * transaction use the new values; only a change to a setting the peer read when it started (its
 * address, data directory, MSP, channel, durability) asks for a restart.
 */
import * as vscode from 'vscode';
import type { SettingsChange } from './config';
import type { Ctx } from './ctx';
import { RESTART_ONLY_SETTINGS } from './engineSettings';

/** The settings (`chaincode.…`) a restart would apply; none when everything applied. */
export function applySettings(ctx: Ctx, change: SettingsChange): string[] {
  const engine = ctx.engine.current;
  if (!engine) return []; // the next start reads them all
  const differing = engine.reconfigure(ctx.config.engine);
  const waiting = differing.filter((s) => change.restartOnly.includes(s)).map((s) => `chaincode.${RESTART_ONLY_SETTINGS[s]}`);
  ctx.log.info(
    `settings applied to the running peer${differing.length ? `; waiting for a restart: ${differing.map((s) => `chaincode.${RESTART_ONLY_SETTINGS[s]}`).join(', ')}` : ''}`,
  );
  if (waiting.length) {
    const restart = vscode.l10n.t('Restart Peer');
    void vscode.window
      .showInformationMessage(vscode.l10n.t('The running peer applies {0} when it restarts (running chaincodes stop).', waiting.join(', ')), restart)
      .then(async (pick) => {
        if (pick !== restart) return;
        await vscode.commands.executeCommand('chaincode.stopPeer'); // ends debug sessions and dev processes too
        await vscode.commands.executeCommand('chaincode.startPeer');
      });
  }
  return waiting;
}
