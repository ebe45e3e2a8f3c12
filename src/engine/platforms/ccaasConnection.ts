/**
 * `connection.json`, the whole code of a chaincode-as-a-service package: where the peer dials the
 * chaincode server and how. Fields and their meaning as Fabric's external builder reads them
 * (`core/container/externalbuilder/instance.go`, `ChaincodeServerUserData`), checked here the way
 * the peer would refuse them, so a package that cannot work is never written.
 */

export interface CcaasTls {
  /** PEM: the CA that issued the chaincode server's TLS certificate (the peer verifies it). */
  readonly rootCert: string;
  /** PEM key and certificate the peer presents when the server asks for client authentication. */
  readonly client?: { readonly key: string; readonly cert: string };
}

export interface CcaasConnection {
  /**
   * `host:port` the peer dials. The ccaas builder renders it as a Go template first, so
   * `{{.peername}}_mycc:9999` (one server per peer) is accepted as it is.
   */
  readonly address: string;
  /** A Go duration (`10s`, `1m30s`); default 10s, as fabric-samples write it. */
  readonly dialTimeout?: string;
  /** Absent: plain TCP (`tls_required: false`). */
  readonly tls?: CcaasTls;
}

export const DEFAULT_DIAL_TIMEOUT = '10s';

export class CcaasConnectionError extends Error {
  override readonly name = 'CcaasConnectionError';
}

/** Go's `time.ParseDuration` syntax, without the sign: one or more number+unit pairs. */
const GO_DURATION = /^(\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))*$/;
const PEM = /-----BEGIN [A-Z0-9 ]+-----[\s\S]+-----END [A-Z0-9 ]+-----/;

/** The file's bytes: Fabric's field names in its struct's order. */
export function connectionJson(connection: CcaasConnection): Buffer {
  checkConnection(connection);
  const { tls } = connection;
  const fields: Record<string, string | boolean> = {
    address: connection.address,
    dial_timeout: connection.dialTimeout ?? DEFAULT_DIAL_TIMEOUT,
    tls_required: tls !== undefined,
  };
  if (tls) {
    fields['client_auth_required'] = tls.client !== undefined;
    if (tls.client) {
      fields['client_key'] = tls.client.key;
      fields['client_cert'] = tls.client.cert;
    }
    fields['root_cert'] = tls.rootCert;
  }
  return Buffer.from(`${JSON.stringify(fields, null, 2)}\n`);
}

function checkConnection(connection: CcaasConnection): void {
  const { address, dialTimeout, tls } = connection;
  const colon = address.lastIndexOf(':');
  const port = Number(address.slice(colon + 1));
  if (colon <= 0 || !/^\d+$/.test(address.slice(colon + 1)) || port < 1 || port > 65535) {
    throw new CcaasConnectionError(`the chaincode server address must be HOST:PORT (the peer dials it), got '${address}'`);
  }
  if (dialTimeout !== undefined && !GO_DURATION.test(dialTimeout)) {
    throw new CcaasConnectionError(`the dial timeout must be a duration such as 10s or 1m30s, got '${dialTimeout}'`);
  }
  if (!tls) return;
  if (!PEM.test(tls.rootCert)) throw new CcaasConnectionError("the TLS root certificate is not PEM ('-----BEGIN CERTIFICATE-----' …)");
  if (tls.client && (!PEM.test(tls.client.key) || !PEM.test(tls.client.cert))) {
    throw new CcaasConnectionError('the TLS client key and certificate must both be PEM');
  }
}

/** Fabric's default when connection.json sets no `dial_timeout` (`externalbuilder.DialTimeout`). */
export const FABRIC_DIAL_TIMEOUT_MS = 3000;

/** How a peer dials a chaincode server, read from connection.json. */
export interface ChaincodeServerDial {
  readonly address: string;
  readonly dialTimeoutMs: number;
  /** Absent: plaintext (`tls_required` false). */
  readonly tls?: { readonly rootCertPem: string; readonly clientKeyPem?: string; readonly clientCertPem?: string };
}

/**
 * connection.json as the peer reads it (`core/container/externalbuilder/instance.go`,
 * `ChaincodeServerUserData.ChaincodeServerInfo`), with Fabric's errors: the PEM fields count only
 * with `tls_required`, the client pair only with `client_auth_required`.
 */
export function parseConnectionJson(bytes: Buffer | string): ChaincodeServerDial {
  let data: Record<string, unknown>;
  try {
    const parsed = JSON.parse(bytes.toString()) as unknown;
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not a JSON object');
    data = parsed as Record<string, unknown>;
  } catch (err) {
    throw new CcaasConnectionError(`malformed chaincode info: ${(err as Error).message}`, { cause: err });
  }
  const text = (key: string): string => (typeof data[key] === 'string' ? data[key] : '');
  const address = text('address');
  if (!address) throw new CcaasConnectionError('chaincode address not provided');
  const dialTimeoutMs = data['dial_timeout'] === undefined ? FABRIC_DIAL_TIMEOUT_MS : durationMs(data['dial_timeout']) || FABRIC_DIAL_TIMEOUT_MS;
  if (data['tls_required'] !== true) return { address, dialTimeoutMs };
  const clientAuth = data['client_auth_required'] === true;
  if (clientAuth && !text('client_key')) throw new CcaasConnectionError('chaincode tls key not provided');
  if (clientAuth && !text('client_cert')) throw new CcaasConnectionError('chaincode tls cert not provided');
  if (!text('root_cert')) throw new CcaasConnectionError('chaincode tls root cert not provided');
  const client = clientAuth ? { clientKeyPem: text('client_key'), clientCertPem: text('client_cert') } : {};
  return { address, dialTimeoutMs, tls: { rootCertPem: text('root_cert'), ...client } };
}

const DURATION_UNITS_MS: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, µs: 1e-3, μs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Fabric's `externalbuilder.Duration`: a Go duration string, or a number of nanoseconds. */
function durationMs(value: unknown): number {
  if (typeof value === 'number') return value / 1e6;
  if (typeof value !== 'string' || !GO_DURATION.test(value)) throw new CcaasConnectionError(`malformed chaincode info: invalid duration ${JSON.stringify(value)}`);
  let ms = 0;
  for (const [, amount, , unit] of value.matchAll(/(\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) ms += Number(amount) * DURATION_UNITS_MS[unit];
  return ms;
}

/** connection.json for a dial read or made here (the inverse of `parseConnectionJson`). */
export function dialConnectionJson(dial: ChaincodeServerDial): Buffer {
  const { tls } = dial;
  const client = tls?.clientKeyPem !== undefined && tls.clientCertPem !== undefined ? { client: { key: tls.clientKeyPem, cert: tls.clientCertPem } } : {};
  return connectionJson({ address: dial.address, dialTimeout: `${dial.dialTimeoutMs}ms`, ...(tls ? { tls: { rootCert: tls.rootCertPem, ...client } } : {}) });
}
