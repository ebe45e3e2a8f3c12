/**
 * One gRPC call's lifetime as the services see it: an AbortSignal that fires when the client
 * cancels or the call's deadline passes. Work the call started (a simulation, a commit) is never
 * abandoned half-way: the service stops waiting for it, and the pipeline finishes or forgets it.
 */
import * as grpc from '@grpc/grpc-js';
import { GatewayStatusError } from './gatewayErrors';

export type AbortReason = 'cancelled' | 'deadline';

export interface CallContext {
  /** Aborts with reason 'cancelled' or 'deadline'. */
  readonly signal: AbortSignal;
}

/** The context of a grpc-js server call; `dispose` when the call is answered. */
/** Any server call: it has a deadline and emits 'cancelled'. */
export type ServerCall = { getDeadline(): grpc.Deadline } & NodeJS.EventEmitter;

export function contextOf(call: ServerCall): CallContext & { dispose(): void } {
  const controller = new AbortController();
  const abort = (reason: AbortReason): void => {
    if (!controller.signal.aborted) controller.abort(reason);
  };
  const deadline = call.getDeadline();
  const at = deadline instanceof Date ? deadline.getTime() : deadline;
  const timer = Number.isFinite(at) ? setTimeout(() => abort('deadline'), Math.max(0, at - Date.now())) : undefined;
  const onCancel = (): void => abort(Number.isFinite(at) && Date.now() >= at ? 'deadline' : 'cancelled');
  call.on('cancelled', onCancel);
  return {
    signal: controller.signal,
    dispose: () => {
      if (timer) clearTimeout(timer);
      call.removeListener('cancelled', onCancel);
    },
  };
}

/**
 * `work`'s result, unless the call ends first: DEADLINE_EXCEEDED with `deadlineMessage` (Fabric's
 * words for that step), or CANCELLED.
 */
export function untilCallEnds<T>(work: Promise<T>, ctx: CallContext, deadlineMessage: string): Promise<T> {
  const ended = (): GatewayStatusError =>
    ctx.signal.reason === 'deadline'
      ? new GatewayStatusError(grpc.status.DEADLINE_EXCEEDED, deadlineMessage)
      : new GatewayStatusError(grpc.status.CANCELLED, 'the client cancelled the call');
  if (ctx.signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(ended());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(ended());
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        ctx.signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        ctx.signal.removeEventListener('abort', onAbort);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}

/** Writes to a server stream, waiting for the client to read when its buffer is full. */
export function writeWhenReady(stream: grpc.ServerWritableStream<Buffer, Buffer> | grpc.ServerDuplexStream<Buffer, Buffer>, message: Buffer, ctx: CallContext): Promise<void> {
  if (stream.write(message)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      stream.removeListener('drain', done);
      ctx.signal.removeEventListener('abort', done);
      resolve();
    };
    stream.once('drain', done);
    ctx.signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * Answers a call, whatever state it is in: grpc-js may throw while sending (a call the client has
 * gone from), and an exception escaping a callback would take the whole peer down.
 */
export function answer(send: () => void): void {
  try {
    send();
  } catch {
    // Nobody is left to tell.
  }
}
