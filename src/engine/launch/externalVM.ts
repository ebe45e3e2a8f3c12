/**
 * The runtime for chaincode as a service: nothing to build or start; "start" dials the chaincode's
 * server and hands the stream to the peer, "stop" hangs up. The address is the first argument.
 */
import type { RuntimeEvent, StartRequest, StopOptions, VM } from '../container/types';
import { connectToChaincodeServer } from '../peer/chaincodeServerClient';
import type { ChaincodeStream } from '../peer/stream';
import { Emitter } from '../util/events';

export class ExternalVM implements VM {
  readonly kind = 'external' as const;
  private readonly connections = new Map<string, () => void>();
  private readonly events = new Emitter<RuntimeEvent>();
  readonly onEvent = this.events.event;

  constructor(private readonly attach: (stream: ChaincodeStream) => void) {}

  async start(req: StartRequest): Promise<void> {
    const address = req.args[0];
    if (!address) throw new Error(`no chaincode server address for ${req.ccid}`);
    if (this.connections.has(req.ccid)) throw new Error(`${req.ccid} is already connected`);
    this.events.fire({ kind: 'progress', ccid: req.ccid, step: `connecting to ${address}` });
    const connection = await connectToChaincodeServer({ address });
    this.connections.set(req.ccid, connection.close);
    connection.stream.onClose((reason) => {
      if (this.connections.get(req.ccid) === connection.close) this.connections.delete(req.ccid);
      this.events.fire({ kind: 'status', ccid: req.ccid, status: 'exited', detail: `connection to ${address} terminated: ${reason}` });
    });
    this.attach(connection.stream);
    this.events.fire({ kind: 'status', ccid: req.ccid, status: 'running' });
  }

  async stop(ccid: string, _opts?: StopOptions): Promise<void> {
    const close = this.connections.get(ccid);
    this.connections.delete(ccid);
    close?.();
  }
}
