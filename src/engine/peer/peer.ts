/**
 * The embedded peer: a chaincode server, the handlers of the chaincodes connected to it, and the
 * world state they run against. It endorses (simulates a proposal on a chaincode, `simulate`) and
 * keeps the ledger; the transaction pipeline (../transactions) decides what to run and what to
 * commit. No globals, so two can coexist.
 */
import * as fs from 'fs';
import { ChannelLedger } from '../ledger/channelLedger';
import type { Durability } from '../ledger/logFile';
import { TxSimulator, type CollectionGuard } from '../ledger/simulator';
import type { ChaincodeEventRecord, ReadWriteSet, StateReader } from '../ledger/types';
import { interpretOutcome, isEndorsable, type ChaincodeResponse } from '../transactions/response';
import { keptCopy } from '../util/bytes';
import { Emitter } from '../util/events';
import { codecs } from '../wire/codec';
import { ChaincodeMessage, MessageType, SignedProposal } from '../wire/messages';
import { argText } from './arguments';
import { Handler, HandlerHost } from './handler';
import { HandlerRegistry } from './handlerRegistry';
import { orgSpec, Organization, type SigningIdentity } from '../msp';
import { ListeningServer, startChaincodeServer } from './server';
import { TlsAuthority } from './tlsAuthority';
import type { ChaincodeStream } from './stream';
import type { ExecutionOutcome, TransactionContext } from './transactionContext';
import type { HandlerInfo, HandlerStateChange, LedgerBackgroundError, PeerDiagnostic } from './types';

export interface PeerOptions {
  readonly dataDir: string;
  /** Default 127.0.0.1: the peer is never reachable from another machine unless asked. */
  readonly host?: string;
  /** Default 0 (ephemeral). */
  readonly port?: number;
  /** The organisation this peer belongs to (its crypto, peer0 identity and users). */
  readonly org?: Organization;
  /** Without `org`: the MSP id of an organisation made (once) in `dataDir`, cryptogen's way. Default Org1MSP. */
  readonly mspId?: string;
  /** The channel transactions run on when a request names none. Default `mychannel`. */
  readonly channel?: string;
  /** The channels this peer has joined, each with its own ledger. Default: the default channel. */
  readonly channels?: readonly string[];
  readonly executeTimeoutMs?: number;
  /** Accept a REGISTER nobody launched (Fabric's --peer-chaincodedev). Default true. */
  readonly devMode?: boolean;
  /** When a commit counts as done: written to the log (`process`, default) or synced to disk (`disk`). */
  readonly durability?: Durability;
}

export class UnknownChaincodeError extends Error {
  override readonly name = 'UnknownChaincodeError';
}

/** A proposal for a channel this peer has not joined (Fabric's endorser: "channel '%s' not found"). */
export class ChannelNotFoundError extends Error {
  override readonly name = 'ChannelNotFoundError';
  constructor(readonly channel: string) {
    super(`channel '${channel}' not found`);
  }
}

/** One proposal to run on a handler (the chaincode message's fields). */
export interface SimulationRequest {
  readonly channel: string;
  readonly txId: string;
  readonly type: MessageType.INIT | MessageType.TRANSACTION;
  /** The encoded ChaincodeInput. */
  readonly input: Uint8Array;
  readonly signedProposal: SignedProposal;
  /** args[0] as text, for the handler's in-flight list. */
  readonly fn: string;
  /** Default: the peer's execute timeout. */
  readonly timeoutMs?: number;
  /**
   * What the chaincode reads. Default: the channel's committed state. Replay passes a view of the
   * ledger as an earlier transaction read it.
   */
  readonly state?: StateReader;
  /** What this peer enforces on private data for this transaction; absent: nothing (see CollectionGuard). */
  readonly collections?: CollectionGuard;
}

/** What the chaincode did: its response, the read/write set it produced and its event. */
export interface Simulation {
  /** The chaincode's Response; a synthesized 500 when it gave none (see `failure`). */
  readonly response: ChaincodeResponse;
  /**
   * Why the chaincode gave no Response, when it did not: a timeout, a lost stream, or an ERROR
   * message. Fabric's endorser reports these as its own error, not as a chaincode response.
   */
  readonly failure: string | null;
  /** Only for an endorsable response (below 400), as Fabric's endorser keeps it. */
  readonly event: ChaincodeEventRecord | null;
  /** Empty when the chaincode never answered (timeout, stream ended). */
  readonly rwset: ReadWriteSet;
}

