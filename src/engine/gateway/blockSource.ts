/**
 * What the Gateway's block readers (Deliver, ChaincodeEvents, qscc) need from a channel's blocks.
 * The shape is the block store's (ledger/blocks/blockStore.ts), so a channel's store serves as it
 * is; the services depend on this much and nothing else of the ledger.
 */
import type { TxValidationCode } from '../wire/messages';

/** qscc GetChainInfo's common.BlockchainInfo. */
export interface ChainInfo {
  /** Number of blocks: the next block's number. */
  readonly height: number;
  /** Header hash of the last block (empty when there is none). */
  readonly currentBlockHash: Buffer;
  /** previous_hash of the last block. */
  readonly previousBlockHash: Buffer;
}

/** A transaction found by id: where it is, its validation code, and its envelope. */
export interface FoundTransaction {
  readonly blockNumber: number;
  /** Its position in the block. */
  readonly txIndex: number;
  readonly validationCode: TxValidationCode;
  /** The marshalled common.Envelope. */
  readonly envelope: Buffer;
}

export interface BlockSource {
  /** Number of blocks committed (Fabric's height): the last block is height - 1. */
  readonly height: number;
  readonly chainInfo: ChainInfo;
  /** The marshalled common.Block numbered `n`; rejects beyond the height. */
  getBlock(n: number): Promise<Buffer>;
  /** The block whose header hash is `hash`, or undefined. */
  getBlockByHash(hash: Uint8Array): Promise<Buffer | undefined>;
  /** A transaction by id (the first occurrence), or undefined. */
  getTransaction(txId: string): Promise<FoundTransaction | undefined>;
  /** The private write sets kept beside block `n`: transaction index → marshalled TxPvtReadWriteSet. */
  getPrivateData(n: number): Promise<ReadonlyMap<number, Buffer>>;
  /** Blocks from `from` on, in order, waiting at the head; ends when `signal` aborts or the ledger closes. */
  blocks(from: number, signal?: AbortSignal): AsyncGenerator<{ readonly number: number; readonly bytes: Buffer }, void, undefined>;
}

/** The blocks of a channel this peer has joined; undefined for any other channel. */
export type BlockSources = (channel: string) => BlockSource | undefined;
