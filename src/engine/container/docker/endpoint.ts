/** Docker endpoint settings (Fabric's `vm.endpoint`, `vm.docker.tls.*`) → a dockerode client. */
import Dockerode from 'dockerode';
import { DockerUnreachableError } from './errors';

export const DEFAULT_DOCKER_ENDPOINT = 'unix:///var/run/docker.sock';

export interface DockerTLSOptions {
  readonly ca?: string | Buffer;
  readonly cert?: string | Buffer;
  readonly key?: string | Buffer;
}

/**
 * Accepts `unix:///path`, a bare socket path, `npipe:////./pipe/name`, `tcp://host:port`,
 * `http(s)://host:port`. A tcp endpoint speaks https when TLS material is given (Docker's own rule).
 */
export function dockerClientOptions(endpoint: string, tls?: DockerTLSOptions): Dockerode.DockerOptions {
  if (endpoint.startsWith('/')) return { socketPath: endpoint };
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new DockerUnreachableError(endpoint, new Error('not a valid endpoint (expected unix:///path or tcp://host:port)'));
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
    default:
      throw new DockerUnreachableError(endpoint, new Error(`unsupported scheme ${url.protocol}`));
  }
}

/** Rejects with DockerUnreachableError unless the daemon answers `/_ping` within `timeoutMs`. */
export async function pingDocker(docker: Dockerode, endpoint: string, timeoutMs = 5000): Promise<void> {
  try {
    // Through the modem: dockerode's typings do not let ping take an abort signal.
    await new Promise<void>((resolve, reject) =>
      docker.modem.dial(
        { path: '/_ping', method: 'GET', abortSignal: AbortSignal.timeout(timeoutMs), statusCodes: { 200: true, 500: 'server error' } },
        (err) => (err ? reject(err) : resolve()),
      ),
    );
  } catch (err) {
    const cause =
      err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError')
        ? new Error(`no answer within ${timeoutMs} ms`)
        : err;
    throw new DockerUnreachableError(endpoint, cause);
  }
}