const NO_RWSET: ReadWriteSet = { reads: [], writes: [], metadataWrites: [] };

export class Peer {
  readonly registry: HandlerRegistry;
  private readonly handlerSet = new Set<Handler>();
  private readonly pausedChaincodes = new Set<string>();
  private readonly stateChanged = new Emitter<HandlerStateChange>();
  private readonly diagnostics = new Emitter<PeerDiagnostic>();
  private readonly ledgerErrors = new Emitter<LedgerBackgroundError>();
  readonly onDidChangeHandlerState = this.stateChanged.event;
  readonly onDiagnostic = this.diagnostics.event;
  /** A ledger's compaction or snapshot failed: the CLI prints it, the editor logs it and warns. */
  readonly onLedgerError = this.ledgerErrors.event;
  private server: ListeningServer | null = null;
  /** Transactions (and queries) between their start and their chaincode's final message. */
  private executing = 0;
  private tlsServer: ListeningServer | null = null;
  private tlsAuthorityValue: TlsAuthority | null = null;
  private tlsStarting: Promise<{ address: string; authority: TlsAuthority }> | null = null;
  readonly channel: string;
  executeTimeoutMs: number;

  private constructor(
    private readonly channelLedgers: ReadonlyMap<string, ChannelLedger>,
    /** Its organisation: the MSP it validates and signs as. */
    readonly org: Organization,
    /** peer0 of the org: signs this peer's endorsements. */
    readonly signer: SigningIdentity,
    /** User1 of the org: who calls when an in-process request names nobody. */
    readonly creator: SigningIdentity,
    options: PeerOptions,
  ) {
    this.registry = new HandlerRegistry({
      acceptUnlaunched: options.devMode ?? true,
      certificateOwner: (fingerprint) => this.tlsAuthorityValue?.chaincodeFor(fingerprint),
    });
    this.channel = options.channel ?? 'mychannel';
    for (const [channel, ledger] of channelLedgers) ledger.onBackgroundError((error) => this.ledgerErrors.fire({ peer: this.name, channel, error }));
    this.executeTimeoutMs = options.executeTimeoutMs ?? 30_000;
  }

  static async start(options: PeerOptions): Promise<Peer> {
    await fs.promises.mkdir(options.dataDir, { recursive: true });
    const org = options.org ?? (await Organization.open(options.dataDir, orgSpec(options.mspId ?? 'Org1MSP')));
    const creator = await org.identity('User1');
    let created: Peer | undefined;
    // While other transactions execute, a commit's sync leaves the event loop free to serve them.
    const othersWaiting = (): boolean => (created?.executing ?? 0) > 0;
    const channel = options.channel ?? 'mychannel';
    const ledgers = new Map<string, ChannelLedger>();
    try {
      for (const name of new Set([channel, ...(options.channels ?? [])])) {
        ledgers.set(name, await ChannelLedger.open(options.dataDir, name, { durability: options.durability, othersWaiting }));
      }
    } catch (err) {
      await Promise.all([...ledgers.values()].map((l) => l.close()));
      throw err;
    }
    const peer = (created = new Peer(ledgers, org, org.peer.identity, creator, options));
    try {
      peer.server = await startChaincodeServer(options.host ?? '127.0.0.1', options.port ?? 0, null, (s) => peer.attachStream(s));
    } catch (err) {
      await Promise.all([...ledgers.values()].map((l) => l.close()));
      const e = err as Error;
      throw new Error(`cannot listen on ${options.host ?? '127.0.0.1'}:${options.port ?? 0}: ${e.message}`, { cause: err });
    }
    return peer;
  }

  /** The MSP id of its organisation. */
  get mspId(): string {
    return this.org.mspId;
  }

  /** `peer0.<domain>`, as Fabric names the peer (and its TLS certificate). */
  get name(): string {
    return this.org.peer.name;
  }

  /** The ledger of a channel this peer has joined. */
  ledger(channel: string = this.channel): ChannelLedger {
    const ledger = this.channelLedgers.get(channel);
    if (!ledger) throw new ChannelNotFoundError(channel);
    return ledger;
  }

  /** Every joined channel's ledger. */
  ledgers(): ChannelLedger[] {
    return [...this.channelLedgers.values()];
  }

  /** `host:port` as a shim's --peer.address wants it. */
  get address(): string {
    if (!this.server) throw new Error('the peer is not listening');
    return `${this.server.host}:${this.server.port}`;
  }

