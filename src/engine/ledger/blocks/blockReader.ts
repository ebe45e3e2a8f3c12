/**
 * Reads blocks the way Fabric's consumers do: the transactions of a block with their headers,
 * validation codes, chaincode actions and events (for ChaincodeEvents, qscc and the editor's block
 * view), and the FilteredBlock that DeliverFiltered sends (core/peer/deliverevents.go
 * `toFilteredBlock`, `toFilteredActions`).
 *
 * Transactions that do not parse are reported, not thrown: a block may hold any envelope a client
 * submitted (it is marked invalid), and one bad envelope must not hide the others.
 */
import { codecs } from '../../wire/codec';
import { BlockMetadataIndex, HeaderType, TxValidationCode, type ChaincodeEvent, type FilteredBlock, type FilteredTransaction, type Response } from '../../wire/messages';

export interface ChaincodeActionView {
  readonly chaincodeId: { readonly name: string; readonly version: string };
  /** The marshalled ChaincodeProposalPayload the action carries (its input: the invocation's arguments), undecoded. */
  readonly proposalPayload: Buffer;
  readonly response: { readonly status: number; readonly message: string; readonly payload: Buffer };
  /** The marshalled TxReadWriteSet (rwsetEncoding.ts decodeReadWriteSet reads it). */
  readonly results: Buffer;
  readonly event: ChaincodeEventView | null;
  /** Identities (marshalled SerializedIdentity) that endorsed the action. */
  readonly endorsers: readonly Buffer[];
}

export interface ChaincodeEventView {
  readonly chaincodeId: string;
  readonly txId: string;
  readonly eventName: string;
  readonly payload: Buffer;
}

export interface BlockTransactionView {
  /** Position in the block. */
  readonly index: number;
  readonly validationCode: TxValidationCode;
  /** null when the envelope, payload or channel header does not parse. */
  readonly header: {
    readonly type: number;
    readonly channelId: string;
    readonly txId: string;
    /** Epoch milliseconds; null when the header has no timestamp. */
    readonly timestampMs: number | null;
    /** The creator's marshalled SerializedIdentity (empty for a config transaction). */
    readonly creator: Buffer;
  } | null;
  /** For ENDORSER_TRANSACTION: one per action that parses (clients send one). */
  readonly actions: readonly ChaincodeActionView[];
  /** Why the transaction (or one of its actions) did not parse; null when it did. */
  readonly parseError: string | null;
}

export interface BlockView {
  readonly number: number;
  readonly previousHash: Buffer;
  readonly dataHash: Buffer;
  readonly transactions: readonly BlockTransactionView[];
}

/** Decodes a marshalled common.Block into its transactions. Throws only when the block itself does not decode. */
export function readBlock(blockBytes: Uint8Array): BlockView {
  const block = codecs.Block.decode(blockBytes);
  const filter = block.metadata?.metadata?.[BlockMetadataIndex.TRANSACTIONS_FILTER] ?? new Uint8Array();
  const data = block.data?.data ?? [];
  return {
    number: Number(block.header?.number ?? 0),
    previousHash: Buffer.from(block.header?.previous_hash ?? []),
    dataHash: Buffer.from(block.header?.data_hash ?? []),
    transactions: data.map((envelope, index) => readTransaction(envelope, index, index < filter.length ? filter[index] : TxValidationCode.NOT_VALIDATED)),
  };
}

