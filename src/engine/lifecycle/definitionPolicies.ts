/**
 * The policies a chaincode definition carries, read from what the user gives (the peer CLI's
 * `approveformyorg --signature-policy` and `--collections-config`): an endorsement policy in
 * signature-policy syntax, and a collection configuration file — given, or `collections_config.json`
 * in the chaincode's folder (where fabric-samples keep it). Everything is parsed and checked here,
 * before anything starts, with errors that name the flag or the file, line and token.
 */
import * as fs from 'fs';
import * as path from 'path';
import { checkCollectionMembers, parseCollectionsConfig, parsePolicy, type SignaturePolicyEnvelope } from '../policy';
import type { ChaincodeDefinitionOnChannel } from './definitions';

/** What the user asked for, as text (the CLI's flags, the editor's launch request). */
export interface DefinitionPolicyInput {
  /** Signature-policy syntax, e.g. `AND('Org1MSP.peer','Org2MSP.peer')`; absent: the channel's default (MAJORITY). */
  readonly endorsementPolicy?: string;
  /** A collection configuration file (Fabric's JSON); absent: the folder's `collections_config.json`, if any. */
  readonly collectionsConfig?: string;
}

/** The parsed policies, ready for ChaincodeDefinitions.define. */
export interface DefinitionPolicies extends Pick<ChaincodeDefinitionOnChannel, 'endorsementPolicy' | 'collections'> {
  /** The collection configuration read, if any (said on stderr / in the output channel). */
  readonly collectionsFile: string | null;
}

/** A policy or collection configuration that cannot be used: nothing should start. */
export class DefinitionPolicyError extends Error {
  override readonly name = 'DefinitionPolicyError';
}

/** The file name fabric-samples use beside the chaincode. */
export const COLLECTIONS_CONFIG_FILE = 'collections_config.json';

/**
 * Reads and checks the policies for a chaincode in `folder` on a channel of `channelMspIds`. Throws
 * DefinitionPolicyError naming `--endorsement-policy` or the file (with line, column and token).
 */
export function readDefinitionPolicies(folder: string, input: DefinitionPolicyInput, channelMspIds: readonly string[]): DefinitionPolicies {
  let endorsementPolicy: SignaturePolicyEnvelope | null = null;
  if (input.endorsementPolicy !== undefined) {
    try {
      endorsementPolicy = parsePolicy(input.endorsementPolicy, '--endorsement-policy');
    } catch (err) {
      throw new DefinitionPolicyError((err as Error).message, { cause: err });
    }
    checkPrincipalsKnown(endorsementPolicy, channelMspIds, '--endorsement-policy');
  }
  const given = input.collectionsConfig !== undefined;
  const file = given ? path.resolve(input.collectionsConfig) : path.join(folder, COLLECTIONS_CONFIG_FILE);
  if (!given && !fs.existsSync(file)) return { endorsementPolicy, collections: [], collectionsFile: null };
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new DefinitionPolicyError(`--collections-config ${input.collectionsConfig ?? file}: ${(err as Error).message}`, { cause: err });
  }
  const relative = path.relative(process.cwd(), file);
  const shown = relative && !relative.startsWith('..') ? relative : file;
  try {
    const collections = parseCollectionsConfig(text, shown);
    checkCollectionMembers(collections, channelMspIds);
    return { endorsementPolicy, collections, collectionsFile: file };
  } catch (err) {
    throw new DefinitionPolicyError(`invalid collection configuration in file ${shown}: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * A policy naming an org the network does not have can never be satisfied: Fabric accepts it and
 * every transaction then fails validation; here it is refused up front, where the typo is.
 */
function checkPrincipalsKnown(policy: SignaturePolicyEnvelope, channelMspIds: readonly string[], source: string): void {
  for (const p of policy.identities) {
    if (p.kind === 'role' && !channelMspIds.includes(p.mspId)) {
      throw new DefinitionPolicyError(`${source}: '${p.mspId}' is not one of the network's organisations (${channelMspIds.join(', ')})`);
    }
  }
}
