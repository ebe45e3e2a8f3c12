/**
 * The Gateway's caller checks done by the organisations' MSPs (../msp): Fabric's expiration
 * filter, then the endorser's creator checks (deserialise with the MSP the identity names,
 * validate against its CA and NodeOUs, verify the signature), with Fabric's client-facing words.
 */
import { formatName } from '../crypto/x509Name';
import { AccessDeniedError, checkCreator, checkNotExpired, IdentityExpiredError, type ChannelMsps, type MspIdentity } from '../msp';
import { CallerRefusedError, type Caller, type CallerVerifier } from './callers';

export class MspCallerVerifier implements CallerVerifier {
  /** `msps`: the organisations every channel of this peer has. */
  constructor(private readonly msps: ChannelMsps) {}

  verify(channel: string, creator: Uint8Array, signed: Uint8Array, signature: Uint8Array): Caller {
    try {
      this.refuseExpired(creator);
      const identity = checkCreator(this.msps, channel, creator, signed, signature);
      return { mspId: identity.mspId, subject: formatName(identity.cert.subject) };
    } catch (err) {
      if (err instanceof AccessDeniedError) throw new CallerRefusedError(err.message, err.detail, { cause: err });
      if (err instanceof IdentityExpiredError) throw new CallerRefusedError(err.message, `the certificate expired at ${err.expiredAt.toISOString()}`, { cause: err });
      throw err;
    }
  }

  /**
   * The expiration filter (core/handlers/auth/filter/expiration.go), which runs before the MSP's
   * checks: on the identity the MSP deserialises anyway and caches (parsing the certificate for
   * every request would cost more than the signature check), else on the certificate itself.
   */
  private refuseExpired(creator: Uint8Array): void {
    let identity: MspIdentity;
    try {
      identity = this.msps.deserializeIdentity(creator);
    } catch {
      checkNotExpired(creator);
      return;
    }
    if (Date.now() > identity.cert.notAfter.getTime()) throw new IdentityExpiredError(identity.cert.notAfter);
  }
}
