/**
 * The runtime for chaincode as a service: nothing to build or start; "start" dials the chaincode's
 * server and hands the stream to the peer, "stop" hangs up. How to dial comes as Fabric's ccaas
 * builder releases it: a `connection.json` (address, dial timeout, TLS with the server's root CA and
 * the client pair; `core/container/externalbuilder/instance.go`), or just the address as the first
 * argument (plaintext, Fabric's default dial timeout).
 */
import type { RuntimeEvent, StartRequest, StopOptions, VM } from '../container/types';
import { FABRIC_DIAL_TIMEOUT_MS, parseConnectionJson, type ChaincodeServerDial } from '../platforms/ccaasConnection';
import { connectToChaincodeServer } from '../peer/chaincodeServerClient';
import type { ChaincodeStream } from '../peer/stream';
import { Emitter } from '../util/events';

/** The file of a start request that says how to dial (the ccaas builder's release output). */
export const CONNECTION_FILE = 'connection.json';

export class ExternalVM implements VM {
  readonly kind = 'external' as const;
  private readonly connections = new Map<string, () => void>();
  private readonly events = new Emitter<RuntimeEvent>();
  readonly onEvent = this.events.event;

  constructor(private readonly attach: (stream: ChaincodeStream) => void) {}

  async start(req: StartRequest): Promise<void> {
    const dial = dialOf(req);
    const { address } = dial;
    if (this.connections.has(req.ccid)) throw new Error(`${req.ccid} is already connected`);
    this.events.fire({ kind: 'progress', ccid: req.ccid, step: `connecting to ${address}${dial.tls ? ' over TLS' : ''}` });
    const connection = await connectToChaincodeServer({ address, dialTimeoutMs: dial.dialTimeoutMs, ...(dial.tls ? { tls: dial.tls } : {}) });
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

function dialOf(req: StartRequest): ChaincodeServerDial {
  const file = req.files?.find((f) => f.path === CONNECTION_FILE);
  if (file) return parseConnectionJson(file.content);
  const address = req.args[0];
  if (!address) throw new Error(`no chaincode server address for ${req.ccid}`);
  return { address, dialTimeoutMs: FABRIC_DIAL_TIMEOUT_MS };
}
