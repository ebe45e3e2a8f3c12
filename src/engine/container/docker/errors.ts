/** Typed errors for the Docker VM, with the text a user needs to act on them. */

export class DockerUnreachableError extends Error {
  override readonly name = 'DockerUnreachableError';
  constructor(
    readonly endpoint: string,
    override readonly cause: unknown,
  ) {
    super(`Docker is not reachable at ${endpoint}: ${describe(cause)}`);
  }
}

export class ImageBuildError extends Error {
  override readonly name = 'ImageBuildError';
  constructor(
    readonly image: string,
    reason: string,
    /** The build's last output lines, for the message and for a log view. */
    readonly lastLines: readonly string[],
  ) {
    super(
      `building image ${image} failed: ${reason}` +
        (lastLines.length ? `; last build output lines:\n${lastLines.join('\n')}` : ''),
    );
  }
}

export class ImageMissingError extends Error {
  override readonly name = 'ImageMissingError';
  constructor(readonly image: string) {
    super(`image ${image} does not exist and no builder was given to build it`);
  }
}

/** Docker's HTTP status on a failed API call (docker-modem puts it on the error). */
export function dockerStatus(err: unknown): number | undefined {
  if (typeof err === 'object' && err !== null && 'statusCode' in err) {
    const code = (err as { statusCode: unknown }).statusCode;
    return typeof code === 'number' ? code : undefined;
  }
  return undefined;
}

export function isNotFound(err: unknown): boolean {
  return dockerStatus(err) === 404;
}

/** Socket-level failures: the daemon is not there (as opposed to an API error from it). */
export function isConnectionError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const code = (err as { code?: unknown }).code;
  return (
    typeof code === 'string' &&
    ['ENOENT', 'ECONNREFUSED', 'ECONNRESET', 'EACCES', 'EPERM', 'EHOSTUNREACH', 'ETIMEDOUT', 'ENOTFOUND', 'EPIPE'].includes(code)
  );
}

export function describe(err: unknown): string {
  if (err instanceof Error) return err.message.trim();
  return String(err);
}
