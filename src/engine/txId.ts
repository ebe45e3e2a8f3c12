/**
 * Transaction ids as Fabric makes them: hex(sha256(nonce ‖ creator)), 64 lowercase hex characters
 * (protoutil.ComputeTxID). Shims print the first 8 of them in brackets in their log lines. Light (no
 * imports): the editor and the CLI use it too.
 */

/** The pattern of a whole txid, to build larger patterns from. */
export const TXID_PATTERN = '[0-9a-f]{64}';
const WHOLE_TXID = new RegExp(`^${TXID_PATTERN}$`);
/** `[a1b2c3d4…]` or `[mychannel-a1b2c3d4…]`: the Node shim prefixes the channel, the Go shim does not. */
const TXID_IN_LINE = /\[(?:[^\]\s]*-)?([0-9a-f]{8})[0-9a-f]*\]/;

export function isTxId(text: string): boolean {
  return WHOLE_TXID.test(text);
}

/** The short form shims print (and the editor shows): the first 8 hex digits. */
export function shortTxId(txId: string): string {
  return txId.slice(0, 8);
}

/** The short txid a log line names, if any; `known` (txids in flight) confirms a bare mention. */
export function txIdInLine(line: string, known: readonly string[] = []): string | undefined {
  const m = TXID_IN_LINE.exec(line);
  if (m) return m[1];
  for (const tx of known) if (tx.length >= 8 && line.includes(shortTxId(tx))) return shortTxId(tx);
  return undefined;
}
