/**
 * Which files of a chaincode folder a watch reacts to: those the chaincode can load when it starts.
 * Not watched, because saving them changes nothing the chaincode runs (and watching some costs
 * thousands of file watches):
 * - dependencies and tool folders: `node_modules`, Go's `vendor`, `.git`, editor settings, the
 *   engine's own data folder (the ledger is written there on every commit);
 * - build output: a TypeScript project's `outDir`, or without one the `.js`, `.js.map` and `.d.ts`
 *   files beside a `.ts` (the build writes them; the source change that caused the build is what
 *   counts, and watching them would reload twice per save), `*.tsbuildinfo`;
 * - tests: `test/`, `tests/`, `__tests__/` folders and `*.test.*`, `*.spec.*`, `*_test.go` files.
 *   A chaincode never loads them; a restart for a test edit would re-run the same code;
 * - editor scratch files (`*.swp`, `*~`, `.#name`, Vim's `4913`) and logs;
 * - what the folder's `.gitignore` and `.dockerignore` exclude (platforms/ignoreRules.ts, as
 *   packaging reads them): generated or local files, not sources.
 */
import * as fs from 'fs';
import * as path from 'path';
import { IgnoreRules } from '../platforms/ignoreRules';

const IGNORED_FOLDERS = new Set(['.git', 'node_modules', 'vendor', '.vscode', '.vscode-e2e', '.idea', '.chaincode', 'coverage', '.nyc_output', 'test', 'tests', '__tests__']);
const IGNORED_FILES = [/\.(test|spec)\.[cm]?[jt]sx?$/, /_test\.go$/, /\.tsbuildinfo$/, /\.sw[a-p]$/, /~$/, /^\.#/, /^#.*#$/, /^4913$/, /^\.DS_Store$/, /\.log$/];

/** The rules of one watched folder; `ignores` is asked once per directory entry and per change. */
export interface WatchRuleOptions {
  /** Absolute paths inside the folder that are never watched, with what is under them (the data folder). */
  readonly excluded?: readonly string[];
  /** A TypeScript project: its build output is not watched. */
  readonly typescript?: boolean;
}

const EMITTED_BESIDE_SOURCE = /^(.*)\.(js|js\.map|d\.ts)$/;

export class WatchRules {
  private constructor(
    private readonly root: string,
    private readonly ignoreFiles: IgnoreRules,
    /** Absolute paths never watched: build output, the engine's data folder. */
    private readonly excluded: readonly string[],
    /** TypeScript without an outDir: compiled files sit beside their sources. */
    private readonly emittedBeside: boolean,
  ) {}

  static async forFolder(root: string, options: WatchRuleOptions = {}): Promise<WatchRules> {
    const abs = path.resolve(root);
    const outDir = options.typescript ? typeScriptOutDir(abs) : undefined;
    const excluded = [...(options.excluded ?? []), ...(outDir ? [outDir] : [])].map((p) => path.resolve(p));
    return new WatchRules(abs, await IgnoreRules.forRoot(abs, ['.gitignore']), excluded, !!options.typescript && !outDir);
  }

  /** `relPath`: posix, relative to the root. */
  ignores(relPath: string, isDirectory: boolean): boolean {
    const parts = relPath.split('/');
    const name = parts[parts.length - 1] ?? '';
    if (parts.some((part, i) => (i < parts.length - 1 || isDirectory) && IGNORED_FOLDERS.has(part))) return true;
    if (!isDirectory && IGNORED_FILES.some((pattern) => pattern.test(name))) return true;
    const abs = path.join(this.root, ...parts);
    if (this.excluded.some((p) => abs === p || abs.startsWith(p + path.sep))) return true;
    if (this.emittedBeside && !isDirectory) {
      const base = EMITTED_BESIDE_SOURCE.exec(abs)?.[1];
      if (base !== undefined && fs.existsSync(`${base}.ts`)) return true;
    }
    return this.ignoreFiles.ignores(relPath, isDirectory);
  }
}

/**
 * A TypeScript project's output folder (tsconfig's `outDir`, absolute), read leniently (tsconfig
 * allows comments); undefined when it names none (tsc then writes beside the sources).
 */
export function typeScriptOutDir(folder: string, tsconfig = 'tsconfig.json'): string | undefined {
  let text: string;
  try {
    text = fs.readFileSync(path.resolve(folder, tsconfig), 'utf8');
  } catch {
    return undefined;
  }
  const outDir = /"outDir"\s*:\s*"([^"]+)"/.exec(text)?.[1];
  return outDir ? path.resolve(folder, path.dirname(tsconfig), outDir) : undefined;
}
