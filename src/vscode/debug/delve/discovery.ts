/**
 * Where Delve (`dlv`) is: the `chaincode.go.delvePath` setting when set, else the first of `dlv` on
 * PATH, in GOBIN or GOPATH/bin (where `go install` puts it), in the extension's own tools folder
 * (where "Install Delve" puts it) and in the repository's `.cache/go-tools` (where `.ci/fixtures.sh
 * delve` puts it for the tests); and the Go toolchain Delve builds with. No vscode here: unit-tested
 * outside VS Code.
 */
import * as os from 'os';
import * as path from 'path';
import { isExecutableFile, onPath } from '../../../engine/util/executables';

export { locateGo, withFolderOnPath } from '../../../engine/util/executables';

/** The Delve the project installs and tests with (`.ci/fixtures.sh` pins the same version). */
export const DELVE_VERSION = 'v1.27.2';
export const DELVE_PACKAGE = 'github.com/go-delve/delve/cmd/dlv';
export const DELVE_SETTING = 'chaincode.go.delvePath';

/** Where a `dlv` was found. */
export type DelveSource = 'setting' | 'PATH' | 'GOBIN' | 'GOPATH' | 'extension' | 'repository';

export interface LocatedDelve {
  readonly path: string;
  readonly source: DelveSource;
}

export interface DelveSearch {
  /** The setting's value ('' or undefined: search). `~/` is the home folder. */
  readonly setting?: string;
  /** The environment to search (PATH, GOBIN, GOPATH). */
  readonly env: NodeJS.ProcessEnv;
  /** The folder "Install Delve" installs into (the extension's global storage). */
  readonly extensionTools?: string;
  /** The extension's folder: its `.cache/go-tools` holds the Delve CI installed. */
  readonly extensionPath?: string;
  readonly home?: string;
}

/** No usable `dlv`: `searched` lists where it was looked for, for the message. */
export class DelveNotFoundError extends Error {
  override readonly name = 'DelveNotFoundError';
  constructor(
    readonly searched: readonly string[],
    /** The setting names a file that is not an executable: the fix is the setting, not an install. */
    readonly badSetting?: string,
  ) {
    super(
      badSetting !== undefined
        ? `${DELVE_SETTING} is "${badSetting}", which is not an executable file: point it at dlv, or clear it to look for dlv on PATH.`
        : `Debugging Go chaincode needs Delve (dlv), which was not found (looked on PATH and in ${searched.filter((s) => s !== 'PATH').join(', ')}). ` +
            `Install it with \`go install ${DELVE_PACKAGE}@${DELVE_VERSION}\`, or set ${DELVE_SETTING}.`,
    );
  }
}

const EXE = process.platform === 'win32' ? 'dlv.exe' : 'dlv';

/** The tools folder under the repository (or an installed extension's folder) that CI fills. */
export function repositoryToolsFolder(root: string): string {
  return path.join(root, '.cache', 'go-tools');
}

/** The folders searched after PATH, in order, with what each is. */
export function delveFolders(search: DelveSearch): { readonly dir: string; readonly source: DelveSource }[] {
  const home = search.home ?? os.homedir();
  const gopath = (search.env.GOPATH ?? '').split(path.delimiter).find((p) => p) ?? path.join(home, 'go');
  const dirs: { dir: string; source: DelveSource }[] = [];
  if (search.env.GOBIN) dirs.push({ dir: search.env.GOBIN, source: 'GOBIN' });
  dirs.push({ dir: path.join(gopath, 'bin'), source: 'GOPATH' });
  if (search.extensionTools) dirs.push({ dir: search.extensionTools, source: 'extension' });
  if (search.extensionPath) dirs.push({ dir: repositoryToolsFolder(search.extensionPath), source: 'repository' });
  return dirs;
}

/** The `dlv` to run; throws DelveNotFoundError with where it looked. */
export function locateDelve(search: DelveSearch): LocatedDelve {
  const setting = search.setting?.trim();
  if (setting) {
    const file = setting.startsWith('~/') ? path.join(search.home ?? os.homedir(), setting.slice(2)) : setting;
    // A bare name ("dlv-1.27") is looked up on PATH, as a shell would.
    const found = file.includes('/') || file.includes(path.sep) ? (isExecutableFile(file) ? path.resolve(file) : undefined) : onPath(file, search.env.PATH);
    if (!found) throw new DelveNotFoundError([setting], setting);
    return { path: found, source: 'setting' };
  }
  const fromPath = onPath(EXE, search.env.PATH);
  if (fromPath) return { path: fromPath, source: 'PATH' };
  const folders = delveFolders(search);
  for (const { dir, source } of folders) {
    const file = path.join(dir, EXE);
    if (isExecutableFile(file)) return { path: file, source };
  }
  throw new DelveNotFoundError(['PATH', ...folders.map((f) => f.dir)]);
}
