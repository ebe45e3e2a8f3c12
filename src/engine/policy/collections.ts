/**
 * Private data collections as Fabric defines them:
 * - `collections_config.json` read as the peer CLI reads it (`internal/peer/chaincode/common.go`
 *   `getCollectionConfigFromBytes`: a JSON array, Go's case-insensitive field names, unknown fields
 *   ignored, `requiredPeerCount` 0 and `maxPeerCount` 1 by default) with errors naming
 *   `file:line:column`, the field and the token;
 * - the checks the peer makes at approve and commit (`core/chaincode/lifecycle/scc.go`
 *   `validateCollectionConfigs`, `validateCollectionConfigMemberOrgsPolicy`), Fabric's wording;
 * - implicit collections `_implicit_org_<MSPID>` (`core/chaincode/implicitcollection`,
 *   `lifecycle/deployedcc_infoprovider.go` `GenerateImplicitCollectionForOrg`);
 * - the `CollectionConfigPackage` bytes.
 */
import { codecs } from '../wire/codec';
import type { StaticCollectionConfig } from '../wire/messages';
import { applicationPolicyFrom, applicationPolicyToProto, type ApplicationPolicy } from './applicationPolicy';
import { field, JsonSyntaxError, locate, parseJsonWithPositions, type JsonNode } from './jsonSource';
import { parsePolicy, PolicyParseError } from './policyDsl';
import { envelopeToProto, nOutOf, principalMspIds, signedBy, type SignaturePolicyEnvelope, type SignaturePolicyRule } from './signaturePolicy';
import { rolePrincipal } from '../msp/principal';

export interface CollectionDefinition {
  readonly name: string;
  /** Who is a member (`policy`): an OR of principals. */
  readonly memberPolicy: SignaturePolicyEnvelope;
  readonly requiredPeerCount: number;
  readonly maxPeerCount: number;
  /** Blocks a value lives after the block that wrote it; 0 = never purged. */
  readonly blockToLive: number;
  readonly memberOnlyRead: boolean;
  readonly memberOnlyWrite: boolean;
  /** The collection's own endorsement policy, or null (the chaincode's applies). */
  readonly endorsementPolicy: ApplicationPolicy | null;
  /** `_implicit_org_<MSPID>`: generated, not configured. */
  readonly implicit: boolean;
  /** Where it was defined (`file:line:column`), for later errors. */
  readonly source?: string;
}

export class CollectionConfigError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CollectionConfigError';
  }
}

const INT32_MAX = 2 ** 31 - 1;
const NAME = /^[A-Za-z0-9-][A-Za-z0-9_-]*$/;
export const IMPLICIT_COLLECTION_PREFIX = '_implicit_org_';

/** Parses `collections_config.json` text; `file` names it in every error. */
export function parseCollectionsConfig(text: string, file = 'collections_config.json'): CollectionDefinition[] {
  let root: JsonNode;
  try {
    root = parseJsonWithPositions(text);
  } catch (err) {
    if (err instanceof JsonSyntaxError)
      throw new CollectionConfigError(`${locate(file, text, err.offset)}: could not parse the collection configuration: ${err.reason}`, { cause: err });
    throw err;
  }
  const where = (at: number): string => locate(file, text, at);
  if (root.kind === 'null') return [];
  if (root.kind !== 'array') throw new CollectionConfigError(`${where(root.at)}: expected a JSON array of collections, found ${describe(root)}`);
  const defs = root.items.map((item, i) => collection(item, i, text, file));
  checkCollections(defs);
  return defs;
}

function describe(node: JsonNode): string {
  switch (node.kind) {
    case 'object':
      return 'an object';
    case 'array':
      return 'an array';
    case 'string':
      return `the string ${JSON.stringify(node.value)}`;
    case 'number':
      return `the number ${node.text}`;
    case 'bool':
      return String(node.value);
    case 'null':
      return 'null';
  }
}

