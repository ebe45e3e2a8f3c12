/**
 * Tags chaincode log lines with the transaction they belong to. Shims print the first 8 hex digits
 * of the txid in brackets (`[a1b2c3d4]`, `[mychannel-a1b2c3d4]`); a line gets `[tx a1b2c3d4]` in
 * front when it names one. No vscode here.
 */
const TXID = /\[(?:[\w.-]*-)?([0-9a-f]{8})[0-9a-f]*\]/;

/** The short txid a line names, if any; `known` (in-flight txids) confirms ambiguous hex. */
export function txIdInLine(line: string, known: readonly string[] = []): string | undefined {
  const m = TXID.exec(line);
  if (m) return m[1];
  for (const tx of known) if (tx.length >= 8 && line.includes(tx.slice(0, 8))) return tx.slice(0, 8);
  return undefined;
}

export function tagLine(line: string, txId: string | undefined): string {
  return txId ? `[tx ${txId.slice(0, 8)}] ${line}` : line;
}
