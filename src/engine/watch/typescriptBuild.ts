/**
 * A TypeScript chaincode's own build, before it runs: Launch, Restart and every watched save build
 * first, so a stale compiled output never runs silently. Which build is the project's:
 * - its `build` script when that is the compiler alone (`tsc`, `tsc -p X`, `tsc -b X`): the
 *   project's own compiler on the same tsconfig, run in build mode (`tsc --build`), which keeps
 *   what it checked in a `.tsbuildinfo` and redoes only what changed since (the watch keeps a
 *   `tsc --watch` running instead: see tscWatch.ts);
 * - any other `build` script (a bundler, a copy step): `npm run build`, as the developer runs it;
 * - no `build` script but a tsconfig.json: the project's compiler in build mode on it.
 * The compiler's diagnostics are read off its output (buildDiagnostics.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import { readPackageJson } from '../launch/devStart';
import { ToolFailedError } from '../scaffold/errors';
import { runTool } from '../scaffold/toolRun';
import { parseDiagnostics, type BuildDiagnostic } from './buildDiagnostics';

export type TypeScriptBuild =
  | {
      readonly kind: 'tsc';
      readonly folder: string;
      /** The project's compiler: node_modules/typescript/bin/tsc, as Node resolves it from the folder. */
      readonly tsc: string;
      /** The tsconfig (absolute) the build script names, or the folder's tsconfig.json. */
      readonly project: string;
      /** The script runs tsc in build mode (`-b`), so its watch does too. */
      readonly buildMode: boolean;
    }
  | { readonly kind: 'script'; readonly folder: string };

export interface BuildOutcome {
  readonly ok: boolean;
  /** Errors first; warnings and messages after. Empty when the build had nothing to say. */
  readonly diagnostics: readonly BuildDiagnostic[];
  /** The command as a user would type it: `tsc --build tsconfig.json`, `npm run build`. */
  readonly commandLine: string;
  readonly durationMs: number;
  /** The build's last output lines (an error the reader did not recognise is in them). */
  readonly output: readonly string[];
}

/** The build failed: nothing was started. The diagnostics say where. */
export class BuildFailedError extends Error {
  override readonly name = 'BuildFailedError';
  constructor(
    readonly folder: string,
    readonly outcome: BuildOutcome,
    options?: { cause?: unknown },
  ) {
    const errors = outcome.diagnostics.filter((d) => d.severity === 'error');
    const first = errors[0];
    const where = first?.file ? ` (first: ${path.relative(folder, first.file)}${first.line !== undefined ? `:${first.line}` : ''} ${first.message.split('\n')[0]})` : '';
    const detail = errors.length ? `${errors.length} error${errors.length === 1 ? '' : 's'}${where}` : `its last output lines:\n${outcome.output.slice(-10).join('\n')}`;
    super(`the build of ${folder} failed (${outcome.commandLine}): ${detail}; nothing was started`, options);
  }
}

const NPM_ENV = { NPM_CONFIG_UPDATE_NOTIFIER: 'false' };
/** How many output lines an outcome keeps. */
const KEPT_LINES = 40;

/** A build script that is the compiler alone, and the tsconfig and mode it names. */
function plainTscScript(script: string): { project?: string; buildMode: boolean } | undefined {
  const m = /^\s*tsc(?:\s+(-p|--project|-b|--build)(?:\s+(\S+))?)?\s*$/.exec(script);
  if (!m) return undefined;
  return { project: m[2], buildMode: m[1] === '-b' || m[1] === '--build' };
}

/** node_modules/typescript/bin/tsc as Node would resolve it from `folder` (walking up). */
export function findTsc(folder: string): string | undefined {
  for (let dir = path.resolve(folder); ; dir = path.dirname(dir)) {
    const tsc = path.join(dir, 'node_modules', 'typescript', 'bin', 'tsc');
    if (fs.existsSync(tsc)) return tsc;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** The project's build, or undefined when it has none (no build script, no tsconfig.json). */
export function typeScriptBuildOf(folder: string): TypeScriptBuild | undefined {
  const abs = path.resolve(folder);
  const script = readPackageJson(abs).scripts?.build;
  const plain = script === undefined ? { buildMode: true } : plainTscScript(script);
  const project = path.resolve(abs, plain?.project ?? 'tsconfig.json');
  const tsc = findTsc(abs);
  // A compiler-only script without the compiler installed: npm run build says so in its words.
  if (plain && tsc && fs.existsSync(project)) return { kind: 'tsc', folder: abs, tsc, project, buildMode: plain.buildMode };
  return script === undefined ? undefined : { kind: 'script', folder: abs };
}

/** The build run once: `tsc --build` (incremental through its .tsbuildinfo) or `npm run build`. */
export async function runBuild(build: TypeScriptBuild, options: { signal?: AbortSignal; onLine?: (line: string) => void } = {}): Promise<BuildOutcome> {
  const step =
    build.kind === 'tsc'
      ? { command: 'node', args: [build.tsc, '--build', '--pretty', 'false', build.project], shown: `tsc --build ${path.relative(build.folder, build.project) || build.project}` }
      : { command: 'npm', args: ['run', 'build'], shown: 'npm run build' };
  const lines: string[] = [];
  const started = performance.now();
  let ok = true;
  try {
    await runTool({ command: step.command, args: step.args, env: NPM_ENV }, build.folder, {
      signal: options.signal,
      onLine: (l) => {
        lines.push(l.line);
        options.onLine?.(l.line);
      },
    });
  } catch (err) {
    // An exit code other than 0 is the build's verdict; anything else (cancelled, not found) is ours.
    if (!(err instanceof ToolFailedError) || err.exitCode === null) throw err;
    ok = false;
  }
  const diagnostics = sortDiagnostics(parseDiagnostics(lines, build.folder));
  return {
    ok: ok && !diagnostics.some((d) => d.severity === 'error'),
    diagnostics,
    commandLine: step.shown,
    durationMs: performance.now() - started,
    output: lines.slice(-KEPT_LINES),
  };
}

/**
 * Launch and Restart of a TypeScript chaincode: its build first. Resolves with the outcome (its
 * warnings), or undefined when the project has no build; throws BuildFailedError when it failed.
 */
export async function buildBeforeLaunch(folder: string, options: { signal?: AbortSignal; onLine?: (line: string) => void } = {}): Promise<BuildOutcome | undefined> {
  const build = typeScriptBuildOf(folder);
  if (!build) return undefined;
  const outcome = await runBuild(build, options);
  if (!outcome.ok) throw new BuildFailedError(path.resolve(folder), outcome);
  return outcome;
}

/** Errors first, then by file and place. */
export function sortDiagnostics(diagnostics: readonly BuildDiagnostic[]): BuildDiagnostic[] {
  const rank = { error: 0, warning: 1, message: 2 } as const;
  return [...diagnostics].sort(
    (a, b) => rank[a.severity] - rank[b.severity] || (a.file ?? '').localeCompare(b.file ?? '') || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0),
  );
}
