/**
 * Installs Delve as `.ci/fixtures.sh delve` does, into a folder of the extension's own (so no PATH or
 * GOPATH changes): `go install github.com/go-delve/delve/cmd/dlv@VERSION` with GOBIN set, from the Go
 * module proxy the user's Go is set up with. No vscode here.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { ToolStep } from '../../../engine/scaffold/languages';
import { runTool, ToolRunOptions } from '../../../engine/scaffold/toolRun';
import { DELVE_PACKAGE, DELVE_VERSION } from './discovery';

/** The command that installs the pinned Delve into `gobin`, with `go` (default: the one on PATH). */
export function delveInstallStep(gobin: string, go = 'go'): ToolStep {
  return { command: go, args: ['install', `${DELVE_PACKAGE}@${DELVE_VERSION}`], env: { GOBIN: gobin } };
}

/** Installs Delve into `gobin`; resolves with the path of the installed `dlv`. Rejects with ToolFailedError or ToolCancelledError. */
export async function installDelve(gobin: string, go: string, options: ToolRunOptions = {}): Promise<string> {
  fs.mkdirSync(gobin, { recursive: true });
  await runTool(delveInstallStep(gobin, go), gobin, options);
  return path.join(gobin, process.platform === 'win32' ? 'dlv.exe' : 'dlv');
}
