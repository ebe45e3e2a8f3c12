/**
 * The transaction pipeline: the one hall every front door leads to (the editor's Invoke, the CLI's
 * --tx, the Gateway's Evaluate/Endorse/Submit/CommitStatus, replay). A transaction goes
 * propose → simulate (a peer endorses) → assemble → order → validate and commit → record, and the
 * pipeline tells its listeners when one starts and ends. It decides what happens to a transaction;
 * the peer runs chaincode and keeps the ledger; services at the edge check signatures and translate.
 */
import type { CommitResult } from '../ledger/blockPlan';
import type { TransactionFilter } from '../ledger/transactionRecords';
import type { StateReader, TransactionRecord, ValidationCode } from '../ledger/types';
import { argBytes, argText } from '../peer/arguments';
import type { CreatorIdentity } from '../peer/identity';
import type { Handler } from '../peer/handler';
import type { Peer, Simulation, SimulationRequest } from '../peer/peer';
import { validationOfCode } from '../ledger/blocks/blockBuilder';
import { Emitter } from '../util/events';
import { codecs } from '../wire/codec';
import { MessageType } from '../wire/messages';
import { endorse, transactionPayload } from './endorsement';
import { Orderer } from './orderer';
import { buildProposal, type Proposal } from './proposal';
import { assemblyError, OK } from './response';
import type { ExecuteRequest, ExecuteResult, TransactionEnded, TransactionKind, TransactionStarted } from './types';

/** Who called, as the records show it (the edge has checked the identity). */
export interface Caller {
  readonly mspId: string;
  readonly subject: string;
}

/** A transaction endorsed for a Gateway client, waiting for the client to sign and submit it. */
export interface PreparedTransaction {
  readonly txId: string;
  readonly channel: string;
  /** The marshalled common.Payload the client signs (the prepared transaction's envelope payload). */
  readonly payload: Buffer;
  readonly response: Simulation['response'];
}

/** The chaincode or the peer refused to endorse: nothing was prepared. */
export class EndorsementError extends Error {
  override readonly name = 'EndorsementError';
  constructor(
    message: string,
    /** The chaincode's response when it gave one (status ≥ 400 or < 200), else null (a peer failure). */
    readonly response: Simulation['response'] | null,
  ) {
    super(message);
  }
}

/** A submitted envelope this pipeline did not endorse, or one that changed since. */
export class SubmitError extends Error {
  override readonly name = 'SubmitError';
}

/** How long an endorsed transaction waits for its Submit before it is forgotten. */
const PREPARED_TTL_MS = 10 * 60_000;

interface Pending {
  readonly prepared: PreparedTransaction;
  readonly handler: Handler;
  readonly simulation: Simulation;
  readonly proposal: Proposal;
  readonly base: RecordBase;
  readonly privateData: Buffer | null;
  readonly expires: number;
}

type RecordBase = Omit<TransactionRecord, 'validation' | 'blockNum'>;

export class TransactionPipeline {
  private readonly txStarted = new Emitter<TransactionStarted>();
  private readonly txEnded = new Emitter<TransactionEnded>();
  /** A transaction is in flight on its chaincode (its handler lists it from now on). */
  readonly onDidStartTransaction = this.txStarted.event;
  /** A transaction ended: committed, refused, failed or evaluated; its record is kept. */
  readonly onDidEndTransaction = this.txEnded.event;
  private readonly orderer: Orderer;
  private readonly prepared = new Map<string, Pending>();
  private readonly commitWaiters = new Map<string, Set<(result: CommitResult) => void>>();

  /** `client`: who calls when an in-process request names nobody (default: the peer's client identity). */
  constructor(
    private readonly peer: Peer,
    private readonly client: CreatorIdentity = peer.creator,
  ) {
    this.orderer = new Orderer((channel) => [peer.ledger(channel)]);
  }

