/**
 * The in-process VM for system chaincode (Fabric 1.0 core/container/inproccontroller): chaincode
 * implementations registered by path; start connects one to a handler through an in-memory
 * stream and runs it on its own task, catching any crash so it cannot bring the peer down.
 */
import type { StartRequest, StopOptions, VM, RuntimeEvent } from '../container/types';
import { Emitter } from '../util/events';
import type { ChaincodeStream } from '../peer/stream';
import { createMemoryStreamPair } from './memoryStream';
import { runInProcShim, SystemChaincode } from './inprocShim';
import { chaincodeNameOf } from '../chaincodeId';

interface Instance {
  readonly chaincodeSide: ChaincodeStream;
}

export class InProcVM implements VM {
  readonly kind = 'inproc' as const;
  private readonly types = new Map<string, SystemChaincode>();
  private readonly running = new Map<string, Instance>();
  private readonly events = new Emitter<RuntimeEvent>();
  readonly onEvent = this.events.event;

  /** `attach` hands the peer side of the stream to the peer (it creates the handler). */
  constructor(private readonly attach: (peerSide: ChaincodeStream) => void) {}

  /** Registers a system chaincode implementation under its path (at peer start). */
  register(path: string, chaincode: SystemChaincode): void {
    this.types.set(path, chaincode);
  }

  /** The path of an in-process chaincode is carried in the env as Fabric does with the args. */
  async start(req: StartRequest): Promise<void> {
    const path = req.env.CORE_CHAINCODE_PATH ?? chaincodeNameOf(req.ccid);
    const chaincode = this.types.get(path);
    if (!chaincode) throw new Error(`system chaincode path ${path} is not registered`);
    if (this.running.has(req.ccid)) throw new Error(`system chaincode ${req.ccid} is already running`);
    const [peerSide, chaincodeSide] = createMemoryStreamPair(req.ccid);
    this.running.set(req.ccid, { chaincodeSide });
    this.attach(peerSide);
    this.events.fire({ kind: 'status', ccid: req.ccid, status: 'running' });
    void runInProcShim(req.ccid, chaincode, chaincodeSide)
      .catch((err: Error) => {
        this.events.fire({ kind: 'log', ccid: req.ccid, stream: 'stderr', line: `system chaincode crashed: ${err.message}` });
        return 'crashed';
      })
      .then((reason) => {
        if (this.running.get(req.ccid)?.chaincodeSide === chaincodeSide) this.running.delete(req.ccid);
        this.events.fire({ kind: 'status', ccid: req.ccid, status: 'exited', detail: reason });
      });
  }

  async stop(ccid: string, _opts?: StopOptions): Promise<void> {
    const instance = this.running.get(ccid);
    if (!instance) return;
    this.running.delete(ccid);
    instance.chaincodeSide.end('stopped');
    this.events.fire({ kind: 'status', ccid, status: 'stopped' });
  }
}
