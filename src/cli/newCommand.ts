/**
 * `chaincode-launcher new <folder> --lang node|typescript|go|java [--name N] [--no-install]`: writes
 * a contract project (src/engine/scaffold) and installs its dependencies, echoing the tools' output
 * to stderr. Prints one JSON line on stdout: the folder, language, name, files and whether it was
 * installed. Exit codes: 0 done; 2 usage error, invalid name or folder not empty (nothing written);
 * 3 the install failed or was interrupted (the project is written).
 */
import { parseArgs } from 'util';
import {
  commandLine,
  installDependencies,
  isScaffoldLanguage,
  LANGUAGES,
  ScaffoldError,
  SCAFFOLD_LANGUAGES,
  ToolCancelledError,
  writeProject,
  type ScaffoldLanguage,
} from '../engine/scaffold';
import { USAGE, UsageError } from './options';

export interface NewCommand {
  readonly folder: string;
  readonly language: ScaffoldLanguage;
  readonly name?: string;
  readonly install: boolean;
}

const EXIT = { ok: 0, usage: 2, installFailed: 3 } as const;

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

/** The arguments after `new`. */
export function parseNewCommand(argv: readonly string[]): NewCommand | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { lang: { type: 'string' }, name: { type: 'string' }, 'no-install': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (err) {
    throw new UsageError(`new: ${(err as Error).message}`, { cause: err });
  }
  const { values: v, positionals } = parsed;
  if (v.help) return 'help';
  if (positionals.length !== 1) throw new UsageError(positionals.length ? `new takes one folder, got ${positionals.join(' ')}` : 'new needs a folder to write the project into');
  if (!v.lang) throw new UsageError(`new needs --lang, one of ${SCAFFOLD_LANGUAGES.join(', ')}`);
  if (!isScaffoldLanguage(v.lang)) throw new UsageError(`--lang must be one of ${SCAFFOLD_LANGUAGES.join(', ')}, got ${v.lang}`);
  return { folder: positionals[0], language: v.lang, name: v.name, install: !v['no-install'] };
}

export async function runNewCommand(argv: readonly string[]): Promise<number> {
  let cmd: NewCommand;
  try {
    const parsed = parseNewCommand(argv);
    if (parsed === 'help') {
      process.stdout.write(`${USAGE}\n`);
      return EXIT.ok;
    }
    cmd = parsed;
  } catch (err) {
    log(`error: ${(err as Error).message}\n\n${USAGE}`);
    return EXIT.usage;
  }
  let project;
  try {
    project = await writeProject({ folder: cmd.folder, language: cmd.language, name: cmd.name });
  } catch (err) {
    log(`error: ${(err as Error).message}`);
    return err instanceof ScaffoldError ? EXIT.usage : EXIT.installFailed;
  }
  log(`[new] wrote a ${LANGUAGES[cmd.language].label} contract project ${project.name} (${project.contractClass}) to ${project.folder}`);
  const result = { folder: project.folder, language: project.language, name: project.name, files: project.files, installed: false };
  if (cmd.install) {
    const abort = new AbortController();
    const onInterrupt = (): void => abort.abort();
    process.once('SIGINT', onInterrupt);
    try {
      await installDependencies(project.folder, cmd.language, {
        signal: abort.signal,
        onStep: (s) => log(`[install] ${s.commandLine}`),
        onLine: (l) => log(`  ${l.line}`),
      });
      result.installed = true;
    } catch (err) {
      const steps = LANGUAGES[cmd.language].install.map(commandLine).join(' && ');
      log(`error: ${err instanceof ToolCancelledError ? 'interrupted' : (err as Error).message}`);
      log(`the project is written; to install it, run in ${project.folder}: ${steps}`);
      process.stdout.write(`${JSON.stringify(result)}\n`);
      return EXIT.installFailed;
    } finally {
      process.removeListener('SIGINT', onInterrupt);
    }
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
  if (!cmd.install) log(`install its dependencies first, in ${project.folder}: ${LANGUAGES[cmd.language].install.map(commandLine).join(' && ')}`);
  log(`next: chaincode-launcher launch ${project.folder} --tx 'CreateAsset asset1 blue 5 Tomoko 300' --tx 'ReadAsset asset1'`);
  return EXIT.ok;
}
