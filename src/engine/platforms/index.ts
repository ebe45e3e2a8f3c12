/**
 * The platforms' front door: a language's platform, and a folder turned into the image tag plus
 * the lazy builder that the container layer's StartRequest takes.
 */
import type { BuildContext, Builder, BuildRequest } from '../container/types';
import { packageDigest, packTar, tarBuffer } from './packaging';
import { CODE_CONTEXT_DIR, withLabels, type ImagePlan, type Language, type Platform, type PlatformOptions } from './types';

export * from './types';
export { launchParameters, normaliseLogLevel, TLS_PATHS, type ChaincodeTLSMaterial, type LaunchParameterInput, type LaunchParameters } from './launchParameters';
export { platformFor } from './table';
export { golangPlatform } from './golang';
export { javaPlatform } from './java';
export { nodePlatform } from './node';

export interface PreparedImage {
  /** Content hash of what goes in (code, Dockerfile, labels, base images…): the image tag. */
  readonly imageTag: string;
  /** As the context holds it, before the owner's labels join the LABEL line. */
  readonly dockerfile: string;
  /** Streams the build context; the content is checked against `imageTag` while it is read. */
  readonly builder: Builder;
}

export interface PreparedBuild extends PreparedImage {
  readonly language: Language;
  /** Everything packaged, dependencies included. */
  readonly fileCount: number;
  readonly totalBytes: number;
  /** The image this one starts FROM; its tag is part of `imageTag`. */
  readonly dependencies?: PreparedImage;
}

/**
 * Reads and hashes the folder (cheap next to a build, and the only way to know whether the image
 * is current); packing the tar is left to the builder, which runs only when the image is missing.
 */
export async function prepareBuild(platform: Platform, dir: string, options?: PlatformOptions): Promise<PreparedBuild> {
  const plan = await platform.plan(dir, options);
  const dependencies = plan.dependencies ? prepareImage(plan.dependencies, {}) : undefined;
  const image = prepareImage(plan, dependencies ? { dependencies: dependencies.imageTag } : {});
  const packaged = [...plan.entries, ...(plan.dependencies?.entries ?? [])];
  return {
    ...image,
    language: platform.language,
    fileCount: packaged.filter((e) => e.type === 'file').length,
    totalBytes: packaged.reduce((sum, e) => sum + e.size, 0),
    ...(dependencies ? { dependencies } : {}),
  };
}

/** One image's tag and lazy builder; its entries go under `src/` in the build context, or into its archive. */
function prepareImage(plan: ImagePlan, recipe: Readonly<Record<string, string>>): PreparedImage {
  // Hash exactly what the tar will hold: the paths in the context (or the archive) are part of the recipe.
  const entries = plan.entries
    .map((e) => (plan.archive === undefined ? { ...e, path: `${CODE_CONTEXT_DIR}/${e.path}` } : e))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const dockerfile = withLabels(plan.dockerfile, plan.labels);
  const imageTag = packageDigest(entries, {
    ...recipe,
    ...(plan.archive !== undefined ? { archive: plan.archive } : {}),
    dockerfile,
    baseImages: plan.baseImages.join('\n'),
  });
  return {
    imageTag,
    dockerfile,
    builder: async (request?: BuildRequest): Promise<BuildContext> => {
      const file = { name: 'Dockerfile', content: withLabels(plan.dockerfile, { ...plan.labels, ...request?.labels }) };
      if (plan.archive === undefined) return { recipeHash: imageTag, stream: packTar(entries, [file]) };
      const archive = { name: plan.archive, content: await tarBuffer(entries) };
      return { recipeHash: imageTag, stream: packTar([], [file, archive]) };
    },
  };
}
