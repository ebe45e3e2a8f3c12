/**
 * Organisations (issue 10 item 9): what the two-org network costs.
 *
 * - `twoOrgNetworkReadyMs`: Engine.start on a fresh data directory (each org's CA, TLS CA, peer and
 *   users written, cryptogen's way) until both orgs' peers accept connections; also the same start
 *   on a directory that already has its crypto (a restart).
 * - `twoOrgSeqTxPerSec` and `oneOrgSeqTxPerSec`, in the same run, round by round and in short
 *   alternating turns so load from elsewhere hits both alike: the benchmark's getput chaincode
 *   launched on every org's peer, transactions through engine.transactions.execute. On two orgs the
 *   default policy (MAJORITY) has both peers execute, their responses are compared, the
 *   endorsements are checked against the policy at commit, and the block is committed on both
 *   ledgers; on one org all of that happens once. `twoOrgRatioSequential`: their ratio (the work is
 *   doubled; target ≥ 0.45).
 */
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { resolveConfig } from '../src/engine/config';
import { Engine } from '../src/engine/engine';
import { median, summarize, type Summary } from './stats';
import { GETPUT_DIR, throughput, type RunTx } from './transactions';

export interface OrgsPlan {
  readonly readyRuns: number;
  readonly rounds: number;
  readonly sequentialMs: number;
  readonly sequentialSliceMs: number;
}

export interface OrgsFigures {
  readonly networkReady: Summary;
  readonly networkRestartReady: Summary;
  readonly twoOrgSequential: Summary;
  readonly oneOrgSequential: Summary;
  /** Median of the per-round ratios (both measured back to back each round). */
  readonly ratioSequential: number;
}

const TWO_ORGS = ['Org1MSP', 'Org2MSP'];

function engineConfig(dataDir: string, orgs: readonly string[]) {
  return resolveConfig({ dataDir, orgs: [...orgs], peerPort: 0, gatewayPort: 0, mode: 'dev', startupTimeoutMs: 30_000 });
}

/** Resolves once a TCP connection to `address` (host:port) is accepted. */
function accepts(address: string): Promise<void> {
  const colon = address.lastIndexOf(':');
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: address.slice(0, colon), port: Number(address.slice(colon + 1)) }, () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', reject);
  });
}

/** Engine start → every org's peer accepting connections, in ms; the engine is disposed after. */
async function timeNetworkReady(dataDir: string): Promise<number> {
  const start = performance.now();
  const engine = await Engine.start(engineConfig(dataDir, TWO_ORGS));
  try {
    await Promise.all(engine.orgs.map((n) => accepts(n.peer.address)));
    return performance.now() - start;
  } finally {
    await engine.dispose();
  }
}

async function startWithGetPut(dataDir: string, orgs: readonly string[]): Promise<{ engine: Engine; tx: RunTx }> {
  const engine = await Engine.start(engineConfig(dataDir, orgs));
  try {
    await engine.launcher.launch({ kind: 'deployment', definition: { name: 'getput', version: '1.0', mode: 'dev', language: 'node', path: GETPUT_DIR } });
  } catch (err) {
    await engine.dispose();
    throw err;
  }
  const tx: RunTx = async (i) => {
    const r = await engine.transactions.execute({ chaincode: 'getput', args: ['getput', `k${i % 1000}`, `v${i}`] });
    if (r.status !== 200 || r.validation !== 'VALID') throw new Error(`transaction ${i} on ${orgs.length} org(s): status ${r.status} ${r.validation} ${r.message}`);
  };
  return { engine, tx };
}

export async function measureOrgs(plan: OrgsPlan, onCleanup: (undo: () => Promise<void>) => void): Promise<OrgsFigures> {
  const tmp = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'ccl-bench-orgs-'));
  onCleanup(() => fs.promises.rm(tmp, { recursive: true, force: true }));

  const ready: number[] = [];
  const restart: number[] = [];
  for (let run = 0; run < plan.readyRuns; run++) {
    const dir = path.join(tmp, `ready-${run}`);
    ready.push(await timeNetworkReady(dir));
    restart.push(await timeNetworkReady(dir));
  }

  const one = await startWithGetPut(path.join(tmp, 'one-org'), ['Org1MSP']);
  onCleanup(() => one.engine.dispose());
  const two = await startWithGetPut(path.join(tmp, 'two-orgs'), TWO_ORGS);
  onCleanup(() => two.engine.dispose());
  const networks = { one: one.tx, two: two.tx };
  let index = 0;
  const sequential = async (name: keyof typeof networks, ms: number): Promise<{ count: number; ms: number }> => {
    const r = await throughput(networks[name], index, ms, 1);
    index += r.count;
    return r;
  };
  // Warm-up, discarded: JIT, the chaincode processes' first transactions.
  for (const name of ['one', 'two'] as const) await sequential(name, plan.sequentialMs / 2);
  const perSecond = (d: { count: number; ms: number }): number => (d.count * 1000) / d.ms;
  const seq = { one: [] as number[], two: [] as number[] };
  const ratios: number[] = [];
  for (let r = 0; r < plan.rounds; r++) {
    const order = r % 2 ? (['two', 'one'] as const) : (['one', 'two'] as const);
    const done = { one: { count: 0, ms: 0 }, two: { count: 0, ms: 0 } };
    for (let slice = 0; slice * plan.sequentialSliceMs < plan.sequentialMs; slice++) {
      for (const name of order) {
        const d = await sequential(name, plan.sequentialSliceMs);
        done[name].count += d.count;
        done[name].ms += d.ms;
      }
    }
    seq.one.push(perSecond(done.one));
    seq.two.push(perSecond(done.two));
    ratios.push(perSecond(done.two) / perSecond(done.one));
  }
  return {
    networkReady: summarize(ready),
    networkRestartReady: summarize(restart),
    twoOrgSequential: summarize(seq.two),
    oneOrgSequential: summarize(seq.one),
    ratioSequential: median(ratios),
  };
}
