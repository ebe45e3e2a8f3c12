/**
 * (b), (c), (e): get + put transactions through the real fabric-shim chaincode, against our peer
 * and against the thin reference peer, sequentially and with 32 in flight. The four measurements
 * are interleaved round by round, so a burst of load from elsewhere on this shared machine hits
 * both peers alike and the ratios stay fair.
 */
import * as path from 'path';
import type { Peer } from '../src/engine/peer/peer';
import { codecs } from '../src/engine/wire/codec';
import { MessageType } from '../src/engine/wire/messages';
import { REPO_ROOT, RunningProcess, startProcess } from '../test/support/nodeChaincode';
import { median, since, Summary, summarize } from './stats';
import type { ThinReferencePeer } from './thinPeer';

export const GETPUT_DIR = path.join(REPO_ROOT, 'bench', 'fixtures', 'getput');

/** The benchmark chaincode as a developer starts it, its logging turned down as in the tests. */
export function startGetPut(ccid: string, peerAddress: string): RunningProcess {
  return startProcess(
    process.execPath,
    [path.join(GETPUT_DIR, 'index.js'), '--peer.address', peerAddress],
    { CORE_CHAINCODE_ID_NAME: ccid, CORE_PEER_TLS_ENABLED: 'false', CORE_CHAINCODE_LOGGING_LEVEL: 'warning', CORE_CHAINCODE_LOGGING_SHIM: 'warning' },
    GETPUT_DIR,
  );
}

export type RunTx = (i: number) => Promise<void>;

export interface Throughput {
  readonly perSecond: number;
  readonly count: number;
}

/**
 * Transactions per second with `inFlight` at a time, for about `durationMs`: new transactions start
 * until then, and the clock stops when the last one ends. Time-boxed rather than counted, so the
 * bench takes as long on a loaded machine as on an idle one.
 */
export async function throughput(runTx: RunTx, firstIndex: number, durationMs: number, inFlight: number): Promise<Throughput> {
  let next = 0;
  const start = performance.now();
  const deadline = start + durationMs;
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) await runTx(firstIndex + next++);
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return { perSecond: (next * 1000) / since(start), count: next };
}

/** Keys cycle over 1,000, so reads mostly hit; 32 transactions in flight never share a key (no MVCC conflict). */
const keyOf = (i: number): string => `k${i % 1000}`;

export function ourPeerTx(peer: Peer, chaincode: string): RunTx {
  return async (i) => {
    const r = await peer.execute({ chaincode, args: ['getput', keyOf(i), `v${i}`] });
    if (r.status !== 200 || r.validation !== 'VALID') {
      throw new Error(`transaction ${i} on our peer: status ${r.status} ${r.validation} ${r.message}`);
    }
  };
}

export function thinPeerTx(peer: ThinReferencePeer): RunTx {
  return async (i) => {
    const msg = await peer.execute(['getput', keyOf(i), `v${i}`]);
    const status = msg.type === MessageType.COMPLETED ? codecs.Response.decode(msg.payload).status : 500;
    if (status !== 200) throw new Error(`transaction ${i} on the thin peer: ${msg.type === MessageType.ERROR ? Buffer.from(msg.payload).toString() : `status ${status}`}`);
  };
}

export interface TransactionFigures {
  readonly oursSequential: Summary;
  readonly oursInFlight: Summary;
  readonly thinSequential: Summary;
  readonly thinInFlight: Summary;
  /** Median over rounds of the per-round ratios (each round measured both peers back to back). */
  readonly pairedRatioSequential: number;
  readonly pairedRatioInFlight: number;
}

export interface TransactionPlan {
  readonly rounds: number;
  /** How long each sequential and each in-flight measurement runs. */
  readonly sequentialMs: number;
  readonly inFlightMs: number;
  readonly inFlight: number;
}

export async function measureTransactions(ours: RunTx, thin: RunTx, plan: TransactionPlan): Promise<TransactionFigures> {
  let index = 0;
  const run = async (tx: RunTx, durationMs: number, inFlight: number): Promise<number> => {
    const result = await throughput(tx, index, durationMs, inFlight);
    index += result.count;
    return result.perSecond;
  };
  // Warm-up, discarded: JIT on both sides, the shims' first-transaction paths, the ledger's files.
  for (const tx of [ours, thin]) {
    await run(tx, plan.sequentialMs / 2, 1);
    await run(tx, plan.inFlightMs / 2, plan.inFlight);
  }
  const os: number[] = [];
  const oi: number[] = [];
  const ts: number[] = [];
  const ti: number[] = [];
  for (let r = 0; r < plan.rounds; r++) {
    // Alternate which peer goes first, so neither always follows the other's garbage collection.
    const pairs: [RunTx, number[], number[]][] = r % 2 === 0 ? [[ours, os, oi], [thin, ts, ti]] : [[thin, ts, ti], [ours, os, oi]];
    for (const [tx, seq] of pairs) seq.push(await run(tx, plan.sequentialMs, 1));
    for (const [tx, , inf] of pairs) inf.push(await run(tx, plan.inFlightMs, plan.inFlight));
  }
  return {
    oursSequential: summarize(os),
    oursInFlight: summarize(oi),
    thinSequential: summarize(ts),
    thinInFlight: summarize(ti),
    pairedRatioSequential: median(os.map((v, k) => v / ts[k]!)),
    pairedRatioInFlight: median(oi.map((v, k) => v / ti[k]!)),
  };
}
