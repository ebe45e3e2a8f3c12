/**
 * The transaction pipeline's vocabulary: what a front door (the editor's Invoke, the CLI's --tx, the
 * Gateway, replay) asks for, what it gets back, and the events the editor's views follow. Plain data.
 */
import type { ChaincodeEventRecord, ReadWriteSet, TransactionRecord, ValidationCode } from '../ledger/types';
import type { SigningIdentity } from '../msp';
import type { EndorsementMismatch } from './endorsers';

/**
 * invoke: endorse, then validate and commit (Fabric's submit). init: the same with an INIT message.
 * query: endorse only, nothing is submitted (Fabric's evaluate).
 */
export type TransactionKind = 'init' | 'invoke' | 'query';

/** What to run: args[0] is the function name by convention. */
export interface ExecuteRequest {
  /** The registered chaincode id (`name:version`), or just `name` when only one version runs. */
  readonly chaincode: string;
  readonly channel?: string;
  readonly args: readonly (string | Uint8Array)[];
  readonly transient?: Readonly<Record<string, string | Uint8Array>>;
  /** Default 'invoke'. */
  readonly kind?: TransactionKind;
  /** Overrides the peer's execute timeout for this call (ms). */
  readonly timeoutMs?: number;
  /** Given txid; default: derived as Fabric does, hex(sha256(nonce ‖ creator)). */
  readonly txId?: string;
  /** The proposal's timestamp (epoch ms; the chaincode's GetTxTimestamp); default now. Replay keeps the original's. */
  readonly timestampMs?: number;
  /**
   * The organisations whose peers endorse (Fabric's gateway `endorsingOrganizations`); default: the
   * fewest that satisfy the chaincode's endorsement policy, the caller's org first.
   */
  readonly endorsingOrgs?: readonly string[];
  /** Who calls: the identity in the proposal's SignatureHeader. Default: the pipeline's client identity. */
  readonly creator?: SigningIdentity;
  /**
   * Default true. False only for an evaluation (`query`) a tool makes for itself, such as the editor
   * asking a contract for its metadata: it is neither kept among the transaction records nor
   * announced (no onDidStart/EndTransaction). A submitted transaction is always recorded: it is in
   * its block.
   */
  readonly record?: boolean;
}

export interface ExecuteResult {
  readonly txId: string;
  readonly channel: string;
  readonly chaincodeId: string;
  readonly kind: TransactionKind;
  /** The chaincode's response status: 200 OK; ≥ 400 (or < 200) a failure, nothing committed. */
  readonly status: number;
  readonly message: string;
  readonly payload: Buffer;
  /** The chaincode event of a submitted transaction; evaluations emit none, as in Fabric. */
  readonly event: ChaincodeEventRecord | null;
  readonly readWriteSet: ReadWriteSet;
  /**
   * VALID when committed; MVCC_READ_CONFLICT and the like when validation refused it; NOT_COMMITTED
   * when it never got that far (the chaincode failed); NOT_VALIDATED for an evaluation.
   */
  readonly validation: ValidationCode;
  readonly blockNum: number | null;
  readonly durationMs: number;
  /**
   * Endorsers whose ProposalResponsePayload differs from the first endorser's ("ProposalResponsePayloads
   * do not match": the chaincode is not deterministic), with what differs; absent when they agree.
   */
  readonly mismatches?: readonly EndorsementMismatch[];
}

export interface TransactionStarted {
  readonly handlerId: string;
  readonly chaincodeId: string;
  readonly channel: string;
  readonly txId: string;
  readonly fn: string;
  readonly args: readonly string[];
  readonly kind: TransactionKind;
  readonly startedAt: number;
}

export interface TransactionEnded {
  readonly handlerId: string;
  readonly record: TransactionRecord;
}
