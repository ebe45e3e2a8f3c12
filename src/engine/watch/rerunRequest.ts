/**
 * What a watch runs again, as plain data and text: light (no engine), so the editor's views and
 * commands use it as they are loaded, before the engine is.
 */
import type { TransactionRecord } from '../ledger/types';
import type { TransactionKind } from '../transactions/types';

/** A transaction to run again: what a record says was run. */
export interface RerunRequest {
  readonly channel: string;
  readonly kind: TransactionKind;
  readonly fn: string;
  /** As recorded: text, or `base64:` for bytes that are not text. */
  readonly args: readonly string[];
}

export function requestOf(record: TransactionRecord): RerunRequest {
  return { channel: record.channel, kind: record.kind, fn: record.fn, args: record.args };
}

/** How a request reads in a log line or a title: `TransferAsset(asset1, Alice)`. */
export function requestText(request: Pick<RerunRequest, 'fn' | 'args'>): string {
  return `${request.fn}(${request.args.join(', ')})`;
}

/** One key per distinct request (pins are kept by it). */
export function requestKey(r: RerunRequest): string {
  return JSON.stringify([r.channel, r.kind, r.fn, r.args]);
}
