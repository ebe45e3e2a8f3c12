/**
 * Chaincode packages a real Fabric peer installs, in the lifecycle format `peer lifecycle chaincode
 * package` writes (`internal/peer/lifecycle/chaincode/package.go`): a gzipped tar of two entries,
 * each with a bare header (name, size, mode 0100644, every other field zero), `metadata.json`
 * (`{"path":…,"type":…,"label":…}`, in that order) then `code.tar.gz`, the platform's payload
 * (`fabricPayload.ts`). A chaincode-as-a-service package is written as fabric-samples write one:
 * metadata `{"type":"ccaas","label":…}` and a `code.tar.gz` holding `connection.json` (and the
 * folder's META-INF, which Fabric's ccaas builder passes on).
 *
 * The package ID is `peer lifecycle chaincode calculatepackageid`'s: `<label>:<sha256 hex of the
 * file>`. The tar layers are byte for byte what Go writes; gzip's are deterministic (same input,
 * same bytes, same ID) but not Go's: its deflate differs from zlib's, so the file's hash (and the
 * ID) differs from the one `peer` would compute for the same folder. Peers accept any gzip.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Language } from './types';
import { detectChaincode } from '../workspace/detect';
import { connectionJson, type CcaasConnection } from './ccaasConnection';
import { deploymentPayload, metadataPayload } from './fabricPayload';
import { goTar, type GoTarEntry } from './goTar';
import { goModulePath, prepareNodeSources, vendorGoModules } from './packageSources';

export type PackageType = Language | 'ccaas';

/** What the peer's `metadata.json` type is for each language (`peer … package --lang`, lowercased). */
const METADATA_TYPE: Readonly<Record<Language, PackageType>> = { node: 'node', golang: 'golang', java: 'java' };

/** Fabric's `persistence.LabelRegexp` ([[:alnum:]] is ASCII in Go's regexp). */
const LABEL = /^[A-Za-z0-9][A-Za-z0-9_.+-]*$/;

const ENTRY_MODE = 0o100644;

export class PackageError extends Error {
  override readonly name = 'PackageError';
}

interface CommonRequest {
  /** The chaincode's folder. */
  readonly folder: string;
  /** Default `<name>_<version>` from what the folder declares. */
  readonly label?: string;
  /** Absolute paths left out (the package file, when it is written into the folder). */
  readonly skip?: readonly string[];
  readonly signal?: AbortSignal;
  readonly onProgress?: (step: string) => void;
}

export interface CodePackageRequest extends CommonRequest {
  readonly type?: 'code';
  /**
   * metadata.json's path. Fabric writes the `--path` given (Node, Java) or the Go package path
   * (the module's, from go.mod, whatever is given here): default the folder as given.
   */
  readonly metadataPath?: string;
  /** TypeScript: `npm run build` first (the peer does not build); default true. */
  readonly build?: boolean;
  /** Go: vendor the module's dependencies into the package; default true. */
  readonly vendor?: boolean;
}

export interface CcaasPackageRequest extends CommonRequest {
  readonly type: 'ccaas';
  readonly connection: CcaasConnection;
}

export type PackageRequest = CodePackageRequest | CcaasPackageRequest;

export interface LifecyclePackage {
  readonly label: string;
  readonly type: PackageType;
  /** `<label>:<sha256 hex of bytes>`. */
  readonly packageId: string;
  /** The package file's content. */
  readonly bytes: Buffer;
  /** metadata.json, as written. */
  readonly metadata: string;
  /** The names in code.tar.gz, in order. */
  readonly codeEntries: readonly string[];
}

/** Fabric's `persistence.ValidateLabel`, with its message. */
export function validateLabel(label: string): void {
  if (!LABEL.test(label)) {
    throw new PackageError(`invalid label '${label}'. Label must be non-empty, can only consist of alphanumerics, symbols from '.+-_', and can only begin with alphanumerics`);
  }
}

/** `peer lifecycle chaincode calculatepackageid`: the label and the file's SHA-256. */
export function packageId(label: string, bytes: Buffer): string {
  return `${label}:${createHash('sha256').update(bytes).digest('hex')}`;
}

