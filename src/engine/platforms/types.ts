/**
 * One module per chaincode language behind one interface (Fabric's `core/chaincode/platforms`):
 * what to package, the Dockerfile that turns it into a runnable image, and the process's argv.
 */
import type { PackageEntry } from './packaging';

export type ChaincodeLanguage = 'node' | 'golang' | 'java';

/** Base images per language: settings, defaulting to Fabric's. Tests point them at local images. */
export interface BaseImages {
  /** Runs Node chaincode (and its npm install/build steps). */
  readonly node: string;
  /** Go toolchain image the binary is built in (Fabric's `chaincode.builder`). */
  readonly golangBuilder: string;
  /** Image the static Go binary runs in (Fabric's `chaincode.golang.runtime`). */
  readonly golangRuntime: string;
  /** Runs (and, without a prebuilt jar, builds) Java chaincode. */
  readonly java: string;
}

export const DEFAULT_BASE_IMAGES: BaseImages = {
  node: 'hyperledger/fabric-nodeenv:2.5',
  golangBuilder: 'hyperledger/fabric-ccenv:2.5',
  golangRuntime: 'hyperledger/fabric-baseos:2.5',
  java: 'hyperledger/fabric-javaenv:2.5',
};

export interface PlatformOptions {
  readonly baseImages?: Partial<BaseImages>;
  /** Go: GOPROXY for the in-image build (Fabric propagates the peer's); unset = the image's own. */
  readonly goProxy?: string;
}

/** What goes into the image: the code's entries and the recipe. */
export interface BuildPlan {
  readonly entries: readonly PackageEntry[];
  /**
   * Where an entry goes in the build context; default `src/<path>`. Lets a Dockerfile COPY parts
   * separately (e.g. dependencies in a layer of their own, cached across code edits).
   */
  readonly contextPath?: (entryPath: string) => string;
  readonly dockerfile: string;
  /** Every image the Dockerfile starts FROM: part of the content hash. */
  readonly baseImages: readonly string[];
}

export interface Platform {
  readonly language: ChaincodeLanguage;
  /** Does this folder hold chaincode of this language? */
  detect(dir: string): Promise<boolean>;
  /** argv for the chaincode process in the image (Fabric's `GetArgs`). */
  chaincodeArgs(peerAddress: string, extraArgs?: readonly string[]): string[];
  plan(dir: string, options?: PlatformOptions): Promise<BuildPlan>;
}

export function resolveBaseImages(options?: PlatformOptions): BaseImages {
  return { ...DEFAULT_BASE_IMAGES, ...options?.baseImages };
}

/** The common Dockerfile tail: labels a Fabric user looks for (2.x `GenerateDockerfile`). */
export function dockerfileLabels(fabricType: 'NODE' | 'GOLANG' | 'JAVA'): string {
  return `LABEL org.hyperledger.fabric.chaincode.type="${fabricType}" org.hyperledger.fabric.version="2.5"`;
}
