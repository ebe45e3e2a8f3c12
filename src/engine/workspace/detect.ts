/**
 * Finds chaincode in a folder tree, the way a developer would recognise it: a package.json that
 * depends on fabric-shim or fabric-contract-api; a go.mod that requires fabric-chaincode-go or
 * fabric-contract-api-go; a Maven or Gradle build that uses fabric-chaincode-shim. Also proposes a
 * chaincode name and version from what the folder declares. No vscode here: the CLI uses it too.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Language, SourceLanguage } from '../platforms/types';

export interface DetectedChaincode {
  /** Absolute path of the chaincode's folder (where package.json / go.mod / the build file is). */
  readonly folder: string;
  readonly language: Language;
  /** Node only: compiled from TypeScript (a tsconfig.json or a typescript dependency). */
  readonly typescript: boolean;
  /** Uses the contract API (fabric-contract-api, fabric-contract-api-go, or Java's contract classes). */
  readonly contractApi: boolean;
  /** A valid Fabric chaincode name derived from `declaredName` (see toChaincodeName). */
  readonly name: string;
  /** What the manifest (package.json's name, go.mod's module, the artifactId) or the folder calls it. */
  readonly declaredName: string;
  readonly version: string;
  /** Java only: which build tool. */
  readonly build?: 'maven' | 'gradle';
}

const SKIP = new Set(['node_modules', '.git', 'vendor', 'target', 'build', 'dist', 'out', '.gradle', '.vscode-e2e', '.chaincode']);

/**
 * Fabric's rules for chaincode names and versions: `ChaincodeNameRegExp` and `ChaincodeVersionRegExp`
 * in core/scc/lscc/lscc.go (checked against v1.4.12), which Fabric 2.x's _lifecycle
 * (core/chaincode/lifecycle) keeps in sync. A name that breaks them is refused by the peer.
 */
const CHAINCODE_NAME_RULE = /^[a-zA-Z0-9]+([-_][a-zA-Z0-9]+)*$/;
const CHAINCODE_VERSION_RULE = /^[A-Za-z0-9_.+-]+$/;

/**
 * A name that follows Fabric's rule, derived from what a manifest declares: the npm scope, a Go
 * major-version suffix and the module path are dropped; every run of other characters (`.`, `@`,
 * spaces…) becomes one `-`; leading and trailing separators go. `@org/my.cc` gives `my-cc`.
 */