/** One envelope of a block (or a prepared transaction not yet in one), read as readBlock reads each. */
export function readTransaction(envelope: Uint8Array, index: number, validationCode: TxValidationCode): BlockTransactionView {
  let header: BlockTransactionView['header'] = null;
  const actions: ChaincodeActionView[] = [];
  try {
    const payload = codecs.Payload.decode(codecs.Envelope.decode(envelope).payload);
    if (!payload.header) throw new Error('the payload has no header');
    const channelHeader = codecs.ChannelHeader.decode(payload.header.channel_header ?? new Uint8Array());
    const signatureHeader = codecs.SignatureHeader.decode(payload.header.signature_header ?? new Uint8Array());
    const ts = channelHeader.timestamp;
    header = {
      type: channelHeader.type,
      channelId: channelHeader.channel_id,
      txId: channelHeader.tx_id,
      timestampMs: ts ? Number(ts.seconds) * 1000 + Math.floor(ts.nanos / 1e6) : null,
      creator: Buffer.from(signatureHeader.creator),
    };
    if (channelHeader.type === HeaderType.ENDORSER_TRANSACTION) {
      for (const action of codecs.Transaction.decode(payload.data).actions) actions.push(readAction(action.payload ?? new Uint8Array()));
    }
    return { index, validationCode, header, actions, parseError: null };
  } catch (err) {
    return { index, validationCode, header, actions, parseError: (err as Error).message };
  }
}

function readAction(actionPayload: Uint8Array): ChaincodeActionView {
  const cap = codecs.ChaincodeActionPayload.decode(actionPayload);
  const prp = codecs.ProposalResponsePayload.decode(cap.action?.proposal_response_payload ?? new Uint8Array());
  const action = codecs.ChaincodeAction.decode(prp.extension);
  const response: Partial<Response> = action.response ?? {};
  const event = action.events && action.events.length > 0 ? codecs.ChaincodeEvent.decode(action.events) : null;
  return {
    chaincodeId: { name: action.chaincode_id?.name ?? '', version: action.chaincode_id?.version ?? '' },
    proposalPayload: Buffer.from(cap.chaincode_proposal_payload ?? []),
    response: { status: response.status ?? 0, message: response.message ?? '', payload: Buffer.from(response.payload ?? []) },
    results: Buffer.from(action.results),
    event: event ? eventView(event) : null,
    endorsers: (cap.action?.endorsements ?? []).map((e) => Buffer.from(e.endorser ?? [])),
  };
}

function eventView(e: ChaincodeEvent): ChaincodeEventView {
  return { chaincodeId: e.chaincode_id, txId: e.tx_id, eventName: e.event_name, payload: Buffer.from(e.payload) };
}

/**
 * The FilteredBlock DeliverFiltered sends for a block: number, channel, and per transaction its id,
 * type, validation code and, for endorser transactions, the events without their payloads (only
 * events that name a chaincode). Transactions whose envelope or header does not parse are left out.
 */
export function filteredBlockOf(blockBytes: Uint8Array): FilteredBlock {
  const view = readBlock(blockBytes);
  let channelId = '';
  const filtered: Partial<FilteredTransaction>[] = [];
  for (const tx of view.transactions) {
    if (!tx.header) continue;
    channelId = tx.header.channelId;
    const entry: Partial<FilteredTransaction> = { txid: tx.header.txId, type: tx.header.type, tx_validation_code: tx.validationCode };
    if (tx.header.type === HeaderType.ENDORSER_TRANSACTION) {
      entry.transaction_actions = {
        chaincode_actions: tx.actions
          .filter((a) => a.event && a.event.chaincodeId !== '')
          .map((a) => ({ chaincode_event: { chaincode_id: a.event?.chaincodeId, tx_id: a.event?.txId, event_name: a.event?.eventName } })),
      };
    }
    filtered.push(entry);
  }
  return { channel_id: channelId, number: view.number, filtered_transactions: filtered };
}

/** The chaincode events of a block's valid transactions, in block order (the Gateway's ChaincodeEvents). */
export function validChaincodeEvents(view: BlockView, chaincodeName?: string): { readonly txIndex: number; readonly event: ChaincodeEventView }[] {
  const out: { txIndex: number; event: ChaincodeEventView }[] = [];
  for (const tx of view.transactions) {
    if (tx.validationCode !== TxValidationCode.VALID) continue;
    for (const action of tx.actions) {
      if (action.event && (chaincodeName === undefined || action.event.chaincodeId === chaincodeName)) out.push({ txIndex: tx.index, event: action.event });
    }
  }
  return out;
}
