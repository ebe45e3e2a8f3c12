/**
 * The embedded peer: a chaincode server, the handlers of the chaincodes connected to it, the world
 * state they run against, and the one API that executes transactions (`execute`). The editor, the
 * CLI and the launch engine all go through this object; it has no globals, so two can coexist.
 */
import { isUtf8 } from 'buffer';
import * as fs from 'fs';
import { WorldState, type Durability } from '../ledger/worldState';
import { TxSimulator } from '../ledger/simulator';
import type { ChaincodeEventRecord, ReadWriteSet, TransactionRecord, ValidationCode } from '../ledger/types';
import { keptCopy } from '../util/bytes';
import { Emitter } from '../util/events';
import { codecs } from '../wire/codec';
import { ChaincodeMessage, MessageType } from '../wire/messages';
import { Handler, HandlerHost } from './handler';
import { HandlerRegistry } from './handlerRegistry';
import { loadCreatorIdentity, CreatorIdentity } from './identity';
import { buildProposal } from './proposal';
import { ListeningServer, startChaincodeServer } from './server';
import { TlsAuthority } from './tlsAuthority';
import { RegistrationError } from './handlerRegistry';
import type { ChaincodeStream } from './stream';
import type { ExecutionOutcome, TransactionContext } from './transactionContext';
import type {
  ExecuteRequest,
  ExecuteResult,
  HandlerInfo,
  HandlerStateChange,
  PeerDiagnostic,
  TransactionEnded,
  TransactionStarted,
} from './types';

export interface PeerOptions {
  readonly dataDir: string;
  /** Default 127.0.0.1: the peer is never reachable from another machine unless asked. */
  readonly host?: string;
  /** Default 0 (ephemeral). */
  readonly port?: number;
  readonly mspId?: string;
  readonly channel?: string;
  readonly executeTimeoutMs?: number;
  /** Accept a REGISTER nobody launched (Fabric's --peer-chaincodedev). Default true. */
  readonly devMode?: boolean;
  /** When a commit counts as done: written to the log (`process`, default) or synced to disk (`disk`). */
  readonly durability?: Durability;
}

export class UnknownChaincodeError extends Error {}

function toBytes(v: string | Uint8Array): Buffer {
  return typeof v === 'string' ? Buffer.from(v, 'utf8') : Buffer.from(v);
}

/** An argument as the records show it: its text, or base64 when it is not valid UTF-8. */
function argText(v: Uint8Array): string {
  const bytes = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  return isUtf8(bytes) ? bytes.toString('utf8') : `base64:${bytes.toString('base64')}`;
}

const NO_RWSET: ReadWriteSet = { reads: [], writes: [], metadataWrites: [] };

export class Peer {
  readonly registry: HandlerRegistry;
  private readonly handlerSet = new Set<Handler>();
  private readonly pausedChaincodes = new Set<string>();
  private readonly stateChanged = new Emitter<HandlerStateChange>();
  private readonly txStarted = new Emitter<TransactionStarted>();
  private readonly txEnded = new Emitter<TransactionEnded>();
  private readonly diagnostics = new Emitter<PeerDiagnostic>();
  readonly onDidChangeHandlerState = this.stateChanged.event;
  readonly onDidStartTransaction = this.txStarted.event;
  readonly onDidEndTransaction = this.txEnded.event;
  readonly onDiagnostic = this.diagnostics.event;
  private server: ListeningServer | null = null;
  /** Transactions (and queries) between their start and their chaincode's final message. */
  private executing = 0;
  private tlsServer: ListeningServer | null = null;
  private tlsAuthorityValue: TlsAuthority | null = null;
  readonly channel: string;
  executeTimeoutMs: number;

  private constructor(
    readonly worldState: WorldState,
    readonly creator: CreatorIdentity,
    options: PeerOptions,
  ) {
    this.registry = new HandlerRegistry(options.devMode ?? true);
    this.channel = options.channel ?? 'mychannel';
    this.executeTimeoutMs = options.executeTimeoutMs ?? 30_000;
  }

