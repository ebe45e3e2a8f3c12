/**
 * The Gateway's caller checks done by the organisations' MSPs (../msp): Fabric's expiration
 * filter, then the endorser's creator checks (deserialise with the MSP the identity names,
 * validate against its CA and NodeOUs, verify the signature), with Fabric's client-facing words.
 */
import { formatName } from '../crypto/x509Name';
import { AccessDeniedError, checkCreator, checkNotExpired, IdentityExpiredError, type ChannelMsps } from '../msp';
import { CallerRefusedError, type Caller, type CallerVerifier } from './callers';

export class MspCallerVerifier implements CallerVerifier {
  /** `msps`: the organisations every channel of this peer has. */
  constructor(private readonly msps: ChannelMsps) {}

  verify(channel: string, creator: Uint8Array, signed: Uint8Array, signature: Uint8Array): Caller {
    try {
      checkNotExpired(creator);
      const identity = checkCreator(this.msps, channel, creator, signed, signature);
      return { mspId: identity.mspId, subject: formatName(identity.cert.subject) };
    } catch (err) {
      if (err instanceof AccessDeniedError) throw new CallerRefusedError(err.message, err.detail, { cause: err });
      if (err instanceof IdentityExpiredError) throw new CallerRefusedError(err.message, `the certificate expired at ${err.expiredAt.toISOString()}`, { cause: err });
      throw err;
    }
  }
}
