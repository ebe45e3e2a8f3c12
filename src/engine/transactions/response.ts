/**
 * What a chaincode's final message means for its transaction, as Fabric's endorser and the
 * transaction assembly read it: the Response, whether it may be endorsed, and whether a client can
 * assemble it into a transaction.
 */
import { keptCopy } from '../util/bytes';
import { codecs } from '../wire/codec';
import { MessageType } from '../wire/messages';
import type { ExecutionOutcome } from '../peer/transactionContext';

/** Fabric's shim.ERRORTHRESHOLD: a status from here on is an error and is never endorsed. */
export const ERROR_THRESHOLD = 400;
/** Fabric's shim.OK. Below it a response is endorsed but cannot be assembled into a transaction. */
export const OK = 200;

export interface ChaincodeResponse {
  readonly status: number;
  readonly message: string;
  readonly payload: Buffer;
}

/** Fabric's processChaincodeExecutionResult: COMPLETED carries a Response; ERROR is a failure. */
export function interpretOutcome(outcome: ExecutionOutcome): ChaincodeResponse {
  if (outcome.kind === 'failed') return { status: 500, message: outcome.reason, payload: Buffer.alloc(0) };
  const msg = outcome.message;
  if (msg.type === MessageType.ERROR) {
    return { status: 500, message: `transaction returned with failure: ${Buffer.from(msg.payload).toString('utf8')}`, payload: Buffer.alloc(0) };
  }
  try {
    const r = codecs.Response.decode(msg.payload);
    return { status: r.status, message: r.message, payload: keptCopy(r.payload) };
  } catch (err) {
    return { status: 500, message: `malformed response from chaincode: ${(err as Error).message}`, payload: Buffer.alloc(0) };
  }
}

/** The endorser keeps the writes and the event only of a response below ERROR_THRESHOLD (core/endorser). */
export function isEndorsable(response: ChaincodeResponse): boolean {
  return response.status < ERROR_THRESHOLD;
}

/**
 * Why a response cannot become a transaction, in protoutil.CreateSignedTx's words, or null when it
 * can. A status below 200 is endorsed by the peer but refused here ("error code 100").
 */
export function assemblyError(response: ChaincodeResponse): string | null {
  if (response.status >= OK && response.status < ERROR_THRESHOLD) return null;
  return `proposal response was not successful, error code ${response.status}, msg ${response.message}`;
}
