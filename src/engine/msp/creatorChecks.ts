/**
 * The checks a peer makes on who sent a request (`core/endorser/msgvalidation.go`
 * `UnpackedProposal.Validate`, `protoutil.ComputeTxID`, `core/handlers/auth/filter/expiration.go`),
 * as pure functions for the Gateway and the endorser: the txid formula, the creator's identity and
 * signature, and the certificate's expiry.
 *
 * Expiry: the MSP itself never checks it (it validates chains at NotBefore+1s, FAB-3678). The
 * peer's `ExpirationCheck` auth filter (on in Fabric's sample core.yaml) rejects a proposal from an
 * expired creator before the endorser sees it, with the gRPC error `identity expired`; the orderer
 * rejects a broadcast the same way (`orderer/common/msgprocessor/expiration.go`).
 */
import { createHash } from 'crypto';
import type { ChannelMsps } from './channelMsps';
import type { MspIdentity } from './msp';
import { decodeFirstPem } from '../crypto/pem';
import { parseCertificate } from '../crypto/x509Reader';
import { decodeSerializedIdentity } from './serializedIdentity';

/** Refused as Fabric refuses it; `detail` is what Fabric only logs (the client sees `message`). */
export class AccessDeniedError extends Error {
  constructor(
    message: string,
    readonly detail: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'AccessDeniedError';
  }
}

export class TxIdError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TxIdError';
  }
}

export class IdentityExpiredError extends Error {
  constructor(readonly expiredAt: Date) {
    super('identity expired');
    this.name = 'IdentityExpiredError';
  }
}

/** `protoutil.ComputeTxID`: hex(SHA-256(nonce ‖ creator)). */
export function computeTxId(nonce: Uint8Array, creator: Uint8Array): string {
  return createHash('sha256').update(nonce).update(creator).digest('hex');
}

/** Throws Fabric's `incorrectly computed txid '%s' -- expected '%s'` when `txId` is not the hash. */
export function checkTxId(txId: string, nonce: Uint8Array, creator: Uint8Array): void {
  const expected = computeTxId(nonce, creator);
  if (txId !== expected) throw new TxIdError(`incorrectly computed txid '${txId}' -- expected '${expected}'`);
}

/**
 * The creator checks of `UnpackedProposal.Validate`: deserialise with the channel's MSPs, validate,
 * verify the signature over `signedBytes`. Returns the identity; throws AccessDeniedError with
 * Fabric's client-facing text (`access denied: channel [%s] creator org [%s]`).
 */
export function checkCreator(msps: ChannelMsps, channel: string, creator: Uint8Array, signedBytes: Uint8Array, signature: Uint8Array): MspIdentity {
  let mspId: string;
  try {
    mspId = decodeSerializedIdentity(creator).mspid;
  } catch (err) {
    throw new AccessDeniedError(`access denied: channel [${channel}] creator org unknown, creator is malformed`, (err as Error).message, { cause: err });
  }
  const denied = (detail: string): AccessDeniedError => new AccessDeniedError(`access denied: channel [${channel}] creator org [${mspId}]`, detail);
  let identity: MspIdentity;
  try {
    identity = msps.deserializeIdentity(creator);
  } catch (err) {
    throw denied(`access denied: channel ${(err as Error).message}`);
  }
  try {
    identity.msp.validate(identity);
  } catch (err) {
    throw denied(`access denied: identity is not valid: ${(err as Error).message}`);
  }
  try {
    identity.verify(signedBytes, signature);
  } catch (err) {
    throw denied(`access denied: creator's signature over the proposal is not valid: ${(err as Error).message}`);
  }
  return identity;
}

/**
 * Fabric's `crypto.ExpiresAt` + the expiration filter: throws IdentityExpiredError (`identity
 * expired`) when the serialized identity's certificate expired before `now`. Bytes that are not an
 * X.509 identity do not expire (Fabric returns a zero time for them).
 */
export function checkNotExpired(serializedIdentity: Uint8Array, now: Date = new Date()): void {
  let notAfter: Date;
  try {
    const block = decodeFirstPem(decodeSerializedIdentity(serializedIdentity).id_bytes);
    if (!block) return;
    notAfter = parseCertificate(block.der).notAfter;
  } catch {
    return;
  }
  if (now.getTime() > notAfter.getTime()) throw new IdentityExpiredError(notAfter);
}
