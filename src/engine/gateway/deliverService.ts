/**
 * `protos.Deliver` (Deliver, DeliverFiltered, DeliverWithPrivateData) as a Fabric peer serves it
 * (common/deliver/deliver.go `Handle`, `deliverBlocks`; core/peer/deliverevents.go): the client
 * sends a signed DELIVER_SEEK_INFO envelope; the peer checks it, streams the blocks from the start
 * position to the stop position (waiting at the head when asked to), then sends one status.
 * Another envelope may follow on the same stream; a status other than SUCCESS ends it.
 */
import * as grpc from '@grpc/grpc-js';
import { filteredBlockOf } from '../ledger/blocks/blockReader';
import { eligiblePrivateData } from '../privateData/keptPrivateData';
import { codecs } from '../wire/codec';
import { SeekBehavior, Status, type Envelope, type SeekInfo, type SeekPosition } from '../wire/messages';
import type { BlockSource, BlockSources } from './blockSource';
import { CallerRefusedError, type CallerVerifier } from './callers';
import { answer, contextOf, writeWhenReady, type CallContext } from './callContext';
import { GatewayStatusError, toServiceError } from './gatewayErrors';

export type DeliverKind = 'block' | 'filtered' | 'privateData';

/** How far a request's timestamp may be from the peer's clock (core.yaml `peer.authentication.timewindow`). */
const TIME_WINDOW_MS = 15 * 60_000;
/** A stop position that never matches a block: follow the chain until the client leaves. */
const NEVER = Number.POSITIVE_INFINITY;

function varint(n: number): Buffer {
  const out: number[] = [];
  for (; n >= 0x80; n = Math.floor(n / 128)) out.push((n % 128) | 0x80);
  out.push(n);
  return Buffer.from(out);
}

/** A length-delimited protobuf field holding already-marshalled bytes (a block is sent as stored). */
function embedded(fieldNumber: number, bytes: Uint8Array): Buffer {
  return Buffer.concat([varint((fieldNumber << 3) | 2), varint(bytes.length), bytes]);
}

/**
 * protos.BlockAndPrivateData{block, private_data_map}: the block as stored and, per transaction
 * index, its marshalled TxPvtReadWriteSet (a map entry is a message {key = 1, value = 2}).
 */
function blockAndPrivateData(block: Uint8Array, privateData: ReadonlyMap<number, Buffer>): Buffer {
  const entries = [...privateData].sort(([a], [b]) => a - b).map(([txIndex, rwset]) => embedded(2, Buffer.concat([varint(1 << 3), varint(txIndex), embedded(2, rwset)])));
  return Buffer.concat([embedded(1, block), ...entries]);
}

const blockNumberOf = (n: number | string | { toString(): string } | null | undefined): number => Number(n === null || n === undefined ? 0 : n.toString());

/** Which collections' private data the requester (its serialized identity) may be sent on a channel. */
export type PrivateDataRecipient = (channel: string, creator: Uint8Array) => (namespace: string, collection: string) => boolean;

