/**
 * Replay (`replayMs`): one recorded transaction of the example chaincode
 * (TransferAsset, with a write and an event), replayed on its current code against the state it
 * read, after later transfers changed that state. Timed from the call to the diffed result.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Peer } from '../src/engine/peer/peer';
import { replayTransaction } from '../src/engine/replay/replay';
import { TransactionPipeline } from '../src/engine/transactions/pipeline';
import { EXAMPLE_CHAINCODE, startContractChaincode } from '../test/support/nodeChaincode';
import { since, Summary, summarize } from './stats';

const CCID = 'asset-transfer:1.0';
const WARMUP = 3;

export interface ReplayFigures {
  readonly replay: Summary;
  /** A replay of an evaluation (ReadAsset) the same way, for comparison. */
  readonly replayRead: Summary;
}

/** `onCleanup` receives each undo step (the caller runs them, also on Ctrl-C). */
export async function measureReplay(runs: number, onCleanup: (undo: () => Promise<void>) => void): Promise<ReplayFigures> {
  const tmp = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'ccl-bench-replay-'));
  onCleanup(() => fs.promises.rm(tmp, { recursive: true, force: true }));
  const peer = await Peer.start({ dataDir: tmp, port: 0 });
  onCleanup(() => peer.stop());
  const chaincode = startContractChaincode(EXAMPLE_CHAINCODE, CCID, peer.address);
  onCleanup(() => chaincode.kill());
  await peer.waitForReady(CCID, 30_000).catch((e: Error) => {
    throw new Error(`${e.message}\n${chaincode.output()}`);
  });
  const pipeline = new TransactionPipeline(peer);
  const host = { peer, transactions: pipeline };
  await pipeline.execute({ chaincode: CCID, args: ['InitLedger'] });
  const transfer = await pipeline.execute({ chaincode: CCID, args: ['TransferAsset', 'asset1', 'Alice'] });
  const read = await pipeline.execute({ chaincode: CCID, args: ['ReadAsset', 'asset2'], kind: 'query' });
  for (const owner of ['Bob', 'Carol']) await pipeline.execute({ chaincode: CCID, args: ['TransferAsset', 'asset1', owner] });
  await pipeline.execute({ chaincode: CCID, args: ['TransferAsset', 'asset2', 'Dan'] });

  const time = async (txId: string): Promise<Summary> => {
    const ms: number[] = [];
    for (let i = 0; i < WARMUP + runs; i++) {
      const t = performance.now();
      const r = await replayTransaction(host, txId);
      if (r.differences.length) throw new Error(`the replay of ${txId} differs: ${JSON.stringify(r.differences)}`);
      if (i >= WARMUP) ms.push(since(t));
    }
    return summarize(ms);
  };
  return { replay: await time(transfer.txId), replayRead: await time(read.txId) };
}