  /**
   * The in-process front door (the editor, the CLI): runs a transaction on a ready chaincode. An
   * evaluation (`query`) only simulates; an invoke or init is endorsed, assembled, ordered and
   * committed when its response can become a transaction. In-process proposals and envelopes are
   * not signed: nobody outside this process could check them.
   */
  async execute(req: ExecuteRequest): Promise<ExecuteResult> {
    const channel = req.channel ?? this.peer.channel;
    const kind = req.kind ?? 'invoke';
    if (req.record === false && kind !== 'query') throw new TypeError(`only an evaluation can go unrecorded, not ${kind === 'init' ? 'an init' : 'an invoke'}`);
    const announced = req.record !== false;
    const creator = req.creator ?? this.client;
    const handler = await this.peer.readyHandler(req.chaincode);
    const height = this.peer.ledger(channel).height;
    const transient: Record<string, Uint8Array> = {};
    for (const [k, v] of Object.entries(req.transient ?? {})) transient[k] = argBytes(v);
    const proposal = buildProposal({
      channel,
      chaincodeName: handler.chaincodeName,
      args: req.args.map(argBytes),
      transient,
      isInit: kind === 'init',
      creator: creator.serialized,
      txId: req.txId,
      timestampMs: req.timestampMs,
    });
    const simulation = await this.simulate(handler, proposal, kind, req.timeoutMs, announced);
    const base = recordBase(proposal, handler, kind, simulation, creator, height);
    if (kind === 'query') return this.end(handler, base, 'NOT_VALIDATED', null, announced);
    if (assemblyError(simulation.response)) return this.end(handler, base, 'NOT_COMMITTED', null);
    const endorsed = endorse(proposal, simulation, versionOf(handler.chaincodeId), { serialized: this.peer.signer?.serialized ?? this.peer.creator.serialized });
    const envelope = codecs.Envelope.encode({ payload: transactionPayload(proposal, endorsed.payload, [endorsed.endorsement]) });
    const committed = await this.order(proposal, base, envelope, endorsed.privateResults);
    return this.end(handler, base, committed.validation, committed.blockNum);
  }

  /** Gateway Evaluate: simulates a client's proposal without ordering anything; recorded as a query. */
  async evaluate(proposal: Proposal, caller: Caller): Promise<Simulation> {
    const height = this.peer.ledger(proposal.channel).height;
    const handler = await this.peer.readyHandler(proposal.chaincodeName);
    const simulation = await this.simulate(handler, proposal, 'query');
    this.end(handler, recordBase(proposal, handler, 'query', simulation, caller, height), 'NOT_VALIDATED', null);
    return simulation;
  }

  /**
   * Gateway Endorse: simulates a client's proposal and endorses it as this peer; returns the
   * prepared transaction for the client to sign, or throws EndorsementError (nothing prepared).
   */
  async endorse(proposal: Proposal, caller: Caller): Promise<PreparedTransaction> {
    const height = this.peer.ledger(proposal.channel).height;
    const handler = await this.peer.readyHandler(proposal.chaincodeName);
    const kind: TransactionKind = proposal.isInit ? 'init' : 'invoke';
    const simulation = await this.simulate(handler, proposal, kind);
    const base = recordBase(proposal, handler, kind, simulation, caller, height);
    const refusal = simulation.failure ?? assemblyError(simulation.response);
    if (refusal) {
      this.end(handler, base, 'NOT_COMMITTED', null);
      throw new EndorsementError(simulation.failure ? refusal : `chaincode response ${simulation.response.status}, ${simulation.response.message}`, simulation.failure ? null : simulation.response);
    }
    const endorsed = endorse(proposal, simulation, versionOf(handler.chaincodeId), { serialized: this.peer.signer?.serialized ?? this.peer.creator.serialized, signer: this.peer.signer });
    const prepared: PreparedTransaction = {
      txId: proposal.txId,
      channel: proposal.channel,
      payload: transactionPayload(proposal, endorsed.payload, [endorsed.endorsement]),
      response: simulation.response,
    };
    this.forgetExpired();
    this.prepared.set(proposal.txId, { prepared, handler, simulation, proposal, base, privateData: endorsed.privateResults, expires: Date.now() + PREPARED_TTL_MS });
    return prepared;
  }

