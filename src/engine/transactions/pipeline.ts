/**
 * The transaction pipeline: the one hall every front door leads to (the editor's Invoke, the CLI's
 * --tx, the Gateway's Evaluate/Endorse/Submit/CommitStatus, replay). A transaction goes
 * propose → simulate (a peer endorses) → assemble → order → validate and commit → record, and the
 * pipeline tells its listeners when one starts and ends. It decides what happens to a transaction;
 * the peer runs chaincode and keeps the ledger; services at the edge check signatures and translate.
 */
import type { CommitResult, EndorsementValidator } from '../ledger/blockPlan';
import type { TransactionFilter } from '../ledger/transactionRecords';
import type { StateReader, TransactionRecord, ValidationCode } from '../ledger/types';
import { argBytes, argText } from '../peer/arguments';
import type { SigningIdentity } from '../msp';
import type { Handler } from '../peer/handler';
import { UnknownChaincodeError, type Peer, type Simulation, type SimulationRequest } from '../peer/peer';
import { validationOfCode } from '../ledger/blocks/blockBuilder';
import { Emitter } from '../util/events';
import { codecs } from '../wire/codec';
import { MessageType } from '../wire/messages';
import { ChaincodeDefinitions } from '../lifecycle/definitions';
import { ChannelMsps } from '../msp';
import { endorse, transactionPayload, type Endorsed } from './endorsement';
import { EndorsementPlanError, EndorsementPlanner, mismatches, PAYLOADS_DO_NOT_MATCH, type EndorsementMismatch } from './endorsers';
import { orgsOutsideDistribution } from '../privateData/transientProtection';
import { Orderer, type BlockCommitter } from './orderer';
import { endorsementValidator } from './validation';
import { buildProposal, type Proposal } from './proposal';
import { assemblyError, OK } from './response';
import type { ExecuteRequest, ExecuteResult, TransactionEnded, TransactionKind, TransactionStarted } from './types';
import { chaincodeVersionOf } from '../chaincodeId';
import { collectionBlockToLive, peerKeeps, PrivateDataRules } from '../privateData/collectionRules';
import { keptBy, keptReadWriteSet } from '../privateData/keptPrivateData';
import { collectionEndorsementPolicies } from '../privateData/collectionEndorsement';

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

/** The chaincode or the peer refused to endorse, or the endorsers disagree: nothing was prepared. */
export class EndorsementError extends Error {
  override readonly name = 'EndorsementError';
  constructor(
    message: string,
    /** The chaincode's response when it gave one (status ≥ 400 or < 200), else null (a peer failure). */
    readonly response: Simulation['response'] | null,
    /** The peer that refused (or, for a mismatch, the ones that disagree with the first). */
    readonly peers: readonly { readonly peer: string; readonly mspId: string }[] = [],
    readonly mismatches: readonly EndorsementMismatch[] = [],
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
  readonly proposal: Proposal;
  readonly base: RecordBase;
  readonly endorsed: EndorsedBy;
  readonly expires: number;
}

/** What the endorsing peers returned, all agreeing: the first one's simulation and every endorsement. */
interface EndorsedBy {
  readonly peers: readonly Peer[];
  readonly first: Endorsed;
  readonly endorsements: readonly Endorsed['endorsement'][];
}

/** One transaction simulated on its endorsing peers (the first one's handler announces it). */
interface Simulated {
  readonly peers: readonly Peer[];
  readonly handler: Handler;
  readonly simulations: readonly Simulation[];
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
  private readonly peers: readonly Peer[];
  /** The caller's org's peer: evaluations run there, records are kept there, endorsement starts there. */
  private readonly peer: Peer;
  private readonly msps: ChannelMsps;
  private readonly planner: EndorsementPlanner;
  /** What each channel agreed for its chaincodes (endorsement policy, collections). */
  readonly definitions = new ChaincodeDefinitions();

  /**
   * `peers`: the network's peers, the caller's org's first (one peer: a one-org network). `client`:
   * who calls when an in-process request names nobody (default: that first peer's User1).
   */
  constructor(peers: Peer | readonly Peer[], client?: SigningIdentity) {
    this.peers = Array.isArray(peers) ? (peers as readonly Peer[]) : [peers as Peer];
    if (this.peers.length === 0) throw new Error('a pipeline needs at least one peer');
    this.peer = this.peers[0];
    this.client = client ?? this.peer.creator;
    this.msps = new ChannelMsps(this.peers.map((p) => p.org.msp));
    this.planner = new EndorsementPlanner(this.peers, this.msps, this.definitions);
    this.orderer = new Orderer((channel) => this.peers.map((p) => this.committerOf(p, channel)));
  }

