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

/** Where a definition came from: a launch on the embedded peer, or a commit through `_lifecycle`. */
export type DefinitionSource = 'launch' | 'lifecycle';

interface HeldDefinition {
  readonly def: ChaincodeDefinitionOnChannel;
  readonly source: DefinitionSource;
}

export class ChaincodeDefinitions {
  private readonly byChannel = new Map<string, Map<string, HeldDefinition>>();

  /** Defines (or redefines, with the next sequence) `name` on `channel`: a launch's definition. */
  define(channel: string, def: Omit<ChaincodeDefinitionOnChannel, 'sequence'>): ChaincodeDefinitionOnChannel {
    const defs = this.channel(channel);
    const previous = defs.get(def.name);
    const defined = { ...def, sequence: (previous?.def.sequence ?? 0) + 1 };
    defs.set(def.name, { def: defined, source: 'launch' });
    return defined;
  }

  /** Takes a definition the channel committed through `_lifecycle`, with its own sequence. */
  adopt(channel: string, def: ChaincodeDefinitionOnChannel): void {
    this.channel(channel).set(def.name, { def, source: 'lifecycle' });
  }

  get(channel: string, name: string): ChaincodeDefinitionOnChannel | undefined {
    return this.byChannel.get(channel)?.get(name)?.def;
  }

  /** The definitions launches made on `channel` (not committed through `_lifecycle`). */
  launched(channel: string): ChaincodeDefinitionOnChannel[] {
    return [...(this.byChannel.get(channel)?.values() ?? [])].filter((held) => held.source === 'launch').map((held) => held.def);
  }

  private channel(channel: string): Map<string, HeldDefinition> {
    let defs = this.byChannel.get(channel);
    if (!defs) this.byChannel.set(channel, (defs = new Map<string, HeldDefinition>()));
    return defs;
  }
}
