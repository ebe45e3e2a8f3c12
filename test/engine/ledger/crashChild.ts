/**
 * The process the crash test kills: opens a world state and commits transactions in a loop, each
 * writing KEYS keys plus `last` with one counter value, and prints each counter once its commit
 * resolved. Usage: node crashChild.js <dir> <compactAfterBytes> <inFlight> <disk|process>. Does nothing without
 * arguments, so a test runner that picks this file up finds no work.
 */
import { WorldState, type Durability } from '../../../src/engine/ledger/worldState';
import type { ReadWriteSet, WriteEntry } from '../../../src/engine/ledger/types';
import { commit } from './ledgerTestKit';

export const CRASH_NS = { channel: 'crash', chaincode: 'counter' };
export const CRASH_KEYS = ['k0', 'k1', 'k2', 'k3', 'k4', 'last'];

async function main(dir: string, compactAfterBytes: number, inFlight: number, durability: Durability): Promise<void> {
  const ws = await WorldState.open(dir, { durability, compactAfterBytes });
  let next = Number(ws.getState(CRASH_NS, 'last')?.value.toString() ?? '0') + 1;
  process.stdout.write(`open ${next - 1}\n`);
  const commitOne = async (counter: number): Promise<void> => {
    const value = Buffer.from(String(counter));
    const writes: WriteEntry[] = CRASH_KEYS.map((key) => ({ ...CRASH_NS, collection: '', key, value }));
    writes.push({ ...CRASH_NS, collection: 'secret', key: 'k', value });
    const rwset: ReadWriteSet = { reads: [], writes, metadataWrites: [] };
    const txId = `tx${counter}`;
    const record = {
      txId,
      channel: CRASH_NS.channel,
      chaincode: CRASH_NS.chaincode,
      fn: 'bump',
      args: [String(counter)],
      kind: 'invoke' as const,
      creator: { mspId: 'Org1MSP', subject: 'CN=crash' },
      startedAt: Date.now(),
      durationMs: 0,
      status: 200,
      message: '',
      payload: Buffer.alloc(0),
      rwset,
      event: null,
    };
    const result = await commit(ws, { txId, timestamp: Date.now(), rwset, record });
    if (result.validation !== 'VALID') throw new Error(`tx${counter}: ${result.validation}`);
    process.stdout.write(`committed ${counter}\n`);
  };
  // Several commits in flight so kills also land inside group commits and compactions.
  const workers = Array.from({ length: inFlight }, async () => {
    for (;;) await commitOne(next++);
  });
  await Promise.all(workers);
}

const [dir, compactAfterBytes, inFlight, durability] = process.argv.slice(2);
if (dir) {
  main(dir, Number(compactAfterBytes), Number(inFlight), durability === 'disk' ? 'disk' : 'process').catch((err) => {
    process.stderr.write(`${(err as Error).stack}\n`);
    process.exit(1);
  });
}
