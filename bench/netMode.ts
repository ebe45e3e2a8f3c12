/**
 * Launch-engine figures in net mode, through the real engine and a real Docker
 * engine: cold launch (image built) → READY, warm relaunch (cached image) → READY, and edit →
 * rebuild → READY, on a temp copy of the example chaincode (with its node_modules, so no install).
 * Skipped, with the reason, when no Docker engine answers or the base image cannot be made.
 * Cold runs after the first find the engine's file-hash cache warm (packaging reads less than on a
 * first launch after the editor starts), but Docker rebuilds every layer above the base image.
 */
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { resolveConfig } from '../src/engine/config';
import { LABEL_CCID, LABEL_IMAGE_KIND, MANAGED_FILTER } from '../src/engine/container/docker/labels';
import { Engine } from '../src/engine/engine';
import type { ChaincodeDefinition } from '../src/engine/launch/types';
import { dockerAvailable, ensureBaseImages } from '../test/support/docker';
import { EXAMPLE_CHAINCODE } from '../test/support/nodeChaincode';
import { Summary, summarize } from './stats';

/** Where one launch spent its time: each progress step until the next (the last until READY). */
export type Phases = readonly (readonly [step: string, ms: number])[];

export interface NetModeCase {
  readonly summary: Summary;
  /** The phases of the middle run (the lower middle one of an even count). */
  readonly phases: Phases;
}

export type NetModeResult =
  | { readonly kind: 'measured'; readonly cold: NetModeCase; readonly warm: NetModeCase; readonly editRebuild: NetModeCase; readonly notes: string[] }
  | { readonly kind: 'skipped'; readonly reason: string };

interface TimedLaunch {
  readonly ms: number;
  readonly built: boolean;
  readonly phases: Phases;
}

function caseOf(runs: readonly TimedLaunch[]): NetModeCase {
  const summary = summarize(runs.map((r) => r.ms));
  const middle = [...runs].sort((a, b) => a.ms - b.ms)[Math.floor((runs.length - 1) / 2)];
  return { summary, phases: middle?.phases ?? [] };
}

/**
 * Progress steps as short phase names: `building image: Step 3/8 : COPY src/ /usr/local/src/` →
 * `COPY src/`; `building image` itself lasts until the daemon has the whole context (the classic
 * builder reads it all before step 1), so it is the context upload. The dependencies image's
 * phases (`building dependencies image…`) read `deps context upload`, `deps ADD`…
 */
function shortStep(step: string): string {
  const build = /^building (dependencies )?image(?::\s*(.*))?$/i.exec(step);
  if (!build) return step;
  const prefix = build[1] ? 'deps ' : '';
  if (build[2] === undefined) return `${prefix}context upload`;
  const m = /^(?:Step )?\d+\/\d+\s*:?\s*(\S+)\s*(\S*)/i.exec(build[2]);
  if (!m) return `${prefix}${build[2]}`;
  return `${prefix}${m[1] === 'COPY' ? `${m[1]} ${m[2]}` : (m[1] ?? step)}`;
}

/** Consecutive phases of one name merged (`LABEL ×4`), and those under 1 ms left out. */
function compact(phases: Phases): Phases {
  const out: [string, number, number][] = [];
  for (const [step, ms] of phases) {
    const last = out[out.length - 1];
    if (last && last[0] === step) {
      last[1] += ms;
      last[2]++;
    } else out.push([step, ms, 1]);
  }
  return out.filter(([, ms]) => ms >= 1).map(([step, ms, n]) => [n > 1 ? `${step} ×${n}` : step, ms]);
}

const LAUNCH_TIMEOUT_MS = 120_000;

export interface NetModeOptions {
  /** Rounds of cold → warm → edit: at least `minRounds`, more while they fit before `deadline`. */
  readonly minRounds: number;
  readonly maxRounds: number;
  /** A `performance.now()` time: no round starts that would, at the last round's pace, end after it. */
  readonly deadline: number;
  /** Registered for Ctrl-C: undoes whatever this bench has created so far. */
  readonly onCleanup: (undo: () => Promise<void>) => void;
}

/** The Node base image net mode runs on here, or why there is none (no Docker, the image cannot be made). */
export async function nodeBaseImage(): Promise<{ readonly image: string } | { readonly skipped: string }> {
  const docker = await dockerAvailable();
  if (!docker.ok) return { skipped: docker.reason };
  try {
    return { image: (await ensureBaseImages(['node'])).node };
  } catch (err) {
    return { skipped: `cannot make the Node base image: ${(err as Error).message.split('\n')[0]}` };
  }
}

