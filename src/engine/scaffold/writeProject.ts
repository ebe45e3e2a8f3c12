/**
 * Writes a new chaincode project into a new or empty folder, all or nothing: the files are rendered
 * in memory, written into a staging folder beside the target, then moved in; any failure removes
 * what was moved and the folders this created.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ScaffoldError } from './errors';
import { LANGUAGES, ScaffoldLanguage } from './languages';
import { defaultProjectName, projectNames } from './projectNames';
import { renderTemplates, templatesRoot } from './templates';

export interface NewProjectRequest {
  /** The project's folder: created if missing, else it must be empty. */
  readonly folder: string;
  readonly language: ScaffoldLanguage;
  /** The chaincode name; default: the folder's name, made valid. */
  readonly name?: string;
}

export interface NewProject {
  readonly folder: string;
  readonly language: ScaffoldLanguage;
  readonly name: string;
  readonly contractClass: string;
  /** Files written, relative to `folder`, with `/` separators. */
  readonly files: readonly string[];
}

/** What an empty folder may hold already: a fresh `git init`. */
const ALLOWED_ENTRIES = new Set(['.git']);

/** Why New Project cannot write into `folder` (it is a file, or holds something), or undefined. */
export function targetFolderProblem(folder: string): string | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(folder);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return `cannot use ${folder}: ${(err as Error).message}`;
  }
  if (!stat.isDirectory()) return `${folder} exists and is not a folder: choose a new or empty folder`;
  const entries = fs.readdirSync(folder).filter((e) => !ALLOWED_ENTRIES.has(e));
  if (entries.length === 0) return undefined;
  const shown = entries.slice(0, 5).join(', ') + (entries.length > 5 ? `, … (${entries.length} entries)` : '');
  return `${folder} is not empty (it holds ${shown}): New Project writes only into a new or empty folder`;
}

export async function writeProject(request: NewProjectRequest, options: { templatesRoot?: string } = {}): Promise<NewProject> {
  const folder = path.resolve(request.folder);
  const names = projectNames(request.name ?? defaultProjectName(folder));
  const values = { ...names, javaPackagePath: names.javaPackage.replace(/\./g, '/') };
  // Rendered before anything touches the disk: a template problem writes nothing.
  const files = renderTemplates(path.join(options.templatesRoot ?? templatesRoot(), request.language), values);
  if (files.length === 0) throw new ScaffoldError(`no ${LANGUAGES[request.language].label} template files found`);
  const problem = targetFolderProblem(folder);
  if (problem) throw new ScaffoldError(problem);

  let created: string | undefined;
  let staging: string | undefined;
  const moved: string[] = [];
  try {
    created = await fs.promises.mkdir(folder, { recursive: true });
    staging = await fs.promises.mkdtemp(path.join(path.dirname(folder), `.${path.basename(folder)}.new-`));
    for (const file of files) {
      const target = path.join(staging, ...file.path.split('/'));
      await fs.promises.mkdir(path.dirname(target), { recursive: true });
      await fs.promises.writeFile(target, file.content, { flag: 'wx' });
    }
    for (const entry of await fs.promises.readdir(staging)) {
      const target = path.join(folder, entry);
      await fs.promises.rename(path.join(staging, entry), target);
      moved.push(target);
    }
  } catch (err) {
    for (const target of moved) await fs.promises.rm(target, { recursive: true, force: true }).catch(() => undefined);
    if (created) await fs.promises.rm(created, { recursive: true, force: true }).catch(() => undefined);
    throw new ScaffoldError(`writing the project into ${folder} failed, so nothing was written: ${(err as Error).message}`, { cause: err });
  } finally {
    if (staging) await fs.promises.rm(staging, { recursive: true, force: true }).catch(() => undefined);
  }
  return { folder, language: request.language, name: names.name, contractClass: names.contractClass, files: files.map((f) => f.path) };
}
