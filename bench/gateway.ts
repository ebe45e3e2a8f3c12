/**
 * The Fabric Gateway (issue 9 item 10): the real `@hyperledger/fabric-gateway` Node client, in its
 * own process as an application is (gatewayClientProcess.ts), against the embedded peer running
 * examples/asset-transfer in dev mode; and the same transactions through the engine's direct path
 * (`engine.transactions.execute`) in the same run, interleaved round by round as the peer section
 * does, so load from elsewhere hits both alike.
 *
 * A Gateway submit is three calls (Endorse, Submit, CommitStatus) over gRPC+TLS, each signed by
 * the client and checked by the peer, plus the peer's endorsement signature; the direct path is one
 * in-process call that signs nothing. Where the difference goes is measured too.
 */
import { fork, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { resolveConfig } from '../src/engine/config';
import { Engine } from '../src/engine/engine';
import { EXAMPLE_CHAINCODE } from '../test/support/nodeChaincode';
import { createAssetArgs, type ClientCommand, type ClientReply } from './gatewayClientProcess';
import { median, summarize, type Summary } from './stats';
import { throughput, type RunTx } from './transactions';

export interface GatewayPlan {
  readonly rounds: number;
  readonly sequentialMs: number;
  readonly sequentialSliceMs: number;
  readonly inFlightMs: number;
  readonly inFlight: number;
  readonly evaluations: number;
  /** Sequential submits split into their three calls. */
  readonly profiledSubmits: number;
}

export interface GatewayFigures {
  readonly gatewaySequential: Summary;
  readonly gatewayInFlight: Summary;
  readonly directSequential: Summary;
  readonly directInFlight: Summary;
  /** Medians of the per-round ratios (each round measured both paths back to back). */
  readonly ratioSequential: number;
  readonly ratioInFlight: number;
  readonly evaluateP50Ms: number;
  readonly directQueryP50Ms: number;
  /** Medians, ms: each call of a sequential Gateway submit, one client signature, one direct transaction. */
  readonly profile: {
    readonly endorse: number;
    readonly submit: number;
    readonly commitStatus: number;
    readonly clientSign: number;
    /** A bare Gateway round trip: CommitStatus of a committed transaction, nothing to sign or wait for. */
    readonly roundTrip: number;
    readonly direct: number;
  };
}

/** The client process, one command at a time. */
class ClientProcess {
  private pending: { resolve: (r: ClientReply) => void; reject: (e: Error) => void } | null = null;

  constructor(private readonly child: ChildProcess) {
    child.on('message', (r: ClientReply) => {
      const p = this.pending;
      this.pending = null;
      if (r.op === 'error') p?.reject(new Error(`the client process failed: ${r.message}`));
      else p?.resolve(r);
    });
    child.on('exit', (code) => this.pending?.reject(new Error(`the client process exited (${code})`)));
  }

  async run<T extends ClientReply['op']>(command: ClientCommand & { op: T }): Promise<Extract<ClientReply, { op: T }>> {
    const reply = new Promise<ClientReply>((resolve, reject) => (this.pending = { resolve, reject }));
    this.child.send(command);
    return (await reply) as Extract<ClientReply, { op: T }>;
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send({ op: 'close' } satisfies ClientCommand);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  }
}

/** Starts the engine with its Gateway and the client process, runs the plan, stops everything (also through `onCleanup`). */
export async function measureGateway(plan: GatewayPlan, onCleanup: (undo: () => Promise<void>) => void): Promise<GatewayFigures> {
  const tmp = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'ccl-bench-gateway-'));
  onCleanup(() => fs.promises.rm(tmp, { recursive: true, force: true }));
  const engine = await Engine.start(resolveConfig({ dataDir: tmp, peerPort: 0, gatewayPort: 0, mode: 'dev' }));
  onCleanup(() => engine.dispose());
  const gateway = engine.gateway;
  if (!gateway) throw new Error('the engine started without its Gateway');
  await engine.launcher.launch({ kind: 'deployment', definition: { name: 'basic', version: '1.0', mode: 'dev', language: 'node', path: EXAMPLE_CHAINCODE } });
  await engine.transactions.execute({ chaincode: 'basic', args: ['InitLedger'] });
  const client = new ClientProcess(
    fork(path.join(__dirname, 'gatewayClientProcess.js'), [gateway.org.cryptoPath, String(gateway.server.port)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
  );
  onCleanup(() => client.close());

  let index = 0;
  const viaGateway = async (ms: number, inFlight: number): Promise<{ count: number; ms: number }> => {
    const r = await client.run({ op: 'submit', ms, inFlight, firstIndex: index });
    index += r.count;
    return r;
  };
  const directTx: RunTx = async (i) => {
    const r = await engine.transactions.execute({ chaincode: 'basic', args: ['CreateAsset', ...createAssetArgs('d', i)] });
    if (r.validation !== 'VALID') throw new Error(`direct CreateAsset d${i}: ${r.status} ${r.validation} ${r.message}`);
  };
  const direct = async (ms: number, inFlight: number): Promise<{ count: number; ms: number }> => {
    const r = await throughput(directTx, index, ms, inFlight);
    index += r.count;
    return r;
  };
  const paths = { gateway: viaGateway, direct };
  // Warm-up, discarded: JIT on every side, TLS sessions, the chaincode's first transactions.
  for (const run of Object.values(paths)) {
    await run(plan.sequentialMs / 2, 1);
    await run(plan.inFlightMs / 2, plan.inFlight);
  }
  const perSecond = (d: { count: number; ms: number }): number => (d.count * 1000) / d.ms;
  const seq = { gateway: [] as number[], direct: [] as number[] };
  const flight = { gateway: [] as number[], direct: [] as number[] };
  for (let r = 0; r < plan.rounds; r++) {
    const order = r % 2 ? (['direct', 'gateway'] as const) : (['gateway', 'direct'] as const);
    const done = { gateway: { count: 0, ms: 0 }, direct: { count: 0, ms: 0 } };
    // Short turns: a burst of load from elsewhere hits both paths alike.
    for (let slice = 0; slice * plan.sequentialSliceMs < plan.sequentialMs; slice++) {
      for (const name of order) {
        const d = await paths[name](plan.sequentialSliceMs, 1);
        done[name].count += d.count;
        done[name].ms += d.ms;
      }
    }
    for (const name of order) seq[name].push(perSecond(done[name]));
    for (const name of order) flight[name].push(perSecond(await paths[name](plan.inFlightMs, plan.inFlight)));
  }

  const evaluateP50Ms = (await client.run({ op: 'evaluate', count: plan.evaluations })).p50Ms;
  const directSamples: number[] = [];
  for (let i = 0; i < plan.evaluations; i++) {
    const start = performance.now();
    await engine.transactions.execute({ chaincode: 'basic', args: ['ReadAsset', 'asset1'], kind: 'query' });
    directSamples.push(performance.now() - start);
  }
  const profile = await client.run({ op: 'profile', count: plan.profiledSubmits, firstIndex: index });
  index += plan.profiledSubmits + 1;
  const directTimes: number[] = [];
  for (let i = 0; i < plan.profiledSubmits; i++) {
    const start = performance.now();
    await directTx(index++);
    directTimes.push(performance.now() - start);
  }
  await client.close();
  return {
    gatewaySequential: summarize(seq.gateway),
    gatewayInFlight: summarize(flight.gateway),
    directSequential: summarize(seq.direct),
    directInFlight: summarize(flight.direct),
    ratioSequential: median(seq.gateway.map((v, k) => v / seq.direct[k])),
    ratioInFlight: median(flight.gateway.map((v, k) => v / flight.direct[k])),
    evaluateP50Ms,
    directQueryP50Ms: median(directSamples),
    profile: {
      endorse: profile.endorse,
      submit: profile.submit,
      commitStatus: profile.commitStatus,
      clientSign: profile.sign,
      roundTrip: profile.roundTrip,
      direct: median(directTimes),
    },
  };
}