  get port(): number {
    return this.server?.port ?? 0;
  }

  /** The TLS authority of the net-mode listener, once enabled. */
  get tlsAuthority(): TlsAuthority | null {
    return this.tlsAuthorityValue;
  }

  /**
   * Starts the mutual-TLS listener net-mode containers dial (dev mode stays plaintext on the main
   * listener). Idempotent: the first call's options hold. Only clients with a certificate from this
   * peer's CA get through. `listen`: where, when not the peer's own host on a free port (containers
   * of a remote Docker engine dial it there); `extraHosts`: more names for its certificate.
   */
  async enableTls(
    options: { readonly listen?: { readonly host: string; readonly port: number }; readonly extraHosts?: readonly string[] } = {},
  ): Promise<{ address: string; authority: TlsAuthority }> {
    const server = this.server;
    if (!server) throw new Error('the peer is not listening');
    // Concurrent launches share one start: a second listener on a fixed port would find it taken.
    this.tlsStarting ??= (async () => {
      const hosts = [...new Set(['127.0.0.1', 'localhost', 'host.docker.internal', ...(options.extraHosts ?? [])])];
      const authority = await TlsAuthority.create(hosts);
      this.tlsServer = await startChaincodeServer(
        options.listen?.host ?? server.host,
        options.listen?.port ?? 0,
        { rootCertPem: authority.ca.certPem, certPem: authority.server.certPem, keyPem: authority.server.keyPem },
        (s) => this.attachStream(s),
      );
      this.tlsAuthorityValue = authority;
      return { address: `${this.tlsServer.host}:${this.tlsServer.port}`, authority };
    })().catch((err: unknown) => {
      this.tlsStarting = null; // the next launch tries again
      throw err;
    });
    return this.tlsStarting;
  }

  handlers(): HandlerInfo[] {
    return [...this.handlerSet].map((h) => h.info());
  }

  /** Starts a handler on any stream (gRPC, chaincode-as-a-service, in-process). */
  attachStream(stream: ChaincodeStream): Handler {
    const handler = new Handler(stream, this.handlerHost);
    this.handlerSet.add(handler);
    this.stateChanged.fire({ handler: handler.info(), previous: null });
    return handler;
  }

  waitForReady(ccid: string, timeoutMs: number, signal?: AbortSignal): Promise<HandlerInfo> {
    return this.registry.waitFor(ccid, ['ready'], timeoutMs, signal).then((h) => h.info());
  }

  /** The debugger holds this chaincode: its transactions' execute timeouts stop running. */
  pauseExecuteTimeout(ccid: string): void {
    this.pausedChaincodes.add(ccid);
    this.registry.resolve(ccid)?.setTimeoutsPaused(true);
  }

  resumeExecuteTimeout(ccid: string): void {
    this.pausedChaincodes.delete(ccid);
    this.registry.resolve(ccid)?.setTimeoutsPaused(false);
  }

  /**
   * Set by the launcher: waits for a chaincode that is not ready to register again (a dev-mode
   * chaincode whose process is gone, as in Fabric 2.x); undefined when there is nothing to wait for.
   */
  awaitHandler: ((chaincode: string) => Promise<Handler | undefined>) | undefined;

  /**
   * The handler that runs `chaincode`: the exact id (`name:version`), or a bare name when one
   * version of it is ready. A chaincode the launcher expects back (dev mode, its process gone) is
   * waited for; otherwise throws UnknownChaincodeError naming the ready ones.
   */
  async readyHandler(chaincode: string): Promise<Handler> {
    let handler = this.registry.resolve(chaincode);
    if (handler?.state !== 'ready') handler = (await this.awaitHandler?.(chaincode)) ?? handler;
    if (handler?.state === 'ready') return handler;
    const running = this.registry
      .all()
      .filter((h) => h.state === 'ready')
      .map((h) => h.chaincodeId);
    throw new UnknownChaincodeError(
      `chaincode ${chaincode} is not ${handler ? 'ready (state ' + handler.state + ')' : 'registered'}; ready: ${running.length ? running.join(', ') : 'none'}`,
    );
  }

