/**
 * Deterministic packaging of a chaincode folder: the entries (sorted, modes normalised, each file's
 * sha256), the content hash the image tag carries, and the tar the Docker build reads. Same content
 * → same hash, whatever the mtimes, owners or umask; any edit → a new hash.
 */
import { createHash } from 'node:crypto';
import { readFile as readFileCallback, type Stats } from 'node:fs';
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pack, type Header } from 'tar-stream';
import { sharedFileHashCache } from './fileHashCache';
import { IgnoreRules, type IgnoreFileChoice } from './ignoreRules';
import { isWithin, resolveLink, SymlinkError, type LinkResolution } from './symlinks';

export type EntryType = 'file' | 'directory' | 'symlink';

export interface PackageEntry {
  /** Posix path inside the package (no leading './', no trailing '/'). */
  readonly path: string;
  readonly type: EntryType;
  /** 0o755 or 0o644 for files (only the executable bit survives), 0o755 for directories. */
  readonly mode: number;
  readonly size: number;
  /** Files: sha256 hex of the content. */
  readonly sha256?: string;
  /** Symlinks (to a path inside the package): the target, relative to the link's folder. */
  readonly linkTarget?: string;
  /** Where the content is read from (a link out of the folder: the link, which reads as its target). */
  readonly source: string;
}

export interface CollectOptions {
  /** Ignore files read per directory, first found wins; `.dockerignore` at the root always applies. */
  readonly ignoreFiles: IgnoreFileChoice;
  /**
   * Top-level folders packaged whole whatever the ignore files say (a Node project's
   * `node_modules`, usually git-ignored, is what makes an offline image build possible).
   */
  readonly keepWhole?: readonly string[];
}

/** Files hashed at once while collecting: enough to hide latency, few enough for fd limits. */
const HASH_CONCURRENCY = 16;

/**
 * fs.readFile's callback form: the promise form takes more thread-pool round trips per file, which
 * adds up over a node_modules of thousands of small files.
 */
const readFile = promisify(readFileCallback);

/**
 * The folder's entries, ignore rules applied. Symbolic links: one whose target is inside the folder
 * (and packaged) stays a link, written relative so it works in the image; one that leads out of the
 * folder (any absolute link does) is packaged as what it points to, a file's content or a folder's
 * tree, as if copied in. A link whose target is missing, or that leads back into a folder it is
 * in, is an error (`SymlinkError`): in an image it would dangle, or never end.
 */
export async function collectPackage(root: string, options: CollectOptions): Promise<PackageEntry[]> {
  const found: Found[] = [];
  const keepWhole = new Set(options.keepWhole ?? []);
  const rootReal = await realpath(root);

  /** `followed`: real paths of the folder and of the linked folders being walked (a loop check). */
  const walk = async (relDir: string, rules: IgnoreRules | undefined, followed: readonly string[]): Promise<void> => {
    const absDir = path.join(root, relDir);
    const dirents = (await readdir(absDir, { withFileTypes: true })).sort((a, b) => compare(a.name, b.name));
    for (const dirent of dirents) {
      const { name } = dirent;
      if (name === '.git') continue; // never packaged, ignore files or not
      const rel = relDir === '' ? name : `${relDir}/${name}`;
      const abs = path.join(absDir, name);
      const link = dirent.isSymbolicLink() ? await resolveLink(rootReal, abs, rel) : undefined;
      const isDir = link ? link.kind === 'outside' && link.stat.isDirectory() : dirent.isDirectory();
      const isFile = link ? link.kind === 'inside' || link.stat.isFile() : dirent.isFile();
      // A kept folder and everything under it bypass the ignore rules (rules === undefined).
      const kept = relDir === '' && keepWhole.has(name);
      if (rules && !kept && rules.ignores(rel, isDir)) continue;
      if (!isDir && !isFile) continue; // sockets, fifos, devices
      found.push({ rel, abs, ...(link ? { link } : {}) });
      if (!isDir) continue;
      let inner = followed;
      if (link?.kind === 'outside') {
        const loop = followed.find((walked) => isWithin(link.realPath, walked));
        if (loop !== undefined) {
          throw new SymlinkError(
            `${rel} is a symbolic link to ${link.realPath}, a folder that holds ${loop === rootReal ? 'the chaincode folder' : loop}: following it would never end`,
          );
        }
        inner = [...followed, link.realPath];
      }
      await walk(rel, kept || !rules ? undefined : await rules.enter(root, rel, options.ignoreFiles), inner);
    }
  };
  await walk('', await IgnoreRules.forRoot(root, options.ignoreFiles), [rootReal]);
  checkLinkTargets(found);

  const entries = new Array<PackageEntry>(found.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < found.length) {
      const i = next++;
      entries[i] = await describeEntry(found[i]);
    }
  };
  await Promise.all(Array.from({ length: HASH_CONCURRENCY }, worker));
  return entries.sort((a, b) => compare(a.path, b.path));
}

interface Found {
  readonly rel: string;
  readonly abs: string;
  readonly link?: LinkResolution;
}

/** A link kept as a link must find its target in the package, or it dangles in the image. */
function checkLinkTargets(found: readonly Found[]): void {
  const packaged = new Set(found.map((f) => f.rel));
  for (const { rel, link } of found) {
    if (link?.kind !== 'inside' || link.targetPath === '' || packaged.has(link.targetPath)) continue;
    throw new SymlinkError(
      `${rel} is a symbolic link to ${link.targetPath}, which is not packaged (an ignore file or .git excludes it): ` + 'package the target, or replace the link by a copy',
    );
  }
}

