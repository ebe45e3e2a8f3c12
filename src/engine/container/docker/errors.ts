/** Typed errors for the Docker VM, with the text a user needs to act on them. */

/** The TLS files of a Docker endpoint, as the Docker CLI names them (`--tlscacert`, `--tlscert`, `--tlskey`). */
export type DockerTlsFileRole = 'CA certificate' | 'client certificate' | 'client key';

/**
 * Which part of the way to a Docker engine failed, so the message says what to fix: the endpoint
 * (not a valid one, or nothing answers there), one of its TLS files, the TLS handshake, the ssh
 * login (or the remote `docker` it runs), or the network path (no route, no answer).
 */
export type DockerFailure =
  | { readonly kind: 'endpoint' }
  | { readonly kind: 'tls-file'; readonly role: DockerTlsFileRole; readonly file: string }
  | { readonly kind: 'tls' }
  | { readonly kind: 'ssh' }
  | { readonly kind: 'network' };

export class DockerUnreachableError extends Error {
  override readonly name = 'DockerUnreachableError';
  readonly failure: DockerFailure;
  constructor(
    readonly endpoint: string,
    override readonly cause: unknown,
    failure?: DockerFailure,
  ) {
    const found = failure ?? connectionFailure(cause, endpoint) ?? { kind: 'endpoint' };
    super(`Docker is not reachable at ${endpoint}: ${explain(found, cause)}`);
    this.failure = found;
  }
}

export class ImageBuildError extends Error {
  override readonly name = 'ImageBuildError';
  constructor(
    readonly image: string,
    reason: string,
    /** The build's last output lines, for the message and for a log view. */
    readonly lastLines: readonly string[],
    options?: ErrorOptions,
  ) {
    super(`building image ${image} failed: ${reason}` + (lastLines.length ? `; last build output lines:\n${lastLines.join('\n')}` : ''), options);
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
    const code = err.statusCode;
    return typeof code === 'number' ? code : undefined;
  }
  return undefined;
}

export function isNotFound(err: unknown): boolean {
  return dockerStatus(err) === 404;
}

/** Nothing there, or not allowed in: the endpoint itself is wrong (or its daemon is down). */
const ENDPOINT_CODES = ['ENOENT', 'ECONNREFUSED', 'EACCES', 'EPERM', 'ENOTSOCK'];
/** The way there is broken: no route, no name, no answer, a connection cut. */
const NETWORK_CODES = ['EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'EPIPE'];
/** Node's TLS and OpenSSL's certificate-verification codes (`UNABLE_TO_VERIFY_LEAF_SIGNATURE`…). */
const TLS_CODE = /^ERR_(SSL|TLS)_|^EPROTO$|CERT|^UNABLE_TO_|SELF_SIGNED|^HOSTNAME_MISMATCH$/;
/** What a TLS daemon answers a plain HTTP request (Go's net/http). */
const PLAIN_TO_TLS = /Client sent an HTTP request to an HTTPS server/;

/**
 * Socket-level failures (the daemon is not there, the handshake or login failed), as opposed to
 * an API error from a daemon that answered: which part failed, or undefined when Docker answered.
 */
export function connectionFailure(err: unknown, endpoint = ''): DockerFailure | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { code, level } = err as { code?: unknown; level?: unknown };
  const message = err instanceof Error ? err.message : '';
  if (dockerStatus(err) === 400 && PLAIN_TO_TLS.test(message)) return { kind: 'tls' };
  if (dockerStatus(err) !== undefined) return undefined;
  // ssh2 tags its errors with the stage that failed; a refused or unrouted socket is the endpoint's or the network's.
  if (typeof level === 'string' && level !== 'client-socket') return level === 'client-timeout' ? { kind: 'network' } : { kind: 'ssh' };
  if (typeof code !== 'string') return undefined;
  // Over ssh the socket is the remote `docker system dial-stdio`: it hanging up is the remote's doing.
  if (endpoint.startsWith('ssh:') && code === 'ECONNRESET') return { kind: 'ssh' };
  if (ENDPOINT_CODES.includes(code)) return { kind: 'endpoint' };
  // No ABORT_ERR: a cancelled launch stays a cancellation (a ping's timeout is pingDocker's to report).
  if (NETWORK_CODES.includes(code)) return { kind: 'network' };
  if (TLS_CODE.test(code)) return { kind: 'tls' };
  // Not HTTP: over ssh the remote command is not Docker's; otherwise the endpoint is not a Docker API.
  if (code.startsWith('HPE_')) return endpoint.startsWith('ssh:') ? { kind: 'ssh' } : { kind: 'endpoint' };
  return undefined;
}

export function isConnectionError(err: unknown): boolean {
  return connectionFailure(err) !== undefined;
}

function explain(failure: DockerFailure, cause: unknown): string {
  const why = describe(cause);
  const code = typeof cause === 'object' && cause !== null ? (cause as { code?: unknown }).code : undefined;
  switch (failure.kind) {
    case 'tls-file':
      return `cannot use the TLS ${failure.role} file ${failure.file}: ${why}`;
    case 'tls':
      if (PLAIN_TO_TLS.test(why))
        return `the daemon speaks TLS and this connection did not: turn on TLS verification (--tlsverify, DOCKER_TLS_VERIFY) with the daemon's CA certificate and a client certificate`;
      if (/wrong version number/.test(why)) return `the TLS handshake failed: the endpoint does not speak TLS (${why})`;
      return `the TLS handshake failed (${why}): the CA certificate must be the one that signed the daemon's certificate, and the daemon must accept the client certificate`;
    case 'ssh':
      if (/authentication methods failed/i.test(why)) return `the ssh login failed (${why}): the ssh agent (SSH_AUTH_SOCK) must hold a key the host accepts for this user`;
      if (/agent/i.test(why)) return `the ssh agent cannot be used (${why}): SSH_AUTH_SOCK must name a running agent that holds the key`;
      if (code === 'ECONNRESET' || (typeof code === 'string' && code.startsWith('HPE_'))) {
        return `the remote end did not answer as Docker: the ssh user must be able to run \`docker system dial-stdio\` there, and reach its daemon (${why})`;
      }
      return `the ssh connection failed (${why})`;
    case 'network':
      return `the network path to the endpoint failed (${why})`;
    case 'endpoint':
      if (code === 'ECONNREFUSED') return `nothing accepts connections at the endpoint (${why})`;
      if (code === 'ENOENT') return `no Docker socket at the endpoint (${why})`;
      if (code === 'EACCES' || code === 'EPERM') return `no permission to use the endpoint (${why})`;
      if (typeof code === 'string' && code.startsWith('HPE_')) return `the endpoint did not answer as a Docker engine (${why})`;
      return why;
  }
}

export function describe(err: unknown): string {
  if (err instanceof Error) return err.message.trim();
  return String(err);
}
