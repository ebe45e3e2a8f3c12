import { after } from 'node:test';
/** Fixture folders and tar reading for the platform and container tests. */
import { chmod, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { extract } from 'tar-stream';
import { findOnPath, repoRoot, type FixtureStatus } from '../../support/toolchains';

export type TreeSpec = Record<string, string | { content: string; mode?: number } | { symlink: string }>;

export async function makeTree(spec: TreeSpec, prefix = 'ccl-fixture-'): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  await writeTree(dir, spec);
  return dir;
}

export async function writeTree(dir: string, spec: TreeSpec): Promise<void> {
  for (const [rel, value] of Object.entries(spec)) {
    const file = path.join(dir, rel);
    await mkdir(path.dirname(file), { recursive: true });
    if (typeof value === 'string') await writeFile(file, value);
    else if ('symlink' in value) await symlink(value.symlink, file);
    else {
      await writeFile(file, value.content);
      if (value.mode !== undefined) await chmod(file, value.mode);
    }
  }
}

export async function removeTree(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

export interface TarEntry {
  name: string;
  type: string;
  mode: number;
  uid: number;
  gid: number;
  mtime: number;
  linkname: string | null;
  body: Buffer;
}

/** Reads a whole tar stream (a build context) into entries. */
export async function readTar(stream: NodeJS.ReadableStream): Promise<{ entries: TarEntry[]; bytes: Buffer }> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  const bytes = Buffer.concat(chunks);
  const entries: TarEntry[] = [];
  const ex = extract();
  ex.on('entry', (header, body, next) => {
    const parts: Buffer[] = [];
    body.on('data', (c: unknown) => parts.push(c as Buffer));
    body.on('end', () => {
      entries.push({
        name: header.name,
        type: header.type,
        mode: header.mode,
        uid: header.uid,
        gid: header.gid,
        mtime: header.mtime.getTime(),
        linkname: header.linkname ?? null,
        body: Buffer.concat(parts),
      });
      next();
    });
  });
  await new Promise<void>((resolve, reject) => {
    ex.on('finish', resolve);
    ex.on('error', reject);
    ex.end(bytes);
  });
  return { entries, bytes };
}

/** A makeTree that removes every tree it made when the test file ends. */
export function treesRemovedAfterTests(): (spec: TreeSpec) => Promise<string> {
  const made: string[] = [];
  after(async () => {
    for (const dir of made) await removeTree(dir);
  });
  return async (spec) => {
    const dir = await makeTree(spec);
    made.push(dir);
    return dir;
  };
}

/** The Go toolchain as a fixture: tests needing it skip without it, and fail under CI. */
export function goToolchain(why: string): FixtureStatus {
  const go = findOnPath('go');
  return { label: 'go toolchain', path: go, reason: go ? null : `no go toolchain on PATH (${why})` };
}

/**
 * A TypeScript contract chaincode laid out as fabric-samples lay one out (sources in src/, output in
 * dist/, which .gitignore names), its node_modules linked to the project's.
 */
export async function typescriptChaincodeSpec(): Promise<TreeSpec> {
  const contract = await readFile(path.join(repoRoot(), 'test', 'fixtures', 'node', 'contract-ts', 'index.ts'), 'utf8');
  return {
    'package.json': JSON.stringify({
      name: 'counter',
      version: '1.0.0',
      main: 'dist/index.js',
      scripts: { build: 'tsc', start: 'fabric-chaincode-node start' },
      dependencies: { 'fabric-contract-api': '^2.5.0', 'fabric-shim': '^2.5.0' },
      devDependencies: { typescript: '^5.0.0' },
    }),
    'tsconfig.json': JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'commonjs',
        outDir: 'dist',
        rootDir: 'src',
        experimentalDecorators: true,
        emitDecoratorMetadata: true,
        skipLibCheck: true,
        types: ['node'],
      },
      include: ['src'],
    }),
    '.gitignore': 'dist/\nnode_modules/\n',
    'src/index.ts': contract,
    node_modules: { symlink: path.join(repoRoot(), 'node_modules') },
  };
}
