/**
 * A stored block as readable JSON, for people: the header's hashes in hex, and each transaction
 * decoded down to what a chaincode developer looks for (type, txid, timestamp, who created it, the
 * chaincode and its arguments, the response, the event, the read/write set, who endorsed it, and
 * the validation code the committing peer recorded). Field names follow Fabric's protos (as
 * `configtxlator proto_decode --type common.Block` names them), flattened where nesting says nothing.
 * What does not decode is shown as base64 with the reason, never dropped.
 */
import { certificateSubject } from '../../crypto/certificates';
import { codecs } from '../../wire/codec';
import { BlockMetadataIndex, HeaderType, TxValidationCode } from '../../wire/messages';
import { decodeReadWriteSet } from './rwsetEncoding';

export interface BlockJson {
  readonly number: number;
  readonly header: { readonly previous_hash: string; readonly data_hash: string };
  readonly transactions: readonly TransactionJson[];
}

export type TransactionJson = Record<string, unknown> & { readonly index: number; readonly validation_code: string };

const hex = (b: Uint8Array | null | undefined): string => Buffer.from(b ?? new Uint8Array()).toString('hex');

/** Bytes as text when they are printable UTF-8, else base64 (marked). */
function bytesText(b: Uint8Array | null | undefined): string {
  const buf = Buffer.from(b ?? new Uint8Array());
  const text = buf.toString('utf8');
  // eslint-disable-next-line no-control-regex -- control characters mark binary values
  return Buffer.from(text, 'utf8').equals(buf) && !/[\u0000-\u0008\u000e-\u001f]/.test(text) ? text : `base64:${buf.toString('base64')}`;
}

function undecoded(what: string, bytes: Uint8Array | null | undefined, err: unknown): Record<string, string> {
  return { [`${what}_undecoded`]: Buffer.from(bytes ?? new Uint8Array()).toString('base64'), reason: (err as Error).message };
}

function creatorOf(bytes: Uint8Array | null | undefined): Record<string, string> {
  try {
    const identity = codecs.SerializedIdentity.decode(bytes ?? new Uint8Array());
    let subject: string;
    try {
      subject = certificateSubject(Buffer.from(identity.id_bytes ?? new Uint8Array()).toString('utf8'));
    } catch {
      subject = '(not an X.509 certificate)';
    }
    return { mspid: identity.mspid ?? '', subject };
  } catch (err) {
    return undecoded('creator', bytes, err);
  }
}

function endorserTransaction(data: Uint8Array, channel: string): Record<string, unknown> {
  const tx = codecs.Transaction.decode(data);
  return {
    actions: (tx.actions ?? []).map((action) => {
      const payload = codecs.ChaincodeActionPayload.decode(action.payload ?? new Uint8Array());
      const proposalPayload = codecs.ChaincodeProposalPayload.decode(payload.chaincode_proposal_payload ?? new Uint8Array());
      const input = codecs.ChaincodeInvocationSpec.decode(proposalPayload.input ?? new Uint8Array()).chaincode_spec?.input;
      const endorsed = payload.action;
      const responsePayload = codecs.ProposalResponsePayload.decode(endorsed?.proposal_response_payload ?? new Uint8Array());
      const chaincodeAction = codecs.ChaincodeAction.decode(responsePayload.extension ?? new Uint8Array());
      const event = chaincodeAction.events?.length ? codecs.ChaincodeEvent.decode(chaincodeAction.events) : undefined;
      const rwset = chaincodeAction.results?.length ? decodeReadWriteSet(channel, chaincodeAction.results) : undefined;
      return {
        chaincode_id: { name: chaincodeAction.chaincode_id?.name ?? '', version: chaincodeAction.chaincode_id?.version ?? '' },
        input: { args: (input?.args ?? []).map(bytesText), is_init: input?.is_init ?? false },
        response: { status: chaincodeAction.response?.status ?? 0, message: chaincodeAction.response?.message ?? '', payload: bytesText(chaincodeAction.response?.payload) },
        ...(event?.event_name ? { event: { chaincode_id: event.chaincode_id ?? '', event_name: event.event_name, payload: bytesText(event.payload) } } : {}),
        ...(rwset
          ? {
              rwset: {
                reads: rwset.reads.map((r) => ({ namespace: r.chaincode, ...(r.collection ? { collection: r.collection } : {}), key: r.key, version: r.version })),
                writes: rwset.writes.map((w) => ({
                  namespace: w.chaincode,
                  ...(w.collection ? { collection: w.collection } : {}),
                  key: w.key,
                  ...(w.value === null ? { is_delete: true } : { value: bytesText(w.value) }),
                })),
              },
            }
          : {}),
        endorsements: (endorsed?.endorsements ?? []).map((e) => creatorOf(e.endorser)),
      };
    }),
  };
}

function transactionJson(envelope: Uint8Array, index: number, code: number): TransactionJson {
  const validation_code = TxValidationCode[code] ?? String(code);
  try {
    const payload = codecs.Payload.decode(codecs.Envelope.decode(envelope).payload ?? new Uint8Array());
    const ch = codecs.ChannelHeader.decode(payload.header?.channel_header ?? new Uint8Array());
    const sig = codecs.SignatureHeader.decode(payload.header?.signature_header ?? new Uint8Array());
    const seconds = Number(ch.timestamp?.seconds ?? 0);
    const head = {
      index,
      validation_code,
      type: HeaderType[ch.type] ?? String(ch.type),
      tx_id: ch.tx_id ?? '',
      channel_id: ch.channel_id ?? '',
      timestamp: new Date(seconds * 1000 + Math.floor((ch.timestamp?.nanos ?? 0) / 1e6)).toISOString(),
      creator: creatorOf(sig.creator),
    };
    if (ch.type !== HeaderType.ENDORSER_TRANSACTION) return { ...head, data_bytes: (payload.data ?? new Uint8Array()).length };
    try {
      return { ...head, ...endorserTransaction(payload.data ?? new Uint8Array(), ch.channel_id ?? '') };
    } catch (err) {
      return { ...head, ...undecoded('data', payload.data, err) };
    }
  } catch (err) {
    return { index, validation_code, ...undecoded('envelope', envelope, err) };
  }
}

/** The marshalled common.Block as BlockJson. Throws when the block itself does not decode. */
export function blockToJson(bytes: Uint8Array): BlockJson {
  const block = codecs.Block.decode(bytes);
  const filter = block.metadata?.metadata?.[BlockMetadataIndex.TRANSACTIONS_FILTER] ?? new Uint8Array();
  return {
    number: Number(String(block.header?.number ?? 0)),
    header: { previous_hash: hex(block.header?.previous_hash), data_hash: hex(block.header?.data_hash) },
    transactions: (block.data?.data ?? []).map((envelope, i) => transactionJson(envelope, i, i < filter.length ? filter[i] : TxValidationCode.NOT_VALIDATED)),
  };
}
