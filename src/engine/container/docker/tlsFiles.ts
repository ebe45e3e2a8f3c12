/**
 * The TLS files of a Docker endpoint, found as the Docker CLI finds them (docker/cli
 * cli/flags/options.go, and `newDockerCommand`'s handling of `--tlsverify`): TLS is on with
 * `--tlsverify` or when DOCKER_TLS_VERIFY is set to anything; the files are `--tlscacert`,
 * `--tlscert`, `--tlskey`, else ca.pem, cert.pem and key.pem in DOCKER_CERT_PATH, else in
 * ~/.docker. A client certificate and key nobody named, both missing, are left out, as the CLI
 * does. Read and checked up front, so a bad file is named before anything is dialled.
 */
import { createPrivateKey, X509Certificate, type KeyObject } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { DockerTlsSettings } from '../../config';
import { DockerUnreachableError, type DockerTlsFileRole } from './errors';

/** The PEM material dockerode takes. */
export interface DockerTLSOptions {
  readonly ca?: string | string[] | Buffer | Buffer[];
  readonly cert?: string | Buffer;
  readonly key?: string | Buffer;
}

export interface DockerTlsFiles {
  readonly ca: string;
  /** With `key`, or neither: the daemon may not ask for a client certificate. */
  readonly client?: { readonly cert: string; readonly key: string };
}

type Env = Readonly<Record<string, string | undefined>>;

/** Whether TLS is on for a `tcp://` endpoint: the setting, or DOCKER_TLS_VERIFY as the Docker CLI reads it. */
export function tlsRequested(settings: DockerTlsSettings, env: Env = process.env): boolean {
  return settings.verify || (env['DOCKER_TLS_VERIFY'] ?? '') !== '';
}

/** Where the three files are; `exists` is asked only about the default client files. */
export function dockerTlsFiles(settings: DockerTlsSettings, env: Env = process.env, exists: (file: string) => boolean = fs.existsSync): DockerTlsFiles {
  const folder = expandHome(settings.certPath ?? (env['DOCKER_CERT_PATH'] || path.join(os.homedir(), '.docker')));
  const ca = settings.caFile !== undefined ? expandHome(settings.caFile) : path.join(folder, 'ca.pem');
  const cert = settings.certFile !== undefined ? expandHome(settings.certFile) : path.join(folder, 'cert.pem');
  const key = settings.keyFile !== undefined ? expandHome(settings.keyFile) : path.join(folder, 'key.pem');
  const unnamedAndMissing = settings.certFile === undefined && settings.keyFile === undefined && !exists(cert) && !exists(key);
  return unnamedAndMissing ? { ca } : { ca, client: { cert, key } };
}

/** Reads and checks the files; a DockerUnreachableError naming the file that cannot be used. */
export function readDockerTls(endpoint: string, files: DockerTlsFiles): DockerTLSOptions {
  const ca = readFile(endpoint, 'CA certificate', files.ca);
  // A bundle of CAs, one entry each (as docker-modem's split-ca does).
  const cas = ca.toString('utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  parse(endpoint, 'CA certificate', files.ca, () => (cas.length ? cas.map((pem) => new X509Certificate(pem)) : new X509Certificate(ca)));
  if (!files.client) return { ca: cas };
  const certPem = readFile(endpoint, 'client certificate', files.client.cert);
  const keyPem = readFile(endpoint, 'client key', files.client.key);
  const cert = parse(endpoint, 'client certificate', files.client.cert, () => new X509Certificate(certPem));
  const key = parse<KeyObject>(endpoint, 'client key', files.client.key, () => createPrivateKey(keyPem));
  if (!cert.checkPrivateKey(key)) {
    throw new DockerUnreachableError(endpoint, new Error(`it is not the key of the client certificate ${files.client.cert}`), tlsFile('client key', files.client.key));
  }
  return { ca: cas, cert: certPem, key: keyPem };
}

function readFile(endpoint: string, role: DockerTlsFileRole, file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    throw new DockerUnreachableError(endpoint, err, tlsFile(role, file));
  }
}

function parse<T>(endpoint: string, role: DockerTlsFileRole, file: string, read: () => T): T {
  try {
    return read();
  } catch (err) {
    const what = role === 'client key' ? 'a PEM private key' : 'a PEM certificate';
    throw new DockerUnreachableError(endpoint, new Error(`not ${what} (${(err as Error).message})`, { cause: err }), tlsFile(role, file));
  }
}

function tlsFile(role: DockerTlsFileRole, file: string): { kind: 'tls-file'; role: DockerTlsFileRole; file: string } {
  return { kind: 'tls-file', role, file };
}

/** `~/x` as a shell would expand it: settings in the editor have no shell in front of them. */
function expandHome(file: string): string {
  return file === '~' || file.startsWith('~/') ? path.join(os.homedir(), file.slice(1)) : file;
}
