/**
 * Builds `common.Block`s as a Fabric peer delivers them, and reads back what the block store
 * indexes (number, hashes, transaction ids, validation codes).
 *
 * Metadata (common.BlockMetadataIndex; five slots, as protoutil.NewBlock makes them):
 * - SIGNATURES: `Metadata{value: OrdererBlockMetadata{last_config}}`, as Fabric's orderer writes it
 *   (orderer/common/multichannel/blockwriter.go `addBlockSignature`). The orderer also signs it
 *   (over value ‖ signature_header ‖ header bytes); with no orderer there is nobody to sign, unless
 *   a `signer` is given. Clients never verify it: the fabric-gateway clients, block listeners and
 *   qscc read only header, data and TRANSACTIONS_FILTER; only peers and orderers pulling blocks
 *   from an orderer check the signatures.
 * - LAST_CONFIG: `Metadata{value: LastConfig}` (deprecated; 2.x orderers still write it for older
 *   readers). Index 0 marshals to no bytes at all, as in Fabric.
 * - TRANSACTIONS_FILTER: one TxValidationCode byte per transaction, raw (not in a Metadata), set by
 *   the committing peer (core/committer/txvalidator).
 * - ORDERER: empty (a Kafka-era slot).
 * - COMMIT_HASH: left empty. Fabric's peer puts a running hash of the filter and its internal
 *   state-update encoding there (core/ledger/kvledger/kv_ledger.go `addBlockCommitHash`), for
 *   operators to compare peers' state; nothing a client or chaincode reads, and not reproducible
 *   without Fabric's private update-batch format.
 */
import { randomBytes, createHash } from 'crypto';
import { codecs, timestampOf } from '../../wire/codec';
import { BlockMetadataIndex, HeaderType, TxValidationCode } from '../../wire/messages';
import type { ValidationCode } from '../types';
import { blockDataHash, blockHeaderBytes, blockHeaderHash } from './blockHash';

export interface BlockTransaction {
  /** A marshalled common.Envelope. */
  readonly envelope: Uint8Array;
  readonly validationCode: TxValidationCode;
}

/** Signs the SIGNATURES metadata as an orderer would; `sign` gets the message (it hashes it itself). */
export interface BlockSigner {
  /** The signer's marshalled msp.SerializedIdentity. */
  readonly identity: Uint8Array;
  sign(message: Buffer): Buffer;
}

export interface BlockSpec {
  readonly number: number;
  /** The previous block's header hash; empty for block 0. */
  readonly previousHash: Uint8Array;
  readonly transactions: readonly BlockTransaction[];
  /** Number of the last config block (default 0: the genesis block is the only one). */
  readonly lastConfig?: number;
  readonly signer?: BlockSigner;
}

export interface TransactionSummary {
  /** The channel header's tx_id; '' when the envelope does not parse or has none. */
  readonly txId: string;
  readonly validationCode: TxValidationCode;
}

/** A marshalled block with what the store indexes. */
export interface BuiltBlock {
  readonly number: number;
  /** The marshalled common.Block, as stored and delivered. */
  readonly bytes: Buffer;
  readonly headerHash: Buffer;
  readonly previousHash: Buffer;
  readonly dataHash: Buffer;
  readonly transactions: readonly TransactionSummary[];
}

export class MalformedBlockError extends Error {
  constructor(what: string, options?: { cause?: unknown }) {
    super(`malformed block: ${what}`, options);
    this.name = 'MalformedBlockError';
  }
}

export function buildBlock(spec: BlockSpec): BuiltBlock {
  if (!Number.isSafeInteger(spec.number) || spec.number < 0) throw new RangeError(`block number ${spec.number} is not a non-negative integer`);
  const data = spec.transactions.map((t) => t.envelope);
  const dataHash = blockDataHash(data);
  const previousHash = Buffer.from(spec.previousHash);
  const header = { number: spec.number, previous_hash: previousHash, data_hash: dataHash };
  const headerFields = { number: spec.number, previousHash, dataHash };
  const lastConfig = { index: spec.lastConfig ?? 0 };
  const signaturesValue = codecs.OrdererBlockMetadata.encode({ last_config: lastConfig });
  const signatures = spec.signer ? [signMetadata(spec.signer, signaturesValue, blockHeaderBytes(headerFields))] : [];
  const metadata: Uint8Array[] = [];
  metadata[BlockMetadataIndex.SIGNATURES] = codecs.Metadata.encode({ value: signaturesValue, signatures });
  metadata[BlockMetadataIndex.LAST_CONFIG] = codecs.Metadata.encode({ value: codecs.LastConfig.encode(lastConfig) });
  metadata[BlockMetadataIndex.TRANSACTIONS_FILTER] = Buffer.from(spec.transactions.map((t) => t.validationCode));
  metadata[BlockMetadataIndex.ORDERER] = Buffer.alloc(0);
  metadata[BlockMetadataIndex.COMMIT_HASH] = Buffer.alloc(0);
  const bytes = codecs.Block.encode({ header, data: { data }, metadata: { metadata } });
  return {
    number: spec.number,
    bytes,
    headerHash: blockHeaderHash(headerFields),
    previousHash,
    dataHash,
    transactions: spec.transactions.map((t) => ({ txId: txIdOfEnvelope(t.envelope), validationCode: t.validationCode })),
  };
}

