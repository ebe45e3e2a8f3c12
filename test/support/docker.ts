/**
 * Test helpers for the real Docker engine: is it there, and local base images (no registry can be
 * pulled in tests). Base images are root filesystems made from the machine's own binaries and the
 * libraries `ldd` lists, imported with `docker import` (quick), and reused by tag.
 */
import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { BaseImages } from '../../src/engine/platforms/types';
import { isAlive } from '../../src/engine/util/processes';

const run = promisify(execFile);
const SOCKET = '/var/run/docker.sock';
/** Bump to rebuild every test image (the recipe below changed). */
const RECIPE_VERSION = '3';
/** Enough of a userland for npm scripts and Dockerfile RUN steps. */
const TOOLS = ['dash', 'env', 'cat', 'ls', 'mkdir', 'cp', 'rm', 'mv', 'chmod', 'ln', 'sleep', 'head', 'tail', 'grep', 'true', 'id'];

export type DockerAvailability = { ok: true } | { ok: false; reason: string };

const PING_SCRIPT = `
const http = require('http');
const req = http.get({ socketPath: ${JSON.stringify(SOCKET)}, path: '/_ping', timeout: 3000 }, (res) => {
  process.exit(res.statusCode === 200 ? 0 : 2);
});
req.on('timeout', () => { console.error('no answer within 3 s'); process.exit(3); });
req.on('error', (err) => { console.error(err.message); process.exit(1); });`;

function probe(): DockerAvailability {
  const result = spawnSync(process.execPath, ['-e', PING_SCRIPT], { encoding: 'utf8', timeout: 5000 });
  if (result.status === 0) return { ok: true };
  const why = (result.stderr || `exit ${String(result.status)}`).trim();
  return { ok: false, reason: `Docker engine not reachable at unix://${SOCKET} (${why}); start it with .ci/docker.sh` };
}

export async function dockerAvailable(): Promise<DockerAvailability> {
  return probe();
}

/**
 * For `describe(name, { skip: dockerSkip() }, …)`: the skip reason when Docker is missing, but in
 * CI (`CI=true`) never skip — the tests then run and fail on the missing engine.
 */
export function dockerSkip(): string | false {
  const availability = probe();
  if (availability.ok) return false;
  if (process.env['CI'] === 'true') {
    console.error(`CI: ${availability.reason}; the Docker tests will fail`);
    return false;
  }
  return availability.reason;
}

export interface TestBaseImages {
  node: string;
  golang?: string;
  baseos?: string;
  java?: string;
}

export type BaseImageKind = 'node' | 'golang' | 'java';

/** Builds the missing local base images once (guarded across test processes) and returns their tags. */
export async function ensureBaseImages(kinds: readonly BaseImageKind[] = ['node', 'golang', 'java']): Promise<TestBaseImages> {
  const availability = probe();
  if (!availability.ok) throw new Error(availability.reason); // in CI the tests fail with this reason
  const node = await ensureImage('node', nodeRecipe());
  const images: TestBaseImages = { node };
  if (kinds.includes('golang') && existsSync('/usr/local/go/bin/go')) {
    images.golang = await ensureImage('golang', goRecipe('/usr/local/go'));
    images.baseos = await ensureImage('baseos', baseosRecipe());
  }
  const java = which('java');
  if (kinds.includes('java') && java) images.java = await ensureImage('java', javaRecipe(path.dirname(path.dirname(java))));
  return images;
}

/** The images as the platforms' base-image settings. */
export function asBaseImages(images: TestBaseImages): Partial<BaseImages> {
  return {
    node: images.node,
    ...(images.golang ? { golang: images.golang } : {}),
    ...(images.baseos ? { golangRuntime: images.baseos } : {}),
    ...(images.java ? { java: images.java } : {}),
  };
}

/**
 * An image's content: host paths archived at the same paths (no copying: this disk is slow at
 * writing thousands of small files, and tar reads them in a blink), plus a few generated files.
 */
interface Recipe {
  /** Files and trees taken from the host as they are; binaries among them bring their libraries. */
  paths: string[];
  /** Files whose libraries (per `ldd`) are needed too, e.g. a JDK's own .so files. */
  libraryUsers: string[];
  /** Absolute host paths left out of the trees. */
  exclude: string[];
  /** Symlinks created in the image. */
  links: { path: string; target: string }[];
  env: Record<string, string>;
  /** Anything else that should change the tag. */
  identity: string[];
  /** Run once in a container of the imported image, which is then committed under the tag. */
  warm?: string;
}

const SHELL_LINK = { path: '/bin/sh', target: '/usr/bin/dash' };

