/**
 * The peer's side of one executing transaction on one handler (Fabric's TransactionContext): the
 * simulator its requests read and write through, its open query iterators, its timeout, and the
 * promise that settles with the shim's final message (COMPLETED or ERROR).
 */
import type { TxSimulator } from '../ledger/simulator';
import type { ChaincodeMessage, SignedProposal } from '../wire/messages';
import { PausableTimer } from './pausableTimer';

/** Results of a range, rich or history query, served to the shim in batches. */
export interface QueryIterator {
  /** Each row already encoded as queryresult.KV or queryresult.KeyModification. */
  readonly rows: readonly Buffer[];
  offset: number;
  /** Encoded QueryResponseMetadata for paginated queries; empty otherwise. */
  readonly metadata: Buffer;
}

export type ExecutionOutcome = { readonly kind: 'message'; readonly message: ChaincodeMessage } | { readonly kind: 'failed'; readonly reason: string };

export class TransactionContext {
  readonly iterators = new Map<string, QueryIterator>();
  /** Fabric allows one outstanding shim request per transaction; overlapping ones are dropped. */
  busy = false;
  private nextIteratorId = 0;
  private settle!: (outcome: ExecutionOutcome) => void;
  readonly outcome: Promise<ExecutionOutcome>;
  private readonly timer: PausableTimer;

  constructor(
    readonly channel: string,
    readonly txId: string,
    /** The namespace this handler's chaincode reads and writes (its name without version). */
    readonly namespace: string,
    readonly simulator: TxSimulator,
    readonly signedProposal: SignedProposal,
    timeoutMs: number,
    timeoutPaused: boolean,
  ) {
    this.outcome = new Promise((resolve) => (this.settle = resolve));
    this.timer = new PausableTimer(timeoutMs, () => this.fail(`timeout expired while executing transaction (${Math.round(timeoutMs / 1000)} s)`), timeoutPaused);
  }

  newIteratorId(): string {
    return `${this.txId.slice(0, 8)}-${++this.nextIteratorId}`;
  }

  complete(message: ChaincodeMessage): void {
    this.finish({ kind: 'message', message });
  }

  fail(reason: string): void {
    this.finish({ kind: 'failed', reason });
  }

  pauseTimeout(): void {
    this.timer.pause();
  }

  resumeTimeout(): void {
    this.timer.resume();
  }

  private finish(outcome: ExecutionOutcome): void {
    this.timer.cancel();
    this.iterators.clear();
    this.settle(outcome);
  }
}

/** Fabric's context key: channel id and txid concatenated (1.0 shims send no channel). */
export function contextKey(channel: string, txId: string): string {
  return `${channel}${txId}`;
}