function collection(node: JsonNode, index: number, text: string, file: string): CollectionDefinition {
  const where = (at: number): string => locate(file, text, at);
  if (node.kind !== 'object') throw new CollectionConfigError(`${where(node.at)}: collection ${index + 1} must be an object, found ${describe(node)}`);
  const bad = (f: { key: string; value: JsonNode }, expected: string): never => {
    throw new CollectionConfigError(`${where(f.value.at)}: "${f.key}" must be ${expected}, found ${describe(f.value)}`);
  };
  const str = (name: string): string => {
    const f = field(node, name);
    if (!f || f.value.kind === 'null') return '';
    return f.value.kind === 'string' ? f.value.value : bad(f, 'a string');
  };
  const bool = (name: string): boolean => {
    const f = field(node, name);
    if (!f || f.value.kind === 'null') return false;
    return f.value.kind === 'bool' ? f.value.value : bad(f, 'true or false');
  };
  const int = (name: string, min: number, max: number, kind: string): number | null => {
    const f = field(node, name);
    if (!f || f.value.kind === 'null') return null;
    if (f.value.kind !== 'number' || !/^-?\d+$/.test(f.value.text)) return bad(f, `a whole number (${kind})`);
    const n = Number(f.value.text);
    if (n < min || n > max) return bad(f, `a whole number from ${min} to ${max} (${kind})`);
    return n;
  };
  /** Parses a policy string field; an error points at the offending token inside the JSON string. */
  const policyIn = (obj: Extract<JsonNode, { kind: 'object' }>, key: string, what: string): SignaturePolicyEnvelope => {
    const f = field(obj, key);
    const value = f && f.value.kind === 'string' ? f.value.value : '';
    if (f && f.value.kind !== 'string' && f.value.kind !== 'null') bad(f, 'a policy string');
    try {
      return parsePolicy(value);
    } catch (err) {
      if (!(err instanceof PolicyParseError)) throw err;
      // Inside the JSON string the token is at the same offset unless escapes precede it.
      const raw = f ? text.slice(f.value.at + 1, f.value.at + 1 + err.offset) : '';
      const at = f ? (raw.includes('\\') ? f.value.at : f.value.at + 1 + err.offset) : obj.at;
      throw new CollectionConfigError(`${where(at)}: ${what} ${JSON.stringify(value)}: ${err.reason}`, { cause: err });
    }
  };
  const name = str('name');
  const memberPolicy = policyIn(node, 'policy', 'invalid policy');
  let endorsementPolicy: ApplicationPolicy | null = null;
  const ep = field(node, 'endorsementPolicy');
  if (ep && ep.value.kind !== 'null') {
    if (ep.value.kind !== 'object') bad(ep, 'an object with "signaturePolicy" or "channelConfigPolicy"');
    const epNode = ep.value as Extract<JsonNode, { kind: 'object' }>;
    const sub = (key: string): string => {
      const f = field(epNode, key);
      if (!f || f.value.kind === 'null') return '';
      return f.value.kind === 'string' ? f.value.value : bad(f, 'a string');
    };
    const signaturePolicy = sub('signaturePolicy');
    const channelConfigPolicy = sub('channelConfigPolicy');
    if (signaturePolicy !== '' && channelConfigPolicy !== '') {
      throw new CollectionConfigError(`${where(ep.value.at)}: invalid endorsement policy: cannot specify both "signaturePolicy" and "channelConfigPolicy"`);
    }
    if (signaturePolicy !== '')
      endorsementPolicy = { kind: 'signature', envelope: policyIn(epNode, 'signaturePolicy', 'invalid endorsement signature policy'), text: signaturePolicy };
    else endorsementPolicy = applicationPolicyFrom({ channelConfigPolicy });
  }
  return {
    name,
    memberPolicy,
    requiredPeerCount: int('requiredPeerCount', -(2 ** 31), INT32_MAX, 'int32') ?? 0,
    maxPeerCount: int('maxPeerCount', -(2 ** 31), INT32_MAX, 'int32') ?? 1,
    blockToLive: int('blockToLive', 0, Number.MAX_SAFE_INTEGER, 'uint64') ?? 0,
    memberOnlyRead: bool('memberOnlyRead'),
    memberOnlyWrite: bool('memberOnlyWrite'),
    endorsementPolicy,
    implicit: false,
    source: where(node.at),
  };
}

function orOnly(rule: SignaturePolicyRule | null): string | null {
  if (!rule || rule.kind === 'signedBy') return null;
  if (rule.n !== 1) return `signature policy is not an OR concatenation, NOutOf ${rule.n}`;
  for (const r of rule.rules) {
    const err = orOnly(r);
    if (err) return err;
  }
  return null;
}

/**
 * The peer's approve/commit checks that need no channel (names, duplicates, peer counts, an
 * OR-only member policy). Throws CollectionConfigError with Fabric's text, prefixed by where the
 * collection is defined.
 */
