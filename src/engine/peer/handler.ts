/**
 * One chaincode connection's state machine (Fabric 2.x core/chaincode/handler.go): REGISTER →
 * REGISTERED → READY, then INIT/TRANSACTION out and shim requests in, many transactions at once
 * keyed by channel + txid. Every decision about a malformed or unexpected message is made here and
 * answered with an ERROR or the end of this stream — never an exception that reaches the server.
 */
import { codecs } from '../wire/codec';
import { ChaincodeMessage, MessageType, messageTypeName, SignedProposal } from '../wire/messages';
import type { TxSimulator } from '../ledger/simulator';
import type { ChaincodeStream } from './stream';
import type { HandlerInfo, HandlerState, InFlightTransaction, PeerDiagnostic } from './types';
import { contextKey, ExecutionOutcome, TransactionContext } from './transactionContext';
import { handleShimRequest, InvokeChaincode, SHIM_REQUEST_TYPES } from './shimRequests';
import { chaincodeNameOf } from '../chaincodeId';

/** What the handler needs from the peer around it. */
export interface HandlerHost {
  /**
   * Called on REGISTER: throws with the reason when the name must be refused (duplicate, unexpected,
   * wrong certificate). READY follows REGISTERED at once, as in Fabric 2.x.
   */
  register(handler: Handler): void;
  /** The handler reached `ready`. */
  ready(handler: Handler): void;
  /** The handler's state changed. */
  changed(handler: Handler, previous: HandlerState): void;
  /** The stream is gone; remove this handler (by identity, never by name). */
  ended(handler: Handler, reason: string): void;
  diagnostic(d: PeerDiagnostic): void;
  invokeChaincode: InvokeChaincode;
}

export interface ExecuteOnHandler {
  readonly channel: string;
  readonly txId: string;
  readonly type: MessageType.INIT | MessageType.TRANSACTION;
  readonly input: Uint8Array;
  readonly signedProposal: SignedProposal;
  readonly simulator: TxSimulator;
  readonly timeoutMs: number;
  readonly fn: string;
}

let nextHandlerId = 0;

export class Handler {
  readonly id = `h${++nextHandlerId}`;
  private stateValue: HandlerState = 'created';
  private sinceValue = Date.now();
  private chaincodeIdValue = '';
  private lastErrorValue: string | null = null;
  private endReasonValue: string | null = null;
  private readonly contexts = new Map<string, TransactionContext>();
  private readonly inFlightTxs = new Map<string, InFlightTransaction>();
  /** Set when a shim sends requests without a channel id: a Fabric 1.0 shim and its raw-key payloads. */
  private legacyWire = false;
  private timeoutsPaused = false;

  constructor(
    readonly stream: ChaincodeStream,
    private readonly host: HandlerHost,
  ) {
    stream.onFrame((frame) => this.onFrame(frame));
    stream.onClose((reason) => this.onStreamClosed(reason));
  }

  get state(): HandlerState {
    return this.stateValue;
  }

  /** The REGISTERed name, e.g. `mycc:1.0`. */
  get chaincodeId(): string {
    return this.chaincodeIdValue;
  }

  /** The namespace the chaincode's state lives in: its name without the version or package hash. */
  get chaincodeName(): string {
    return chaincodeNameOf(this.chaincodeIdValue);
  }

  info(): HandlerInfo {
    return {
      id: this.id,
      chaincodeId: this.chaincodeIdValue,
      state: this.stateValue,
      since: this.sinceValue,
      connection: this.stream.kind,
      remote: this.stream.remote,
      inFlight: [...this.inFlightTxs.values()],
      lastError: this.lastErrorValue,
      endReason: this.endReasonValue,
    };
  }

  /** Sends READY, right after REGISTERED (Fabric 2.x's notifyRegistry → sendReady). */
  private sendReady(): void {
    if (this.stateValue !== 'established') {
      throw new Error(`cannot send READY to chaincode ${this.chaincodeIdValue || this.id} in state ${this.stateValue}`);
    }
    this.send({ type: MessageType.READY });
    this.setState('ready');
    this.host.ready(this);
  }

