/**
 * One module per chaincode language behind one interface (Fabric's `core/chaincode/platforms`):
 * what to package, the Dockerfile that turns it into a runnable image, and the process's argv.
 */
import type { PackageEntry } from './packaging';

/** The languages Fabric runs chaincode in: one platform each (Fabric's golang, node and java). */
export type Language = 'node' | 'golang' | 'java';

/** What a chaincode's source is written in: a Language, or TypeScript, which Fabric runs as Node. */
export type SourceLanguage = Language | 'typescript';

/**
 * Base images per language: the `chaincode.baseImage.*` settings (the CLI's `--base-image KEY=IMAGE`),
 * defaulting to Fabric's. Tests point them at local images.
 */
export interface BaseImages {
  /** Runs Node chaincode (and its npm install/build steps). */
  readonly node: string;
  /** Go toolchain image the binary is built in (Fabric's `chaincode.builder`). */
  readonly golang: string;
  /** Image the static Go binary runs in (Fabric's `chaincode.golang.runtime`). */
  readonly golangRuntime: string;
  /** Runs (and, without a prebuilt jar, builds) Java chaincode. */
  readonly java: string;
}

export const DEFAULT_BASE_IMAGES: BaseImages = {
  node: 'hyperledger/fabric-nodeenv:2.5',
  golang: 'hyperledger/fabric-ccenv:2.5',
  golangRuntime: 'hyperledger/fabric-baseos:2.5',
  java: 'hyperledger/fabric-javaenv:2.5',
};

export interface PlatformOptions {
  readonly baseImages?: Partial<BaseImages>;
  /** Go: GOPROXY for the in-image build (Fabric propagates the peer's); unset = the image's own. */
  readonly goProxy?: string;
}

/** Where the build context holds the code. */
export const CODE_CONTEXT_DIR = 'src';

/** One image's recipe: what its build context holds, and how the Dockerfile turns that into an image. */
export interface ImagePlan {
  /** Go in the build context under `src/`, or into `archive`. */
  readonly entries: readonly PackageEntry[];
  /**
   * Set: the entries go into the build context as one tar of this name, which the Dockerfile ADDs
   * (Docker unpacks it), as Fabric's `binpackage.tar`. Thousands of small files (node_modules) are
   * slow to send one by one: the daemon writes each to disk, then COPY writes each again.
   */
  readonly archive?: string;
  /**
   * Without a LABEL line: the builder appends one holding `labels` and the owner's, so that labels
   * cost one build step.
   */
  readonly dockerfile: string;
  /** The labels a Fabric user looks for (2.x `GenerateDockerfile`). */
  readonly labels: Readonly<Record<string, string>>;
  /** Every image the Dockerfile starts FROM (other than a dependencies image): part of the content hash. */
  readonly baseImages: readonly string[];
}

/** What goes into the image: the code's entries and the recipe. */
export interface BuildPlan extends ImagePlan {
  /**
   * Dependencies in an image of their own, which this one starts FROM (`ARG DEPENDENCIES_IMAGE`,
   * `FROM ${DEPENDENCIES_IMAGE}`): built once, so a code edit sends and copies only the code.
   */
  readonly dependencies?: ImagePlan;
}

export interface Platform {
  readonly language: Language;
  /** argv for the chaincode process in the image (Fabric's `GetArgs`). */
  chaincodeArgs(peerAddress: string, extraArgs?: readonly string[]): string[];
  /** Environment the process needs besides Fabric's (`GetEnv`), e.g. to start faster. */
  readonly processEnv?: Readonly<Record<string, string>>;
  plan(dir: string, options?: PlatformOptions): Promise<BuildPlan>;
}

export function resolveBaseImages(options?: PlatformOptions): BaseImages {
  return { ...DEFAULT_BASE_IMAGES, ...options?.baseImages };
}

/** The labels a Fabric user looks for (2.x `GenerateDockerfile`'s common tail). */
export function fabricLabels(fabricType: 'NODE' | 'GOLANG' | 'JAVA'): Record<string, string> {
  return { 'org.hyperledger.fabric.chaincode.type': fabricType, 'org.hyperledger.fabric.version': '2.5' };
}

/**
 * A Dockerfile with every label in one LABEL line (one build step, however many labels) right
 * after each FROM. Right after: the owner's labels then make every cached layer of the build this
 * chaincode's own. Removing a chaincode's old images also removes their untagged parent layers; a
 * layer shared with another chaincode (FROM base, WORKDIR…) could go while that chaincode's build
 * stands on it ("unknown parent image ID", seen on a fresh Docker engine). Values are quoted, with
 * `\`, `"` and `$` escaped: LABEL would expand variables.
 */
export function withLabels(dockerfile: string, labels: Readonly<Record<string, string>>): string {
  const pairs = Object.entries(labels).map(([key, value]) => `${key}="${value.replace(/[\\"$]/g, '\\$&').replace(/[\r\n]+/g, ' ')}"`);
  if (pairs.length === 0) return dockerfile;
  const label = `LABEL ${pairs.join(' ')}`;
  const lines = dockerfile.replace(/\n*$/, '').split('\n');
  return `${lines.flatMap((line) => (/^FROM\s/i.test(line) ? [line, label] : [line])).join('\n')}\n`;
}
