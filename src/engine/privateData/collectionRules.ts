/**
 * Private data collections as one peer applies them to one transaction (Fabric's
 * core/common/privdata store.go and simplecollection.go, checked by core/chaincode/handler.go):
 * which collections a chaincode has (its definition's, plus the implicit `_implicit_org_<MSPID>`),
 * whether the transaction's creator may read or write each (`memberOnlyRead`/`memberOnlyWrite`
 * against the collection's member policy), whether this peer's org keeps the plaintext (a member
 * org) or only the hashes, and how long a value lives (`blockToLive`).
 *
 * A chaincode nobody defined on the channel (one a developer runs by hand against a peer, as in
 * Fabric's dev mode, or a peer used without the engine) has no collection configuration to check
 * against: its collections are not restricted.
 */
import type { ChaincodeDefinitions } from '../lifecycle/definitions';
import type { CollectionGuard } from '../ledger/simulator';
import type { Version } from '../ledger/types';
import type { ChannelMsps } from '../msp';
import { collectionMemberOrgs, implicitCollection, implicitCollectionMspId, SignaturePolicyEvaluator, type CollectionDefinition } from '../policy';

/** Who calls and where: the creator's serialized identity, the endorsing peer's org and its ledger's height. */
export interface PrivateDataScope {
  readonly channel: string;
  readonly peerMspId: string;
  readonly creator: Uint8Array;
  /** The number of the last block committed on the peer's channel when the transaction runs. */
  readonly lastBlock: number;
}

export class PrivateDataRules implements CollectionGuard {
  private readonly membership = new Map<string, boolean>();

  constructor(
    private readonly definitions: ChaincodeDefinitions,
    private readonly msps: ChannelMsps,
    private readonly scope: PrivateDataScope,
  ) {}

  /**
   * The collection's definition; null when the chaincode has no definition (nothing to enforce).
   * Throws Fabric's permission-check error for a collection the chaincode does not have.
   */
  collection(chaincode: string, name: string): CollectionDefinition | null {
    const found = this.lookup(chaincode, name);
    if (found === undefined) throw new Error(`collection ${this.scope.channel}/${chaincode}/${name} could not be found`);
    return found;
  }

  /** GET_STATE and the queries of a collection: memberOnlyRead against the creator. */
  checkRead(chaincode: string, name: string): void {
    const def = this.collection(chaincode, name);
    if (def?.memberOnlyRead && !this.creatorIsMember(chaincode, def)) throw permission('read', chaincode, name);
    this.checkLedgerKnows(chaincode, def);
  }

  /** PUT_STATE, DEL_STATE, PUT_STATE_METADATA, PURGE_PRIVATE_DATA: memberOnlyWrite against the creator. */
  checkWrite(chaincode: string, name: string): void {
    const def = this.collection(chaincode, name);
    if (def?.memberOnlyWrite && !this.creatorIsMember(chaincode, def)) throw permission('write', chaincode, name);
    this.checkLedgerKnows(chaincode, def);
  }

  /** GET_PRIVATE_DATA_HASH: no permission check (Fabric has none); the ledger still needs the collection. */
  checkHash(chaincode: string, name: string): void {
    const def = this.lookup(chaincode, name);
    if (def === undefined) throw notInConfig(chaincode, name);
    this.checkLedgerKnows(chaincode, def);
  }

  /**
   * Whether the creator may be sent the collection's private data (Fabric's deliver service asks
   * the collection's IsEligible: its member policy against the requester). A chaincode without a
   * definition restricts nothing; a collection it does not define goes to nobody.
   */
  creatorIsMemberOf(chaincode: string, name: string): boolean {
    const def = this.lookup(chaincode, name);
    if (def === null) return true;
    return def !== undefined && this.creatorIsMember(chaincode, def);
  }

  /** Whether this peer's org is a member org of the collection, so this peer holds its plaintext. */
  peerStores(chaincode: string, name: string): boolean {
    return peerKeeps(this.definitions, this.scope.channel, this.scope.peerMspId)(chaincode, name);
  }

  /**
   * Whether a value written at `version` has been purged by its collection's blockToLive: one
   * written in block N with blockToLive B is purged when block N+B+1 commits (Fabric's
   * pvtdatapolicy ComputeExpiringBlock), so it is readable through block N+B.
   */
  expired(chaincode: string, name: string, version: Version): boolean {
    const btl = this.lookup(chaincode, name)?.blockToLive ?? 0;
    return btl > 0 && this.scope.lastBlock >= version.blockNum + btl + 1;
  }

  private lookup(chaincode: string, name: string): CollectionDefinition | null | undefined {
    return lookupCollection(this.definitions, this.scope.channel, this.scope.peerMspId, chaincode, name);
  }

  /** An implicit collection of an org the channel does not have: the ledger finds no config for it. */
  private checkLedgerKnows(chaincode: string, def: CollectionDefinition | null): void {
    if (def?.implicit && !this.msps.mspIds.includes(implicitCollectionMspId(def.name) ?? '')) throw notInConfig(chaincode, def.name);
  }

  private creatorIsMember(chaincode: string, def: CollectionDefinition): boolean {
    // Per chaincode: two chaincodes may each have a collection of the same name and other members.
    const id = `${chaincode}\u0000${def.name}`;
    let member = this.membership.get(id);
    if (member === undefined) {
      try {
        member = new SignaturePolicyEvaluator(def.memberPolicy, this.msps).evaluateIdentities([this.msps.deserializeIdentity(this.scope.creator)]);
      } catch {
        member = false; // a creator no channel MSP knows is nobody's member
      }
      this.membership.set(id, member);
    }
    return member;
  }
}

/**
 * Which collections of `channel` a peer of `peerMspId` keeps the plaintext of: those its org is a
 * member of (and any of a chaincode nobody defined); of the others it keeps only the hashes.
 */
export function peerKeeps(definitions: ChaincodeDefinitions, channel: string, peerMspId: string): (chaincode: string, name: string) => boolean {
  return (chaincode, name) => {
    const def = lookupCollection(definitions, channel, peerMspId, chaincode, name);
    return !def || collectionMemberOrgs(def).includes(peerMspId);
  };
}

/** A channel's collections' blockToLive, as its chaincode definitions say (0: never expires, or no such collection). */
export function collectionBlockToLive(definitions: ChaincodeDefinitions, channel: string): (chaincode: string, name: string) => number {
  return (chaincode, name) => definitions.get(channel, chaincode)?.collections.find((c) => c.name === name)?.blockToLive ?? 0;
}

/** null: the chaincode has no definition; undefined: it is defined and has no such collection. */
function lookupCollection(definitions: ChaincodeDefinitions, channel: string, peerMspId: string, chaincode: string, name: string): CollectionDefinition | null | undefined {
  const defined = definitions.get(channel, chaincode);
  if (!defined) return null;
  const configured = defined.collections.find((c) => c.name === name);
  if (configured) return configured;
  // Any _implicit_org_ name passes the permission check, as Fabric generates a config for any MSP id.
  const mspId = implicitCollectionMspId(name);
  return mspId !== null ? implicitCollection(mspId, mspId, peerMspId) : undefined;
}

function permission(access: 'read' | 'write', chaincode: string, collection: string): Error {
  return new Error(`tx creator does not have ${access} access permission on privatedata in chaincodeName:${chaincode} collectionName: ${collection}`);
}

function notInConfig(chaincode: string, collection: string): Error {
  return new Error(`collection [${collection}] not defined in the collection config for chaincode [${chaincode}]`);
}