  private readonly client: SigningIdentity;

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
    // An evaluation runs on one peer: the caller's org's, or the first org named (Gateway Evaluate's target organizations).
    const endorsers =
      kind === 'query'
        ? this.planner.plan(channel, handler.chaincodeName, req.endorsingOrgs?.slice(0, 1)).slice(0, 1)
        : this.planner.plan(channel, handler.chaincodeName, req.endorsingOrgs);
    let simulated = await this.simulateOn(endorsers, handler, req.chaincode, proposal, kind, req.timeoutMs, announced);
    if (kind !== 'query' && !req.endorsingOrgs?.length) simulated = await this.endorsedEnough(simulated, req.chaincode, proposal, kind, req.timeoutMs);
    const simulation = simulated.simulations[0];
    const base = recordBase(proposal, handler, kind, simulation, creator, height);
    if (kind === 'query') return this.end(handler, base, 'NOT_VALIDATED', null, announced);
    if (assemblyError(simulation.response)) return this.end(handler, base, 'NOT_COMMITTED', null);
    // In-process endorsements are not signed either (see above); they carry each peer's identity.
    const endorsed = this.endorseAll(simulated, proposal, (p) => ({ serialized: p.signer.serialized }));
    if ('mismatches' in endorsed) return this.end(handler, { ...base, message: PAYLOADS_DO_NOT_MATCH }, 'NOT_COMMITTED', null, true, endorsed.mismatches);
    const envelope = codecs.Envelope.encode({ payload: transactionPayload(proposal, endorsed.first.payload, endorsed.endorsements) });
    const committed = await this.order(proposal, base, envelope, endorsed);
    return this.end(handler, base, committed.validation, committed.blockNum);
  }

  /**
   * Gateway Evaluate: simulates a client's proposal without ordering anything; recorded as a query.
   * It runs on the caller's org's peer, or on a peer of the first of `targetOrgs` (the request's
   * target organizations) when the client names some.
   */
  async evaluate(proposal: Proposal, caller: Caller, targetOrgs?: readonly string[]): Promise<Simulation> {
    const height = this.peer.ledger(proposal.channel).height;
    const handler = await this.peer.readyHandler(proposal.chaincodeName);
    const on = targetOrgs?.length ? this.planner.plan(proposal.channel, handler.chaincodeName, targetOrgs.slice(0, 1)) : [this.peer];
    const [simulation] = (await this.simulateOn(on, handler, proposal.chaincodeName, proposal, 'query')).simulations;
    this.end(handler, recordBase(proposal, handler, 'query', simulation, caller, height), 'NOT_VALIDATED', null);
    return simulation;
  }