export class DeliverService {
  constructor(
    private readonly verifier: CallerVerifier,
    private readonly blocks: BlockSources,
    private readonly privateDataRecipient: PrivateDataRecipient,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Serves one SeekInfo envelope: sends the blocks through `send` and returns the status to end
   * them with. Throws only when the call itself must fail (the envelope is not a message at all).
   */
  async deliverBlocks(kind: DeliverKind, envelopeBytes: Buffer, ctx: CallContext, send: (response: Buffer) => Promise<void>): Promise<Status> {
    let envelope: Envelope;
    try {
      envelope = codecs.Envelope.decode(envelopeBytes);
    } catch (err) {
      throw new GatewayStatusError(grpc.status.INTERNAL, `grpc: failed to unmarshal the received message: ${(err as Error).message}`);
    }
    const request = this.parse(envelope);
    if (!request) return Status.BAD_REQUEST;
    const source = this.blocks(request.channel);
    if (!source) return Status.NOT_FOUND;
    try {
      this.verifier.verify(request.channel, request.creator, envelope.payload, envelope.signature);
    } catch (err) {
      if (err instanceof CallerRefusedError) return Status.FORBIDDEN;
      throw err;
    }
    const seekInfo = request.seekInfo;
    if (!seekInfo || !seekInfo.start || !seekInfo.stop) return Status.BAD_REQUEST;
    const start = startNumber(source, seekInfo.start);
    if (start === null) return Status.NOT_FOUND;
    const stop = stopNumber(source, seekInfo, start);
    if (stop < start) return Status.BAD_REQUEST;
    for (let number = start; ; number++) {
      if (seekInfo.behavior === SeekBehavior.FAIL_IF_NOT_READY && number > source.height - 1) return Status.NOT_FOUND;
      const block = await this.nextBlock(source, number, ctx);
      if (!block) return Status.INTERNAL_SERVER_ERROR;
      await send(await this.response(kind, source, block, request));
      if (ctx.signal.aborted) return Status.INTERNAL_SERVER_ERROR;
      if (number === stop) return Status.SUCCESS;
    }
  }

  /** Fabric's parseEnvelope + the seek info; null means BAD_REQUEST. */
  private parse(envelope: Envelope): { channel: string; creator: Buffer; seekInfo: SeekInfo | null } | null {
    try {
      const payload = codecs.Payload.decode(envelope.payload);
      if (!payload.header) return null;
      const channelHeader = codecs.ChannelHeader.decode(payload.header.channel_header ?? new Uint8Array());
      const signatureHeader = codecs.SignatureHeader.decode(payload.header.signature_header ?? new Uint8Array());
      // validateChannelHeader: a timestamp within the time window of the peer's clock.
      const ts = channelHeader.timestamp;
      if (!ts) return null;
      const at = Number(String(ts.seconds)) * 1000 + Math.floor((ts.nanos ?? 0) / 1e6);
      if (Math.abs(this.now() - at) > TIME_WINDOW_MS) return null;
      const seekInfo = payload.data?.length ? codecs.SeekInfo.decode(payload.data) : null;
      return { channel: channelHeader.channel_id, creator: Buffer.from(signatureHeader.creator ?? []), seekInfo };
    } catch {
      return null;
    }
  }

  /** The next block, waiting at the head; null when the call ended first. */
  private async nextBlock(source: BlockSource, number: number, ctx: CallContext): Promise<{ number: number; bytes: Buffer } | null> {
    if (number < source.height) return { number, bytes: await source.getBlock(number) };
    for await (const block of source.blocks(number, ctx.signal)) return block;
    return null;
  }

  private async response(kind: DeliverKind, source: BlockSource, block: { number: number; bytes: Buffer }, request: { channel: string; creator: Buffer }): Promise<Buffer> {
    switch (kind) {
      case 'block':
        return embedded(2, block.bytes);
      case 'filtered':
        return codecs.DeliverResponse.encode({ filtered_block: filteredBlockOf(block.bytes) });
      case 'privateData': {
        // Fabric sends each transaction's collections the requester is eligible for (a member of), none
        // of the others; a transaction left with none is not in the map. Asked per block: a chaincode
        // defined or redefined during a long stream counts from its next block.
        const eligible = this.privateDataRecipient(request.channel, request.creator);
        const sent = new Map<number, Buffer>();
        for (const [txIndex, bytes] of await source.getPrivateData(block.number)) {
          const kept = eligiblePrivateData(bytes, eligible);
          if (kept) sent.set(txIndex, kept);
        }
        return embedded(4, blockAndPrivateData(block.bytes, sent));
      }
    }
  }
}

/** The ledger's Iterator(start) (common/ledger/blockledger/fileledger): null when it cannot start. */
function startNumber(source: BlockSource, start: SeekPosition): number | null {
  if (start.oldest) return 0;
  if (start.newest) return Math.max(0, source.height - 1);
  if (start.next_commit) return source.height;
  if (start.specified) {
    const n = blockNumberOf(start.specified.number);
    return n > source.height ? null : n;
  }
  return null;
}

function stopNumber(source: BlockSource, seekInfo: SeekInfo, start: number): number {
  const stop = seekInfo.stop as SeekPosition;
  if (stop.oldest) return start;
  if (stop.newest) {
    // Start and stop both Newest: exactly one block, whatever commits meanwhile.
    return seekInfo.start?.newest ? start : Math.max(start, source.height - 1);
  }
  if (stop.specified) return blockNumberOf(stop.specified.number);
  return NEVER;
}

/**
 * One Deliver call: reads SeekInfo envelopes as they come, serves them one after another, and
 * ends the call after a failed one or once the client has half-closed and everything is served.
 */
export class DeliverStream {
  readonly done: Promise<void>;
  private readonly ctx: CallContext & { dispose(): void };

  constructor(
    private readonly service: DeliverService,
    private readonly kind: DeliverKind,
    private readonly call: grpc.ServerDuplexStream<Buffer, Buffer>,
  ) {
    this.ctx = contextOf(call);
    this.done = this.serve().finally(() => this.ctx.dispose());
  }

  cancel(): void {
    this.call.destroy();
  }

  private async serve(): Promise<void> {
    const queue: Buffer[] = [];
    let halfClosed = false;
    let wake: (() => void) | null = null;
    const signal = (): void => {
      wake?.();
      wake = null;
    };
    this.call.on('data', (message: Buffer) => {
      queue.push(message);
      signal();
    });
    this.call.on('end', () => {
      halfClosed = true;
      signal();
    });
    this.call.on('error', () => signal());
    this.ctx.signal.addEventListener('abort', signal, { once: true });
    try {
      for (;;) {
        while (queue.length === 0 && !halfClosed && !this.ctx.signal.aborted) await new Promise<void>((resolve) => (wake = resolve));
        if (this.ctx.signal.aborted) return;
        const envelope = queue.shift();
        if (!envelope) {
          answer(() => this.call.end());
          return;
        }
        const status = await this.service.deliverBlocks(this.kind, envelope, this.ctx, (m) => writeWhenReady(this.call, m, this.ctx));
        if (this.ctx.signal.aborted) return;
        await writeWhenReady(this.call, codecs.DeliverResponse.encode({ status }), this.ctx);
        if (status !== Status.SUCCESS) {
          answer(() => this.call.end());
          return;
        }
      }
    } catch (err) {
      if (!this.ctx.signal.aborted) answer(() => this.call.emit('error', toServiceError(err)));
    }
  }
}
