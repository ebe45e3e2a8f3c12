/**
 * The peer's client-facing gRPC server: `gateway.Gateway` and `protos.Deliver` on their own port
 * (a Fabric peer's main port, 7051 by default), server-side TLS only, as the fabric-samples
 * applications connect to it. It binds calls to the services and turns whatever they throw into a
 * gRPC status; one call's failure never touches another, and nothing a client sends can stop it.
 */
import * as grpc from '@grpc/grpc-js';
import { DELIVER_SERVICE, GATEWAY_SERVICE, type DeliverImplementation, type GatewayImplementation } from '../wire/services';
import { answer, contextOf, writeWhenReady, type CallContext } from './callContext';
import type { ChaincodeEventsService } from './chaincodeEvents';
import { DeliverStream, type DeliverService } from './deliverService';
import type { GatewayService } from './gatewayService';
import { toServiceError } from './gatewayErrors';

export interface GatewayServerOptions {
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** 0 = an ephemeral port. */
  readonly port: number;
  /** The peer's TLS server certificate and key (PEM). */
  readonly tls: { readonly certPem: string; readonly keyPem: string };
}

export interface GatewayServices {
  readonly gateway: GatewayService;
  readonly chaincodeEvents: ChaincodeEventsService;
  readonly deliver: DeliverService;
}

export class GatewayListenError extends Error {
  override readonly name = 'GatewayListenError';
  constructor(
    message: string,
    /** Another process listens on the port already. */
    readonly portInUse: boolean,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Fabric's peer defaults (core.yaml peer.maxRecvMsgSize, peer.maxSendMsgSize): 100 MiB. */
const MAX_MESSAGE_BYTES = 100 * 1024 * 1024;

function unary(run: (request: Buffer, ctx: CallContext) => Promise<Buffer>): grpc.handleUnaryCall<Buffer, Buffer> {
  return (call, callback) => {
    const ctx = contextOf(call);
    let work: Promise<Buffer>;
    try {
      work = run(call.request, ctx);
    } catch (err) {
      work = Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    work
      .then(
        (response) => answer(() => callback(null, response)),
        (err: unknown) => answer(() => callback(toServiceError(err))),
      )
      .finally(() => ctx.dispose());
  };
}

export class GatewayServer {
  private constructor(
    private readonly server: grpc.Server,
    readonly host: string,
    readonly port: number,
    private readonly streams: Set<{ cancel(): void }>,
  ) {}

  static async start(options: GatewayServerOptions, services: GatewayServices): Promise<GatewayServer> {
    const server = new grpc.Server({ 'grpc.max_receive_message_length': MAX_MESSAGE_BYTES, 'grpc.max_send_message_length': MAX_MESSAGE_BYTES });
    const streams = new Set<{ cancel(): void }>();
    const gateway: GatewayImplementation = {
      evaluate: unary((r, ctx) => services.gateway.evaluate(r, ctx)),
      endorse: unary((r, ctx) => services.gateway.endorse(r, ctx)),
      submit: unary((r) => services.gateway.submit(r)),
      commitStatus: unary((r, ctx) => services.gateway.commitStatus(r, ctx)),
      chaincodeEvents: (call) => {
        const ctx = contextOf(call);
        const entry = { cancel: () => call.destroy() };
        streams.add(entry);
        services.chaincodeEvents
          .stream(call.request, ctx, (message) => writeWhenReady(call, message, ctx))
          .then(
            () => answer(() => call.end()),
            (err: unknown) => {
              if (!ctx.signal.aborted) answer(() => call.emit('error', toServiceError(err)));
            },
          )
          .finally(() => {
            streams.delete(entry);
            ctx.dispose();
          });
      },
    };
    const deliverMethod =
      (kind: 'block' | 'filtered' | 'privateData'): grpc.handleBidiStreamingCall<Buffer, Buffer> =>
      (call) => {
        const stream = new DeliverStream(services.deliver, kind, call);
        streams.add(stream);
        void stream.done.finally(() => streams.delete(stream));
      };
    const deliver: DeliverImplementation = {
      deliver: deliverMethod('block'),
      deliverFiltered: deliverMethod('filtered'),
      deliverWithPrivateData: deliverMethod('privateData'),
    };
    server.addService(GATEWAY_SERVICE, gateway);
    server.addService(DELIVER_SERVICE, deliver);
    const host = options.host ?? '127.0.0.1';
    const credentials = grpc.ServerCredentials.createSsl(null, [{ cert_chain: Buffer.from(options.tls.certPem), private_key: Buffer.from(options.tls.keyPem) }], false);
    const port = await new Promise<number>((resolve, reject) => {
      server.bindAsync(`${host}:${options.port}`, credentials, (err, bound) => (err ? reject(err) : resolve(bound)));
    }).catch((err: Error) => {
      server.forceShutdown();
      const inUse = /EADDRINUSE/.test(err.message);
      throw new GatewayListenError(`the Gateway cannot listen on ${host}:${options.port}: ${inUse ? 'the port is in use' : err.message}`, inUse, { cause: err });
    });
    return new GatewayServer(server, host, port, streams);
  }

  get address(): string {
    return `${this.host}:${this.port}`;
  }

  /** Ends open event streams (clients see CANCELLED), lets unary calls finish briefly, then closes. */
  async stop(graceMs = 2000): Promise<void> {
    for (const s of [...this.streams]) s.cancel();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.server.forceShutdown();
        resolve();
      }, graceMs);
      this.server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