export function checkCollections(defs: readonly CollectionDefinition[]): void {
  const seen = new Set<string>();
  for (const d of defs) {
    const at = d.source ? `${d.source}: ` : '';
    const fail = (msg: string): never => {
      throw new CollectionConfigError(`${at}${msg}`);
    };
    if (!NAME.test(d.name)) fail(`invalid collection name '${d.name}'. Names can only consist of alphanumerics, '_', and '-' and cannot begin with '_'`);
    if (seen.has(d.name)) fail(`collection-name: ${d.name} -- found duplicate in collection configuration`);
    seen.add(d.name);
    if (d.requiredPeerCount < 0) fail(`collection-name: ${d.name} -- requiredPeerCount (${d.requiredPeerCount}) cannot be less than zero`);
    if (d.maxPeerCount < d.requiredPeerCount)
      fail(`collection-name: ${d.name} -- maximum peer count (${d.maxPeerCount}) cannot be less than the required peer count (${d.requiredPeerCount})`);
    const or = orOnly(d.memberPolicy.rule);
    if (or) fail(`collection-name: ${d.name} -- error in member org policy: ${or}`);
  }
}

/** The check that needs the channel: every member org must be one of the channel's. */
export function checkCollectionMembers(defs: readonly CollectionDefinition[], channelMspIds: readonly string[]): void {
  for (const d of defs) {
    for (const mspId of collectionMemberOrgs(d)) {
      if (!channelMspIds.includes(mspId))
        throw new CollectionConfigError(`${d.source ? `${d.source}: ` : ''}collection-name: ${d.name} -- collection member '${mspId}' is not part of the channel`);
    }
  }
}

/** The MSP ids of a collection's member policy: the orgs whose peers store its private data. */
export function collectionMemberOrgs(def: CollectionDefinition): string[] {
  return principalMspIds(def.memberPolicy);
}

/** `_implicit_org_<mspId>` */
export function implicitCollectionName(mspId: string): string {
  return `${IMPLICIT_COLLECTION_PREFIX}${mspId}`;
}

/** The MSP id of an implicit collection's name, or null for any other name. */
export function implicitCollectionMspId(name: string): string | null {
  return name.startsWith(IMPLICIT_COLLECTION_PREFIX) ? name.slice(IMPLICIT_COLLECTION_PREFIX.length) : null;
}

/**
 * Fabric's implicit collection of `mspId` as the peer of `peerMspId` sees it: member policy
 * `SignedByMspMember`, the dissemination counts of core.yaml's default (required 0, max 1) for the
 * peer's own org and 0 for others, never purged, no member-only restriction, endorsed by the org's
 * `/Channel/Application/<orgName>/Endorsement` policy.
 */
export function implicitCollection(mspId: string, orgName: string, peerMspId: string, dissemination = { requiredPeerCount: 0, maxPeerCount: 1 }): CollectionDefinition {
  const own = mspId === peerMspId;
  return {
    name: implicitCollectionName(mspId),
    memberPolicy: { version: 0, rule: nOutOf(1, [signedBy(0)]), identities: [rolePrincipal(mspId, 'MEMBER')] },
    requiredPeerCount: own ? dissemination.requiredPeerCount : 0,
    maxPeerCount: own ? dissemination.maxPeerCount : 0,
    blockToLive: 0,
    memberOnlyRead: false,
    memberOnlyWrite: false,
    endorsementPolicy: { kind: 'channelConfig', reference: `/Channel/Application/${orgName}/Endorsement` },
    implicit: true,
  };
}

/** Whether a client may read and write a collection: members always; others unless memberOnly*. */
export function collectionAccess(def: CollectionDefinition, isMember: boolean): { readonly read: boolean; readonly write: boolean } {
  return { read: isMember || !def.memberOnlyRead, write: isMember || !def.memberOnlyWrite };
}

export function staticCollectionConfig(def: CollectionDefinition): StaticCollectionConfig {
  return {
    name: def.name,
    member_orgs_policy: { signature_policy: envelopeToProto(def.memberPolicy) },
    required_peer_count: def.requiredPeerCount,
    maximum_peer_count: def.maxPeerCount,
    block_to_live: def.blockToLive,
    member_only_read: def.memberOnlyRead,
    member_only_write: def.memberOnlyWrite,
    endorsement_policy: def.endorsementPolicy ? applicationPolicyToProto(def.endorsementPolicy) : null,
  };
}

/** The `CollectionConfigPackage` bytes a chaincode definition carries, as the peer CLI marshals them. */
export function encodeCollectionConfigPackage(defs: readonly CollectionDefinition[]): Buffer {
  return codecs.CollectionConfigPackage.encode({ config: defs.map((d) => ({ static_collection_config: staticCollectionConfig(d) })) });
}