  /**
   * The endorser's half of a transaction (Fabric's core/endorser callChaincode): runs the proposal on
   * the handler against a simulator over this peer's committed state and returns the response, the
   * read/write set and the event. Commits nothing. The transaction is in flight on the handler as
   * soon as this returns its promise (nothing is awaited before handing it to the handler).
   */
  async simulate(handler: Handler, req: SimulationRequest): Promise<Simulation> {
    const simulator = new TxSimulator(req.state ?? this.ledger(req.channel).state, req.channel, req.txId, req.collections);
    const execution = handler.execute({ ...req, simulator, timeoutMs: req.timeoutMs ?? this.executeTimeoutMs });
    this.executing++;
    let outcome: ExecutionOutcome;
    try {
      outcome = await execution;
    } finally {
      this.executing--;
    }
    const response = interpretOutcome(outcome);
    // Fabric's endorser drops the event of a response >= 400, as it drops the writes.
    const chaincodeEvent = outcome.kind === 'message' && isEndorsable(response) ? outcome.message.chaincode_event : undefined;
    const event: ChaincodeEventRecord | null = chaincodeEvent?.event_name
      ? { chaincodeId: handler.chaincodeName, txId: req.txId, eventName: chaincodeEvent.event_name, payload: keptCopy(chaincodeEvent.payload) }
      : null;
    const failure = outcome.kind === 'failed' ? outcome.reason : outcome.message.type === MessageType.ERROR ? response.message : null;
    return { response, failure, event, rwset: outcome.kind === 'message' ? simulator.readWriteSet() : NO_RWSET };
  }

  async stop(): Promise<void> {
    for (const h of this.handlerSet) h.close('the peer is stopping');
    await Promise.all([this.server?.stop(), this.tlsServer?.stop()]);
    this.server = null;
    this.tlsServer = null;
    this.tlsStarting = null;
    await Promise.all(this.ledgers().map((l) => l.close()));
    for (const e of [this.stateChanged, this.diagnostics, this.ledgerErrors]) e.dispose();
  }

  /**
   * INVOKE_CHAINCODE (Fabric's HandleInvokeChaincode → ChaincodeSupport.Invoke): run the callee on
   * the same txid; same channel → its writes join the caller's. Errors carry Fabric's wrapping, so
   * the chaincode sees the peer's words: "execute failed: invalid invocation: …" for a chaincode
   * that is not there (CheckInvocation), "execute failed: error sending: …" when it cannot run it
   * (ChaincodeSupport.execute: a timeout, a lost stream, a chaincode calling itself on its own txid).
   */
  private readonly invokeChaincode = async (ctx: TransactionContext, target: { name: string; channel: string }, args: Uint8Array[]): Promise<ChaincodeMessage> => {
    const callee = this.registry.resolve(target.name);
    if (!callee || callee.state !== 'ready') {
      throw new Error(
        `execute failed: invalid invocation: [channel ${target.channel}] failed to get chaincode container info for ${target.name}: chaincode ${target.name} not found`,
      );
    }
    // Another channel is read-only for the caller, as in Fabric: a fresh simulator whose writes are
    // dropped. A channel this peer has not joined fails the ACL check first (aclmgmt's policy lookup).
    let simulator = ctx.simulator;
    if (target.channel !== ctx.channel) {
      const ledger = this.channelLedgers.get(target.channel);
      if (!ledger) throw new Error(`Failed to get policy manager for channel [${target.channel}]`);
      simulator = new TxSimulator(ledger.state, target.channel, ctx.txId);
    }
    const outcome = await callee.execute({
      channel: target.channel,
      txId: ctx.txId,
      type: MessageType.TRANSACTION,
      input: codecs.ChaincodeInput.encode({ args }),
      signedProposal: ctx.signedProposal,
      simulator,
      timeoutMs: this.executeTimeoutMs,
      fn: args.length ? argText(args[0]) : '',
    });
    if (outcome.kind === 'failed') throw new Error(`execute failed: error sending: ${outcome.reason}`);
    return outcome.message;
  };

  private readonly handlerHost: HandlerHost = {
    register: (handler) => this.registry.register(handler),
    ready: (handler) => {
      if (this.pausedChaincodes.has(handler.chaincodeId)) handler.setTimeoutsPaused(true);
    },
    changed: (handler, previous) => {
      this.registry.notify(handler);
      this.stateChanged.fire({ handler: handler.info(), previous });
    },
    ended: (handler, reason) => {
      this.registry.remove(handler);
      this.handlerSet.delete(handler);
      this.diagnostics.fire({ level: 'info', handlerId: handler.id, message: `handler ${handler.chaincodeId || handler.id} ended: ${reason}` });
    },
    diagnostic: (d) => this.diagnostics.fire(d),
    invokeChaincode: this.invokeChaincode,
  };
}