function nodeRecipe(): Recipe {
  const npmDir = '/usr/lib/node_modules/npm';
  const binaries = [process.execPath, ...TOOLS.map(toolPath)];
  return {
    paths: [...binaries, npmDir],
    libraryUsers: binaries,
    exclude: [],
    links: [
      SHELL_LINK,
      { path: '/usr/bin/npm', target: '../lib/node_modules/npm/bin/npm-cli.js' },
      { path: '/usr/bin/npx', target: '../lib/node_modules/npm/bin/npx-cli.js' },
      ...(process.execPath === '/usr/bin/node' ? [] : [{ path: '/usr/bin/node', target: process.execPath }]),
    ],
    env: { PATH: '/usr/local/bin:/usr/bin:/bin' },
    identity: [process.version, fileIdentity(process.execPath), fileIdentity(path.join(npmDir, 'package.json'))],
  };
}

function goRecipe(goroot: string): Recipe {
  const tools = TOOLS.map(toolPath);
  return {
    paths: [...tools, goroot],
    libraryUsers: tools,
    exclude: ['test', 'api', 'doc', 'misc'].map((part) => path.join(goroot, part)),
    links: [SHELL_LINK],
    env: {
      PATH: `${goroot}/bin:/usr/local/bin:/usr/bin:/bin`,
      GOTOOLCHAIN: 'local',
      GOCACHE: '/root/.cache/go-build',
      GOPATH: '/root/go',
    },
    // Compile the standard packages a chaincode's main uses into the image's build cache, with the
    // platform's flags: otherwise every test run pays for a cold stdlib compile.
    warm:
      'mkdir -p /tmp/warm && cd /tmp/warm && printf "module warm\\n\\ngo 1.21\\n" > go.mod && ' +
      'printf "package main\\nimport (\\"flag\\"; \\"fmt\\"; \\"os\\")\\nfunc main() { flag.Parse(); fmt.Fprintln(os.Stderr, flag.Args()) }\\n" > main.go && ' +
      'CGO_ENABLED=0 GOFLAGS=-mod=readonly go build -trimpath -o /dev/null . && cd / && rm -rf /tmp/warm',
    identity: [fileIdentity(path.join(goroot, 'VERSION')), fileIdentity(path.join(goroot, 'bin/go'))],
  };
}

/** Like Fabric's baseos: a shell and little else; static Go binaries need nothing more. */
function baseosRecipe(): Recipe {
  const tools = TOOLS.map(toolPath);
  return { paths: tools, libraryUsers: tools, exclude: [], links: [SHELL_LINK], env: { PATH: '/usr/local/bin:/usr/bin:/bin' }, identity: [] };
}

function javaRecipe(javaHome: string): Recipe {
  const tools = TOOLS.map(toolPath);
  return {
    paths: [...tools, javaHome],
    libraryUsers: [...tools, path.join(javaHome, 'bin/java'), ...listSharedObjects(path.join(javaHome, 'lib'))],
    exclude: ['jmods', 'include', 'man', 'docs', 'lib/src.zip', 'lib/ct.sym'].map((part) => path.join(javaHome, part)),
    links: [SHELL_LINK, { path: '/usr/bin/java', target: path.join(javaHome, 'bin/java') }],
    env: { PATH: `${javaHome}/bin:/usr/local/bin:/usr/bin:/bin`, JAVA_HOME: javaHome },
    identity: [fileIdentity(path.join(javaHome, 'release')), fileIdentity(path.join(javaHome, 'lib/server/libjvm.so'))],
  };
}

