/**
 * Docker endpoint settings (Fabric's `vm.endpoint`, `vm.docker.tls.*`; the Docker CLI's `--host`,
 * `--tlsverify`, DOCKER_CERT_PATH) → a dockerode client: a local socket, `tcp://` with or without
 * TLS, or `ssh://user@host`, where docker-modem runs `docker system dial-stdio` on the host.
 * Light (no dockerode at run time): the editor's first bundle uses it; client.ts makes the client.
 */
import type Dockerode from 'dockerode';
import * as os from 'os';
import type { DockerTlsSettings } from '../../config';
import { DockerUnreachableError } from './errors';
import type { DockerTLSOptions } from './tlsFiles';

export type { DockerTLSOptions } from './tlsFiles';

export const DEFAULT_DOCKER_ENDPOINT = 'unix:///var/run/docker.sock';

/** How the client logs in over ssh; docker-modem's convention is the agent at SSH_AUTH_SOCK. */
export interface DockerSshOptions {
  readonly agent?: string;
}

/**
 * Accepts `unix:///path`, a bare socket path, `npipe:////./pipe/name`, `tcp://host:port`,
 * `http(s)://host:port`, `ssh://[user@]host[:port]`. A tcp endpoint speaks https when TLS material
 * is given (Docker's own rule).
 */
export function dockerClientOptions(endpoint: string, tls?: DockerTLSOptions, ssh: DockerSshOptions = {}): Dockerode.DockerOptions {
  if (endpoint.startsWith('/')) return { socketPath: endpoint };
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new DockerUnreachableError(endpoint, new Error('not a valid endpoint (expected unix:///path, tcp://host:port or ssh://user@host)'), { kind: 'endpoint' });
  }
  switch (url.protocol) {
    case 'unix:':
      return { socketPath: url.pathname };
    case 'npipe:':
      return { socketPath: endpoint.slice('npipe:'.length).replace(/\//g, '\\') };
    case 'tcp:':
    case 'http:':
    case 'https:': {
      const secure = url.protocol === 'https:' || (url.protocol === 'tcp:' && tls !== undefined);
      return {
        host: url.hostname,
        port: url.port || (secure ? '2376' : '2375'),
        protocol: secure ? 'https' : 'http',
        ...(tls ?? {}),
      };
    }
    case 'ssh:':
      return sshOptions(endpoint, url, ssh);
    default:
      throw new DockerUnreachableError(endpoint, new Error(`unsupported scheme ${url.protocol}`), { kind: 'endpoint' });
  }
}

/** As the Docker CLI reads an ssh endpoint (cli/connhelper/ssh): a user, a host and a port, nothing else. */
function sshOptions(endpoint: string, url: URL, ssh: DockerSshOptions): Dockerode.DockerOptions {
  const invalid = (why: string): DockerUnreachableError => new DockerUnreachableError(endpoint, new Error(why), { kind: 'endpoint' });
  if (url.password) throw invalid('an ssh endpoint takes no password: the ssh agent (SSH_AUTH_SOCK) logs in');
  if (url.pathname !== '' && url.pathname !== '/') throw invalid(`an ssh endpoint has no path (got ${url.pathname})`);
  if (url.search || url.hash) throw invalid('an ssh endpoint has no query or fragment');
  return {
    protocol: 'ssh',
    host: url.hostname,
    port: url.port || '22',
    // As ssh itself: no user in the URL logs in as the local user.
    username: url.username ? decodeURIComponent(url.username) : os.userInfo().username,
    ...(ssh.agent ? { sshOptions: { agent: ssh.agent } } : {}),
  };
}

/** What a DockerVM (and the editor's Containers view) connect with. */
export interface DockerConnectionSettings {
  readonly endpoint: string;
  readonly tls?: DockerTlsSettings;
  /** The ssh agent's socket for `ssh://` endpoints; default SSH_AUTH_SOCK (docker-modem's convention). */
  readonly sshAgent?: string;
}

/** The settings as one comparable value: a client is made again only when it changed. */
export function connectionKey(settings: DockerConnectionSettings): string {
  return JSON.stringify([settings.endpoint, settings.tls ?? null, settings.sshAgent ?? null]);
}

/** Rejects with DockerUnreachableError unless the daemon answers `/_ping` within `timeoutMs`. */
export async function pingDocker(docker: Dockerode, endpoint: string, timeoutMs = 5000): Promise<void> {
  try {
    // Through the modem: dockerode's typings do not let ping take an abort signal.
    await new Promise<void>((resolve, reject) =>
      docker.modem.dial({ path: '/_ping', method: 'GET', abortSignal: AbortSignal.timeout(timeoutMs), statusCodes: { 200: true, 500: 'server error' } }, (err) =>
        err ? reject(err) : resolve(),
      ),
    );
  } catch (err) {
    if (err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError')) {
      throw new DockerUnreachableError(endpoint, new Error(`no answer within ${timeoutMs} ms`, { cause: err }), { kind: 'network' });
    }
    throw new DockerUnreachableError(endpoint, err);
  }
}
