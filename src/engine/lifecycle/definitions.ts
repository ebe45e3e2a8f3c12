/**
 * Chaincode definitions as a channel agrees on them (Fabric's _lifecycle: name, version, sequence,
 * endorsement policy, collections): what the transaction pipeline endorses and validates against.
 * A chaincode launched on the embedded peer is defined on its channel by the launch (the peer's
 * equivalent of approve + commit); no definition means the channel's defaults.
 */
import type { CollectionDefinition, SignaturePolicyEnvelope } from '../policy';

export interface ChaincodeDefinitionOnChannel {
  readonly name: string;
  readonly version: string;
  readonly sequence: number;
  /**
   * The signature policy endorsements must satisfy; null: the channel's default,
   * /Channel/Application/Endorsement (MAJORITY of the orgs' Endorsement policies).
   */
  readonly endorsementPolicy: SignaturePolicyEnvelope | null;
  readonly collections: readonly CollectionDefinition[];
}

export class ChaincodeDefinitions {
  private readonly byChannel = new Map<string, Map<string, ChaincodeDefinitionOnChannel>>();

  /** Defines (or redefines, with the next sequence) `name` on `channel`. */
  define(channel: string, def: Omit<ChaincodeDefinitionOnChannel, 'sequence'>): ChaincodeDefinitionOnChannel {
    let defs = this.byChannel.get(channel);
    if (!defs) this.byChannel.set(channel, (defs = new Map<string, ChaincodeDefinitionOnChannel>()));
    const previous = defs.get(def.name);
    const defined = { ...def, sequence: (previous?.sequence ?? 0) + 1 };
    defs.set(def.name, defined);
    return defined;
  }

  /** Takes a definition the channel committed through `_lifecycle`, with its own sequence. */
  adopt(channel: string, def: ChaincodeDefinitionOnChannel): void {
    let defs = this.byChannel.get(channel);
    if (!defs) this.byChannel.set(channel, (defs = new Map<string, ChaincodeDefinitionOnChannel>()));
    defs.set(def.name, def);
  }

  get(channel: string, name: string): ChaincodeDefinitionOnChannel | undefined {
    return this.byChannel.get(channel)?.get(name);
  }
}
