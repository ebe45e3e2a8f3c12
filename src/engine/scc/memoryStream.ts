/**
 * Two connected in-memory chaincode streams (Fabric's inProcStream): what one end writes, the other
 * receives, asynchronously so neither side re-enters the other. System chaincode talks to its
 * handler through this instead of gRPC.
 */
import type { ChaincodeStream } from '../peer/stream';

class MemoryEnd implements ChaincodeStream {
  readonly kind = 'inproc' as const;
  other!: MemoryEnd;
  private frameListeners: ((frame: Buffer) => void)[] = [];
  private closeListeners: ((reason: string) => void)[] = [];
  private closed = false;

  constructor(readonly remote: string) {}

  write(frame: Buffer): void {
    if (this.closed) return;
    const target = this.other;
    setImmediate(() => target.receive(frame));
  }

  onFrame(listener: (frame: Buffer) => void): void {
    this.frameListeners.push(listener);
  }

  onClose(listener: (reason: string) => void): void {
    this.closeListeners.push(listener);
  }

  end(reason: string): void {
    if (this.closed) return;
    this.closeBoth(reason);
  }

  private receive(frame: Buffer): void {
    if (this.closed) return;
    for (const l of this.frameListeners) l(frame);
  }

  private closeBoth(reason: string): void {
    for (const end of [this, this.other]) {
      if (end.closed) continue;
      end.closed = true;
      for (const l of end.closeListeners) l(reason);
      end.frameListeners = [];
      end.closeListeners = [];
    }
  }
}

/** Returns [peer side, chaincode side]. */
export function createMemoryStreamPair(name: string): [ChaincodeStream, ChaincodeStream] {
  const peerSide = new MemoryEnd(`inproc:${name}`);
  const chaincodeSide = new MemoryEnd('inproc:peer');
  peerSide.other = chaincodeSide;
  chaincodeSide.other = peerSide;
  return [peerSide, chaincodeSide];
}
