/**
 * Where a state key's document names a transaction: each history entry's `"txId": "…"`. The
 * document link provider turns these into links to the transaction's own document. No vscode here.
 */
import { shortTxId, TXID_PATTERN } from '../../engine/txId';

export interface TxIdMention {
  /** Offset of the txid's first character in the text (inside the quotes). */
  readonly offset: number;
  readonly length: number;
  readonly txId: string;
}

const TXID_FIELD = new RegExp(`"txId": "(${TXID_PATTERN})"`, 'g');

export function txIdMentions(text: string): TxIdMention[] {
  return [...text.matchAll(TXID_FIELD)].map((m) => ({ offset: (m.index ?? 0) + m[0].indexOf(m[1]), length: m[1].length, txId: m[1] }));
}

/** A document's title (the tab shows it): the function and the short txid, as log lines tag it. */
export function documentTitle(fn: string, txId: string): string {
  const name = fn.replace(/[/\\]/g, '_').slice(0, 60) || 'transaction';
  return `${name} ${shortTxId(txId)}.json`;
}
