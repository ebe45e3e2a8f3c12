/**
 * What a symbolic link in a chaincode folder becomes in a package. A link is only worth packaging
 * as a link when its target travels with it; otherwise it would dangle wherever the package is
 * unpacked (an absolute link names a path of this machine).
 *
 * Fabric's packaging (`WriteFolderToTarPackage` and the Go platform's `findSource`, over Go's
 * `filepath.Walk`, which does not follow links) opens every non-directory it walks: a link to a
 * file is packaged as a regular file holding the target's content, wherever the target is; a link
 * to a directory fails (reading a directory), and so does a link whose target is missing.
 */
import type { Stats } from 'node:fs';
import { readlink, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

export class SymlinkError extends Error {
  override readonly name = 'SymlinkError';
}

export type LinkResolution =
  /** The target is inside the folder: the link is packaged as a link, relative to where it is. */
  | { readonly kind: 'inside'; readonly linkTarget: string; readonly targetPath: string }
  /** The target is outside the folder: packaged as what it points to (its content). */
  | { readonly kind: 'outside'; readonly stat: Stats; readonly realPath: string };

/**
 * Where the link at `abs` (package path `rel`) leads. `rootReal` is the folder's real path.
 * A missing target (or a loop of links) is an error: the link cannot be followed, and packaged as
 * it is it would dangle.
 */
export async function resolveLink(rootReal: string, abs: string, rel: string): Promise<LinkResolution> {
  const { realPath, stat: target } = await followLink(abs, rel);
  if (!isWithin(rootReal, realPath)) return { kind: 'outside', stat: target, realPath };
  const targetPath = toPosix(path.relative(rootReal, realPath));
  // Relative to the link's own place, so it works wherever the package is unpacked.
  const linkTarget = path.posix.relative(path.posix.dirname(rel), targetPath) || '.';
  return { kind: 'inside', linkTarget, targetPath };
}

/** The link's final target (through any chain of links); `SymlinkError` when there is none. */
export async function followLink(abs: string, rel: string): Promise<{ realPath: string; stat: Stats }> {
  try {
    const realPath = await realpath(abs);
    return { realPath, stat: await stat(realPath) };
  } catch (err) {
    const written = await readlink(abs).catch(() => '?');
    const why = (err as NodeJS.ErrnoException).code === 'ELOOP' ? 'a loop of links' : 'a path that does not exist';
    throw new SymlinkError(`${rel} is a symbolic link to ${written}, ${why}: remove the link or make its target exist`, { cause: err });
  }
}

/** `inner` is `outer` or below it. */
export function isWithin(outer: string, inner: string): boolean {
  return inner === outer || inner.startsWith(outer.endsWith(path.sep) ? outer : `${outer}${path.sep}`);
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
