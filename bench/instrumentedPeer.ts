/**
 * Our embedded peer with a stopwatch on registration: (d) REGISTER → READY is timed from the
 * moment the REGISTER frame reaches the handler's stream to the handler's `ready` event (both with
 * `performance.now()`; `HandlerInfo.since` only has millisecond resolution). Also waits for a
 * chaincode's handler to reach a state, for the restarts and the dev-mode figure.
 */
import { Peer, PeerOptions } from '../src/engine/peer/peer';
import type { ChaincodeStream } from '../src/engine/peer/stream';
import type { HandlerState } from '../src/engine/peer/types';

export interface RegistrationTiming {
  readonly chaincodeId: string;
  /** REGISTER frame received → READY sent (the peer's own work). */
  readonly registerToReadyMs: number;
  /** Stream opened (handler `created`) → READY sent: includes the shim's time to send REGISTER. */
  readonly openToReadyMs: number;
}

interface StreamClock {
  readonly openedAt: number;
  registerAt: number;
}

export class InstrumentedPeer {
  readonly registrations: RegistrationTiming[] = [];
  private readonly clocks = new Map<string, StreamClock>();
  private waiters: { ccid: string; state: HandlerState; resolve: () => void }[] = [];

  private constructor(readonly peer: Peer) {
    const attach = peer.attachStream.bind(peer);
    // The gRPC server hands each new stream to `peer.attachStream`: time its first frame (REGISTER).
    peer.attachStream = (stream: ChaincodeStream) => {
      const clock: StreamClock = { openedAt: performance.now(), registerAt: Number.NaN };
      const timed: ChaincodeStream = {
        kind: stream.kind,
        remote: stream.remote,
        clientCertFingerprint: stream.clientCertFingerprint,
        write: (frame) => stream.write(frame),
        onFrame: (listener) =>
          stream.onFrame((frame) => {
            if (Number.isNaN(clock.registerAt)) clock.registerAt = performance.now();
            listener(frame);
          }),
        onClose: (listener) => stream.onClose(listener),
        end: (reason) => stream.end(reason),
      };
      const handler = attach(timed);
      this.clocks.set(handler.id, clock);
      return handler;
    };
    peer.onDidChangeHandlerState(({ handler, previous }) => {
      // The same event also reports every transaction's start and end (state unchanged): skip those.
      if (previous === handler.state) return;
      if (handler.state === 'ready') {
        const now = performance.now();
        const clock = this.clocks.get(handler.id);
        if (clock) {
          this.registrations.push({ chaincodeId: handler.chaincodeId, registerToReadyMs: now - clock.registerAt, openToReadyMs: now - clock.openedAt });
        }
      }
      if (handler.state === 'ended') this.clocks.delete(handler.id);
      for (const w of this.waiters.filter((x) => x.ccid === handler.chaincodeId && x.state === handler.state)) {
        this.waiters = this.waiters.filter((x) => x !== w);
        w.resolve();
      }
    });
  }

  static async start(options: PeerOptions): Promise<InstrumentedPeer> {
    return new InstrumentedPeer(await Peer.start(options));
  }

  /** Resolves when a handler of `ccid` enters `state` (call before causing it). */
  whenState(ccid: string, state: HandlerState, timeoutMs: number, describe: () => string = () => ''): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        reject(new Error(`chaincode ${ccid} did not reach ${state} within ${timeoutMs} ms ${describe()}`.trim()));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.waiters.push({ ccid, state, resolve: done });
    });
  }

  /** Whether a handler of `ccid` is connected (any state but ended). */
  isConnected(ccid: string): boolean {
    return this.peer.handlers().some((h) => h.chaincodeId === ccid && h.state !== 'ended');
  }

  async stop(): Promise<void> {
    for (const w of this.waiters) w.resolve();
    this.waiters = [];
    await this.peer.stop();
  }
}
