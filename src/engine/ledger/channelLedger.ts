/**
 * One channel's ledger on one peer, as Fabric keeps it (core/ledger/kvledger): the chain of blocks
 * (a block store), the world state they lead to and the transaction records, in
 * `<peer data>/ledgers/<channel>/{blocks,state}`. Each channel has its own blocks and heights;
 * nothing is shared between channels.
 *
 * A block goes to the state's log first, then to the block store, then into memory (worldState.ts).
 * So after a crash the store holds at most what the state's log holds, and the state is cut back to
 * the store's height on open: both are one prefix of what was committed. Only a power loss with
 * `process` durability can leave the store ahead (its background sync ran, the log's had not): the
 * state then catches up from the blocks themselves.
 */
import * as path from 'path';
import type { CommitRequest } from './blockPlan';
import { buildBlock, buildGenesisBlock, txValidationCodeOf, validationOfCode } from './blocks/blockBuilder';
import { readBlock } from './blocks/blockReader';
import { decodeReadWriteSet } from './blocks/rwsetEncoding';
import { BlockStore } from './blocks/blockStore';
import { channelLedgerDir } from './channelDirectories';
import type { Event } from '../util/events';
import type { Durability } from './logFile';
import type { TransactionRecord } from './types';
import { WorldState, type BlockCommitted, type BlockSink, type CommitOptions } from './worldState';
import { codecs } from '../wire/codec';

export interface ChannelLedgerOptions {
  readonly durability?: Durability;
  /** Whether other work waits for the event loop (a commit's I/O then leaves it). */
  readonly othersWaiting?: () => boolean;
}

/** Fabric's channel name rule (common/configtx/validator.go: channelAllowedChars, maxLength 249). */
const CHANNEL_NAME = /^[a-z][a-z0-9.-]{0,248}$/;

export class InvalidChannelNameError extends Error {
  override readonly name = 'InvalidChannelNameError';
  constructor(readonly channel: string) {
    super(`bad channel name '${channel}': channel names must contain only lowercase letters, digits, dots and dashes, start with a letter, and be shorter than 250 characters`);
  }
}

export function checkChannelName(channel: string): void {
  if (!CHANNEL_NAME.test(channel)) throw new InvalidChannelNameError(channel);
}

export class ChannelLedger {
  private constructor(
    readonly channel: string,
    readonly state: WorldState,
    /** The chain: blocks 0 (genesis) … height; events, Deliver and qscc read it. */
    readonly blocks: BlockStore,
  ) {}

  /** Opens (creating when new) the ledger of `channel` under a peer's data directory. */
  static async open(peerDataDir: string, channel: string, options: ChannelLedgerOptions = {}): Promise<ChannelLedger> {
    checkChannelName(channel);
    const dir = channelLedgerDir(peerDataDir, channel);
    const blocks = await BlockStore.open(path.join(dir, 'blocks'), { durability: options.durability });
    let state: WorldState | undefined;
    try {
      if (blocks.height === 0) await blocks.append(buildGenesisBlock({ channelId: channel }));
      state = await WorldState.open(path.join(dir, 'state'), {
        durability: options.durability,
        othersWaiting: options.othersWaiting,
        blockSink: blockSinkOf(blocks),
        maxHeight: blocks.height - 1,
      });
      const ledger = new ChannelLedger(channel, state, blocks);
      await ledger.catchUp();
      return ledger;
    } catch (err) {
      await state?.close().catch(() => undefined);
      await blocks.close().catch(() => undefined);
      throw err;
    }
  }

  /**
   * Work the ledger does on its own after a commit (compaction, snapshots) that failed: nothing
   * committed is lost (the previous snapshot and the logs since stay), but someone must hear of it.
   */
  get onBackgroundError(): Event<Error> {
    return this.state.onBackgroundError;
  }

  /** The chain's height as the state counts it: the number of the last committed block (0: only genesis). */
  get height(): number {
    return this.state.height;
  }

  commitBlock(requests: readonly CommitRequest[], options?: CommitOptions): Promise<BlockCommitted> {
    return this.state.commitBlock(requests, options);
  }

  async close(): Promise<void> {
    await this.state.close();
    await this.blocks.close();
  }

  /** Re-applies blocks the store has and the state does not (see the header): their writes as they validated. */
  private async catchUp(): Promise<void> {
    for (let n = this.state.height + 1; n < this.blocks.height; n++) {
      const view = readBlock(await this.blocks.getBlock(n));
      const privateData = await this.blocks.getPrivateData(n);
      const requests: CommitRequest[] = view.transactions.map((tx) => {
        const action = tx.actions[0];
        const rwset = action
          ? decodeReadWriteSet(this.channel, action.results, privateData.get(tx.index) ?? null, { hashesWithoutPrivateData: true })
          : { reads: [], writes: [], metadataWrites: [] };
        const validation = validationOfCode(tx.validationCode);
        const startedAt = tx.header?.timestampMs ?? 0;
        const record: Omit<TransactionRecord, 'validation' | 'blockNum'> = {
          txId: tx.header?.txId ?? '',
          channel: this.channel,
          chaincode: action ? `${action.chaincodeId.name}:${action.chaincodeId.version}` : '',
          fn: '',
          args: [],
          kind: 'invoke',
          creator: { mspId: tx.header?.creator.length ? codecs.SerializedIdentity.decode(tx.header.creator).mspid : '', subject: '' },
          startedAt,
          durationMs: 0,
          status: action?.response.status ?? 0,
          message: action?.response.message ?? '',
          payload: action?.response.payload ?? Buffer.alloc(0),
          rwset,
          event: action?.event ? { chaincodeId: action.event.chaincodeId, txId: action.event.txId, eventName: action.event.eventName, payload: action.event.payload } : null,
        };
        return { txId: record.txId, timestamp: startedAt, rwset, record, validation, validateReads: false };
      });
      const committed = await this.state.commitBlock(requests);
      if (committed.blockNum !== n) throw new Error(`ledger of channel ${this.channel}: block ${n} re-applied as ${committed.blockNum}`);
    }
  }
}

/** The block store as the world state's sink: each committed block, built as Fabric's committer stores it. */
function blockSinkOf(blocks: BlockStore): BlockSink {
  return {
    append: async ({ blockNum, txs }) => {
      if (blockNum < blocks.height) return; // catching up: the store has it already
      const privateData = new Map<number, Buffer>();
      txs.forEach((t, i) => t.privateData && privateData.set(i, t.privateData));
      const built = buildBlock({
        number: blockNum,
        previousHash: blocks.next.previousHash,
        transactions: txs.map((t) => {
          if (!t.envelope) throw new Error(`transaction ${t.txId} of block ${blockNum} has no envelope to store`);
          return { envelope: t.envelope, validationCode: txValidationCodeOf(t.validation) };
        }),
      });
      await blocks.append(built, privateData.size > 0 ? privateData : undefined);
    },
    sync: () => blocks.sync(),
  };
}