  /**
   * Gateway Endorse: simulates a client's proposal on the peers that must endorse it (those of
   * `endorsingOrgs`, else as the policy needs, `localOrg`'s peer first: the Gateway's own) and
   * endorses it as each of them; returns the prepared transaction for the client to sign, or throws
   * EndorsementError (nothing prepared).
   */
  async endorse(proposal: Proposal, caller: Caller, endorsingOrgs?: readonly string[], localOrg?: string): Promise<PreparedTransaction> {
    const height = this.peer.ledger(proposal.channel).height;
    const handler = await this.peer.readyHandler(proposal.chaincodeName);
    const kind: TransactionKind = proposal.isInit ? 'init' : 'invoke';
    let endorsers = this.planner.plan(proposal.channel, handler.chaincodeName, endorsingOrgs, localOrg);
    let simulated = await this.simulateOn(endorsers, handler, proposal.chaincodeName, proposal, kind);
    if (!endorsingOrgs?.length) {
      simulated = await this.endorsedEnough(simulated, proposal.chaincodeName, proposal, kind);
      endorsers = [...simulated.peers];
    }
    const base = recordBase(proposal, handler, kind, simulated.simulations[0], caller, height);
    const untrusted =
      endorsingOrgs?.length || Object.keys(proposal.transient).length === 0
        ? []
        : orgsOutsideDistribution(
            this.definitions,
            proposal.channel,
            simulated.simulations[0].rwset,
            simulated.peers.map((p) => p.mspId),
          );
    if (untrusted.length > 0) {
      this.end(handler, base, 'NOT_COMMITTED', null);
      throw new EndorsementPlanError(
        `requires endorsement from organisation(s) that are not in the distribution policy of the private data collection(s): [${untrusted.join(' ')}]; retry specifying trusted endorsing organizations to protect transient data`,
      );
    }
    const refused = simulated.simulations.findIndex((sim) => sim.failure !== null || assemblyError(sim.response) !== null);
    if (refused >= 0) {
      const sim = simulated.simulations[refused];
      this.end(handler, base, 'NOT_COMMITTED', null);
      const who = [{ peer: endorsers[refused].name, mspId: endorsers[refused].mspId }];
      throw new EndorsementError(sim.failure ?? `chaincode response ${sim.response.status}, ${sim.response.message}`, sim.failure ? null : sim.response, who);
    }
    const endorsed = this.endorseAll(simulated, proposal, (p) => ({ serialized: p.signer.serialized, signer: p.signer }));
    if ('mismatches' in endorsed) {
      this.end(handler, { ...base, message: PAYLOADS_DO_NOT_MATCH }, 'NOT_COMMITTED', null, true, endorsed.mismatches);
      throw new EndorsementError(PAYLOADS_DO_NOT_MATCH, null, endorsed.mismatches, endorsed.mismatches);
    }
    const prepared: PreparedTransaction = {
      txId: proposal.txId,
      channel: proposal.channel,
      payload: transactionPayload(proposal, endorsed.first.payload, endorsed.endorsements),
      response: simulated.simulations[0].response,
    };
    this.forgetExpired();
    this.prepared.set(proposal.txId, { prepared, handler, proposal, base, endorsed, expires: Date.now() + PREPARED_TTL_MS });
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
    void this.order(pending.proposal, pending.base, envelope, pending.endorsed).then(
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
  async simulateAgainst(state: StateReader, proposal: Proposal, timeoutMs?: number): Promise<{ readonly chaincodeId: string; readonly simulation: Simulation }> {
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

  /**
   * Runs the proposal on every endorsing peer's instance of the chaincode (the first peer's handler
   * is `handler`); the transaction is announced once it is in flight on the first.
   */
  private async simulateOn(
    endorsers: readonly Peer[],
    handler: Handler,
    chaincode: string,
    proposal: Proposal,
    kind: TransactionKind,
    timeoutMs?: number,
    announced = true,
  ): Promise<Simulated> {
    // Another org's instance that is missing is named with its peer: the caller's org's runs fine.
    const handlers = await Promise.all(
      endorsers.map((p) =>
        p === this.peer
          ? Promise.resolve(handler)
          : p.readyHandler(chaincode).catch((err: unknown) => {
              throw err instanceof UnknownChaincodeError ? new UnknownChaincodeError(`${p.name}: ${err.message}`, { cause: err }) : err;
            }),
      ),
    );
    const request = simulationRequest(proposal, kind, timeoutMs);
    const simulations = Promise.all(endorsers.map((p, i) => p.simulate(handlers[i], { ...request, collections: this.collectionRules(p, proposal) })));
    if (announced) {
      this.txStarted.fire({
        handlerId: handlers[0].id,
        chaincodeId: handlers[0].chaincodeId,
        channel: proposal.channel,
        txId: proposal.txId,
        fn: request.fn,
        args: proposal.args.slice(1).map(argText),
        kind,
        startedAt: proposal.timestampMs,
      });
    }
    return { peers: endorsers, handler, simulations: await simulations };
  }

  /**
   * As Fabric's gateway plans from the first endorsement (endorse.go planFromFirstEndorser): what
   * the transaction writes may need more orgs than the chaincode's policy alone (a key-level policy,
   * a collection's endorsement policy, another org's implicit collection). When the endorsers so far
   * would not pass validation against the state as committed now, the other peers are added in
   * network order, each running the proposal too, until they would; if none suffice, the commit says
   * ENDORSEMENT_POLICY_FAILURE. A failed simulation is left for the caller to report.
   */
  private async endorsedEnough(simulated: Simulated, chaincode: string, proposal: Proposal, kind: TransactionKind, timeoutMs?: number): Promise<Simulated> {
    const first = simulated.simulations[0];
    if (first.failure !== null || assemblyError(first.response) !== null) return simulated;
    // Only peers that run the chaincode can endorse (one run by hand may be on some orgs' peers only).
    const others = this.peers.filter((p) => !simulated.peers.includes(p) && p.registry.resolve(chaincode)?.state === 'ready');
    if (others.length === 0) return simulated;
    const passes = (peers: readonly Peer[]): boolean =>
      this.validatorFor(
        proposal,
        peers.map((p) => Buffer.from(p.signer.serialized)),
      ).validate(first.rwset, this.committedMetadata(proposal.channel)) === 'VALID';
    if (passes(simulated.peers)) return simulated;
    const needed: Peer[] = [];
    for (const peer of others) {
      needed.push(peer);
      if (passes([...simulated.peers, ...needed])) break;
    }
    if (!passes([...simulated.peers, ...needed])) return simulated;
    const more = await this.simulateOn(needed, simulated.handler, chaincode, proposal, kind, timeoutMs, false);
    return { peers: [...simulated.peers, ...more.peers], handler: simulated.handler, simulations: [...simulated.simulations, ...more.simulations] };
  }

  /** The commit's endorsement validation for a transaction endorsed by `endorsers` (serialized identities). */
  private validatorFor(proposal: Proposal, endorsers: readonly Buffer[]): EndorsementValidator {
    return endorsementValidator(
      this.msps,
      this.planner.policy(proposal.channel, proposal.chaincodeName),
      endorsers,
      collectionEndorsementPolicies(this.definitions, proposal.channel, this.msps),
    );
  }

  /** Key metadata (VALIDATION_PARAMETER) as committed now on the caller's org's peer (a private key's is with its hash, on every peer). */
  private committedMetadata(channel: string): Parameters<EndorsementValidator['validate']>[1] {
    const state = this.peer.ledger(channel).state;
    return (chaincode, collection, key) =>
      (collection === '' ? state.getState({ channel, chaincode }, key) : state.getPrivateDataHashEntry({ channel, chaincode }, collection, key))?.metadata;
  }

  /**
   * Which collections' private data `creator` may be sent on `channel` (block events with private
   * data): those whose member policy it satisfies, as Fabric's deliver service filters them.
   */
  privateDataRecipient(channel: string, creator: Uint8Array): (chaincode: string, collection: string) => boolean {
    const rules = new PrivateDataRules(this.definitions, this.msps, { channel, peerMspId: this.peer.mspId, creator, lastBlock: this.peer.ledger(channel).height });
    return (chaincode, collection) => rules.creatorIsMemberOf(chaincode, collection);
  }

  /** A record of a transaction that did not commit, as the caller's org's peer keeps it (hashes of collections it is not in). */
  private keepRecord(record: TransactionRecord): void {
    const rwset = keptReadWriteSet(record.rwset, peerKeeps(this.definitions, record.channel, this.peer.mspId));
    this.peer.ledger(record.channel).state.recordTransaction(rwset === record.rwset ? record : { ...record, rwset });
  }

  /**
   * `peer`'s ledger of `channel` as the orderer delivers to it: with the private data its org keeps
   * (hashes of the rest), purging what the collections' blockToLive lets expire.
   */
  private committerOf(peer: Peer, channel: string): BlockCommitter {
    const ledger = peer.ledger(channel);
    const keeps = peerKeeps(this.definitions, channel, peer.mspId);
    const blockToLive = collectionBlockToLive(this.definitions, channel);
    return {
      commitBlock: (requests) =>
        ledger.commitBlock(
          requests.map((r) => keptBy(r, keeps)),
          { blockToLive },
        ),
    };
  }

  /** The private data rules `peer` applies to the proposal's creator (its org, its ledger's height). */
  private collectionRules(peer: Peer, proposal: Proposal): PrivateDataRules {
    return new PrivateDataRules(this.definitions, this.msps, {
      channel: proposal.channel,
      peerMspId: peer.mspId,
      creator: proposal.creator,
      lastBlock: peer.ledger(proposal.channel).height,
    });
  }

  /** Each endorser's ProposalResponsePayload and endorsement; the ones that differ from the first, when any do. */
  private endorseAll(
    simulated: Simulated,
    proposal: Proposal,
    endorser: (peer: Peer) => Parameters<typeof endorse>[3],
  ): EndorsedBy | { readonly mismatches: EndorsementMismatch[] } {
    const version = chaincodeVersionOf(simulated.handler.chaincodeId);
    const all = simulated.peers.map((p, i) => endorse(proposal, simulated.simulations[i], version, endorser(p)));
    const differ = mismatches(
      simulated.peers,
      all.map((e) => e.payload),
      simulated.simulations,
    );
    if (differ.length > 0) return { mismatches: differ };
    return { peers: simulated.peers, first: all[0], endorsements: all.map((e) => e.endorsement) };
  }

  /** Orders the envelope and waits for its block; whoever waits on its commit status hears of it. */
  private async order(proposal: Proposal, base: RecordBase, envelope: Buffer, endorsed: EndorsedBy): Promise<CommitResult> {
    const privateData = endorsed.first.privateResults;
    const committed = await this.orderer.submit(proposal.channel, {
      txId: proposal.txId,
      timestamp: proposal.timestampMs,
      rwset: base.rwset,
      record: base,
      envelope,
      ...(privateData ? { privateData } : {}),
      endorsements: this.validatorFor(
        proposal,
        endorsed.endorsements.map((e) => Buffer.from(e.endorser)),
      ),
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
  private end(
    handler: Handler,
    base: RecordBase,
    validation: ValidationCode,
    blockNum: number | null,
    announced = true,
    mismatched?: readonly EndorsementMismatch[],
  ): ExecuteResult {
    const record: TransactionRecord = { ...base, validation, blockNum };
    if (announced) {
      if (blockNum === null) this.keepRecord(record);
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
      ...(mismatched ? { mismatches: mismatched } : {}),
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