function signMetadata(signer: BlockSigner, value: Buffer, headerBytes: Buffer): { signature_header: Buffer; signature: Buffer } {
  const signatureHeader = codecs.SignatureHeader.encode({ creator: signer.identity, nonce: randomBytes(24) });
  return { signature_header: signatureHeader, signature: signer.sign(Buffer.concat([value, signatureHeader, headerBytes])) };
}

export interface GenesisSpec {
  readonly channelId: string;
  /** Epoch milliseconds (default now); Fabric keeps whole seconds in config headers. */
  readonly timestampMs?: number;
  /** 24 random bytes by default. */
  readonly nonce?: Uint8Array;
}

/**
 * Block 0 of a channel, shaped as Fabric's genesis factory makes it (common/genesis/genesis.go):
 * one CONFIG envelope, unsigned, with a nonce and no creator, tx_id = hex(SHA-256(nonce)). Its
 * ConfigEnvelope is empty here (no channel configuration groups): a real one needs the configtx
 * and policy messages, which nothing in the embedded peer reads yet.
 */
export function buildGenesisBlock(spec: GenesisSpec): BuiltBlock {
  const nonce = Buffer.from(spec.nonce ?? randomBytes(24));
  const seconds = Math.floor((spec.timestampMs ?? Date.now()) / 1000);
  const channelHeader = codecs.ChannelHeader.encode({
    type: HeaderType.CONFIG,
    version: 1,
    timestamp: timestampOf(seconds * 1000),
    channel_id: spec.channelId,
    tx_id: createHash('sha256').update(nonce).digest('hex'),
  });
  const signatureHeader = codecs.SignatureHeader.encode({ nonce });
  const payload = codecs.Payload.encode({ header: { channel_header: channelHeader, signature_header: signatureHeader }, data: Buffer.alloc(0) });
  const envelope = codecs.Envelope.encode({ payload });
  return buildBlock({ number: 0, previousHash: Buffer.alloc(0), transactions: [{ envelope, validationCode: TxValidationCode.VALID }] });
}

/** The tx_id of an envelope's channel header; '' when it does not parse. */
export function txIdOfEnvelope(envelope: Uint8Array): string {
  try {
    const header = codecs.Payload.decode(codecs.Envelope.decode(envelope).payload).header;
    return header?.channel_header ? codecs.ChannelHeader.decode(header.channel_header).tx_id : '';
  } catch {
    return '';
  }
}

/** Reads a marshalled block back into what the store indexes. Throws MalformedBlockError. */
export function summarizeBlock(bytes: Uint8Array): BuiltBlock {
  let block;
  try {
    block = codecs.Block.decode(bytes);
  } catch (err) {
    throw new MalformedBlockError(`it does not decode (${(err as Error).message})`, { cause: err });
  }
  if (!block.header) throw new MalformedBlockError('it has no header');
  const number = Number(block.header.number ?? 0);
  const previousHash = Buffer.from(block.header.previous_hash ?? new Uint8Array());
  const dataHash = Buffer.from(block.header.data_hash ?? new Uint8Array());
  const data = block.data?.data ?? [];
  const filter = block.metadata?.metadata?.[BlockMetadataIndex.TRANSACTIONS_FILTER] ?? new Uint8Array();
  return {
    number,
    bytes: Buffer.from(bytes),
    headerHash: blockHeaderHash({ number: BigInt(String(block.header.number ?? 0)), previousHash, dataHash }),
    previousHash,
    dataHash,
    transactions: data.map((envelope, i) => ({ txId: txIdOfEnvelope(envelope), validationCode: i < filter.length ? filter[i] : TxValidationCode.NOT_VALIDATED })),
  };
}

/** The code a block records for our ledger's validation outcome. */
export function txValidationCodeOf(validation: ValidationCode): TxValidationCode {
  switch (validation) {
    case 'VALID':
      return TxValidationCode.VALID;
    case 'MVCC_READ_CONFLICT':
      return TxValidationCode.MVCC_READ_CONFLICT;
    case 'ENDORSEMENT_POLICY_FAILURE':
      return TxValidationCode.ENDORSEMENT_POLICY_FAILURE;
    // Neither is ever in a block (an evaluation is not submitted; NOT_COMMITTED never got that far).
    case 'NOT_VALIDATED':
    case 'NOT_COMMITTED':
      return TxValidationCode.NOT_VALIDATED;
  }
}

/** Our name for a code a block records (the inverse of txValidationCodeOf); codes we never assign read as the policy failure they mostly are. */
export function validationOfCode(code: TxValidationCode): ValidationCode {
  if (code === TxValidationCode.VALID) return 'VALID';
  if (code === TxValidationCode.MVCC_READ_CONFLICT) return 'MVCC_READ_CONFLICT';
  if (code === TxValidationCode.NOT_VALIDATED) return 'NOT_VALIDATED';
  return 'ENDORSEMENT_POLICY_FAILURE';
}