export function toChaincodeName(raw: string): string {
  const base =
    raw
      .replace(/^@[^/]+\//, '')
      .replace(/\/v\d+$/, '')
      .split('/')
      .pop() ?? raw;
  const cleaned = base
    .replace(/[^a-zA-Z0-9_-]+/g, '-')
    .replace(/[-_]{2,}/g, '-')
    .replace(/^[-_]+|[-_]+$/g, '');
  return cleaned || 'chaincode';
}

export function isValidChaincodeName(name: string): boolean {
  return CHAINCODE_NAME_RULE.test(name);
}

export function isValidChaincodeVersion(version: string): boolean {
  return CHAINCODE_VERSION_RULE.test(version);
}

/** Why Fabric would refuse `name`, in LSCC's words (InvalidChaincodeNameErr, core/scc/lscc/errors.go); undefined when valid. */
export function chaincodeNameProblem(name: string): string | undefined {
  if (isValidChaincodeName(name)) return undefined;
  return `invalid chaincode name '${name}'. Names must start with an alphanumeric character and can only consist of alphanumerics, '_', and '-' (Fabric's rule ${CHAINCODE_NAME_RULE.source}: a '_' or '-' only between alphanumerics)`;
}

/** Why Fabric would refuse `version`, in LSCC's words (InvalidVersionErr, its double space included); undefined when valid. */
export function chaincodeVersionProblem(version: string): string | undefined {
  if (isValidChaincodeVersion(version)) return undefined;
  return `invalid chaincode version '${version}'. Versions must not be empty and can only consist of alphanumerics, '_',  '-', '+', and '.'`;
}

/** A folder that holds no chaincode the detector recognises; the message says what it found instead. */
export class NotChaincodeError extends Error {
  constructor(
    readonly folder: string,
    reason: string,
  ) {
    super(`${folder} is not a chaincode folder: ${reason}`);
    this.name = 'NotChaincodeError';
  }
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

interface PackageJson {
  name?: string;
  version?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

function readJson(file: string): PackageJson | undefined {
  const text = readText(file);
  if (text === undefined) return undefined;
  try {
    const parsed = JSON.parse(text) as unknown;
    return parsed && typeof parsed === 'object' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function detectNode(folder: string): DetectedChaincode | undefined {
  const pkg = readJson(path.join(folder, 'package.json'));
  if (pkg === undefined) return undefined;
  const deps = { ...(pkg.devDependencies ?? {}), ...(pkg.dependencies ?? {}) };
  const contractApi = 'fabric-contract-api' in (pkg.dependencies ?? {});
  if (!contractApi && !('fabric-shim' in (pkg.dependencies ?? {}))) return undefined;
  const typescript = fs.existsSync(path.join(folder, 'tsconfig.json')) || 'typescript' in deps;
  const version = pkg.version && isValidChaincodeVersion(pkg.version) ? pkg.version : '1.0';
  const declaredName = pkg.name || path.basename(folder);
  return { folder, language: 'node', typescript, contractApi, name: toChaincodeName(declaredName), declaredName, version };
}

function detectGo(folder: string): DetectedChaincode | undefined {
  const mod = readText(path.join(folder, 'go.mod'));
  if (mod === undefined) return undefined;
  const usesShim = /github\.com\/hyperledger\/fabric-chaincode-go/.test(mod);
  const contractApi = /github\.com\/hyperledger\/fabric-contract-api-go/.test(mod);
  if (!usesShim && !contractApi) return undefined;
  const declaredName = /^module\s+(\S+)/m.exec(mod)?.[1] ?? path.basename(folder);
  return { folder, language: 'golang', typescript: false, contractApi, name: toChaincodeName(declaredName), declaredName, version: '1.0' };
}

function detectJava(folder: string): DetectedChaincode | undefined {
  const pom = readText(path.join(folder, 'pom.xml'));
  const gradle = readText(path.join(folder, 'build.gradle')) ?? readText(path.join(folder, 'build.gradle.kts'));
  const text = pom ?? gradle;
  if (text === undefined || !/fabric-chaincode-shim/.test(text)) return undefined;
  let name = path.basename(folder);
  let version = '1.0';
  if (pom) {
    // the project's own artifactId/version: the first ones outside <parent> and <dependencies>
    const own = pom.replace(/<parent>[\s\S]*?<\/parent>/, '').replace(/<dependencies>[\s\S]*?<\/dependencies>/g, '');
    name = /<artifactId>\s*([^<\s]+)\s*<\/artifactId>/.exec(own)?.[1] ?? name;
    const v = /<version>\s*([^<\s]+)\s*<\/version>/.exec(own)?.[1];
    if (v && isValidChaincodeVersion(v) && !v.includes('$')) version = v;
  } else {
    const v = /^\s*version\s*=?\s*['"]([^'"]+)['"]/m.exec(gradle ?? '')?.[1];
    if (v && isValidChaincodeVersion(v)) version = v;
  }
  const contractApi = /fabric-chaincode-shim/.test(text) && /contract/i.test(readSources(folder));
  return { folder, language: 'java', typescript: false, contractApi, name: toChaincodeName(name), declaredName: name, version, build: pom ? 'maven' : 'gradle' };
}

/** Java contract chaincode imports org.hyperledger.fabric.contract; a quick look at the sources. */
function readSources(folder: string): string {
  const src = path.join(folder, 'src', 'main', 'java');
  const out: string[] = [];
  const walk = (dir: string, depth: number): void => {
    if (depth > 8 || out.length > 50) return;
    for (const e of safeReaddir(dir)) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full, depth + 1);
      else if (e.name.endsWith('.java'))
        out.push(
          readText(full)
            ?.match(/import\s+org\.hyperledger\.fabric\.contract[^;]*;/g)
            ?.join('\n') ?? '',
        );
    }
  };
  walk(src, 0);
  return out.join('\n');
}

function safeReaddir(dir: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

/** What the chaincode is written in: TypeScript is Node chaincode compiled first. */
export function sourceLanguageOf(cc: { readonly language: Language; readonly typescript?: boolean }): SourceLanguage {
  return cc.language === 'node' && cc.typescript ? 'typescript' : cc.language;
}

/** The chaincode whose manifest is directly in `folder`, if any. */
export function detectChaincode(folder: string): DetectedChaincode | undefined {
  const abs = path.resolve(folder);
  return detectNode(abs) ?? detectGo(abs) ?? detectJava(abs);
}

/** The chaincode whose manifest is directly in `folder`; a NotChaincodeError says what is there instead. */
export function requireChaincode(folder: string): DetectedChaincode {
  const abs = path.resolve(folder);
  if (!fs.existsSync(abs)) throw new NotChaincodeError(folder, 'no such folder');
  if (!fs.statSync(abs).isDirectory()) throw new NotChaincodeError(folder, 'it is a file, not a folder');
  return detectChaincode(abs) ?? notChaincode(folder, abs);
}

function notChaincode(folder: string, abs: string): never {
  const has = (file: string): boolean => fs.existsSync(path.join(abs, file));
  const found: string[] = [];
  if (has('package.json')) {
    found.push(
      readJson(path.join(abs, 'package.json')) === undefined
        ? 'its package.json is not valid JSON'
        : 'its package.json has neither fabric-contract-api nor fabric-shim in "dependencies"',
    );
  }
  if (has('go.mod')) found.push('its go.mod requires neither github.com/hyperledger/fabric-chaincode-go nor fabric-contract-api-go');
  const build = ['pom.xml', 'build.gradle', 'build.gradle.kts'].find(has);
  if (build) found.push(`its ${build} does not use fabric-chaincode-shim`);
  if (!found.length) found.push('it has no package.json, go.mod, pom.xml or build.gradle');
  throw new NotChaincodeError(
    folder,
    `${found.join('; ')}. Node chaincode depends on fabric-contract-api or fabric-shim, Go chaincode requires fabric-chaincode-go or fabric-contract-api-go, Java chaincode builds with fabric-chaincode-shim`,
  );
}

/** Every chaincode folder under `root` (root included), breadth-first, skipping dependency and build folders. */
export function detectChaincodeFolders(root: string, options: { maxDepth?: number } = {}): DetectedChaincode[] {
  const maxDepth = options.maxDepth ?? 4;
  const found: DetectedChaincode[] = [];
  let level = [path.resolve(root)];
  for (let depth = 0; depth <= maxDepth && level.length; depth++) {
    const next: string[] = [];
    for (const dir of level) {
      const cc = detectChaincode(dir);
      if (cc) found.push(cc);
      for (const e of safeReaddir(dir)) {
        if (e.isDirectory() && !SKIP.has(e.name) && !e.name.startsWith('.')) next.push(path.join(dir, e.name));
      }
    }
    level = next.sort();
  }
  return found;
}

/** The detected chaincode that contains `file` (the nearest enclosing chaincode folder). */
export function chaincodeContaining(file: string, stopAt?: string): DetectedChaincode | undefined {
  let dir = path.resolve(file);
  if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) dir = path.dirname(dir);
  const stop = stopAt ? path.resolve(stopAt) : path.parse(dir).root;
  for (;;) {
    const cc = detectChaincode(dir);
    if (cc) return cc;
    if (dir === stop || path.dirname(dir) === dir) return undefined;
    dir = path.dirname(dir);
  }
}
