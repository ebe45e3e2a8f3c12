/**
 * The MSPs of a channel (Fabric's `mspmgrimpl.go` manager): deserialises any member's
 * `SerializedIdentity` with the MSP its `mspid` names. Deserialised identities are cached by their
 * bytes (parsing and chain building cost far more than a lookup; the same few creators and
 * endorsers sign every transaction), with a bounded cache so a stream of strangers cannot grow it.
 */
import { Msp, MspError, type MspIdentity } from './msp';
import type { MspDefinition } from './mspDefinition';
import { decodeSerializedIdentity } from './serializedIdentity';

const DEFAULT_CACHE_SIZE = 1024;

export class ChannelMsps {
  private readonly msps = new Map<string, Msp>();
  private readonly cache = new Map<string, MspIdentity>();

  constructor(
    definitions: readonly MspDefinition[],
    private readonly cacheSize = DEFAULT_CACHE_SIZE,
  ) {
    for (const def of definitions) {
      if (this.msps.has(def.mspId)) throw new MspError(`MSP ${def.mspId} is defined twice`);
      this.msps.set(def.mspId, new Msp(def));
    }
  }

  get mspIds(): string[] {
    return [...this.msps.keys()];
  }

  msp(mspId: string): Msp | undefined {
    return this.msps.get(mspId);
  }

  /** Fabric's `DeserializeIdentity`: throws MspError (or SerializedIdentityError) with Fabric's text. */
  deserializeIdentity(serialized: Uint8Array): MspIdentity {
    const key = Buffer.from(serialized.buffer, serialized.byteOffset, serialized.byteLength).toString('latin1');
    const hit = this.cache.get(key);
    if (hit) return hit;
    const sid = decodeSerializedIdentity(serialized);
    const msp = this.msps.get(sid.mspid);
    if (!msp) throw new MspError(`MSP ${sid.mspid} is not defined on channel`);
    const identity = msp.deserializeCertificate(sid.id_bytes);
    if (this.cache.size >= this.cacheSize) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(key, identity);
    return identity;
  }
}
