/**
 * Writing crypto folders so that a crash never leaves half of one: everything is written into a
 * hidden sibling (`.<name>.partial-<pid>-<random>`) and renamed into place in one step. Replacing a
 * folder (a reissued identity) moves the old one aside first (`.<name>.old-…`) so that a crash
 * between the two renames can be undone. `tidyPartials` is the repair run on every open.
 */
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { CryptoFile } from './cryptogen';
import { isAlive } from '../util/processes';

export class CryptoFolderError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CryptoFolderError';
  }
}

const PARTIAL = /^\.(.+)\.(partial|old)-(\d+)-[0-9a-f]+$/;

function hiddenSibling(dir: string, kind: 'partial' | 'old'): string {
  return path.join(path.dirname(dir), `.${path.basename(dir)}.${kind}-${process.pid}-${randomBytes(4).toString('hex')}`);
}

async function writeFiles(root: string, files: readonly CryptoFile[]): Promise<void> {
  const dirs = new Set<string>();
  for (const f of files) dirs.add(f.contents === null ? path.join(root, f.path) : path.dirname(path.join(root, f.path)));
  for (const d of [...dirs].sort()) await fs.promises.mkdir(d, { recursive: true });
  await Promise.all(files.filter((f) => f.contents !== null).map((f) => fs.promises.writeFile(path.join(root, f.path), f.contents as string, { mode: f.secret ? 0o600 : 0o644 })));
}

/**
 * Writes `files` as the folder `dir`, which must not exist yet. Resolves false when another
 * process created `dir` first (its content wins; ours is discarded).
 */
export async function writeFolderOnce(dir: string, files: readonly CryptoFile[]): Promise<boolean> {
  const partial = hiddenSibling(dir, 'partial');
  await fs.promises.mkdir(path.dirname(dir), { recursive: true });
  try {
    await writeFiles(partial, files);
    await fs.promises.rename(partial, dir);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    await fs.promises.rm(partial, { recursive: true, force: true });
    if (code === 'ENOTEMPTY' || code === 'EEXIST') return false;
    throw new CryptoFolderError(`cannot write ${dir}: ${(err as Error).message}`, { cause: err });
  }
}

/** Replaces the folder `dir` (which may exist) with `files`, in two renames a crash cannot split. */
export async function replaceFolder(dir: string, files: readonly CryptoFile[]): Promise<void> {
  const partial = hiddenSibling(dir, 'partial');
  const old = hiddenSibling(dir, 'old');
  await fs.promises.mkdir(path.dirname(dir), { recursive: true });
  try {
    await writeFiles(partial, files);
    const existed = await fs.promises.rename(dir, old).then(
      () => true,
      (err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return false;
        throw err;
      },
    );
    await fs.promises.rename(partial, dir);
    if (existed) await fs.promises.rm(old, { recursive: true, force: true });
  } catch (err) {
    await fs.promises.rm(partial, { recursive: true, force: true });
    throw new CryptoFolderError(`cannot write ${dir}: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * Repairs what a crash may leave in `parent` for the folder `name`: a folder moved aside
 * (`.name.old-…`) whose replacement never arrived is put back; leftover partial writes are removed.
 * Work of a live process (another org of this one, another window) is left alone. Returns what it did.
 */
export async function tidyPartials(parent: string, name?: string): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.promises.readdir(parent);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const actions: string[] = [];
  for (const entry of names) {
    const m = PARTIAL.exec(entry);
    if (!m || (name !== undefined && m[1] !== name) || isAlive(Number(m[3]))) continue;
    const leftover = path.join(parent, entry);
    const target = path.join(parent, m[1]);
    if (m[2] === 'old' && !fs.existsSync(target)) {
      await fs.promises.rename(leftover, target);
      actions.push(`restored ${target} from an interrupted replacement`);
    } else {
      await fs.promises.rm(leftover, { recursive: true, force: true });
      actions.push(`removed the interrupted write ${leftover}`);
    }
  }
  return actions;
}

/** Reads a file of a crypto folder, naming it (and how to recover) when it is missing. */
export async function readCryptoFile(file: string, owner: string): Promise<string> {
  try {
    return await fs.promises.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw missing(owner, [file]);
    throw new CryptoFolderError(`cannot read ${file}: ${(err as Error).message}`, { cause: err });
  }
}

/** Throws one error naming every path of `expected` that is absent. */
export async function requirePaths(owner: string, expected: readonly string[]): Promise<void> {
  const absent = (
    await Promise.all(
      expected.map(async (p) =>
        (await fs.promises.stat(p).then(
          () => true,
          () => false,
        ))
          ? null
          : p,
      ),
    )
  ).filter((p): p is string => p !== null);
  if (absent.length) throw missing(owner, absent);
}

function missing(owner: string, files: readonly string[]): CryptoFolderError {
  const list = files.slice(0, 5).join(', ') + (files.length > 5 ? ` and ${files.length - 5} more` : '');
  return new CryptoFolderError(
    `the crypto folder ${owner} is incomplete (missing ${list}). It was changed outside Chaincode Launcher; delete ${owner} to have it made again (clients then need the new certificates).`,
  );
}
