/**
 * (e) The thin reference peer: the least a peer can do for the benchmark's chaincode. A grpc-js
 * `ChaincodeSupport/Register` server that answers REGISTER with REGISTERED + READY, GET_STATE and
 * PUT_STATE from an in-memory Map, and nothing else: no simulation, no read/write sets, no history,
 * no records, no persistence. What a real chaincode achieves against it is the ceiling our peer
 * can approach; the gap is what our own work costs.
 */
import * as grpc from '@grpc/grpc-js';
import { CHAINCODE_SUPPORT_SERVICE } from '../src/engine/peer/server';
import { buildProposal } from '../src/engine/transactions/proposal';
import type { SigningIdentity } from '../src/engine/msp';
import { codecs } from '../src/engine/wire/codec';
import { ChaincodeMessage, MessageType } from '../src/engine/wire/messages';

interface Pending {
  resolve(msg: ChaincodeMessage): void;
  reject(err: Error): void;
}

export class ThinReferencePeer {
  private readonly state = new Map<string, Buffer>();
  private readonly pending = new Map<string, Pending>();
  private call: grpc.ServerDuplexStream<Buffer, Buffer> | null = null;
  private chaincodeName = '';
  private readyWaiters: (() => void)[] = [];

  private constructor(
    private readonly server: grpc.Server,
    readonly port: number,
    private readonly creator: SigningIdentity,
    readonly channel: string,
  ) {}

  static async start(creator: SigningIdentity, channel = 'mychannel'): Promise<ThinReferencePeer> {
    const server = new grpc.Server();
    let peer: ThinReferencePeer | null = null;
    server.addService(CHAINCODE_SUPPORT_SERVICE, {
      register: (call: grpc.ServerDuplexStream<Buffer, Buffer>) => peer?.attach(call),
    });
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
    );
    peer = new ThinReferencePeer(server, port, creator, channel);
    return peer;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  waitForReady(timeoutMs: number): Promise<void> {
    if (this.call && this.chaincodeName) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no chaincode registered with the thin peer within ${timeoutMs} ms`)), timeoutMs);
      this.readyWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Sends TRANSACTION with a real (minimal) signed proposal and resolves with COMPLETED or ERROR. */
  execute(args: readonly string[]): Promise<ChaincodeMessage> {
    const call = this.call;
    if (!call) return Promise.reject(new Error('no chaincode is connected to the thin peer'));
    const bytes = args.map((a) => Buffer.from(a, 'utf8'));
    const built = buildProposal({ channel: this.channel, chaincodeName: this.chaincodeName, args: bytes, transient: {}, isInit: false, creator: this.creator.serialized });
    return new Promise((resolve, reject) => {
      this.pending.set(built.txId, { resolve, reject });
      call.write(
        codecs.ChaincodeMessage.encode({
          type: MessageType.TRANSACTION,
          payload: codecs.ChaincodeInput.encode({ args: bytes }),
          txid: built.txId,
          channel_id: this.channel,
          proposal: built.signed,
        }),
      );
    });
  }

  async stop(): Promise<void> {
    for (const p of this.pending.values()) p.reject(new Error('the thin peer stopped'));
    this.pending.clear();
    this.call?.end();
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => {
        this.server.forceShutdown();
        resolve();
      }, 500);
      this.server.tryShutdown(() => {
        clearTimeout(force);
        resolve();
      });
    });
  }

  private attach(call: grpc.ServerDuplexStream<Buffer, Buffer>): void {
    call.on('data', (frame: Buffer) => this.onMessage(call, codecs.ChaincodeMessage.decode(frame)));
    call.on('error', () => undefined);
    call.on('end', () => {
      if (this.call === call) this.call = null;
      for (const p of this.pending.values()) p.reject(new Error('the chaincode stream ended'));
      this.pending.clear();
      call.end();
    });
  }

  private onMessage(call: grpc.ServerDuplexStream<Buffer, Buffer>, msg: ChaincodeMessage): void {
    const reply = (type: MessageType, payload: Uint8Array = Buffer.alloc(0)): void => {
      call.write(codecs.ChaincodeMessage.encode({ type, payload, txid: msg.txid, channel_id: msg.channel_id }));
    };
    switch (msg.type) {
      case MessageType.REGISTER:
        this.chaincodeName = codecs.ChaincodeID.decode(msg.payload).name.split(':')[0] ?? '';
        this.call = call;
        call.write(codecs.ChaincodeMessage.encode({ type: MessageType.REGISTERED }));
        call.write(codecs.ChaincodeMessage.encode({ type: MessageType.READY }));
        for (const w of this.readyWaiters.splice(0)) w();
        return;
      case MessageType.GET_STATE:
        reply(MessageType.RESPONSE, this.state.get(codecs.GetState.decode(msg.payload).key) ?? Buffer.alloc(0));
        return;
      case MessageType.PUT_STATE: {
        const put = codecs.PutState.decode(msg.payload);
        this.state.set(put.key, Buffer.from(put.value));
        reply(MessageType.RESPONSE);
        return;
      }
      case MessageType.COMPLETED:
      case MessageType.ERROR: {
        const p = this.pending.get(msg.txid);
        this.pending.delete(msg.txid);
        p?.resolve(msg);
        return;
      }
      case MessageType.KEEPALIVE:
        return;
      default:
        reply(MessageType.ERROR, Buffer.from(`the thin reference peer does not handle message type ${msg.type}`));
    }
  }
}
