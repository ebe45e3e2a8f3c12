/**
 * Activation: what VS Code waits for when the extension activates, measured on the production
 * bundles (`scripts/bundle.js --production`, as `npm run package` builds them, into a temporary
 * folder). Method: each run is a fresh Node process (bench/activationProbe.ts), so no module is cached
 * from an earlier run, as in a new extension host. It requires dist/extension.js and calls
 * `activate` with a stand-in for the `vscode` module (bench/vscodeStandIn.ts) and a workspace holding
 * the example chaincode, timing the two steps VS Code times (its Running Extensions view shows their
 * sum: "code loading + activate call"). Then it requires dist/engine.js, the heavy half the extension
 * loads on first use (Start Peer, Launch, F5, the Containers view): what that first use adds.
 * The stand-in does no IPC, so VS Code's own share is not here; the e2e run prints VS Code's figures.
 */
import { execFile, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import { EXAMPLE_CHAINCODE } from '../test/support/nodeChaincode';
import { Summary, summarize } from './stats';

const REPO = path.join(__dirname, '..', '..');

interface ProbeResult {
  readonly codeLoadMs: number;
  readonly activateCallMs: number;
  readonly engineLoadedAtActivation: boolean;
  readonly engineLoadMs: number;
}

export interface BundleSize {
  readonly name: string;
  readonly bytes: number;
}

export interface ActivationFigures {
  /** Code loading + activate call, per run. */
  readonly activation: Summary;
  readonly codeLoad: Summary;
  readonly activateCall: Summary;
  /** Loading dist/engine.js after activation: what the first engine use adds. */
  readonly engineLoad: Summary;
  /** Whether any run found the engine bundle loaded by activation (it must not be). */
  readonly engineLoadedAtActivation: boolean;
  readonly bundles: readonly BundleSize[];
}

/** The production bundles, built into `outdir`; their sizes. */
function buildProductionBundles(outdir: string): BundleSize[] {
  const r = spawnSync(process.execPath, [path.join(REPO, 'scripts', 'bundle.js'), '--production', '--outdir', outdir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`the production bundle failed: ${r.stderr || r.stdout}`);
  return ['extension.js', 'engine.js'].map((name) => ({ name, bytes: fs.statSync(path.join(outdir, name)).size }));
}

export async function measureActivation(runs: number): Promise<ActivationFigures> {
  const outdir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'ccl-bench-bundle-'));
  try {
    const bundles = buildProductionBundles(outdir);
    const probe = path.join(__dirname, 'activationProbe.js');
    const results: ProbeResult[] = [];
    for (let i = 0; i < runs; i++) {
      const { stdout } = await promisify(execFile)(process.execPath, [probe, outdir, EXAMPLE_CHAINCODE], { timeout: 60_000 });
      results.push(JSON.parse(stdout.trim().split('\n').pop() ?? '') as ProbeResult);
    }
    return {
      activation: summarize(results.map((r) => r.codeLoadMs + r.activateCallMs)),
      codeLoad: summarize(results.map((r) => r.codeLoadMs)),
      activateCall: summarize(results.map((r) => r.activateCallMs)),
      engineLoad: summarize(results.map((r) => r.engineLoadMs)),
      engineLoadedAtActivation: results.some((r) => r.engineLoadedAtActivation),
      bundles,
    };
  } finally {
    await fs.promises.rm(outdir, { recursive: true, force: true });
  }
}
