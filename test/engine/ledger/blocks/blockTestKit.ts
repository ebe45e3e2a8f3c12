/** Shared fixtures for the block tests: envelopes and chains of blocks. */
import { createHash } from 'crypto';
import { buildBlock, buildGenesisBlock, type BuiltBlock } from '../../../../src/engine/ledger/blocks/blockBuilder';
import { codecs } from '../../../../src/engine/wire/codec';
import { HeaderType, TxValidationCode } from '../../../../src/engine/wire/messages';

export const CHANNEL = 'mychannel';

/** A transaction id as clients make them: 64 hex characters, here derived from a label. */
export function txIdOf(label: string): string {
  return createHash('sha256').update(label).digest('hex');
}

/** An ENDORSER_TRANSACTION envelope with `txId` and `size` bytes of data. */
export function envelope(txId: string, size = 64): Buffer {
  const channelHeader = codecs.ChannelHeader.encode({ type: HeaderType.ENDORSER_TRANSACTION, channel_id: CHANNEL, tx_id: txId });
  const payload = codecs.Payload.encode({ header: { channel_header: channelHeader, signature_header: Buffer.from('creator') }, data: Buffer.alloc(size, txId.charCodeAt(0)) });
  return codecs.Envelope.encode({ payload, signature: Buffer.from('signature') });
}

/** Block `number` after `previous`, with `count` transactions labelled `${number}.${i}`; every third one MVCC-invalid. */
export function nextBlock(previous: BuiltBlock, count = 3, size = 64): BuiltBlock {
  return blockAt(previous.number + 1, previous.headerHash, count, size);
}

/** Block `number` with the given previous hash and the same deterministic content as nextBlock. */
export function blockAt(number: number, previousHash: Uint8Array, count = 3, size = 64): BuiltBlock {
  const transactions = Array.from({ length: count }, (_, i) => ({
    envelope: envelope(txIdOf(`${number}.${i}`), size),
    validationCode: i % 3 === 2 ? TxValidationCode.MVCC_READ_CONFLICT : TxValidationCode.VALID,
  }));
  return buildBlock({ number, previousHash, transactions });
}

/** The same genesis block every time. */
export function genesis(): BuiltBlock {
  return buildGenesisBlock({ channelId: CHANNEL, timestampMs: 1_700_000_000_000, nonce: Buffer.alloc(24, 1) });
}

/** The genesis block and `n` blocks after it. */
export function chain(n: number, count = 3, size = 64): BuiltBlock[] {
  const blocks = [genesis()];
  for (let i = 0; i < n; i++) blocks.push(nextBlock(blocks[blocks.length - 1], count, size));
  return blocks;
}
