/**
 * Node chaincode (JavaScript and TypeScript). The image is Fabric's nodeenv layout: code under
 * /usr/local/src, started with `npm start -- --peer.address <addr>`. The workspace's node_modules is
 * used when present (offline, and what the developer tested with), in a dependencies image of its
 * own; otherwise the build installs.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DEPENDENCIES_IMAGE_ARG } from '../container/types';
import { collectPackage, type PackageEntry } from './packaging';
import { fabricLabels, resolveBaseImages, type BuildPlan, type Platform, type PlatformOptions } from './types';

export const NODE_CODE_DIR = '/usr/local/src';

/**
 * For `npm start`: npm's update check loads its registry client before the start script runs
 * (a noticeable part of a start, on every start where it has not checked lately, i.e. always in a
 * fresh container), and a chaincode container has no business asking a registry anything.
 */
export const NPM_START_ENV: Readonly<Record<string, string>> = { NPM_CONFIG_UPDATE_NOTIFIER: 'false' };

export interface NodeBuildSteps {
  readonly baseImage: string;
  /** node_modules is packaged: nothing to install. */
  readonly hasNodeModules: boolean;
  /** package.json and the lock file, if any (copied first so the install is a cached layer). */
  readonly manifests: readonly string[];
  /** The package's entry point is missing but a build script exists (TypeScript not compiled yet). */
  readonly needsBuild: boolean;
}

export function isNodeDependency(entryPath: string): boolean {
  return entryPath === 'node_modules' || entryPath.startsWith('node_modules/');
}

/** The dependencies image's build context holds node_modules as one tar. */
export const NODE_DEPENDENCIES_ARCHIVE = 'node_modules.tar';

/** The dependencies image: the packaged node_modules where the code will go, on the base image. */
export function nodeDependenciesDockerfile(baseImage: string): string {
  return [`FROM ${baseImage}`, `WORKDIR ${NODE_CODE_DIR}`, `ADD ${NODE_DEPENDENCIES_ARCHIVE} ${NODE_CODE_DIR}/`, ''].join('\n');
}

/**
 * Packaged node_modules: the code (and the build, for TypeScript) over the dependencies image, so an
 * edit rebuilds only that. Otherwise layers ordered from least to most often changed: the install
 * from the manifests, then the code, then the build.
 */
export function nodeDockerfile(steps: NodeBuildSteps): string {
  const flags = '--no-audit --no-fund';
  const lines: string[] = [];
  if (steps.hasNodeModules) {
    // The dependencies image already has the code folder as its WORKDIR.
    lines.push(`ARG ${DEPENDENCIES_IMAGE_ARG}`, `FROM \${${DEPENDENCIES_IMAGE_ARG}}`, `COPY src/ ${NODE_CODE_DIR}/`);
    if (steps.needsBuild) lines.push('RUN npm run build');
  } else {
    const lock = steps.manifests.some((m) => m !== 'package.json');
    const install = lock ? `npm ci ${flags}` : `npm install ${flags}`;
    lines.push(`FROM ${steps.baseImage}`, `WORKDIR ${NODE_CODE_DIR}`);
    lines.push(`COPY ${steps.manifests.map((m) => `src/${m}`).join(' ')} ${NODE_CODE_DIR}/`);
    // The compiler is a dev dependency: install everything, build, then drop the dev dependencies.
    lines.push(steps.needsBuild ? `RUN ${install}` : `RUN ${install} --omit=dev`);
    lines.push(`COPY src/ ${NODE_CODE_DIR}/`);
    if (steps.needsBuild) lines.push(`RUN npm run build && npm prune --omit=dev ${flags}`);
  }
  lines.push('');
  return lines.join('\n');
}

interface PackageJson {
  main?: unknown;
  scripts?: Record<string, unknown>;
}

/** Decides the build steps from what is actually packaged (not from what happens to be on disk). */
export async function nodeBuildSteps(dir: string, entries: readonly PackageEntry[], baseImage: string): Promise<NodeBuildSteps> {
  const packaged = new Set(entries.map((e) => e.path));
  if (!packaged.has('package.json')) throw new Error(`${dir} has no package.json (or it is ignored): not a Node chaincode`);
  const pkg = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as PackageJson;
  const main = path.posix.normalize(typeof pkg.main === 'string' && pkg.main !== '' ? pkg.main : 'index.js');
  const mainPackaged = [main, `${main}.js`, `${main}/index.js`].some((candidate) => packaged.has(candidate));
  return {
    baseImage,
    hasNodeModules: packaged.has('node_modules'),
    manifests: ['package.json', 'npm-shrinkwrap.json', 'package-lock.json'].filter((m) => packaged.has(m)),
    needsBuild: !mainPackaged && typeof pkg.scripts?.['build'] === 'string',
  };
}

export const nodePlatform: Platform = {
  language: 'node',

  processEnv: NPM_START_ENV,

  chaincodeArgs(peerAddress: string, extraArgs: readonly string[] = []): string[] {
    const extra = extraArgs.map(shellQuote).join(' ');
    const script = `cd ${NODE_CODE_DIR} && npm start -- --peer.address ${shellQuote(peerAddress)}${extra ? ` ${extra}` : ''}`;
    return ['/bin/sh', '-c', script];
  },

  async plan(dir: string, options?: PlatformOptions): Promise<BuildPlan> {
    const baseImage = resolveBaseImages(options).node;
    // npm's rule: a directory's .npmignore replaces its .gitignore.
    const entries = await collectPackage(dir, { ignoreFiles: ['.npmignore', '.gitignore'], keepWhole: ['node_modules'] });
    const steps = await nodeBuildSteps(dir, entries, baseImage);
    const labels = fabricLabels('NODE');
    if (!steps.hasNodeModules) return { entries, dockerfile: nodeDockerfile(steps), labels, baseImages: [baseImage] };
    return {
      entries: entries.filter((e) => !isNodeDependency(e.path)),
      dockerfile: nodeDockerfile(steps),
      labels,
      baseImages: [],
      dependencies: {
        entries: entries.filter((e) => isNodeDependency(e.path)),
        archive: NODE_DEPENDENCIES_ARCHIVE,
        dockerfile: nodeDependenciesDockerfile(baseImage),
        labels: {},
        baseImages: [baseImage],
      },
    };
  },
};

/** Quotes for /bin/sh unless the word is plainly safe (peer addresses usually are). */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
