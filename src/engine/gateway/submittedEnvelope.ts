/**
 * What the ordering service reads of a submitted transaction before accepting it: the envelope's
 * payload header, for its channel, creator and transaction id (Fabric's orderer:
 * msgprocessor's `StandardChannel.ProcessNormalMsg` and the signature filter read the same).
 */
import { codecs } from '../wire/codec';
import { HeaderType } from '../wire/messages';

export class SubmittedEnvelopeError extends Error {
  override readonly name = 'SubmittedEnvelopeError';
}

export interface SubmittedEnvelope {
  readonly channel: string;
  readonly txId: string;
  /** The marshalled SerializedIdentity that must have signed the payload. */
  readonly creator: Buffer;
}

export function readSubmittedEnvelope(payloadBytes: Uint8Array): SubmittedEnvelope {
  const read = <T>(what: string, decode: () => T): T => {
    try {
      return decode();
    } catch (err) {
      throw new SubmittedEnvelopeError(`bad ${what}: ${(err as Error).message}`, { cause: err });
    }
  };
  const payload = read('payload', () => codecs.Payload.decode(payloadBytes));
  if (!payload.header) throw new SubmittedEnvelopeError('missing header');
  const header = payload.header;
  const channelHeader = read('channel header', () => codecs.ChannelHeader.decode(header.channel_header ?? new Uint8Array()));
  const signatureHeader = read('signature header', () => codecs.SignatureHeader.decode(header.signature_header ?? new Uint8Array()));
  if (channelHeader.type !== HeaderType.ENDORSER_TRANSACTION)
    throw new SubmittedEnvelopeError(`transaction of type ${HeaderType[channelHeader.type] ?? channelHeader.type} is not an endorser transaction`);
  if (!signatureHeader.creator?.length) throw new SubmittedEnvelopeError('missing creator in signature header');
  return { channel: channelHeader.channel_id, txId: channelHeader.tx_id, creator: Buffer.from(signatureHeader.creator) };
}
