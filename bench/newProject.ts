/**
 * New Project → ready (`newProjectToReadyMs`): the engine-level equivalent of the editor's
 * New Project then F5, for a JavaScript project whose dependencies are in npm's cache: write the
 * project, install it (`npm install --prefer-offline`), start the embedded peer and the chaincode in
 * dev mode, and wait for READY. One uncounted run first fills npm's cache should it lack anything.
 */
import * as fs from 'fs';
import * as path from 'path';
import { installDependencies, writeProject } from '../src/engine/scaffold';
import { launchDevMode, tempDir } from '../test/engine/scaffold/projectRun';
import { anotherRun, RunBudget, since, Summary, summarize } from './stats';

export interface NewProjectFigures {
  /** Write → install → launch → READY. */
  readonly toReady: Summary;
  readonly write: Summary;
  readonly install: Summary;
  /** Peer start + chaincode start → READY. */
  readonly launch: Summary;
}

interface Run {
  readonly write: number;
  readonly install: number;
  readonly launch: number;
}

async function oneRun(root: string, index: number): Promise<Run> {
  const t0 = performance.now();
  const project = await writeProject({ folder: path.join(root, `bench-${index}`), language: 'node', name: 'bench-assets' });
  const written = since(t0);
  const t1 = performance.now();
  await installDependencies(project.folder, 'node');
  const installed = since(t1);
  const t2 = performance.now();
  const launched = await launchDevMode(project.folder, path.join(root, `peer-${index}`), 60_000);
  const ready = since(t2);
  await launched.stop();
  return { write: written, install: installed, launch: ready };
}

export async function measureNewProject(runs: RunBudget, onCleanup: (undo: () => Promise<void>) => void): Promise<NewProjectFigures> {
  const root = tempDir('ccl-bench-new-');
  onCleanup(() => fs.promises.rm(root, { recursive: true, force: true }));
  await oneRun(root, 0); // warm-up: npm's cache
  const done: Run[] = [];
  const startedAt = performance.now();
  while (anotherRun(runs, done.length, startedAt)) done.push(await oneRun(root, done.length + 1));
  return {
    toReady: summarize(done.map((r) => r.write + r.install + r.launch)),
    write: summarize(done.map((r) => r.write)),
    install: summarize(done.map((r) => r.install)),
    launch: summarize(done.map((r) => r.launch)),
  };
}
