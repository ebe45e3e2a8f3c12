/**
 * What a chaincode folder must hold before Fabric's packaging of it can run on a peer, and the
 * steps that make it so. Fabric packages a folder as it is; the peer's builders then only install
 * and compile what they find:
 * - Node (the `fabric-nodeenv` builder): `npm ci`/`npm install` of the production dependencies,
 *   then `npm start`. No build step: a TypeScript chaincode's compiled output must be in the
 *   package (fabric-samples run `npm run build` before packaging), so it is built here first.
 * - Go (the `fabric-ccenv` builder): `go build` of the package path in metadata.json, with
 *   `-mod=vendor` when `vendor/` is packaged, else downloading modules from the peer's network.
 *   Dependencies are vendored into the package (not into the folder), as fabric-samples do
 *   before packaging, so the peer needs no module proxy.
 */
import { execFile } from 'node:child_process';
import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export class PackageSourceError extends Error {
  override readonly name = 'PackageSourceError';
}

interface PackageJson {
  main?: unknown;
  scripts?: Record<string, unknown>;
}

export interface NodeSourceOptions {
  readonly typescript: boolean;
  /** Run `npm run build` first (TypeScript with a build script); default true. */
  readonly build?: boolean;
  readonly signal?: AbortSignal;
  readonly onProgress?: (step: string) => void;
}

/**
 * Builds a TypeScript chaincode (when asked), then checks what the peer will run: `npm start`
 * (a start script, or npm's default `node server.js`) and the package's entry point.
 */
export async function prepareNodeSources(folder: string, options: NodeSourceOptions): Promise<void> {
  const pkg = await readPackageJson(folder);
  const buildScript = typeof pkg.scripts?.['build'] === 'string';
  if (options.typescript && buildScript && options.build !== false) {
    options.onProgress?.('building (npm run build)');
    await runTool('npm', ['run', 'build'], folder, 'npm run build', options.signal);
  }
  if (typeof pkg.scripts?.['start'] !== 'string' && !(await exists(path.join(folder, 'server.js')))) {
    throw new PackageSourceError(
      `${path.join(folder, 'package.json')} has no start script: a peer starts Node chaincode with npm start; add "start": "fabric-chaincode-node start"`,
    );
  }
  const main = path.posix.normalize(typeof pkg.main === 'string' && pkg.main !== '' ? pkg.main : 'index.js');
  const candidates = [main, `${main}.js`, `${main}/index.js`];
  for (const candidate of candidates) {
    if (await exists(path.join(folder, candidate))) return;
  }
  const hint = options.typescript ? (buildScript ? 'build it (npm run build)' : 'compile it (add a build script)') : 'create it or fix "main"';
  throw new PackageSourceError(`${main}, package.json's main, is missing in ${folder}: the peer would have nothing to run; ${hint}, then package again`);
}

async function readPackageJson(folder: string): Promise<PackageJson> {
  const file = path.join(folder, 'package.json');
  try {
    return JSON.parse(await readFile(file, 'utf8')) as PackageJson;
  } catch (err) {
    throw new PackageSourceError(`cannot read ${file}: ${(err as Error).message}`, { cause: err });
  }
}

/** The `module` line of go.mod: the package path metadata.json names for a module (Fabric's `NormalizePath`). */
export async function goModulePath(folder: string): Promise<string> {
  const mod = await readFile(path.join(folder, 'go.mod'), 'utf8');
  const name = /^\s*module\s+("?)([^\s"]+)\1\s*$/m.exec(mod)?.[2];
  if (!name) throw new PackageSourceError(`${path.join(folder, 'go.mod')} has no module line: Fabric packages Go chaincode as a module`);
  return name;
}

/** A module's dependencies, vendored outside the folder; `remove` deletes them when packaged. */
export interface VendoredModules {
  readonly dir: string;
  readonly remove: () => Promise<void>;
}

/**
 * `go mod vendor -o <temporary folder>`, unless the module vendors already (its `vendor/` is then
 * packaged as it is) or requires nothing. Undefined when there is nothing to add.
 */
export async function vendorGoModules(folder: string, options: { signal?: AbortSignal; onProgress?: (step: string) => void } = {}): Promise<VendoredModules | undefined> {
  if (await exists(path.join(folder, 'vendor', 'modules.txt'))) return undefined;
  const mod = await readFile(path.join(folder, 'go.mod'), 'utf8');
  if (!/^\s*require\b/m.test(mod)) return undefined;
  options.onProgress?.('vendoring Go modules (go mod vendor)');
  const parent = await mkdtemp(path.join(os.tmpdir(), 'ccl-vendor-'));
  const remove = (): Promise<void> => rm(parent, { recursive: true, force: true });
  const dir = path.join(parent, 'vendor');
  try {
    // GOWORK=off: a go.work above the folder would vendor the workspace, not this module. GOFLAGS
    // cleared: a -mod=vendor from the user's environment would refuse to vendor.
    await runTool(
      'go',
      ['mod', 'vendor', '-o', dir],
      folder,
      'go mod vendor',
      options.signal,
      { GOWORK: 'off', GOFLAGS: '' },
      'install Go, or package without vendoring (the peer then downloads the modules)',
    );
  } catch (err) {
    await remove();
    throw err;
  }
  return { dir, remove };
}

async function runTool(command: string, args: string[], cwd: string, what: string, signal?: AbortSignal, env: Record<string, string> = {}, missingHint?: string): Promise<void> {
  try {
    await run(command, args, { cwd, signal, env: { ...process.env, ...env }, maxBuffer: 16 * 1024 * 1024 });
  } catch (err) {
    const failure = err as NodeJS.ErrnoException & { stdout?: string; stderr?: string };
    if (failure.code === 'ENOENT') throw new PackageSourceError(`${what} needs ${command}, which is not on the PATH${missingHint ? `: ${missingHint}` : ''}`, { cause: err });
    if (signal?.aborted) throw err;
    const output = `${failure.stdout ?? ''}${failure.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
    throw new PackageSourceError(`${what} failed in ${cwd}${output ? `:\n${output}` : ''}`, { cause: err });
  }
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}
