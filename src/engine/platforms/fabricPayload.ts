/**
 * A chaincode folder as Fabric's platforms package it for the lifecycle (`GetDeploymentPayload`,
 * the `code.tar.gz` of a package): which files, at which paths, in which order, with which headers.
 *
 * Node and Java (`core/chaincode/platforms/{node,java}/platform.go` over `util.WriteFolderToTarPackage`):
 * every file, walked as Go's `filepath.Walk` does (each folder's names in byte order, depth first),
 * under `src/`; folders named `.git` and the platform's excluded folders skipped at any depth
 * (Node: `node_modules`; Java: `target`, `build`, `out`, and `.class` files); each file's header
 * mode 0100644, uid/gid 500, zero times.
 *
 * Go (`core/chaincode/platforms/golang/platform.go`, module mode): every file of the module except
 * in hidden folders, under `src/`; first an entry for every folder (0100755, uid/gid 500), then the
 * files, each list sorted by path.
 *
 * All of them: files under the folder's `META-INF/` go to `META-INF/` (not under `src/`), hidden
 * ones left out, each checked as Fabric checks chaincode metadata. A link to a file is packaged as
 * the file it points to; a link to a folder is an error, as in Fabric (see `symlinks.ts`).
 *
 * Beyond Fabric, never packaged: lifecycle and npm packages (`*.tar.gz`, `*.tgz`, so a package
 * written into the folder is not in the next one), build caches (`*.tsbuildinfo`, `.eslintcache`,
 * `.gradle/`, `.cache/`, `.nyc_output/`) and this launcher's data folder (`.chaincode/`).
 */
import { lstat, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Language } from './types';
import type { GoTarEntry } from './goTar';
import { validateMetadataFile } from './statedbMetadata';
import { followLink, SymlinkError } from './symlinks';

/** Fabric's packaging writes file entries with this owner (`WriteFileToPackage`). */
export const FABRIC_FILE_OWNER = 500;
export const FABRIC_FILE_MODE = 0o100644;
export const FABRIC_DIRECTORY_MODE = 0o100755;

const NOT_PACKAGED_FOLDERS = new Set(['.chaincode', '.gradle', '.cache', '.nyc_output']);
const NOT_PACKAGED_FILES = [/\.tar\.gz$/, /\.tgz$/, /\.tsbuildinfo$/, /^\.eslintcache$/];

interface PlatformRules {
  /** Folder names skipped at any depth (besides `.git`); Go instead skips every hidden folder. */
  readonly excludedFolders: readonly string[];
  readonly excludedExtensions: readonly string[];
}

const RULES: Readonly<Record<Exclude<Language, 'golang'>, PlatformRules>> = {
  node: { excludedFolders: ['node_modules'], excludedExtensions: [] },
  java: { excludedFolders: ['target', 'build', 'out'], excludedExtensions: ['.class'] },
};

export class PayloadError extends Error {
  override readonly name = 'PayloadError';
}

export interface PayloadOptions {
  /** Absolute paths never packaged (the package file being written, when it is in the folder). */
  readonly skip?: readonly string[];
  /** Go: a `vendor` folder made elsewhere (`go mod vendor -o`), packaged as `src/vendor/`. */
  readonly vendorDir?: string;
}

/** The payload's entries in the order Fabric writes them. */
export async function deploymentPayload(language: Language, folder: string, options: PayloadOptions = {}): Promise<GoTarEntry[]> {
  const skip = new Set((options.skip ?? []).map((p) => path.resolve(p)));
  if (language === 'golang') return golangPayload(folder, skip, options.vendorDir);
  const rules = RULES[language];
  const entries: GoTarEntry[] = [];
  await walk(folder, '', skip, async (rel, abs, isDir) => {
    const name = rel.slice(rel.lastIndexOf('/') + 1);
    if (isDir) return !rules.excludedFolders.includes(name);
    if (rules.excludedExtensions.includes(path.extname(name))) return false;
    const file = await payloadFile(rel, abs);
    if (file) entries.push(file);
    return true;
  });
  if (entries.length === 0) throw new PayloadError(`no source files found in '${folder}'`);
  return entries;
}