async function ensureImage(name: string, recipe: Recipe): Promise<string> {
  const hash = createHash('sha256').update(JSON.stringify({ RECIPE_VERSION, TOOLS, name, recipe })).digest('hex').slice(0, 16);
  const tag = `chaincode-launcher-test/${name}:${hash}`;
  if (await imageExists(tag)) return tag;
  return withLock(`image-${name}`, async () => {
    if (await imageExists(tag)) return tag; // another test process made it meanwhile
    const staging = await mkdtemp(path.join(os.tmpdir(), `ccl-rootfs-${name}-`));
    try {
      const hostPaths = await closure(recipe);
      await stage(staging, recipe);
      const q = (word: string): string => `'${word.replace(/'/g, `'\\''`)}'`;
      const changes = Object.entries(recipe.env).map(([k, v]) => `--change ${q(`ENV ${k}=${v}`)}`);
      const excludes = recipe.exclude.map((p) => `--exclude=${q(p.slice(1))}`);
      const relPaths = hostPaths.map((p) => q(p.slice(1)));
      const script = `tar -c --anchored ${excludes.join(' ')} -C ${q(staging)} . -C / ${relPaths.join(' ')} | ` + `docker import ${changes.join(' ')} - ${q(tag)}`;
      await run('/bin/bash', ['-o', 'pipefail', '-c', script], { maxBuffer: 1 << 20 });
      if (recipe.warm) await warm(tag, recipe.warm);
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
    await removeOtherTags(tag);
    return tag;
  });
}

/**
 * Every host path the image needs: the recipe's paths, their libraries, and the targets of
 * symlinks that point out of them (a JDK links its configs into /etc), followed to real files.
 */
async function closure(recipe: Recipe): Promise<string[]> {
  const wanted = new Set<string>();
  const trees: string[] = [];
  const within = (p: string, dirs: readonly string[]): boolean => dirs.some((d) => p === d || p.startsWith(`${d}/`));
  const add = async (raw: string): Promise<void> => {
    const p = path.resolve(raw);
    // A path twice in one tar becomes a hard link to itself, which Docker refuses.
    if (wanted.has(p) || within(p, trees) || within(p, recipe.exclude) || !existsSync(p)) return;
    wanted.add(p);
    const stat = lstatSync(p);
    if (stat.isSymbolicLink()) await add(path.resolve(path.dirname(p), await readlink(p)));
    else if (stat.isDirectory()) {
      trees.push(p);
      await linksLeaving(p, recipe.exclude, add);
    }
  };
  for (const p of recipe.paths) await add(p);
  for (const user of recipe.libraryUsers) for (const lib of await lddPaths(user)) await add(lib);
  return [...wanted].sort();
}

async function linksLeaving(root: string, exclude: readonly string[], add: (p: string) => Promise<void>): Promise<void> {
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (exclude.includes(full)) continue;
      if (entry.isDirectory()) await walk(full);
      else if (entry.isSymbolicLink()) {
        const target = path.resolve(dir, await readlink(full));
        if (target !== root && !target.startsWith(`${root}/`)) await add(target);
      }
    }
  };
  await walk(root);
}

async function warm(tag: string, script: string): Promise<void> {
  const name = `ccl-warm-${process.pid}`;
  try {
    await run('docker', ['run', '--name', name, '--network', 'none', tag, '/bin/sh', '-c', script], { maxBuffer: 1 << 24 });
    await run('docker', ['commit', '--change', 'CMD ["/bin/sh"]', name, tag]);
  } finally {
    await run('docker', ['rm', '-f', name]).catch(() => undefined);
  }
}

/** The generated part: links, a root user, a world-writable /tmp. */
async function stage(staging: string, recipe: Recipe): Promise<void> {
  for (const link of recipe.links) {
    await mkdir(path.dirname(path.join(staging, link.path)), { recursive: true });
    await symlink(link.target, path.join(staging, link.path));
  }
  await mkdir(path.join(staging, 'etc'), { recursive: true });
  await mkdir(path.join(staging, 'root'), { recursive: true });
  await writeFile(path.join(staging, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
  await writeFile(path.join(staging, 'etc/group'), 'root:x:0:\n');
  await mkdir(path.join(staging, 'tmp'), { recursive: true });
  await chmod(path.join(staging, 'tmp'), 0o1777);
}

async function lddPaths(binary: string): Promise<string[]> {
  const result = await run('ldd', [binary]).catch(() => ({ stdout: '' }));
  // Lines: "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x…)" or "/lib64/ld-linux-x86-64.so.2 (0x…)".
  return [...result.stdout.matchAll(/(\/\S+) \(0x/g)].map((m) => m[1]).filter((p) => existsSync(p));
}

function listSharedObjects(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d)) {
      const full = path.join(d, entry);
      if (!existsSync(full)) continue;
      if (statSync(full).isDirectory()) walk(full);
      else if (entry.endsWith('.so')) out.push(full);
    }
  };
  walk(dir);
  return out;
}

function toolPath(tool: string): string {
  const found = which(tool);
  if (!found) throw new Error(`test base images need '${tool}' on this machine`);
  return found;
}

function which(tool: string): string | undefined {
  for (const dir of ['/usr/local/bin', '/usr/bin', '/bin']) {
    const candidate = path.join(dir, tool);
    if (existsSync(candidate)) return realpathSync(candidate);
  }
  return undefined;
}

function fileIdentity(file: string): string {
  const stat = statSync(file);
  return `${file}:${stat.size}:${stat.mtimeMs}`;
}

/** Images of an older recipe are dead weight (about 100–200 MB each); ones still in use stay. */
async function removeOtherTags(tag: string): Promise<void> {
  const repo = tag.slice(0, tag.lastIndexOf(':'));
  const { stdout } = await run('docker', ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}', repo]);
  for (const other of stdout.split('\n').filter((t) => t !== '' && t !== tag)) {
    await run('docker', ['image', 'rm', other]).catch(() => undefined);
  }
}

async function imageExists(tag: string): Promise<boolean> {
  return run('docker', ['image', 'inspect', '--format', '{{.Id}}', tag]).then(
    () => true,
    () => false,
  );
}

/** A lock directory shared by the test processes (node --test runs files in parallel). */
async function withLock<T>(name: string, work: () => Promise<T>): Promise<T> {
  const dir = path.join(os.tmpdir(), `chaincode-launcher-test-${name}.lock`);
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      await mkdir(dir);
      await writeFile(path.join(dir, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      // A holder that died leaves the lock behind: take it over.
      const holder = Number(await readFile(path.join(dir, 'pid'), 'utf8').catch(() => '0'));
      if (holder > 0 && !isAlive(holder)) await rm(dir, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${dir}`, { cause: err });
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    return await work();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