  static async start(options: PeerOptions): Promise<Peer> {
    await fs.promises.mkdir(options.dataDir, { recursive: true });
    const creator = await loadCreatorIdentity(options.dataDir, options.mspId ?? 'Org1MSP');
    let created: Peer | undefined;
    // While other transactions execute, a commit's sync leaves the event loop free to serve them.
    const othersWaiting = (): boolean => (created?.executing ?? 0) > 0;
    const worldState = await WorldState.open(`${options.dataDir}/ledger`, { durability: options.durability, othersWaiting });
    const peer = (created = new Peer(worldState, creator, options));
    try {
      peer.server = await startChaincodeServer(options.host ?? '127.0.0.1', options.port ?? 0, null, (s) => peer.attachStream(s));
    } catch (err) {
      await worldState.close();
      const e = err as Error;
      throw new Error(`cannot listen on ${options.host ?? '127.0.0.1'}:${options.port ?? 0}: ${e.message}`);
    }
    return peer;
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
   * listener). Idempotent. Only clients with a certificate from this peer's CA get through.
   */
  async enableTls(hosts: readonly string[] = ['127.0.0.1', 'localhost', 'host.docker.internal']): Promise<{ address: string; authority: TlsAuthority }> {
    if (!this.server) throw new Error('the peer is not listening');
    if (!this.tlsServer || !this.tlsAuthorityValue) {
      const authority = await TlsAuthority.create(hosts);
      this.tlsServer = await startChaincodeServer(
        this.server.host,
        0,
        { rootCertPem: authority.ca.certPem, certPem: authority.server.certPem, keyPem: authority.server.keyPem },
        (s) => this.attachStream(s),
      );
      this.tlsAuthorityValue = authority;
    }
    return { address: `${this.tlsServer.host}:${this.tlsServer.port}`, authority: this.tlsAuthorityValue };
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

  /** Runs a transaction (or query) on a registered chaincode and commits its writes when it succeeds. */
  async execute(req: ExecuteRequest): Promise<ExecuteResult> {
    const handler = this.registry.resolve(req.chaincode);
    if (!handler || handler.state !== 'ready') {
      const running = this.registry.all().filter((h) => h.state === 'ready').map((h) => h.chaincodeId);
      throw new UnknownChaincodeError(
        `chaincode ${req.chaincode} is not ${handler ? 'ready (state ' + handler.state + ')' : 'registered'}; ready: ${running.length ? running.join(', ') : 'none'}`,
      );
    }
    const channel = req.channel ?? this.channel;
    const kind = req.kind ?? 'invoke';
    const creator = req.creator ?? this.creator;
    const args = req.args.map(toBytes);
    const transient: Record<string, Uint8Array> = {};
    for (const [k, v] of Object.entries(req.transient ?? {})) transient[k] = toBytes(v);
    const built = buildProposal({
      channel,
      chaincodeName: handler.chaincodeName,
      args,
      transient,
      isInit: kind === 'init',
      creator,
      txId: req.txId,
    });
    const started: TransactionStarted = {
      handlerId: handler.id,
      chaincodeId: handler.chaincodeId,
      channel,
      txId: built.txId,
      fn: args.length ? argText(args[0]) : '',
      args: args.slice(1).map(argText),
      kind,
      startedAt: built.timestampMs,
    };
    const simulator = new TxSimulator(this.worldState, channel);
    const execution = handler.execute({
      channel,
      txId: built.txId,
      type: kind === 'init' ? MessageType.INIT : MessageType.TRANSACTION,
      input: codecs.ChaincodeInput.encode({ args, is_init: kind === 'init' }),
      signedProposal: built.signedProposal,
      simulator,
      timeoutMs: req.timeoutMs ?? this.executeTimeoutMs,
      fn: started.fn,
    });
    // After the handler has it in flight, so a listener reading `handlers()` sees it running.
    this.txStarted.fire(started);
    this.executing++;
    let outcome: ExecutionOutcome;
    try {
      outcome = await execution;
    } finally {
      this.executing--;
    }
    const response = interpretOutcome(outcome);
    // Fabric's endorser drops the event of a response >= 400, as it drops the writes.
    const event: ChaincodeEventRecord | null =
      outcome.kind === 'message' && response.status < 400 && outcome.message.chaincode_event?.event_name
        ? {
            chaincodeId: handler.chaincodeName,
            txId: built.txId,
            eventName: outcome.message.chaincode_event.event_name,
            payload: keptCopy(outcome.message.chaincode_event.payload),
          }
        : null;
    const rwset = outcome.kind === 'message' ? simulator.readWriteSet() : NO_RWSET;
    const durationMs = Date.now() - built.timestampMs;
    const base = {
      txId: built.txId,
      channel,
      chaincode: handler.chaincodeId,
      fn: started.fn,
      args: started.args,
      kind,
      creator: { mspId: creator.mspId, subject: creator.subject },
      startedAt: built.timestampMs,
      durationMs,
      status: response.status,
      message: response.message,
      payload: response.payload,
      rwset,
      event,
    };
    let validation: ValidationCode;
    let blockNum: number | null = null;
    if (kind !== 'query' && outcome.kind === 'message' && response.status < 400) {
      const committed = await this.worldState.commit({ txId: built.txId, timestamp: built.timestampMs, rwset, record: base });
      validation = committed.validation;
      blockNum = committed.blockNum;
    } else {
      validation = kind === 'query' && response.status < 400 ? 'VALID' : 'NOT_COMMITTED';
      this.worldState.recordTransaction({ ...base, validation, blockNum: null });
    }
    const record: TransactionRecord = { ...base, validation, blockNum };
    this.txEnded.fire({ handlerId: handler.id, record });
    return {
      txId: built.txId,
      channel,
      chaincodeId: handler.chaincodeId,
      status: response.status,
      message: response.message,
      payload: response.payload,
      event,
      readWriteSet: rwset,
      validation,
      blockNum,
      durationMs,
    };
  }

  async stop(): Promise<void> {
    for (const h of this.handlerSet) h.close('the peer is stopping');
    await Promise.all([this.server?.stop(), this.tlsServer?.stop()]);
    this.server = null;
    this.tlsServer = null;
    await this.worldState.close();
    for (const e of [this.stateChanged, this.txStarted, this.txEnded, this.diagnostics]) e.dispose();
  }

  /** INVOKE_CHAINCODE: run the callee on the same txid; same channel → its writes join the caller's. */
  private readonly invokeChaincode = async (ctx: TransactionContext, target: { name: string; channel: string }, args: Uint8Array[]): Promise<ChaincodeMessage> => {
    const callee = this.registry.resolve(target.name);
    if (!callee || callee.state !== 'ready') throw new Error(`chaincode ${target.name} is not running on this peer`);
    // Another channel is read-only for the caller, as in Fabric: a fresh simulator whose writes are dropped.
    const simulator = target.channel === ctx.channel ? ctx.simulator : new TxSimulator(this.worldState, target.channel);
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
    if (outcome.kind === 'failed') throw new Error(`execute failed: ${outcome.reason}`);
    return outcome.message;
  };

  private readonly handlerHost: HandlerHost = {
    register: (handler) => {
      const fingerprint = handler.stream.clientCertFingerprint;
      if (fingerprint !== undefined) {
        // Fabric's interceptor: the REGISTERed name must be the one the client certificate was issued for.
        const issuedFor = this.tlsAuthorityValue?.chaincodeFor(fingerprint);
        if (issuedFor !== handler.chaincodeId) {
          throw new RegistrationError(`the TLS client certificate was issued for ${issuedFor ?? 'an unknown chaincode'}, not ${handler.chaincodeId}`);
        }
      }
      return this.registry.register(handler);
    },
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

interface InterpretedResponse {
  readonly status: number;
  readonly message: string;
  readonly payload: Buffer;
}

/** Fabric's processChaincodeExecutionResult: COMPLETED carries a Response; ERROR is a failure. */
export function interpretOutcome(outcome: ExecutionOutcome): InterpretedResponse {
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