  /** Runs INIT or TRANSACTION and resolves with the shim's final message or why there is none. */
  async execute(req: ExecuteOnHandler): Promise<ExecutionOutcome> {
    if (this.stateValue !== 'ready') {
      return { kind: 'failed', reason: `chaincode ${this.chaincodeIdValue} is not ready (state ${this.stateValue})` };
    }
    const key = contextKey(req.channel, req.txId);
    if (this.contexts.has(key)) {
      return { kind: 'failed', reason: `txid: ${req.txId}(${req.channel}) exists` };
    }
    const ctx = new TransactionContext(req.channel, req.txId, this.chaincodeName, req.simulator, req.signedProposal, req.timeoutMs, this.timeoutsPaused);
    this.contexts.set(key, ctx);
    // In flight from here: the peer's transaction events, not a handler event, announce it.
    this.inFlightTxs.set(key, { channel: req.channel, txId: req.txId, fn: req.fn, startedAt: Date.now() });
    this.send({ type: req.type, payload: req.input, txid: req.txId, channel_id: req.channel, proposal: req.signedProposal });
    try {
      const outcome = await ctx.outcome;
      if (outcome.kind === 'failed') this.lastErrorValue = outcome.reason;
      return outcome;
    } finally {
      this.contexts.delete(key);
      this.inFlightTxs.delete(key);
    }
  }

  /** While a debugger holds the chaincode, its transactions must not time out. */
  setTimeoutsPaused(paused: boolean): void {
    this.timeoutsPaused = paused;
    for (const ctx of this.contexts.values()) {
      if (paused) ctx.pauseTimeout();
      else ctx.resumeTimeout();
    }
  }

  /** Ends the stream (stop, or a protocol violation); in-flight transactions fail at once. */
  close(reason: string): void {
    this.stream.end(reason);
  }

  private send(msg: Partial<ChaincodeMessage>): void {
    this.stream.write(codecs.ChaincodeMessage.encode(msg));
  }

  private sendError(reason: string, about?: ChaincodeMessage): void {
    this.send({ type: MessageType.ERROR, payload: Buffer.from(reason), txid: about?.txid ?? '', channel_id: about?.channel_id ?? '' });
  }

  /** Refuse: tell the shim why, log it, and end the stream. */
  private refuse(reason: string, about?: ChaincodeMessage): void {
    this.lastErrorValue = reason;
    this.host.diagnostic({ level: 'error', handlerId: this.id, message: reason });
    this.sendError(reason, about);
    this.close(reason);
  }

  private setState(state: HandlerState): void {
    const previous = this.stateValue;
    this.stateValue = state;
    this.sinceValue = Date.now();
    this.host.changed(this, previous);
  }

  private onFrame(frame: Buffer): void {
    let msg: ChaincodeMessage;
    try {
      msg = codecs.ChaincodeMessage.decode(frame);
    } catch (err) {
      this.refuse(`malformed ChaincodeMessage (${frame.length} bytes): ${(err as Error).message}`);
      return;
    }
    if (msg.type === MessageType.KEEPALIVE) return; // ignored in every state, as Fabric does
    switch (this.stateValue) {
      case 'created':
        if (msg.type === MessageType.REGISTER) this.onRegister(msg);
        else this.refuse(`cannot handle ${messageTypeName(msg.type)} in created state: REGISTER must come first`, msg);
        return;
      case 'established':
        this.refuse(`cannot handle ${messageTypeName(msg.type)} while waiting to send READY`, msg);
        return;
      case 'ready':
        this.onReadyMessage(msg);
        return;
      case 'ended':
        return;
    }
  }

