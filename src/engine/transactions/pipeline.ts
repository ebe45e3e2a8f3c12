/**
 * The transaction pipeline: the one hall every front door leads to (the editor's Invoke, the CLI's
 * --tx, and next the Gateway and replay). A transaction goes propose → simulate (the peer endorses)
 * → validate → commit → record, and the pipeline tells its listeners when one starts and ends.
 * It decides what happens to a transaction; the peer runs chaincode and keeps the ledger.
 */
import type { TransactionFilter } from '../ledger/transactionRecords';
import type { TransactionRecord, ValidationCode } from '../ledger/types';
import { argBytes, argText } from '../peer/arguments';
import type { CreatorIdentity } from '../peer/identity';
import type { Peer } from '../peer/peer';
import { buildProposal } from '../peer/proposal';
import { Emitter } from '../util/events';
import { codecs } from '../wire/codec';
import { MessageType } from '../wire/messages';
import { Orderer } from './orderer';
import { assemblyError, OK } from './response';
import type { ExecuteRequest, ExecuteResult, TransactionEnded, TransactionStarted } from './types';

export class TransactionPipeline {
  private readonly txStarted = new Emitter<TransactionStarted>();
  private readonly txEnded = new Emitter<TransactionEnded>();
  /** A transaction is in flight on its chaincode (its handler lists it from now on). */
  readonly onDidStartTransaction = this.txStarted.event;
  /** A transaction ended: committed, refused, failed or evaluated; its record is kept. */
  readonly onDidEndTransaction = this.txEnded.event;

  private readonly orderer: Orderer;

  /** `client`: who calls when a request names nobody (default: the peer's client identity). */
  constructor(
    private readonly peer: Peer,
    private readonly client: CreatorIdentity = peer.creator,
  ) {
    this.orderer = new Orderer((channel) => [peer.ledger(channel)]);
  }

  /**
   * Runs a transaction on a ready chaincode: an evaluation (`query`) only simulates; an invoke or
   * init is committed when its response can be assembled into a transaction and passes MVCC.
   */
  async execute(req: ExecuteRequest): Promise<ExecuteResult> {
    const channel = req.channel ?? this.peer.channel;
    const ledger = this.peer.ledger(channel);
    const handler = this.peer.readyHandler(req.chaincode);
    const kind = req.kind ?? 'invoke';
    if (req.record === false && kind !== 'query') throw new TypeError(`only an evaluation can go unrecorded, not ${kind === 'init' ? 'an init' : 'an invoke'}`);
    const recorded = req.record !== false;
    const creator = req.creator ?? this.client;
    const args = req.args.map(argBytes);
    const transient: Record<string, Uint8Array> = {};
    for (const [k, v] of Object.entries(req.transient ?? {})) transient[k] = argBytes(v);

    // Propose.
    const proposal = buildProposal({ channel, chaincodeName: handler.chaincodeName, args, transient, isInit: kind === 'init', creator, txId: req.txId });
    const fn = args.length ? argText(args[0]) : '';

    // Simulate: the peer runs the chaincode against its committed state.
    const simulation = this.peer.simulate(handler, {
      channel,
      txId: proposal.txId,
      type: kind === 'init' ? MessageType.INIT : MessageType.TRANSACTION,
      input: codecs.ChaincodeInput.encode({ args, is_init: kind === 'init' }),
      signedProposal: proposal.signedProposal,
      fn,
      timeoutMs: req.timeoutMs,
    });
    const started: TransactionStarted = {
      handlerId: handler.id,
      chaincodeId: handler.chaincodeId,
      channel,
      txId: proposal.txId,
      fn,
      args: args.slice(1).map(argText),
      kind,
      startedAt: proposal.timestampMs,
    };
    if (recorded) this.txStarted.fire(started);
    const { response, event, rwset } = await simulation;

    // Validate and commit; evaluations and responses that cannot become a transaction stop here.
    const refusal = kind === 'query' ? null : assemblyError(response);
    const base = {
      txId: proposal.txId,
      channel,
      chaincode: handler.chaincodeId,
      fn,
      args: started.args,
      kind,
      creator: { mspId: creator.mspId, subject: creator.subject },
      startedAt: proposal.timestampMs,
      durationMs: Date.now() - proposal.timestampMs,
      status: response.status,
      // Below 200 the chaincode "succeeded" but Fabric cannot assemble it: say so, as a client would see it.
      message: refusal && response.status < OK ? refusal : response.message,
      payload: response.payload,
      rwset,
      // Fabric emits no event for an evaluation: nothing was committed.
      event: kind === 'query' ? null : event,
    };
    let validation: ValidationCode;
    let blockNum: number | null = null;
    if (kind === 'query') {
      validation = 'NOT_VALIDATED';
      if (recorded) ledger.state.recordTransaction({ ...base, validation, blockNum });
    } else if (refusal) {
      validation = 'NOT_COMMITTED';
      ledger.state.recordTransaction({ ...base, validation, blockNum });
    } else {
      const committed = await this.orderer.submit(channel, { txId: proposal.txId, timestamp: proposal.timestampMs, rwset, record: base });
      validation = committed.validation;
      blockNum = committed.blockNum;
    }

    // Record (the world state keeps it; listeners hear of it).
    const record: TransactionRecord = { ...base, validation, blockNum };
    if (recorded) this.txEnded.fire({ handlerId: handler.id, record });
    return {
      txId: record.txId,
      channel,
      chaincodeId: handler.chaincodeId,
      kind,
      status: record.status,
      message: record.message,
      payload: record.payload,
      event: record.event,
      readWriteSet: rwset,
      validation,
      blockNum,
      durationMs: record.durationMs,
    };
  }

  /** The records of recent transactions on every channel, newest first. */
  transactions(filter: TransactionFilter = {}): TransactionRecord[] {
    const all = this.peer.ledgers().flatMap((l) => l.state.transactions(filter));
    all.sort((a, b) => b.startedAt - a.startedAt);
    return filter.limit !== undefined ? all.slice(0, filter.limit) : all;
  }

  /** A transaction's record, whichever channel it ran on. */
  transaction(txId: string): TransactionRecord | undefined {
    for (const l of this.peer.ledgers()) {
      const r = l.state.getTransaction(txId);
      if (r) return r;
    }
    return undefined;
  }

  dispose(): void {
    this.txStarted.dispose();
    this.txEnded.dispose();
  }
}
