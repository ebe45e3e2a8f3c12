/**
 * Installs a new project's dependencies (and builds what its start needs), step by step, with each
 * output line reported as it comes, so an editor can show progress and a CLI can echo it.
 */
import { commandLine, LANGUAGES, ScaffoldLanguage } from './languages';
import { runTool, ToolLine } from './toolRun';

export interface InstallProgress {
  /** A step starts: `npm install`, `go mod download`… (`index` counts from 0). */
  readonly onStep?: (step: { readonly commandLine: string; readonly index: number; readonly count: number }) => void;
  readonly onLine?: (line: ToolLine) => void;
  /** Aborting stops the running tool (its whole process group) and rejects with ToolCancelledError. */
  readonly signal?: AbortSignal;
}

/** Runs every install step of `language` in `folder`; rejects with ToolFailedError or ToolCancelledError. */
export async function installDependencies(folder: string, language: ScaffoldLanguage, progress: InstallProgress = {}): Promise<void> {
  const steps = LANGUAGES[language].install;
  for (const [index, step] of steps.entries()) {
    progress.onStep?.({ commandLine: commandLine(step), index, count: steps.length });
    await runTool(step, folder, { onLine: progress.onLine, signal: progress.signal });
  }
}

/** Runs the project's own unit tests (mocha, go test, JUnit through Maven). */
export function runProjectTests(folder: string, language: ScaffoldLanguage, options: Omit<InstallProgress, 'onStep'> = {}): Promise<void> {
  return runTool(LANGUAGES[language].test, folder, options);
}