  /**
   * Gateway Submit: orders an envelope this pipeline endorsed (same txid, same payload bytes; the
   * edge has checked the creator's signature). Resolves once ordered; the commit follows, and
   * `commitStatus` tells its outcome.
   */
  submit(channel: string, payload: Buffer, signature: Buffer, txId: string): void {
    const pending = this.prepared.get(txId);
    if (!pending || pending.prepared.channel !== channel || !pending.prepared.payload.equals(payload)) {
      throw new SubmitError(`transaction ${txId} was not endorsed by this peer on channel ${channel}, or its payload changed since: submit the envelope the Endorse call returned`);
    }
    this.prepared.delete(txId);
    const envelope = codecs.Envelope.encode({ payload, signature });
    void this.order(pending.proposal, pending.base, envelope, pending.privateData).then(
      (committed) => this.end(pending.handler, pending.base, committed.validation, committed.blockNum),
      () => this.end(pending.handler, pending.base, 'NOT_COMMITTED', null),
    );
  }

  /** Gateway CommitStatus: the outcome of a submitted transaction, at once when it committed earlier. */
  commitStatus(channel: string, txId: string, signal?: AbortSignal): Promise<{ readonly validation: ValidationCode; readonly blockNum: number }> {
    const ledger = this.peer.ledger(channel);
    const done = ledger.state.getTransaction(txId);
    if (done && done.blockNum !== null) return Promise.resolve({ validation: done.validation, blockNum: done.blockNum });
    // Older than the records the state keeps: the block store indexes every transaction it holds.
    const stored = ledger.blocks.findTransaction(txId);
    if (stored) return Promise.resolve({ validation: validationOfCode(stored.validationCode), blockNum: stored.blockNumber });
    return new Promise((resolve, reject) => {
      let waiters = this.commitWaiters.get(txId);
      if (!waiters) this.commitWaiters.set(txId, (waiters = new Set()));
      const onCommit = (r: CommitResult): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve({ validation: r.validation, blockNum: r.blockNum });
      };
      const onAbort = (): void => {
        waiters.delete(onCommit);
        if (waiters.size === 0) this.commitWaiters.delete(txId);
        reject(signal?.reason instanceof Error ? signal.reason : new Error('cancelled'));
      };
      waiters.add(onCommit);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /**
   * Replay's stage: runs a proposal on the ready chaincode of its name against `state` (the ledger
   * as an earlier transaction read it) instead of the committed state. Nothing is ordered, recorded
   * or announced: a replay is not a transaction of this ledger.
   */
  async simulateOn(state: StateReader, proposal: Proposal, timeoutMs?: number): Promise<{ readonly chaincodeId: string; readonly simulation: Simulation }> {
    this.peer.ledger(proposal.channel);
    const handler = await this.peer.readyHandler(proposal.chaincodeName);
    const simulation = await this.peer.simulate(handler, { ...simulationRequest(proposal, proposal.isInit ? 'init' : 'invoke', timeoutMs), state });
    return { chaincodeId: handler.chaincodeId, simulation };
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
    this.prepared.clear();
  }

  /** Runs the proposal on the handler; the transaction is announced once it is in flight there. */
  private async simulate(handler: Handler, proposal: Proposal, kind: TransactionKind, timeoutMs?: number, announced = true): Promise<Simulation> {
    const request = simulationRequest(proposal, kind, timeoutMs);
    const { fn } = request;
    const simulation = this.peer.simulate(handler, request);
    if (announced) this.txStarted.fire({
      handlerId: handler.id,
      chaincodeId: handler.chaincodeId,
      channel: proposal.channel,
      txId: proposal.txId,
      fn,
      args: proposal.args.slice(1).map(argText),
      kind,
      startedAt: proposal.timestampMs,
    });
    return simulation;
  }

  /** Orders the envelope and waits for its block; whoever waits on its commit status hears of it. */
  private async order(proposal: Proposal, base: RecordBase, envelope: Buffer, privateData: Buffer | null): Promise<CommitResult> {
    const committed = await this.orderer.submit(proposal.channel, {
      txId: proposal.txId,
      timestamp: proposal.timestampMs,
      rwset: base.rwset,
      record: base,
      envelope,
      ...(privateData ? { privateData } : {}),
    });
    const waiters = this.commitWaiters.get(proposal.txId);
    if (waiters) {
      this.commitWaiters.delete(proposal.txId);
      for (const w of waiters) w(committed);
    }
    return committed;
  }

  /**
   * Records the transaction (committed ones are in their block's records already) and announces its
   * end; an unannounced evaluation (a tool's own query, e.g. contract metadata) leaves no trace.
   */
  private end(handler: Handler, base: RecordBase, validation: ValidationCode, blockNum: number | null, announced = true): ExecuteResult {
    const record: TransactionRecord = { ...base, validation, blockNum };
    if (announced) {
      if (blockNum === null) this.peer.ledger(base.channel).state.recordTransaction(record);
      this.txEnded.fire({ handlerId: handler.id, record });
    }
    return {
      txId: record.txId,
      channel: record.channel,
      chaincodeId: handler.chaincodeId,
      kind: record.kind,
      status: record.status,
      message: record.message,
      payload: record.payload,
      event: record.event,
      readWriteSet: record.rwset,
      validation,
      blockNum,
      durationMs: record.durationMs,
    };
  }

  private forgetExpired(): void {
    const now = Date.now();
    for (const [txId, p] of this.prepared) {
      if (p.expires > now) break; // insertion order is expiry order
      this.prepared.delete(txId);
    }
  }
}

function simulationRequest(proposal: Proposal, kind: TransactionKind, timeoutMs: number | undefined): SimulationRequest {
  return {
    channel: proposal.channel,
    txId: proposal.txId,
    type: kind === 'init' ? MessageType.INIT : MessageType.TRANSACTION,
    input: codecs.ChaincodeInput.encode({ args: proposal.args as Buffer[], is_init: kind === 'init' }),
    signedProposal: proposal.signed,
    fn: proposal.args.length ? argText(proposal.args[0]) : '',
    timeoutMs,
  };
}

/** `height`: the channel's height when the transaction ran (replay serves the state as it was then). */
function recordBase(proposal: Proposal, handler: Handler, kind: TransactionKind, simulation: Simulation, caller: Caller, height: number): RecordBase {
  const { response, event, rwset } = simulation;
  const refusal = kind === 'query' ? null : assemblyError(response);
  return {
    txId: proposal.txId,
    channel: proposal.channel,
    chaincode: handler.chaincodeId,
    fn: proposal.args.length ? argText(proposal.args[0]) : '',
    args: proposal.args.slice(1).map(argText),
    kind,
    creator: { mspId: caller.mspId, subject: caller.subject },
    startedAt: proposal.timestampMs,
    height,
    durationMs: Date.now() - proposal.timestampMs,
    status: response.status,
    // Below 200 the chaincode "succeeded" but Fabric cannot assemble it: say so, as a client would see it.
    message: refusal && response.status < OK ? refusal : response.message,
    payload: response.payload,
    rwset,
    // Fabric emits no event for an evaluation: nothing was committed.
    event: kind === 'query' ? null : event,
  };
}

/** The version part of a chaincode id (`name:version`, or a package id's hash). */
function versionOf(chaincodeId: string): string {
  const colon = chaincodeId.indexOf(':');
  return colon >= 0 ? chaincodeId.slice(colon + 1) : '';
}
