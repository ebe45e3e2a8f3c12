/**
 * Who sent a request. The Gateway checks every SignedProposal, envelope, commit-status and events
 * request against the channel's organisations (their MSPs) before anything runs; this is the seam
 * between those services and the MSP that decides.
 */
import type { Caller } from '../transactions/pipeline';

export type { Caller } from '../transactions/pipeline';

/**
 * The signer was refused. `message` is what Fabric tells the client (`access denied: channel [%s]
 * creator org [%s]`, `identity expired`); `detail` is what Fabric only logs (why exactly).
 */
export class CallerRefusedError extends Error {
  override readonly name = 'CallerRefusedError';
  constructor(
    message: string,
    readonly detail: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export interface CallerVerifier {
  /**
   * The checks of Fabric's endorser (core/endorser/msgvalidation.go `Validate`) and expiration
   * filter (core/handlers/auth/filter/expiration.go) on a signer: `creator` (a marshalled
   * msp.SerializedIdentity) deserialised by the MSP it names on `channel`, its certificate
   * validated against that organisation's CA, not expired, and its signature over `signed`
   * verified. Returns the caller; throws CallerRefusedError.
   */
  verify(channel: string, creator: Uint8Array, signed: Uint8Array, signature: Uint8Array): Caller;
}
