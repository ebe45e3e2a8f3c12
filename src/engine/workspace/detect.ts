/**
 * Finds chaincode in a folder tree, the way a developer would recognise it: a package.json that
 * depends on fabric-shim or fabric-contract-api; a go.mod that requires fabric-chaincode-go or
 * fabric-contract-api-go; a Maven or Gradle build that uses fabric-chaincode-shim. Also proposes a
 * chaincode name and version from what the folder declares. No vscode here: the CLI uses it too.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Language } from '../config';

export interface DetectedChaincode {
  /** Absolute path of the chaincode's folder (where package.json / go.mod / the build file is). */
  readonly folder: string;
  readonly language: Language;
  /** Node only: compiled from TypeScript (a tsconfig.json or a typescript dependency). */
  readonly typescript: boolean;
  /** Uses the contract API (fabric-contract-api, fabric-contract-api-go, or Java's contract classes). */
  readonly contractApi: boolean;
  /** A valid Fabric chaincode name proposed from the manifest or the folder name. */
  readonly name: string;
  readonly version: string;
  /** Java only: which build tool. */
  readonly build?: 'maven' | 'gradle';
}

const SKIP = new Set(['node_modules', '.git', 'vendor', 'target', 'build', 'dist', 'out', '.gradle', '.vscode-e2e', '.chaincode']);

/** Fabric's chaincode name rule: ^[a-zA-Z0-9]+([-_][a-zA-Z0-9]+)*$ */
export function toChaincodeName(raw: string): string {
  const base = raw.replace(/^@[^/]+\//, '').replace(/\/v\d+$/, '').split('/').pop() ?? raw;
  const cleaned = base.replace(/[^a-zA-Z0-9_-]+/g, '-').replace(/[-_]{2,}/g, '-').replace(/^[-_]+|[-_]+$/g, '');
  return cleaned || 'chaincode';
}

export function isValidChaincodeName(name: string): boolean {
  return /^[a-zA-Z0-9]+([-_][a-zA-Z0-9]+)*$/.test(name);
}

/** Fabric's version rule: ^[A-Za-z0-9_.+-]+$ */
export function isValidChaincodeVersion(version: string): boolean {
  return /^[A-Za-z0-9_.+-]+$/.test(version);
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

function detectNode(folder: string): DetectedChaincode | undefined {
  const text = readText(path.join(folder, 'package.json'));
  if (text === undefined) return undefined;
  let pkg: PackageJson;
  try {
    pkg = JSON.parse(text) as PackageJson;
  } catch {
    return undefined;
  }
  const deps = { ...(pkg.devDependencies ?? {}), ...(pkg.dependencies ?? {}) };
  const contractApi = 'fabric-contract-api' in (pkg.dependencies ?? {});
  if (!contractApi && !('fabric-shim' in (pkg.dependencies ?? {}))) return undefined;
  const typescript = fs.existsSync(path.join(folder, 'tsconfig.json')) || 'typescript' in deps;
  const version = pkg.version && isValidChaincodeVersion(pkg.version) ? pkg.version : '1.0';
  return { folder, language: 'node', typescript, contractApi, name: toChaincodeName(pkg.name || path.basename(folder)), version };
}

function detectGo(folder: string): DetectedChaincode | undefined {
  const mod = readText(path.join(folder, 'go.mod'));
  if (mod === undefined) return undefined;
  const usesShim = /github\.com\/hyperledger\/fabric-chaincode-go/.test(mod);
  const contractApi = /github\.com\/hyperledger\/fabric-contract-api-go/.test(mod);
  if (!usesShim && !contractApi) return undefined;
  const module = /^module\s+(\S+)/m.exec(mod)?.[1];
  return { folder, language: 'golang', typescript: false, contractApi, name: toChaincodeName(module ?? path.basename(folder)), version: '1.0' };
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
  return { folder, language: 'java', typescript: false, contractApi, name: toChaincodeName(name), version, build: pom ? 'maven' : 'gradle' };
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
      else if (e.name.endsWith('.java')) out.push(readText(full)?.match(/import\s+org\.hyperledger\.fabric\.contract[^;]*;/g)?.join('\n') ?? '');
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

/** The chaincode whose manifest is directly in `folder`, if any. */
export function detectChaincode(folder: string): DetectedChaincode | undefined {
  const abs = path.resolve(folder);
  return detectNode(abs) ?? detectGo(abs) ?? detectJava(abs);
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
