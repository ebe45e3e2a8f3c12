/**
 * The endorsement policy the `chaincode.endorsementPolicy` setting gives the editor's chaincodes,
 * put where the engine reads it: each chaincode's definition on each channel (as Fabric's
 * `peer lifecycle chaincode approveformyorg/commit --signature-policy` would, with a new sequence).
 * Collections already defined are kept. No vscode here.
 */
import type { ChaincodeDefinitionOnChannel } from '../../engine/lifecycle/definitions';
import { chaincodeNameOf, chaincodeVersionOf } from '../../engine/chaincodeId';
import { engineBundle, type Engine } from '../engineAssembly';

/** Where the setting's text is named in parse errors. */
export const POLICY_SETTING = 'chaincode.endorsementPolicy';

/**
 * Gives each chaincode (`name:version`) on every channel of the peer the policy `text` (empty: the
 * channel's default, a majority of the orgs). A chaincode that has no definition and is to get the
 * default is left alone: the engine's rule for undefined chaincodes already applies. Returns the
 * definitions made; throws PolicyParseError (naming the setting) before changing anything.
 */
export function applyEndorsementPolicy(engine: Engine, ccids: readonly string[], text: string): ChaincodeDefinitionOnChannel[] {
  const policy = text.trim() === '' ? null : engineBundle().parsePolicy(text.trim(), POLICY_SETTING);
  const definitions = engine.transactions.definitions;
  const made: ChaincodeDefinitionOnChannel[] = [];
  for (const channel of engine.peer.ledgers().map((l) => l.channel)) {
    for (const ccid of new Set(ccids)) {
      const name = chaincodeNameOf(ccid);
      const existing = definitions.get(channel, name);
      if (!existing && policy === null) continue;
      if (existing && samePolicy(existing.endorsementPolicy, policy) && existing.version === chaincodeVersionOf(ccid)) continue;
      made.push(definitions.define(channel, { name, version: chaincodeVersionOf(ccid), endorsementPolicy: policy, collections: existing?.collections ?? [] }));
    }
  }
  return made;
}

function samePolicy(a: ChaincodeDefinitionOnChannel['endorsementPolicy'], b: ChaincodeDefinitionOnChannel['endorsementPolicy']): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
