/**
 * `msp.SerializedIdentity{mspid, id_bytes}`: what signature headers and endorsements carry.
 */
import { codecs } from '../wire/codec';
import type { SerializedIdentity } from '../wire/messages';

export class SerializedIdentityError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SerializedIdentityError';
  }
}

/** Decodes the bytes; Fabric's text on failure (`could not deserialize a SerializedIdentity: …`). */
export function decodeSerializedIdentity(bytes: Uint8Array): SerializedIdentity {
  try {
    return codecs.SerializedIdentity.decode(bytes);
  } catch (err) {
    throw new SerializedIdentityError(`could not deserialize a SerializedIdentity: ${(err as Error).message}`, { cause: err });
  }
}

export function encodeSerializedIdentity(mspId: string, certPem: string): Buffer {
  return codecs.SerializedIdentity.encode({ mspid: mspId, id_bytes: Buffer.from(certPem) });
}
