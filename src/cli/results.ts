/**
 * The CLI's stdout: one JSON line per --tx or --query. A payload is printed without loss: its text
 * exactly as the chaincode returned it (a Go chaincode's "250" stays the string "250"), and beside
 * it the parsed value only when the text is a JSON object or array.
 */
import { isUtf8 } from 'buffer';
import type { TransactionStep } from './options';
import type { EndorsementMismatch } from '../engine/transactions/endorsers';
import type { CreatorFields } from './caller';

/** Marks bytes printed as base64: the same form the peer's records use for non-text arguments. */
export const BASE64_MARKER = 'base64:';

/** A payload as printed: text, and its parsed JSON when that is an object or array. */
export interface PrintedPayload {
  /** UTF-8 text, or `base64:` + the bytes in base64 (see payloadText). */
  readonly payload: string;
  readonly json?: object;
}

export interface ResultLine extends PrintedPayload {
  readonly index: number;
  readonly kind: TransactionStep['kind'];
  readonly tx: readonly string[];
  readonly channel: string;
  readonly txId: string;
  /** Who called (absent when the pipeline's default client did). */
  readonly creator?: CreatorFields;
  readonly status: number;
  readonly message: string;
  readonly validation: string;
  readonly event: ({ readonly name: string } & PrintedPayload) | null;
  /**
   * Only when the endorsing peers disagree ("ProposalResponsePayloads do not match"): each peer
   * whose response differs from the first one's, with the differences of their read/write sets.
   */
  readonly mismatches?: readonly Pick<EndorsementMismatch, 'peer' | 'mspId' | 'differences'>[];
}

/** The peer refused to run the step at all (e.g. the chaincode went away): no txId, no status. */
export interface ErrorLine {
  readonly index: number;
  readonly kind: TransactionStep['kind'];
  readonly tx: readonly string[];
  readonly error: string;
}

/**
 * The bytes as UTF-8 text, or `base64:` + base64 when they are not valid UTF-8. Text that itself
 * starts with `base64:` is encoded too, so a reader can always tell the two apart and get the
 * exact bytes back.
 */
export function payloadText(bytes: Uint8Array): string {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = isUtf8(buf) ? buf.toString('utf8') : undefined;
  return text !== undefined && !text.startsWith(BASE64_MARKER) ? text : `${BASE64_MARKER}${buf.toString('base64')}`;
}

/** The parsed text when it is a JSON object or array; scalars stay text only (no "250" → 250). */
export function jsonObjectOf(text: string): object | undefined {
  const first = text.trimStart()[0];
  if (first !== '{' && first !== '[') return undefined;
  try {
    return JSON.parse(text) as object;
  } catch {
    return undefined;
  }
}

export function printedPayload(bytes: Uint8Array): PrintedPayload {
  const payload = payloadText(bytes);
  const json = jsonObjectOf(payload);
  return json === undefined ? { payload } : { payload, json };
}

export function resultLine(step: TransactionStep, r: TransactionOutcome, creator?: CreatorFields): ResultLine {
  const { txId, ...outcome } = outcomeFields(r);
  return { index: step.index, kind: step.kind, tx: step.args, channel: r.channel, txId, ...(creator ? { creator } : {}), ...outcome };
}

/**
 * What a result line needs of an outcome: the embedded peer's ExecuteResult has it, and so has a
 * transaction run on a network through its Gateway (src/engine/connection).
 */
export interface TransactionOutcome {
  readonly txId: string;
  readonly channel: string;
  readonly status: number;
  readonly message: string;
  readonly payload: Uint8Array;
  readonly validation: string;
  readonly event: { readonly eventName: string; readonly payload: Uint8Array } | null;
  /** The embedded peer's endorsers that disagree with the first (ExecuteResult.mismatches). */
  readonly mismatches?: readonly EndorsementMismatch[];
}

/** What a result line says of the outcome (the watch's re-run lines say the same). */
export function outcomeFields(r: TransactionOutcome): Omit<ResultLine, 'index' | 'kind' | 'tx' | 'channel' | 'creator'> {
  return {
    txId: r.txId,
    status: r.status,
    message: r.message,
    ...printedPayload(r.payload),
    validation: r.validation,
    event: r.event ? { name: r.event.eventName, ...printedPayload(r.event.payload) } : null,
    // The disagreeing peer and how it differs; not each peer's whole output (read/write sets with
    // private values), which the editor's diff shows and a result line must not print.
    ...(r.mismatches ? { mismatches: r.mismatches.map(({ peer, mspId, differences }) => ({ peer, mspId, differences })) } : {}),
  };
}

export function errorLine(step: TransactionStep, err: unknown): ErrorLine {
  return { index: step.index, kind: step.kind, tx: step.args, error: err instanceof Error ? err.message : String(err) };
}

/** A step failed when the chaincode said so (status ≥ 400) or its writes were not committed. */
export function isFailure(line: ResultLine | ErrorLine): boolean {
  if ('error' in line) return true;
  // An evaluation is never submitted, so it has no validation to pass (NOT_VALIDATED).
  return line.status >= 400 || (line.kind !== 'query' && line.validation !== 'VALID');
}
