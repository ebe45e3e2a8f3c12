/**
 * How Fabric chains blocks (protoutil/blockutils.go in Fabric 2.x and 3.x; common/block.go in 1.x):
 *
 * - `BlockHeaderBytes` = ASN.1 DER of `SEQUENCE { Number INTEGER, PreviousHash OCTET STRING,
 *   DataHash OCTET STRING }` (Go's encoding/asn1 marshalling of a struct {*big.Int, []byte, []byte};
 *   1.x used int64, whose encoding is the same for every number below 2^63).
 * - `BlockHeaderHash` = SHA-256 of those bytes: the next block's previous_hash, the block's hash in
 *   qscc GetBlockByHash and GetChainInfo.
 * - `BlockDataHash` (2.x; `ComputeBlockDataHash` in 3.x) = SHA-256 of the concatenated data entries
 *   (the envelopes), with no length prefixes: a "Merkle tree of infinite width".
 */
import { createHash } from 'crypto';

export interface HeaderFields {
  /** A safe integer, or a bigint up to 2^64 - 1 (uint64). */
  readonly number: number | bigint;
  readonly previousHash: Uint8Array;
  readonly dataHash: Uint8Array;
}

/** The ASN.1 DER bytes Fabric hashes for a block header. */
export function blockHeaderBytes(header: HeaderFields): Buffer {
  const content = Buffer.concat([derInteger(BigInt(header.number)), derElement(0x04, header.previousHash), derElement(0x04, header.dataHash)]);
  return derElement(0x30, content);
}

export function blockHeaderHash(header: HeaderFields): Buffer {
  return createHash('sha256').update(blockHeaderBytes(header)).digest();
}

export function blockDataHash(data: readonly Uint8Array[]): Buffer {
  const hash = createHash('sha256');
  for (const entry of data) hash.update(entry);
  return hash.digest();
}

/** A non-negative INTEGER: big-endian, minimal, with a leading zero byte when the top bit is set. */
function derInteger(n: bigint): Buffer {
  if (n < 0n || n >= 1n << 64n) throw new RangeError(`block number ${n} is not a uint64`);
  const digits = n.toString(16);
  let bytes = Buffer.from(digits.length % 2 ? `0${digits}` : digits, 'hex');
  if (bytes[0] & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return derElement(0x02, bytes);
}

function derElement(tag: number, content: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([tag]), derLength(content.length), content]);
}

/** Short form below 128, else 0x80 | byte count, then the length big-endian. */
function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
