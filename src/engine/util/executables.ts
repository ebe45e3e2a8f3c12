/**
 * Finding programs: on a search path, or (for the Go toolchain) where its installer puts it, since an
 * editor started from a desktop often has a shorter PATH than a terminal. Used by the dev-mode
 * process runtime and the editor's Delve discovery alike.
 */
import * as fs from 'fs';
import * as path from 'path';

/** A regular file we may execute. */
export function isExecutableFile(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The absolute path of `command` on `searchPath`, or undefined. */
export function onPath(command: string, searchPath: string | undefined): string | undefined {
  for (const dir of (searchPath ?? '').split(path.delimiter)) {
    if (dir && isExecutableFile(path.join(dir, command))) return path.join(dir, command);
  }
  return undefined;
}

/**
 * The Go toolchain Delve builds with: `go` on PATH, else in GOROOT/bin or the official installer's
 * folder (an editor started from a desktop often has a shorter PATH than a terminal).
 */
export function locateGo(env: NodeJS.ProcessEnv): string | undefined {
  const exe = process.platform === 'win32' ? 'go.exe' : 'go';
  const fromPath = onPath(exe, env.PATH);
  if (fromPath) return fromPath;
  const installed = process.platform === 'win32' ? 'C:\\Program Files\\Go' : '/usr/local/go';
  return [env.GOROOT, installed]
    .filter((d): d is string => !!d)
    .map((d) => path.join(d, 'bin', exe))
    .find(isExecutableFile);
}

/** `env` with `tool`'s folder on PATH (first), unless it is there already. */
export function withFolderOnPath(env: NodeJS.ProcessEnv, tool: string): NodeJS.ProcessEnv {
  const dir = path.dirname(tool);
  const entries = (env.PATH ?? '').split(path.delimiter).filter((d) => d);
  return entries.includes(dir) ? env : { ...env, PATH: [dir, ...entries].join(path.delimiter) };
}
