/** A transaction's validation code (one byte per transaction in a block, or a commit status) by its name in Fabric's peer/transaction.proto. */
import { TxValidationCode } from '../wire/messages';

export function validationName(code: number): string {
  return TxValidationCode[code] ?? `code ${code}`;
}