async function golangPayload(folder: string, skip: ReadonlySet<string>, vendorDir: string | undefined): Promise<GoTarEntry[]> {
  const files: GoTarEntry[] = [];
  const collect = (root: string, prefix: string) =>
    walk(root, '', skip, async (rel, abs, isDir) => {
      const name = rel.slice(rel.lastIndexOf('/') + 1);
      if (isDir) return !name.startsWith('.') || isMetadata(rel);
      const file = await payloadFile(prefix + rel, abs);
      if (file) files.push(file);
      return true;
    });
  await collect(folder, '');
  if (vendorDir !== undefined) await collect(vendorDir, 'vendor/');
  files.sort((a, b) => byteOrder(a.name, b.name));
  const folders = new Set<string>();
  for (const file of files) {
    for (let dir = path.posix.dirname(file.name); dir !== '.' && !folders.has(dir); dir = path.posix.dirname(dir)) folders.add(dir);
  }
  const directories = [...folders]
    .sort(byteOrder)
    .map((dir): GoTarEntry => ({ name: `${dir}/`, type: 'directory', mode: FABRIC_DIRECTORY_MODE, uid: FABRIC_FILE_OWNER, gid: FABRIC_FILE_OWNER }));
  return [...directories, ...files];
}

/** The folder's META-INF files alone (what a chaincode-as-a-service package carries besides its connection). */
export async function metadataPayload(folder: string): Promise<GoTarEntry[]> {
  const entries: GoTarEntry[] = [];
  const dir = path.join(folder, 'META-INF');
  if (
    !(await lstat(dir).then(
      (s) => s.isDirectory(),
      () => false,
    ))
  )
    return entries;
  await walk(dir, '', new Set(), async (rel, abs, isDir) => {
    if (isDir) return true;
    const file = await payloadFile(`META-INF/${rel}`, abs);
    if (file) entries.push(file);
    return true;
  });
  return entries;
}

/** One file's entry: `src/…`, or `META-INF/…` checked (hidden metadata files are left out, as Fabric warns). */
async function payloadFile(rel: string, abs: string): Promise<GoTarEntry | undefined> {
  const body = await readFile(abs);
  let name = `src/${rel}`;
  if (isMetadata(rel)) {
    if (path.posix.basename(rel).startsWith('.')) return undefined;
    validateMetadataFile(rel, body);
    name = rel;
  }
  return { name, mode: FABRIC_FILE_MODE, uid: FABRIC_FILE_OWNER, gid: FABRIC_FILE_OWNER, body };
}

function isMetadata(rel: string): boolean {
  return rel === 'META-INF' || rel.startsWith('META-INF/');
}

/**
 * Go's `filepath.Walk` order: each folder's names sorted by bytes, a folder's content right after
 * it. `visit` says whether to go into a folder; for a file, it takes it or not. Links are followed
 * to files. A link to a folder is skipped when the folder would be (a linked `node_modules`);
 * otherwise it cannot be packaged: Fabric's walk does not follow it, and fails reading it as a file.
 */
async function walk(root: string, relDir: string, skip: ReadonlySet<string>, visit: (rel: string, abs: string, isDir: boolean) => Promise<boolean>): Promise<void> {
  const absDir = path.join(root, relDir);
  const names = (await readdir(absDir)).sort(byteOrder);
  for (const name of names) {
    const rel = relDir === '' ? name : `${relDir}/${name}`;
    const abs = path.join(absDir, name);
    if (skip.has(abs) || name === '.git') continue;
    const own = await lstat(abs);
    const info = own.isSymbolicLink() ? (await followLink(abs, rel)).stat : own;
    if (info.isDirectory()) {
      if (NOT_PACKAGED_FOLDERS.has(name) || !(await visit(rel, abs, true))) continue;
      if (own.isSymbolicLink()) {
        throw new SymlinkError(
          `${rel} is a symbolic link to a folder: Fabric's packaging cannot package it (it packages a linked file's content only); replace the link by the folder itself`,
        );
      }
      await walk(root, rel, skip, visit);
    } else if (info.isFile() && !NOT_PACKAGED_FILES.some((pattern) => pattern.test(name))) {
      await visit(rel, abs, false);
    }
  }
}

/** Go's string order: by UTF-8 bytes. */
export function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
