/**
 * The chaincode side of the protocol for system chaincode running inside the peer (Fabric's
 * shim.StartInProc): REGISTER, wait for READY, then run Init/Invoke per message with a small stub.
 * It speaks the same messages as the real shims, so the handler cannot tell the difference.
 */
import { codecs } from '../wire/codec';
import { ChaincodeMessage, MessageType, type SignedProposal } from '../wire/messages';
import type { ChaincodeStream } from '../peer/stream';

export interface ChaincodeResponse {
  readonly status: number;
  readonly message?: string;
  readonly payload?: Buffer;
}

/** What a system chaincode can do during a transaction. */
export interface SystemStub {
  readonly txId: string;
  readonly channel: string;
  readonly args: readonly Buffer[];
  /** The proposal the transaction runs for (null when the peer sent none). */
  readonly signedProposal: SignedProposal | null;
  getState(key: string): Promise<Buffer>;
  putState(key: string, value: Buffer): Promise<void>;
}

export interface SystemChaincode {
  init(stub: SystemStub): Promise<ChaincodeResponse>;
  invoke(stub: SystemStub): Promise<ChaincodeResponse>;
}

/** Runs `chaincode` on `stream` until it ends; resolves then. Crashes become ERROR replies. */
export function runInProcShim(name: string, chaincode: SystemChaincode, stream: ChaincodeStream): Promise<string> {
  const pending = new Map<string, (msg: ChaincodeMessage) => void>();
  const send = (msg: Partial<ChaincodeMessage>): void => stream.write(codecs.ChaincodeMessage.encode(msg));
  const request = (type: MessageType, txid: string, channel: string, payload: Buffer): Promise<Buffer> =>
    new Promise((resolve, reject) => {
      pending.set(channel + txid, (reply) => {
        if (reply.type === MessageType.RESPONSE) resolve(Buffer.from(reply.payload));
        else reject(new Error(Buffer.from(reply.payload).toString('utf8')));
      });
      send({ type, txid, channel_id: channel, payload });
    });

  const run = async (msg: ChaincodeMessage): Promise<void> => {
    const input = codecs.ChaincodeInput.decode(msg.payload);
    const stub: SystemStub = {
      txId: msg.txid,
      channel: msg.channel_id,
      args: input.args.map((a) => Buffer.from(a)),
      signedProposal: msg.proposal ?? null,
      getState: (key) => request(MessageType.GET_STATE, msg.txid, msg.channel_id, codecs.GetState.encode({ key })),
      putState: async (key, value) => {
        await request(MessageType.PUT_STATE, msg.txid, msg.channel_id, codecs.PutState.encode({ key, value }));
      },
    };
    try {
      const r = msg.type === MessageType.INIT ? await chaincode.init(stub) : await chaincode.invoke(stub);
      send({
        type: MessageType.COMPLETED,
        txid: msg.txid,
        channel_id: msg.channel_id,
        payload: codecs.Response.encode({ status: r.status, message: r.message ?? '', payload: r.payload ?? Buffer.alloc(0) }),
      });
    } catch (err) {
      // A crashing system chaincode fails its transaction, never the peer.
      send({ type: MessageType.ERROR, txid: msg.txid, channel_id: msg.channel_id, payload: Buffer.from(String((err as Error)?.stack ?? err)) });
    }
  };

  return new Promise((resolve) => {
    stream.onClose((reason) => resolve(reason));
    stream.onFrame((frame) => {
      const msg = codecs.ChaincodeMessage.decode(frame);
      if (msg.type === MessageType.RESPONSE || msg.type === MessageType.ERROR) {
        const key = msg.channel_id + msg.txid;
        const waiter = pending.get(key);
        pending.delete(key);
        waiter?.(msg);
      } else if (msg.type === MessageType.INIT || msg.type === MessageType.TRANSACTION) {
        void run(msg);
      }
      // REGISTERED and READY need no action here.
    });
    send({ type: MessageType.REGISTER, payload: codecs.ChaincodeID.encode({ name }) });
  });
}
