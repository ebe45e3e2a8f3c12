/**
 * Go chaincode: a multi-stage build, as Fabric 2.x does with a builder container: compile a static
 * binary in the toolchain image (module mode; `-mod=vendor` when vendor/ is packaged), then copy it
 * into the small runtime image as /usr/local/bin/chaincode.
 */
import { collectPackage } from './packaging';
import { fabricLabels, resolveBaseImages, type BuildPlan, type Platform, type PlatformOptions } from './types';

export interface GolangBuildSteps {
  readonly builderImage: string;
  readonly runtimeImage: string;
  readonly vendored: boolean;
  readonly goProxy?: string;
}

export function golangDockerfile(steps: GolangBuildSteps): string {
  const env = [
    // CGO off gives a static binary that runs on any base (Fabric links statically with gcc instead).
    'CGO_ENABLED=0',
    `GOFLAGS=-mod=${steps.vendored ? 'vendor' : 'readonly'}`,
    // The image's own cache and GOPATH when it sets them (a warm cache saves the stdlib compile),
    // else somewhere writable: toolchain images may run as a user without a writable $HOME.
    'GOCACHE="${GOCACHE:-/tmp/go-cache}"',
    'GOPATH="${GOPATH:-/tmp/go}"',
    ...(steps.goProxy !== undefined ? [`GOPROXY=${steps.goProxy}`] : []),
  ];
  return [
    `FROM ${steps.builderImage} AS builder`,
    'COPY src/ /chaincode/input/src/',
    'WORKDIR /chaincode/input/src',
    `RUN ${env.join(' ')} go build -trimpath -o /chaincode/output/chaincode .`,
    `FROM ${steps.runtimeImage}`,
    'COPY --from=builder /chaincode/output/chaincode /usr/local/bin/chaincode',
    '',
  ].join('\n');
}

export const golangPlatform: Platform = {
  language: 'golang',

  chaincodeArgs(peerAddress: string, extraArgs: readonly string[] = []): string[] {
    // The v2 shim reads the address from this flag only (no CORE_PEER_ADDRESS fallback).
    return ['chaincode', `-peer.address=${peerAddress}`, ...extraArgs];
  },

  async plan(dir: string, options?: PlatformOptions): Promise<BuildPlan> {
    const base = resolveBaseImages(options);
    const entries = await collectPackage(dir, { ignoreFiles: ['.gitignore'] });
    const packaged = new Set(entries.map((e) => e.path));
    if (!packaged.has('go.mod')) throw new Error(`${dir} has no go.mod (or it is ignored): Go chaincode must be a module`);
    const steps: GolangBuildSteps = {
      builderImage: base.golang,
      runtimeImage: base.golangRuntime,
      vendored: packaged.has('vendor/modules.txt'),
      ...(options?.goProxy !== undefined ? { goProxy: options.goProxy } : {}),
    };
    return { entries, dockerfile: golangDockerfile(steps), labels: fabricLabels('GOLANG'), baseImages: [base.golang, base.golangRuntime] };
  },
};