export async function measureNetMode(options: NetModeOptions): Promise<NetModeResult> {
  const base = await nodeBaseImage();
  if ('skipped' in base) return { kind: 'skipped', reason: base.skipped };
  const baseImage = base.image;

  const tmp = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'ccl-bench-net-'));
  const folder = path.join(tmp, 'asset-transfer');
  const name = `bench-asset-${process.pid}`;
  const ccid = `${name}:1.0`;
  let engine: Engine | null = null;
  const cleanup = async (): Promise<void> => {
    const e = engine;
    engine = null;
    if (e) {
      await e.dispose().catch(() => undefined);
      await removeImages(e, ccid);
    }
    await fs.promises.rm(tmp, { recursive: true, force: true });
  };
  options.onCleanup(cleanup);
  try {
    await fs.promises.cp(EXAMPLE_CHAINCODE, folder, { recursive: true, verbatimSymlinks: true });
    engine = await Engine.start(
      resolveConfig({ dataDir: path.join(tmp, 'data'), peerPort: 0, mode: 'net', startupTimeoutMs: 60_000, logLevel: 'warning', baseImages: { node: baseImage } }),
    );
    const definition: ChaincodeDefinition = { name, version: '1.0', mode: 'net', language: 'node', path: folder };
    const launched = engine;
    let built = false;
    let steps: [string, number][] = [];
    let lastRaw = '';
    const recentLogs: string[] = [];
    // The launcher's own steps come through onProgress, the VM's through its events; a launcher that
    // also forwards the VM's steps to onProgress reports those twice in the same tick: keep one.
    const step = (text: string): void => {
      const now = performance.now();
      const previous = steps[steps.length - 1];
      if (text === lastRaw && previous && now - previous[1] < 50) return;
      lastRaw = text;
      steps.push([shortStep(text), now]);
    };
    const sub = launched.docker.onEvent((e) => {
      if (e.ccid !== ccid) return;
      if (e.kind === 'status' && e.status === 'building') built = true;
      if (e.kind === 'progress') step(e.step);
      if (e.kind === 'log') {
        recentLogs.push(e.line);
        if (recentLogs.length > 10) recentLogs.shift();
      }
    });
    /** One launch → READY, timed; then stopped (container removed). Returns ms and whether an image was built. */
    const launchOnce = async (): Promise<TimedLaunch> => {
      built = false;
      steps = [];
      const start = performance.now();
      try {
        // A hung build or start must not hang the bench: give up, report, clean up.
        await launched.launcher.launch({ kind: 'deployment', definition }, { onProgress: step, signal: AbortSignal.timeout(LAUNCH_TIMEOUT_MS) });
      } catch (err) {
        throw new Error(`${(err as Error).message}${recentLogs.length ? `\nlast container lines:\n${recentLogs.join('\n')}` : ''}`, { cause: err });
      }
      const end = performance.now();
      await launched.launcher.stop(ccid);
      const during = steps.filter(([, at]) => at <= end);
      const phases = compact(during.map(([text, at], i): [string, number] => [text, (during[i + 1]?.[1] ?? end) - at]));
      return { ms: end - start, built, phases };
    };
    const notes: string[] = [];
    const cold: TimedLaunch[] = [];
    const warm: TimedLaunch[] = [];
    const edit: TimedLaunch[] = [];
    const source = path.join(folder, 'lib', 'assetTransfer.js');
    try {
      // Rounds of cold → warm → edit, so a burst of load elsewhere hits all three alike.
      for (let round = 1; round <= options.maxRounds; round++) {
        const roundStart = performance.now();
        // A new file among the dependencies changes the content hash *and* the dependency layer's
        // checksum, so Docker's layer cache cannot help: every layer above the base image is rebuilt.
        await fs.promises.writeFile(path.join(folder, 'node_modules', '.bench-cold'), randomBytes(16).toString('hex'));
        const c = await launchOnce();
        if (!c.built) notes.push(`cold run ${round} did not build an image`);
        cold.push(c);
        const w = await launchOnce();
        if (w.built) notes.push(`warm run ${round} rebuilt the image (cache miss)`);
        warm.push(w);
        await fs.promises.appendFile(source, `\n// bench edit ${randomBytes(8).toString('hex')}\n`);
        const e = await launchOnce();
        if (!e.built) notes.push(`edit run ${round} did not rebuild the image`);
        edit.push(e);
        const roundMs = performance.now() - roundStart;
        if (round >= options.minRounds && round < options.maxRounds && performance.now() + roundMs > options.deadline) {
          notes.push(`${round} rounds, not ${options.maxRounds}: another would pass the bench's time budget (a round took ${Math.round(roundMs / 1000)} s)`);
          break;
        }
      }
    } finally {
      sub.dispose();
    }
    return { kind: 'measured', cold: caseOf(cold), warm: caseOf(warm), editRebuild: caseOf(edit), notes };
  } catch (err) {
    return { kind: 'skipped', reason: `net-mode launch failed: ${(err as Error).message}` };
  } finally {
    await cleanup();
  }
}

/** The images this bench built (every tag of its chaincode, its dependencies images too), and any container left of it. */
export async function removeImages(engine: Engine, ccid: string): Promise<void> {
  const docker = engine.docker.docker;
  const label = [MANAGED_FILTER, `${LABEL_CCID}=${ccid}`];
  try {
    for (const c of await docker.listContainers({ all: true, filters: { label } })) {
      await docker
        .getContainer(c.Id)
        .remove({ force: true })
        .catch(() => undefined);
    }
    const images = await docker.listImages({ filters: { label } });
    // Chaincode images before the dependencies images they start FROM (Docker refuses a parent first).
    const last = (i: (typeof images)[number]): number => (i.Labels?.[LABEL_IMAGE_KIND] === 'dependencies' ? 1 : 0);
    for (const image of images.sort((a, b) => last(a) - last(b))) {
      await docker
        .getImage(image.Id)
        .remove({ force: true })
        .catch(() => undefined);
    }
  } catch {
    /* Docker went away: nothing more we can remove */
  }
}
