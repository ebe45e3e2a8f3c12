/**
 * The chaincode definition's flags on `launch`: `--endorsement-policy` and `--collections-config`
 * (the peer CLI's `--signature-policy` and `--collections-config`), kept as text here; the
 * engine's readDefinitionPolicies reads and checks them (with the chaincode folder's
 * `collections_config.json` when no file is given) before anything starts.
 */
import type { DefinitionPolicyInput } from '../engine/lifecycle/definitionPolicies';

/** parseArgs option specs for the definition's flags. */
export const DEFINITION_OPTIONS = {
  'endorsement-policy': { type: 'string' },
  'collections-config': { type: 'string' },
} as const;

export const DEFINITION_USAGE = `Chaincode definition (launch):
  --endorsement-policy POLICY   signature policy the endorsements must satisfy, e.g. "AND('Org1MSP.peer','Org2MSP.peer')"
                                (default: a majority of the network's orgs, Fabric's /Channel/Application/Endorsement)
  --collections-config FILE     private data collections (Fabric's collections_config.json format); default: the
                                chaincode folder's collections_config.json, if there is one`;

export function definitionPolicyInput(values: { readonly 'endorsement-policy'?: string; readonly 'collections-config'?: string }): DefinitionPolicyInput {
  const policy = values['endorsement-policy'];
  const file = values['collections-config'];
  return { ...(policy !== undefined ? { endorsementPolicy: policy } : {}), ...(file !== undefined ? { collectionsConfig: file } : {}) };
}

/** The first definition flag given, as typed (`--endorsement-policy`), or null: only launch takes them. */
export function definitionFlagGiven(values: { readonly 'endorsement-policy'?: string; readonly 'collections-config'?: string }): string | null {
  if (values['endorsement-policy'] !== undefined) return '--endorsement-policy';
  return values['collections-config'] !== undefined ? '--collections-config' : null;
}
