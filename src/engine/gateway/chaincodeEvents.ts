/**
 * `gateway.Gateway/ChaincodeEvents` as Fabric serves it (internal/pkg/gateway/api.go
 * `ChaincodeEvents`, `startBlockFromLedgerPosition`, `chaincodeEventMatcher`): from the next commit,
 * a block number, or just after a transaction id (how clients resume from a checkpoint), the
 * events one chaincode emitted in valid transactions, one response per block that has any, until
 * the client cancels.
 */
import * as grpc from '@grpc/grpc-js';
import { readBlock, validChaincodeEvents } from '../ledger/blocks/blockReader';
import { codecs } from '../wire/codec';
import type { ChaincodeEventsRequest, SeekPosition } from '../wire/messages';
import type { BlockSource, BlockSources } from './blockSource';
import type { CallerVerifier } from './callers';
import type { CallContext } from './callContext';
import { decodeRequest, GatewayStatusError } from './gatewayErrors';
import { checkChannelReader } from './readerCheck';

/** Where a stream starts, and the transaction whose events (and those before it) it skips there. */
interface StartPoint {
  readonly block: number;
  readonly after: { readonly txIndex: number } | null;
}

/** Go's %T of a SeekPosition's oneof member, as Fabric's error prints it. */
function positionTypeName(position: SeekPosition): string {
  const member = (['newest', 'oldest', 'specified', 'next_commit'] as const).find((k) => position[k]);
  const names = { newest: 'Newest', oldest: 'Oldest', specified: 'Specified', next_commit: 'NextCommit' } as const;
  return member ? `*orderer.SeekPosition_${names[member]}` : '<nil>';
}

export class ChaincodeEventsService {
  constructor(
    private readonly verifier: CallerVerifier,
    private readonly blocks: BlockSources,
  ) {}

  /** Streams responses through `send` until the call ends; throws a GatewayStatusError to refuse. */
  async stream(bytes: Buffer, ctx: CallContext, send: (response: Buffer) => Promise<void>): Promise<void> {
    const signed = decodeRequest(codecs.SignedChaincodeEventsRequest, bytes);
    let request: ChaincodeEventsRequest;
    try {
      request = codecs.ChaincodeEventsRequest.decode(signed.request);
    } catch (err) {
      throw new GatewayStatusError(grpc.status.INVALID_ARGUMENT, `invalid chaincode events request: ${(err as Error).message}`);
    }
    checkChannelReader(this.verifier, request.channel_id, request.identity, signed.request, signed.signature);
    const source = this.blocks(request.channel_id);
    if (!source) throw new GatewayStatusError(grpc.status.NOT_FOUND, `channel does not exist: ${request.channel_id}`);
    const start = await this.startPoint(source, request);
    for await (const block of source.blocks(start.block, ctx.signal)) {
      const skipThrough = block.number === start.block && start.after ? start.after.txIndex : -1;
      const events = validChaincodeEvents(readBlock(block.bytes), request.chaincode_id)
        .filter((e) => e.txIndex > skipThrough)
        .map(({ event }) => ({ chaincode_id: event.chaincodeId, tx_id: event.txId, event_name: event.eventName, payload: event.payload }));
      if (events.length === 0) continue;
      if (ctx.signal.aborted) return;
      await send(codecs.ChaincodeEventsResponse.encode({ events, block_number: block.number }));
    }
  }

  /**
   * NextCommit (or no position): the ledger height; Specified: that block; anything else is
   * refused. A known `after_transaction_id` wins: its block, skipping it and what came before it.
   */
  private async startPoint(source: BlockSource, request: ChaincodeEventsRequest): Promise<StartPoint> {
    const position = request.start_position;
    let block: number;
    if (!position || position.next_commit || positionTypeName(position) === '<nil>') block = source.height;
    else if (position.specified) block = Number(String(position.specified.number ?? 0));
    else throw new GatewayStatusError(grpc.status.INVALID_ARGUMENT, `invalid start position type: ${positionTypeName(position)}`);
    if (request.after_transaction_id) {
      const found = await source.getTransaction(request.after_transaction_id);
      if (found) return { block: found.blockNumber, after: { txIndex: found.txIndex } };
    }
    return { block, after: null };
  }
}
