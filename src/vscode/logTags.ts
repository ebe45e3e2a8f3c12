/**
 * Tags chaincode log lines with the transaction they belong to: a line that names one (see
 * txIdInLine) gets `[tx a1b2c3d4]` in front. No vscode here.
 */
import { shortTxId } from '../engine/txId';

export function tagLine(line: string, txId: string | undefined): string {
  return txId ? `[tx ${shortTxId(txId)}] ${line}` : line;
}
