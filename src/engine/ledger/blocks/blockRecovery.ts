/**
 * Rebuilds the block store's index on open and finds where appends continue.
 *
 * index.bin is read up to its first torn or inconsistent record. The last block file is re-read in
 * full (it is the only one a crash can leave torn: earlier ones were closed, synced, when the store
 * moved on), and index records pointing at data that is not intact are dropped. Blocks written
 * after the last indexed one (a crash between the two writes, or a lost index) are indexed again
 * from the block files, as long as they chain: number one more, previous_hash = the last header
 * hash. Everything after the first torn frame or broken link is cut, so the store is always blocks
 * 0..n-1 as they were appended.
 */
import * as fs from 'fs';
import { summarizeBlock } from './blockBuilder';
import { blockFilePath, indexFilePath, listBlockFiles, scanFrameFile, type FrameLocation } from './blockFiles';
import { BlockIndex, recordFromFrame, type IndexRecord } from './blockIndex';

export interface RecoveredBlocks {
  readonly index: BlockIndex;
  /** The block file to append to, and its intact length. */
  readonly appendFile: number;
  readonly appendOffset: number;
  /** Intact length of index.bin (records beyond are cut when it is opened). */
  readonly indexLength: number;
  /** Records found from the block files that index.bin lacks: to be appended to it. */
  readonly reindexed: readonly IndexRecord[];
  /** Block files after the append point (beyond a torn frame): to be removed. */
  readonly obsoleteFiles: readonly number[];
}

/** The value of a block frame: the marshalled block, then private data as [txIndex, TxPvtReadWriteSet bytes] pairs. */
export type BlockFrame = [Buffer, Array<[number, Buffer]>?];

export function isBlockFrame(value: unknown): value is BlockFrame {
  return Array.isArray(value) && Buffer.isBuffer(value[0]) && (value[1] === undefined || Array.isArray(value[1]));
}

export async function recoverBlocks(dir: string): Promise<RecoveredBlocks> {
  const files = await listBlockFiles(dir);
  const { records, ends } = await readIndexFile(dir);
  const lastFile = files.length > 0 ? files[files.length - 1] : 0;
  const lastFileFrames: { value: unknown; at: FrameLocation }[] = [];
  if (files.length > 0) await scanFrameFile(blockFilePath(dir, lastFile), 0, (value, at) => lastFileFrames.push({ value, at }));

  // Keep the records whose block frame is intact.
  const lastFileStarts = new Map(lastFileFrames.map((f) => [f.at.start, f.at.end]));
  const sizes = new Map<number, number>();
  for (const file of files) sizes.set(file, (await fs.promises.stat(blockFilePath(dir, file))).size);
  let kept = 0;
  for (const r of records) {
    const intact = r.file === lastFile ? lastFileStarts.get(r.start) === r.end : (sizes.get(r.file) ?? -1) >= r.end;
    if (!intact) break;
    kept++;
  }
  const index = new BlockIndex();
  for (const r of records.slice(0, kept)) index.add(r);
  const last = kept > 0 ? records[kept - 1] : undefined;

  // Index the intact blocks written after the last indexed one.
  const reindexed: IndexRecord[] = [];
  let appendFile = last ? last.file : (files[0] ?? 0);
  let appendOffset = last ? last.end : 0;
  let stopped = false;
  for (const file of files.filter((f) => f >= appendFile)) {
    const from = file === appendFile ? appendOffset : 0;
    const frames: { value: unknown; at: FrameLocation }[] = [];
    let complete = true;
    if (file === lastFile) frames.push(...lastFileFrames.filter((f) => f.at.start >= from));
    else complete = (await scanFrameFile(blockFilePath(dir, file), from, (value, at) => frames.push({ value, at }))).cleanTail;
    if (frames.length > 0 && frames[0].at.start !== from) break; // not contiguous with what came before
    for (const frame of frames) {
      const record = chainedRecord(frame.value, file, frame.at, index);
      if (!record) {
        stopped = true;
        break;
      }
      index.add(record);
      reindexed.push(record);
      appendFile = file;
      appendOffset = frame.at.end;
    }
    // A torn frame in a file that is not the last: what follows is after a gap.
    if (stopped || !complete) break;
  }
  return {
    index,
    appendFile,
    appendOffset,
    indexLength: kept > 0 ? ends[kept - 1] : 0,
    reindexed,
    obsoleteFiles: files.filter((f) => f > appendFile),
  };
}

/** index.bin's records up to the first one that is torn or does not follow the one before. */
async function readIndexFile(dir: string): Promise<{ records: IndexRecord[]; ends: number[] }> {
  const records: IndexRecord[] = [];
  const ends: number[] = [];
  if (!fs.existsSync(indexFilePath(dir))) return { records, ends };
  let consistent = true;
  await scanFrameFile(indexFilePath(dir), 0, (value, at) => {
    if (!consistent) return;
    const r = recordFromFrame(value);
    const prev = records[records.length - 1];
    const follows =
      r !== null && r.number === records.length && (!prev || (r.previousHash.equals(prev.headerHash) && (r.file > prev.file || (r.file === prev.file && r.start === prev.end))));
    if (!follows || !r) {
      consistent = false;
      return;
    }
    records.push(r);
    ends.push(at.end);
  });
  return { records, ends };
}

/** The index record of a block frame that continues the chain, or null. */
function chainedRecord(value: unknown, file: number, at: FrameLocation, index: BlockIndex): IndexRecord | null {
  if (!isBlockFrame(value)) return null;
  let block;
  try {
    block = summarizeBlock(value[0]);
  } catch {
    return null;
  }
  if (block.number !== index.height || (index.height > 0 && !block.previousHash.equals(index.lastHeaderHash))) return null;
  return {
    number: block.number,
    file,
    start: at.start,
    end: at.end,
    headerHash: block.headerHash,
    previousHash: block.previousHash,
    txIds: block.transactions.map((t) => t.txId),
    codes: Buffer.from(block.transactions.map((t) => t.validationCode)),
    hasPrivateData: (value[1]?.length ?? 0) > 0,
  };
}
