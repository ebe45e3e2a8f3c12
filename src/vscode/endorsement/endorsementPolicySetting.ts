/**
 * Keeps the running peer's chaincode definitions on `chaincode.endorsementPolicy`: a chaincode gets
 * the policy when it registers (launch, F5, restart), and every running one when the setting
 * changes, so the next transaction is endorsed by the peers the policy needs and validated against
 * it. A policy that does not parse is reported once, with Open Settings, and nothing changes.
 */
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { openSetting } from '../commands/registerCommands';
import { applyEndorsementPolicy, POLICY_SETTING } from './policyDefinitions';
import { isPeerSystemChaincode } from '../../engine/chaincodeId';

/** A chaincode that registered and is not one of the peer's own (qscc has no endorsement policy of the user's). */
function isUserChaincode(ccid: string): boolean {
  return ccid !== '' && !isPeerSystemChaincode(ccid);
}

export class EndorsementPolicySetting implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[];
  /** The text last reported as not parsing (reported once, not at every registration). */
  private reported: string | undefined;

  constructor(private readonly ctx: Ctx) {
    this.subscriptions = [
      ctx.engine.onDidChangeHandlerState((e) => {
        if (e.handler.state === 'ready' && isUserChaincode(e.handler.chaincodeId)) this.apply([e.handler.chaincodeId]);
      }),
      ctx.config.onDidChange(() => this.apply(this.readyChaincodes())),
      ctx.engine.onDidChangePeer(() => this.apply(this.readyChaincodes())),
    ];
  }

  private readyChaincodes(): string[] {
    return this.ctx
      .handlers()
      .filter((h) => h.state === 'ready' && isUserChaincode(h.chaincodeId))
      .map((h) => h.chaincodeId);
  }

  /** Gives these chaincodes the setting's policy (each definition made is logged). */
  apply(ccids: readonly string[]): void {
    const engine = this.ctx.engine.current;
    if (!engine || ccids.length === 0) return;
    const text = this.ctx.config.endorsementPolicy;
    try {
      const made = applyEndorsementPolicy(engine, ccids, text);
      for (const d of made) this.ctx.log.info(`endorsement policy of ${d.name} (sequence ${d.sequence}): ${text.trim() || "the channel's default (a majority of the orgs)"}`);
      this.reported = undefined;
    } catch (err) {
      this.ctx.log.error(`${POLICY_SETTING}: ${(err as Error).message}`);
      if (this.reported === text) return;
      this.reported = text;
      const open = vscode.l10n.t('Open Settings');
      void vscode.window
        .showErrorMessage(vscode.l10n.t('{0}; the chaincodes keep the policy they had.', (err as Error).message), open)
        .then((pick) => pick === open && openSetting(POLICY_SETTING));
    }
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
