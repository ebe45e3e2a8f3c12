/**
 * The platforms' front door: pick the platform of a folder, and turn a folder into the image tag
 * plus the lazy builder that the container layer's StartRequest takes.
 */
import type { BuildContext, Builder } from '../container/types';
import { golangPlatform } from './golang';
import { javaPlatform } from './java';
import { nodePlatform } from './node';
import { packageDigest, packTar } from './packaging';
import type { ChaincodeLanguage, Platform, PlatformOptions } from './types';

export * from './types';
export { launchParameters, normaliseLogLevel, TLS_PATHS, type ChaincodeTLSMaterial, type LaunchParameterInput, type LaunchParameters } from './launchParameters';
export { nodePlatform, golangPlatform, javaPlatform };

/** Detection order: a Go or Java project may carry a package.json for tooling, not the reverse. */
const PLATFORMS: readonly Platform[] = [golangPlatform, javaPlatform, nodePlatform];

export function platformFor(language: ChaincodeLanguage): Platform {
  const platform = PLATFORMS.find((p) => p.language === language);
  if (!platform) throw new Error(`unsupported chaincode language: ${String(language)}`);
  return platform;
}

export async function detectPlatform(dir: string): Promise<Platform | undefined> {
  for (const platform of PLATFORMS) {
    if (await platform.detect(dir)) return platform;
  }
  return undefined;
}

export interface PreparedBuild {
  readonly language: ChaincodeLanguage;
  /** Content hash of code + Dockerfile + base images: the image tag. */
  readonly imageTag: string;
  readonly dockerfile: string;
  readonly fileCount: number;
  readonly totalBytes: number;
  /** Streams the build context; the content is checked against `imageTag` while it is read. */
  readonly builder: Builder;
}

/**
 * Reads and hashes the folder (cheap next to a build, and the only way to know whether the image
 * is current); packing the tar is left to the builder, which runs only when the image is missing.
 */
export async function prepareBuild(platform: Platform, dir: string, options?: PlatformOptions): Promise<PreparedBuild> {
  const plan = await platform.plan(dir, options);
  const place = plan.contextPath ?? ((p: string) => `src/${p}`);
  // Hash exactly what the tar will hold: the context paths are part of the recipe.
  const entries = plan.entries
    .map((e) => ({ ...e, path: place(e.path) }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const imageTag = packageDigest(entries, {
    dockerfile: plan.dockerfile,
    baseImages: plan.baseImages.join('\n'),
  });
  return {
    language: platform.language,
    imageTag,
    dockerfile: plan.dockerfile,
    fileCount: plan.entries.filter((e) => e.type === 'file').length,
    totalBytes: plan.entries.reduce((sum, e) => sum + e.size, 0),
    builder: async (): Promise<BuildContext> => ({
      recipeHash: imageTag,
      stream: packTar(entries, [{ name: 'Dockerfile', content: plan.dockerfile }]),
    }),
  };
}

/** The build context in one step (what Fabric's `GenerateDockerBuild` returns). */
export async function buildContext(platform: Platform, dir: string, options?: PlatformOptions): Promise<BuildContext> {
  return (await prepareBuild(platform, dir, options)).builder();
}
