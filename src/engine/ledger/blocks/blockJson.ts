/**
 * A stored block as readable JSON, for people: readBlock's view of it with the header's hashes in
 * hex, each transaction's type and validation code by Fabric's names, its creator's MSP and
 * certificate subject, and each action's chaincode, arguments, response, event, read/write set and
 * endorsers. Field names follow Fabric's protos (as `configtxlator proto_decode --type common.Block`
 * names them), flattened where nesting says nothing. What does not parse is said, never dropped.
 */
import { certificateSubject } from '../../crypto/certificates';
import { codecs } from '../../wire/codec';
import { HeaderType, TxValidationCode } from '../../wire/messages';
import { readBlock, type BlockTransactionView, type ChaincodeActionView } from './blockReader';
import { decodeReadWriteSet } from './rwsetEncoding';

export interface BlockJson {
  readonly number: number;
  readonly header: { readonly previous_hash: string; readonly data_hash: string };
  readonly transactions: readonly TransactionJson[];
}

export type TransactionJson = Record<string, unknown> & { readonly index: number; readonly validation_code: string };

/** Bytes as text when they are printable UTF-8, else base64 (marked). */
function bytesText(b: Buffer): string {
  const text = b.toString('utf8');
  // eslint-disable-next-line no-control-regex -- control characters mark binary values
  return Buffer.from(text, 'utf8').equals(b) && !/[\u0000-\u0008\u000e-\u001f]/.test(text) ? text : `base64:${b.toString('base64')}`;
}

/** A marshalled SerializedIdentity: its MSP and its certificate's subject. */
function identityJson(serialized: Buffer): Record<string, string> {
  try {
    const identity = codecs.SerializedIdentity.decode(serialized);
    let subject: string;
    try {
      subject = certificateSubject(Buffer.from(identity.id_bytes ?? new Uint8Array()).toString('utf8'));
    } catch {
      subject = '(not an X.509 certificate)';
    }
    return { mspid: identity.mspid ?? '', subject };
  } catch (err) {
    return { undecoded: serialized.toString('base64'), reason: (err as Error).message };
  }
}

/** The invocation's arguments, decoded here only: readBlock's other readers do not need them. */
function inputJson(proposalPayload: Buffer): Record<string, unknown> {
  try {
    const payload = codecs.ChaincodeProposalPayload.decode(proposalPayload);
    const input = codecs.ChaincodeInvocationSpec.decode(payload.input ?? new Uint8Array()).chaincode_spec?.input;
    return { args: (input?.args ?? []).map((arg) => bytesText(Buffer.from(arg))) };
  } catch (err) {
    return { undecoded: proposalPayload.toString('base64'), reason: (err as Error).message };
  }
}

function actionJson(a: ChaincodeActionView, channel: string): Record<string, unknown> {
  let rwset: Record<string, unknown> | undefined;
  if (a.results.length > 0) {
    try {
      const sets = decodeReadWriteSet(channel, a.results);
      rwset = {
        reads: sets.reads.map((r) => ({ namespace: r.chaincode, ...(r.collection ? { collection: r.collection } : {}), key: r.key, version: r.version })),
        writes: sets.writes.map((w) => ({
          namespace: w.chaincode,
          ...(w.collection ? { collection: w.collection } : {}),
          key: w.key,
          ...(w.value === null ? { is_delete: true } : { value: bytesText(w.value) }),
        })),
      };
    } catch (err) {
      rwset = { undecoded: a.results.toString('base64'), reason: (err as Error).message };
    }
  }
  return {
    chaincode_id: a.chaincodeId,
    input: inputJson(a.proposalPayload),
    response: { status: a.response.status, message: a.response.message, payload: bytesText(a.response.payload) },
    ...(a.event ? { event: { chaincode_id: a.event.chaincodeId, event_name: a.event.eventName, payload: bytesText(a.event.payload) } } : {}),
    ...(rwset ? { rwset } : {}),
    endorsements: a.endorsers.map(identityJson),
  };
}

function transactionJson(t: BlockTransactionView): TransactionJson {
  const validation_code = TxValidationCode[t.validationCode] ?? String(t.validationCode);
  const head = t.header
    ? {
        type: HeaderType[t.header.type] ?? String(t.header.type),
        tx_id: t.header.txId,
        channel_id: t.header.channelId,
        ...(t.header.timestampMs !== null ? { timestamp: new Date(t.header.timestampMs).toISOString() } : {}),
        ...(t.header.creator.length > 0 ? { creator: identityJson(t.header.creator) } : {}),
      }
    : {};
  return {
    index: t.index,
    validation_code,
    ...head,
    ...(t.actions.length > 0 ? { actions: t.actions.map((a) => actionJson(a, t.header?.channelId ?? '')) } : {}),
    ...(t.parseError !== null ? { parse_error: t.parseError } : {}),
  };
}

/** The marshalled common.Block as BlockJson. Throws when the block itself does not decode. */
export function blockToJson(bytes: Uint8Array): BlockJson {
  const block = readBlock(bytes);
  return {
    number: block.number,
    header: { previous_hash: block.previousHash.toString('hex'), data_hash: block.dataHash.toString('hex') },
    transactions: block.transactions.map(transactionJson),
  };
}