/**
 * The package, in memory. Everything is checked (a chaincode folder, the label, the platform's
 * needs, the metadata files) before anything is written; only a TypeScript build writes, into
 * the folder's own output, as `npm run build` does.
 */
export async function createLifecyclePackage(request: PackageRequest): Promise<LifecyclePackage> {
  const folder = path.resolve(request.folder);
  if (
    !(await stat(folder).then(
      (s) => s.isDirectory(),
      () => false,
    ))
  )
    throw new PackageError(`${request.folder} is not a folder`);
  const chaincode = detectChaincode(folder);
  if (!chaincode) {
    throw new PackageError(
      `${request.folder} is not a chaincode folder: it has no package.json depending on fabric-shim or fabric-contract-api, ` +
        'no go.mod requiring fabric-chaincode-go or fabric-contract-api-go, and no pom.xml or build.gradle using fabric-chaincode-shim',
    );
  }
  const label = request.label ?? `${chaincode.name}_${chaincode.version}`;
  validateLabel(label);
  const skip = request.skip ?? [];

  if (request.type === 'ccaas') {
    const connection = connectionJson(request.connection);
    // Only the folder's metadata (its CouchDB indexes) travels with the connection.
    const metadataFiles = await metadataPayload(folder);
    const code: GoTarEntry[] = [{ name: 'connection.json', mode: ENTRY_MODE, body: connection }, ...metadataFiles.map((e) => ({ ...e, uid: 0, gid: 0 }))];
    return assemble(label, 'ccaas', JSON.stringify({ type: 'ccaas', label }), code);
  }

  let metadataPath = request.metadataPath ?? request.folder;
  let vendorDir: string | undefined;
  let cleanup = async (): Promise<void> => undefined;
  if (chaincode.language === 'node') {
    await prepareNodeSources(folder, { typescript: chaincode.typescript, build: request.build, signal: request.signal, onProgress: request.onProgress });
  } else if (chaincode.language === 'golang') {
    metadataPath = await goModulePath(folder);
    if (request.vendor !== false) {
      const vendored = await vendorGoModules(folder, { signal: request.signal, onProgress: request.onProgress });
      vendorDir = vendored?.dir;
      if (vendored) cleanup = vendored.remove;
    }
  }
  try {
    request.onProgress?.('packaging');
    const code = await deploymentPayload(chaincode.language, folder, { skip, ...(vendorDir !== undefined ? { vendorDir } : {}) });
    const type = METADATA_TYPE[chaincode.language];
    return assemble(label, type, goJson({ path: metadataPath, type, label }), code);
  } finally {
    await cleanup();
  }
}

function assemble(label: string, type: PackageType, metadata: string, code: readonly GoTarEntry[]): LifecyclePackage {
  const codeTarGz = gzipSync(goTar(code));
  const bytes = gzipSync(
    goTar([
      { name: 'metadata.json', mode: ENTRY_MODE, body: Buffer.from(metadata) },
      { name: 'code.tar.gz', mode: ENTRY_MODE, body: codeTarGz },
    ]),
  );
  return { label, type, packageId: packageId(label, bytes), bytes, metadata, codeEntries: code.map((e) => e.name) };
}

/** Go's `json.Marshal` of a struct of strings: compact, with <, >, & and U+2028/9 escaped. */
function goJson(fields: Readonly<Record<string, string>>): string {
  return JSON.stringify(fields).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Writes the file whole or not at all (a temporary file renamed into place). */
export async function writeLifecyclePackage(pkg: LifecyclePackage, file: string): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  const temp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, pkg.bytes);
    await rename(temp, file);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
}

/**
 * Where a package goes unless told: `<label>.tar.gz` in `cwd`, or beside the chaincode folder
 * when `cwd` is inside it (a package in the folder would be part of the folder).
 */
export function defaultPackageFile(folder: string, label: string, cwd: string): string {
  const root = path.resolve(folder);
  const here = path.resolve(cwd);
  const inside = here === root || here.startsWith(`${root}${path.sep}`);
  return path.join(inside ? path.dirname(root) : here, `${label}.tar.gz`);
}