/** An entry for one file placed at `archivePath` (e.g. a prebuilt jar); a link is followed. */
export async function fileEntry(archivePath: string, source: string): Promise<PackageEntry> {
  return describeFile(archivePath, source, await stat(source));
}

async function describeEntry({ rel, abs, link }: Found): Promise<PackageEntry> {
  if (link?.kind === 'inside') return { path: rel, type: 'symlink', mode: 0o777, size: 0, linkTarget: link.linkTarget, source: abs };
  const info = link?.stat ?? (await lstat(abs));
  if (info.isDirectory()) return { path: rel, type: 'directory', mode: 0o755, size: 0, source: abs };
  return describeFile(rel, abs, info);
}

async function describeFile(rel: string, abs: string, info: Stats): Promise<PackageEntry> {
  const mode = info.mode & 0o111 ? 0o755 : 0o644;
  const known = sharedFileHashCache.get(abs, info);
  if (known !== undefined) return { path: rel, type: 'file', mode, size: info.size, sha256: known, source: abs };
  const hashedAt = Date.now();
  const content = await readFile(abs);
  const digest = sha256(content);
  // Remember only what was read unchanged (the size matches the stat taken before the read).
  if (content.length === info.size) sharedFileHashCache.set(abs, info, digest, hashedAt);
  return { path: rel, type: 'file', mode, size: content.length, sha256: digest, source: abs };
}

/**
 * The content hash: every entry's path, type, mode and content hash (or link target), then the
 * recipe parts (Dockerfile, base images). A version prefix lets the format change deliberately.
 */
export function packageDigest(entries: readonly PackageEntry[], recipe: Readonly<Record<string, string>>): string {
  const hash = createHash('sha256').update('chaincode-launcher package v1\n');
  for (const e of entries) {
    const content = e.type === 'file' ? e.sha256 : e.type === 'symlink' ? e.linkTarget : '';
    hash.update(`${e.type} ${JSON.stringify(e.path)} ${e.mode.toString(8)} ${e.size} ${content ?? ''}\n`);
  }
  for (const key of Object.keys(recipe).sort()) hash.update(`${key} ${JSON.stringify(recipe[key])}\n`);
  return hash.digest('hex');
}

export interface ExtraFile {
  readonly name: string;
  readonly content: Buffer | string;
}

export class PackageChangedError extends Error {
  override readonly name = 'PackageChangedError';
  constructor(file: string) {
    super(`${file} changed while the chaincode was being packaged; launch again to pick up the change`);
  }
}

/** Files read ahead while packing, up to this many bytes: a few reads in flight, in order. */
const READ_AHEAD_FILES = 16;
const READ_AHEAD_BYTES = 8 * 1024 * 1024;

/**
 * The files' contents in order (undefined for one that cannot be read), with a few reads in
 * flight: one at a time, each read waits on the thread pool's round trips, and a node_modules of
 * thousands of files takes an order of magnitude longer.
 */
async function* readInOrder(files: readonly PackageEntry[]): AsyncGenerator<Buffer | undefined, void> {
  const inFlight: { size: number; content: Promise<Buffer | undefined> }[] = [];
  let next = 0;
  let bytes = 0;
  while (next < files.length || inFlight.length > 0) {
    while (next < files.length && inFlight.length < READ_AHEAD_FILES && (inFlight.length === 0 || bytes + files[next].size <= READ_AHEAD_BYTES)) {
      const file = files[next++];
      bytes += file.size;
      inFlight.push({ size: file.size, content: readFile(file.source).catch(() => undefined) });
    }
    const read = inFlight.shift()!;
    bytes -= read.size;
    yield await read.content;
  }
}

/**
 * The build context tar: `extra` files first (the Dockerfile), then the entries at their paths.
 * Files are re-read (a few ahead) and checked against the hash taken when collecting, so the
 * image never holds content other than what its tag names. Streams with backpressure.
 */
export function packTar(entries: readonly PackageEntry[], extra: readonly ExtraFile[]): NodeJS.ReadableStream {
  const tar = pack();
  const header = { mtime: new Date(0), uid: 0, gid: 0, uname: '', gname: '' };
  const add = (fields: Partial<Header> & Pick<Header, 'name'>, body?: Buffer): Promise<void> =>
    new Promise((resolve, reject) => {
      const done = (err?: Error | null): void => (err ? reject(err) : resolve());
      if (body) tar.entry({ ...header, ...fields }, body, done);
      else tar.entry({ ...header, ...fields }, done);
    });

  const feed = async (): Promise<void> => {
    for (const file of extra) await add({ name: file.name, mode: 0o644 }, typeof file.content === 'string' ? Buffer.from(file.content) : file.content);
    const contents = readInOrder(entries.filter((e) => e.type === 'file'));
    for (const e of entries) {
      if (e.type === 'directory') await add({ name: `${e.path}/`, type: 'directory', mode: e.mode });
      else if (e.type === 'symlink') await add({ name: e.path, type: 'symlink', linkname: e.linkTarget, mode: e.mode });
      else {
        const { value: content } = await contents.next();
        if (!content || sha256(content) !== e.sha256) throw new PackageChangedError(e.path);
        await add({ name: e.path, type: 'file', mode: e.mode }, content);
      }
    }
    tar.finalize();
  };
  feed().catch((err: Error) => tar.destroy(err));
  // tar-stream's pack is a streamx stream; hand out a Node Readable (what Docker clients expect).
  return Readable.from(tar);
}

/**
 * The entries as one tar, in memory (as `packTar` holds each file while it packs it): the
 * dependencies' archive inside a build context, whose size the outer tar's header must know.
 */
export async function tarBuffer(entries: readonly PackageEntry[]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of packTar(entries, [])) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Byte-order comparison, so the order does not depend on locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
