/** A dockerode client of an endpoint's settings (endpoint.ts), its TLS files read and checked first. */
import Dockerode from 'dockerode';
import { dockerClientOptions, type DockerConnectionSettings } from './endpoint';
import { DockerUnreachableError } from './errors';
import { dockerTlsFiles, readDockerTls, tlsRequested } from './tlsFiles';

/**
 * docker-modem starts from DOCKER_HOST and friends and lays our options over them: a key we leave
 * out would come from the environment (DOCKER_HOST=tcp://… would win over a socket). The endpoint
 * setting alone says where Docker is.
 */
const NOT_FROM_ENVIRONMENT: Dockerode.DockerOptions = {
  host: undefined,
  port: undefined,
  protocol: undefined,
  ca: undefined,
  cert: undefined,
  key: undefined,
  username: undefined,
};

/**
 * A client of the endpoint, its TLS files read and checked first; throws DockerUnreachableError
 * naming the endpoint or the TLS file that is wrong. Nothing is dialled yet.
 */
export function dockerClient(settings: DockerConnectionSettings, env: Readonly<Record<string, string | undefined>> = process.env): Dockerode {
  const { endpoint } = settings;
  const tlsSettings = settings.tls ?? { verify: false };
  const usesTls = /^https:/.test(endpoint) || (/^tcp:/.test(endpoint) && tlsRequested(tlsSettings, env));
  const tls = usesTls ? readDockerTls(endpoint, dockerTlsFiles(tlsSettings, env)) : undefined;
  const options = dockerClientOptions(endpoint, tls, { agent: settings.sshAgent ?? env['SSH_AUTH_SOCK'] });
  try {
    return new Dockerode({ ...NOT_FROM_ENVIRONMENT, ...options });
  } catch (err) {
    // docker-modem reads DOCKER_HOST's certificates in its constructor, whatever we pass.
    throw new DockerUnreachableError(endpoint, err, { kind: 'endpoint' });
  }
}
