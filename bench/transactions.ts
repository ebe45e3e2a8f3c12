/**
 * (b), (c), (e): get + put transactions through the real fabric-shim chaincode, against our peer
 * (with its default durability, and syncing every commit to disk) and against the thin reference
 * peer, sequentially and with 32 in flight. The measurements are interleaved round by round (and the
 * sequential ones in 100 ms turns within a round), so a burst of load from elsewhere on this shared
 * machine hits every peer alike and the ratios stay fair.
 */
import * as path from 'path';
import type { Peer } from '../src/engine/peer/peer';
import { TransactionPipeline } from '../src/engine/transactions/pipeline';
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
  readonly ms: number;
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
  const ms = since(start);
  return { perSecond: (next * 1000) / ms, count: next, ms };
}

/** Keys cycle over 1,000, so reads mostly hit; 32 transactions in flight never share a key (no MVCC conflict). */
const keyOf = (i: number): string => `k${i % 1000}`;

/** Through the transaction pipeline, as the CLI and the editor run transactions. */
export function ourPeerTx(peer: Peer, chaincode: string): RunTx {
  const pipeline = new TransactionPipeline(peer);
  return async (i) => {
    const r = await pipeline.execute({ chaincode, args: ['getput', keyOf(i), `v${i}`] });
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
  readonly oursDiskSequential: Summary;
  readonly oursDiskInFlight: Summary;
  readonly thinSequential: Summary;
  readonly thinInFlight: Summary;
  /** Median over rounds of the per-round ratios (each round measured the peers back to back). */
  readonly pairedRatioSequential: number;
  readonly pairedRatioInFlight: number;
}

export interface TransactionPlan {
  readonly rounds: number;
  /** How long each sequential and each in-flight measurement runs. */
  readonly sequentialMs: number;
  /** Sequential measurements run in slices this long, the peers taking turns. */
  readonly sequentialSliceMs: number;
  readonly inFlightMs: number;
  readonly inFlight: number;
}

/** The peers measured: ours with its default durability, ours syncing every commit to disk, the thin one. */
export interface MeasuredPeers {
  readonly ours: RunTx;
  readonly oursDisk: RunTx;
  readonly thin: RunTx;
}

export async function measureTransactions(peers: MeasuredPeers, plan: TransactionPlan): Promise<TransactionFigures> {
  let index = 0;
  const run = async (tx: RunTx, durationMs: number, inFlight: number): Promise<number> => {
    const result = await throughput(tx, index, durationMs, inFlight);
    index += result.count;
    return result.perSecond;
  };
  // A transaction at a time is short, so a burst of load elsewhere (on a shared machine the figures
  // can jump by half within a second) would favour whichever peer it missed: the peers take turns in short
  // slices and each gets its transactions over its own time.
  const sequentialTurns = async (order: readonly (keyof MeasuredPeers)[]): Promise<Record<keyof MeasuredPeers, number>> => {
    const done = { ours: { count: 0, ms: 0 }, oursDisk: { count: 0, ms: 0 }, thin: { count: 0, ms: 0 } };
    for (let slice = 0; slice * plan.sequentialSliceMs < plan.sequentialMs; slice++) {
      for (const name of order) {
        const result = await throughput(peers[name], index, plan.sequentialSliceMs, 1);
        index += result.count;
        done[name].count += result.count;
        done[name].ms += result.ms;
      }
    }
    const perSecond = (d: { count: number; ms: number }): number => (d.count * 1000) / d.ms;
    return { ours: perSecond(done.ours), oursDisk: perSecond(done.oursDisk), thin: perSecond(done.thin) };
  };
  const names = ['ours', 'oursDisk', 'thin'] as const;
  // Warm-up, discarded: JIT on every side, the shims' first-transaction paths, the ledger's files.
  for (const name of names) {
    await run(peers[name], plan.sequentialMs / 2, 1);
    await run(peers[name], plan.inFlightMs / 2, plan.inFlight);
  }
  const sequential = { ours: [] as number[], oursDisk: [] as number[], thin: [] as number[] };
  const inFlight = { ours: [] as number[], oursDisk: [] as number[], thin: [] as number[] };
  for (let r = 0; r < plan.rounds; r++) {
    // Rotate which peer goes first, so none always follows another's garbage collection.
    const order = names.map((_, k) => names[(k + r) % names.length]);
    const turns = await sequentialTurns(order);
    for (const name of order) sequential[name].push(turns[name]);
    for (const name of order) inFlight[name].push(await run(peers[name], plan.inFlightMs, plan.inFlight));
  }
  return {
    oursSequential: summarize(sequential.ours),
    oursInFlight: summarize(inFlight.ours),
    oursDiskSequential: summarize(sequential.oursDisk),
    oursDiskInFlight: summarize(inFlight.oursDisk),
    thinSequential: summarize(sequential.thin),
    thinInFlight: summarize(inFlight.thin),
    pairedRatioSequential: median(sequential.ours.map((v, k) => v / sequential.thin[k])),
    pairedRatioInFlight: median(inFlight.ours.map((v, k) => v / inFlight.thin[k])),
  };
}
