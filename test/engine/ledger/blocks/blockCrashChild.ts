/**
 * The process the block store's crash test kills: opens the store and appends blocks in a loop
 * (several in flight, every fourth with private data, small block files so kills land on file
 * switches too), printing `appended N` once block N's append resolved.
 * Usage: node blockCrashChild.js <dir> <inFlight> <disk|process>. Does nothing without arguments,
 * so a test runner that picks this file up finds no work.
 */
import { BlockStore } from '../../../../src/engine/ledger/blocks/blockStore';
import type { Durability } from '../../../../src/engine/ledger/logFile';
import { blockAt, genesis } from './blockTestKit';

export const CRASH_FILE_BYTES = 24 * 1024;

/** The private data block `n` carries, if any. */
export function privateDataOf(n: number): Map<number, Buffer> | undefined {
  return n % 4 === 0 ? new Map([[1, Buffer.from(`private ${n}`)]]) : undefined;
}

async function main(dir: string, inFlight: number, durability: Durability): Promise<void> {
  const store = await BlockStore.open(dir, { durability, maxFileBytes: CRASH_FILE_BYTES });
  process.stdout.write(`open ${store.height}\n`);
  if (store.height === 0) {
    await store.append(genesis());
    process.stdout.write('appended 0\n');
  }
  // Appends are queued without waiting for the previous one: `next` counts the queued ones.
  const appendOne = async (): Promise<void> => {
    const { number, previousHash } = store.next;
    await store.append(blockAt(number, previousHash, 1 + (number % 5), 200), privateDataOf(number));
    process.stdout.write(`appended ${number}\n`);
  };
  const workers = Array.from({ length: inFlight }, async () => {
    for (;;) await appendOne();
  });
  await Promise.all(workers);
}

const [dir, inFlight, durability] = process.argv.slice(2);
if (dir) {
  main(dir, Number(inFlight), durability === 'disk' ? 'disk' : 'process').catch((err) => {
    process.stderr.write(`${(err as Error).stack}\n`);
    process.exit(1);
  });
}