  private onRegister(msg: ChaincodeMessage): void {
    let name: string;
    try {
      name = codecs.ChaincodeID.decode(msg.payload).name;
    } catch (err) {
      this.refuse(`malformed REGISTER payload: ${(err as Error).message}`, msg);
      return;
    }
    if (!name) {
      this.refuse('REGISTER with an empty chaincode name', msg);
      return;
    }
    this.chaincodeIdValue = name;
    try {
      this.host.register(this);
    } catch (err) {
      this.refuse(`registration of ${name} refused: ${(err as Error).message}`, msg);
      return;
    }
    this.send({ type: MessageType.REGISTERED });
    this.setState('established');
    this.sendReady();
  }

  private findContext(msg: ChaincodeMessage): TransactionContext | undefined {
    if (msg.channel_id) return this.contexts.get(contextKey(msg.channel_id, msg.txid));
    // A 1.0 shim sends no channel id: correlate by txid alone and read its raw-key payloads.
    for (const ctx of this.contexts.values()) {
      if (ctx.txId === msg.txid) {
        if (!this.legacyWire && ctx.channel !== '') this.legacyWire = true;
        return ctx;
      }
    }
    return undefined;
  }

  private onReadyMessage(msg: ChaincodeMessage): void {
    if (msg.type === MessageType.COMPLETED || msg.type === MessageType.ERROR) {
      const ctx = this.findContext(msg);
      if (ctx) ctx.complete(msg);
      else
        this.host.diagnostic({
          level: 'warn',
          handlerId: this.id,
          message: `${messageTypeName(msg.type)} for unknown transaction ${msg.channel_id}${msg.txid ? '/' + msg.txid : ''} dropped`,
        });
      return;
    }
    if (SHIM_REQUEST_TYPES.has(msg.type)) {
      void this.onShimRequest(msg);
      return;
    }
    if (msg.type === MessageType.REGISTER) {
      this.refuse(`duplicate REGISTER on a ready stream for ${this.chaincodeIdValue}`, msg);
      return;
    }
    const reason = `the peer does not handle ${messageTypeName(msg.type)} from a chaincode`;
    this.host.diagnostic({ level: 'warn', handlerId: this.id, message: reason });
    // Only answer a transaction the shim is running: a stray ERROR is fatal to the Go shim.
    if (this.findContext(msg)) this.sendError(reason, msg);
  }

  private async onShimRequest(msg: ChaincodeMessage): Promise<void> {
    const ctx = this.findContext(msg);
    if (!ctx) {
      this.sendError(`${messageTypeName(msg.type)} failed: transaction ID: ${msg.txid}: no ledger context`, msg);
      return;
    }
    if (ctx.busy) {
      // Fabric drops an overlapping request of the same transaction without a reply.
      this.host.diagnostic({ level: 'warn', handlerId: this.id, message: `overlapping ${messageTypeName(msg.type)} for ${msg.txid} dropped` });
      return;
    }
    ctx.busy = true;
    try {
      const payload = await handleShimRequest(ctx, msg, { legacyWire: this.legacyWire, invokeChaincode: this.host.invokeChaincode });
      if (this.contexts.get(contextKey(ctx.channel, ctx.txId)) !== ctx) return; // ended meanwhile
      this.send({ type: MessageType.RESPONSE, payload, txid: msg.txid, channel_id: msg.channel_id });
    } catch (err) {
      if (this.contexts.get(contextKey(ctx.channel, ctx.txId)) !== ctx) return;
      this.sendError(`${messageTypeName(msg.type)} failed: transaction ID: ${msg.txid}: ${(err as Error).message}`, msg);
    } finally {
      ctx.busy = false;
    }
  }

  private onStreamClosed(reason: string): void {
    if (this.stateValue === 'ended') return;
    this.endReasonValue = reason;
    for (const ctx of this.contexts.values()) ctx.fail(`chaincode stream terminated: ${reason}`);
    this.setState('ended');
    this.host.ended(this, reason);
  }
}
