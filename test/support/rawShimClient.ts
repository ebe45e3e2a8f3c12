/**
 * A raw chaincode-side client of the peer's `/protos.ChaincodeSupport/Register` service: frames go
 * out exactly as given (Buffer pass-through, so tests can send malformed bytes) and frames that
 * come back are decoded and kept, so a test can assert on everything the peer said, in order.
 */
import * as grpc from '@grpc/grpc-js';
import { codecs } from '../../src/engine/wire/codec';
import { ChaincodeMessage, MessageType, messageTypeName } from '../../src/engine/wire/messages';

const REGISTER_PATH = '/protos.ChaincodeSupport/Register';
const passThrough = (b: Buffer): Buffer => b;

/** How a stream finished, as the client saw it. */
export interface StreamEnd {
  readonly code: grpc.status | null;
  readonly details: string;
}

/** One gRPC channel to the peer; open as many Register streams on it as needed. */
export class RawShimChannel {
  private readonly client: grpc.Client;

  constructor(address: string) {
    this.client = new grpc.Client(address, grpc.credentials.createInsecure(), {
      'grpc.max_receive_message_length': 100 * 1024 * 1024,
      'grpc.max_send_message_length': 100 * 1024 * 1024,
    });
  }

  open(): RawShimStream {
    return new RawShimStream(this.client.makeBidiStreamRequest<Buffer, Buffer>(REGISTER_PATH, passThrough, passThrough));
  }

  close(): void {
    this.client.close();
  }
}

export class RawShimStream {
  /** Every message the peer sent, in order. */
  readonly received: ChaincodeMessage[] = [];
  /** Frames from the peer that did not decode as a ChaincodeMessage (there should be none). */
  readonly undecodable: Buffer[] = [];
  readonly ended: Promise<StreamEnd>;
  private endValue: StreamEnd | null = null;
  private readonly waiters = new Set<() => void>();

  constructor(private readonly call: grpc.ClientDuplexStream<Buffer, Buffer>) {
    let resolveEnded!: (e: StreamEnd) => void;
    this.ended = new Promise((resolve) => (resolveEnded = resolve));
    const finish = (code: grpc.status | null, details: string): void => {
      if (this.endValue) return;
      this.endValue = { code, details };
      resolveEnded(this.endValue);
      this.wake();
    };
    call.on('data', (frame: Buffer) => {
      try {
        this.received.push(codecs.ChaincodeMessage.decode(frame));
      } catch {
        this.undecodable.push(frame);
      }
      this.wake();
    });
    call.on('end', () => finish(null, 'the peer ended the stream'));
    call.on('status', (s: grpc.StatusObject) => finish(s.code, s.details));
    call.on('error', (err: grpc.ServiceError) => finish(err.code ?? grpc.status.UNKNOWN, err.message));
  }

  get isEnded(): boolean {
    return this.endValue !== null;
  }

  get end(): StreamEnd | null {
    return this.endValue;
  }

  /** Writes one ChaincodeMessage; false (and nothing written) once the stream has ended. */
  send(msg: Partial<ChaincodeMessage>): boolean {
    return this.sendFrame(codecs.ChaincodeMessage.encode(msg));
  }

  /** Writes raw bytes as one gRPC message; false once the stream has ended. */
  sendFrame(frame: Buffer): boolean {
    if (this.endValue) return false;
    try {
      this.call.write(frame);
      return true;
    } catch {
      return false;
    }
  }

  /** Sends REGISTER and waits for READY; throws with what the peer said otherwise. */
  async register(name: string, timeoutMs = 5000): Promise<void> {
    this.send({ type: MessageType.REGISTER, payload: codecs.ChaincodeID.encode({ name }) });
    const reply = await this.waitFor((m) => m.type === MessageType.READY || m.type === MessageType.ERROR, timeoutMs, `READY for ${name}`);
    if (reply.type !== MessageType.READY) {
      throw new Error(`REGISTER ${name} refused: ${messageTypeName(reply.type)} ${Buffer.from(reply.payload).toString('utf8')}`);
    }
  }

  /**
   * Resolves with the first received message (from index `from`) matching `predicate`; rejects
   * when the stream ends first or after `timeoutMs`.
   */
  waitFor(predicate: (m: ChaincodeMessage) => boolean, timeoutMs: number, what = 'a message', from = 0): Promise<ChaincodeMessage> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.received.slice(from).find(predicate);
        if (found) {
          done();
          resolve(found);
          return true;
        }
        if (this.endValue) {
          done();
          reject(new Error(`stream ended (${this.endValue.code}: ${this.endValue.details}) before ${what}; received ${this.describe()}`));
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no ${what} within ${timeoutMs} ms; received ${this.describe()}`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
      };
      const waiter = (): void => void check();
      if (!check()) this.waiters.add(waiter);
    });
  }

  /** Resolves with how the stream ended; rejects after `timeoutMs`. */
  waitForEnd(timeoutMs: number): Promise<StreamEnd> {
    return Promise.race([
      this.ended,
      new Promise<never>((_, reject) => {
        const t = setTimeout(() => reject(new Error(`stream still open after ${timeoutMs} ms; received ${this.describe()}`)), timeoutMs);
        void this.ended.then(() => clearTimeout(t));
      }),
    ]);
  }

  /** Received message types, for assertion messages: `REGISTERED, READY, ERROR("…")`. */
  describe(): string {
    const parts = this.received.map((m) => (m.type === MessageType.ERROR ? `ERROR(${JSON.stringify(Buffer.from(m.payload).toString('utf8'))})` : messageTypeName(m.type)));
    return parts.length ? parts.join(', ') : 'nothing';
  }

  /** Half-closes our side: the shim is done sending. */
  endWrites(): void {
    try {
      this.call.end();
    } catch {
      /* already gone */
    }
  }

  /** Drops the stream abruptly, as a killed chaincode process would. */
  cancel(): void {
    this.call.cancel();
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }
}
