/**
 * A peer's installed chaincode packages (Fabric's core/chaincode/persistence `Store`): each package
 * file kept as `<label>.<sha256 hex>.tar.gz` under the peer's `lifecycle/chaincodes`, its ID
 * `<label>:<sha256 hex>`. Install parses the package as the peer does (a gzipped tar with
 * `metadata.json` and `code.tar.gz`) before keeping it; messages are Fabric's.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import * as tar from 'tar-stream';
import { validateLabel } from '../platforms/lifecyclePackage';

export interface InstalledPackage {
  readonly packageId: string;
  readonly label: string;
}

/** What a package says of itself (metadata.json). */
export interface PackageMetadata {
  readonly path: string;
  readonly type: string;
  readonly label: string;
}

/** A failure of InstallChaincode, worded as Fabric's lifecycle words it. */
export class InstallError extends Error {
  override readonly name = 'InstallError';
}

const PARSE = 'could not parse as a chaincode install package';

/** persistence.ChaincodePackageParser.Parse: the metadata of a lifecycle package, or InstallError. */
export async function parsePackage(bytes: Buffer): Promise<PackageMetadata> {
  let tarBytes: Buffer;
  try {
    tarBytes = gunzipSync(bytes);
  } catch (err) {
    throw new InstallError(`${PARSE}: error reading as gzip stream: ${(err as Error).message}`, { cause: err });
  }
  const entries = new Map<string, Buffer>();
  try {
    const extract = tar.extract();
    const done = new Promise<void>((resolve, reject) => {
      extract.on('entry', (header, stream, next) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: unknown) => {
          chunks.push(c as Buffer);
        });
        stream.on('end', () => {
          entries.set(header.name, Buffer.concat(chunks));
          next();
        });
        stream.on('error', reject);
      });
      extract.on('finish', resolve);
      extract.on('error', reject);
    });
    Readable.from([tarBytes]).pipe(extract);
    await done;
  } catch (err) {
    throw new InstallError(`${PARSE}: could not read Chaincode-Package tar: ${(err as Error).message}`, { cause: err });
  }
  const metadataJson = entries.get('metadata.json');
  if (!metadataJson) throw new InstallError(`${PARSE}: did not find any package metadata (missing metadata.json)`);
  if (!entries.has('code.tar.gz')) throw new InstallError(`${PARSE}: did not find a code package inside the package`);
  let metadata: PackageMetadata;
  try {
    const parsed = JSON.parse(metadataJson.toString('utf8')) as Partial<PackageMetadata>;
    metadata = { path: String(parsed.path ?? ''), type: String(parsed.type ?? ''), label: String(parsed.label ?? '') };
  } catch (err) {
    throw new InstallError(`${PARSE}: could not unmarshal metadata.json as json: ${(err as Error).message}`, { cause: err });
  }
  try {
    validateLabel(metadata.label);
  } catch (err) {
    throw new InstallError(`${PARSE}: ${(err as Error).message}`, { cause: err });
  }
  return metadata;
}

export class PackageStore {
  constructor(
    /** The peer's data directory; packages go under its lifecycle/chaincodes. */
    peerDataDir: string,
  ) {
    this.dir = path.join(peerDataDir, 'lifecycle', 'chaincodes');
  }

  private readonly dir: string;

  /** Keeps the package; a package already installed is Fabric's error, with its ID. */
  async install(bytes: Buffer): Promise<InstalledPackage> {
    const metadata = await parsePackage(bytes);
    const hash = createHash('sha256').update(bytes).digest('hex');
    const packageId = `${metadata.label}:${hash}`;
    const file = path.join(this.dir, `${metadata.label}.${hash}.tar.gz`);
    if (fs.existsSync(file)) throw new InstallError(`chaincode already successfully installed (package ID '${packageId}')`);
    await fs.promises.mkdir(this.dir, { recursive: true });
    // Written beside, then renamed: a crash never leaves half a package under its final name.
    const partial = `${file}.partial`;
    await fs.promises.writeFile(partial, bytes);
    await fs.promises.rename(partial, file);
    return { packageId, label: metadata.label };
  }

  /** Every installed package, by ID order. */
  async list(): Promise<InstalledPackage[]> {
    const names = await fs.promises.readdir(this.dir).catch(() => [] as string[]);
    return names
      .map((n) => /^(.+)\.([0-9a-f]{64})\.tar\.gz$/.exec(n))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({ packageId: `${m[1]}:${m[2]}`, label: m[1] }))
      .sort((a, b) => a.packageId.localeCompare(b.packageId));
  }

  /** The package file's bytes, or undefined when not installed. */
  async load(packageId: string): Promise<Buffer | undefined> {
    const m = /^(.+):([0-9a-f]{64})$/.exec(packageId);
    if (!m) return undefined;
    return fs.promises.readFile(path.join(this.dir, `${m[1]}.${m[2]}.tar.gz`)).catch(() => undefined);
  }
}
