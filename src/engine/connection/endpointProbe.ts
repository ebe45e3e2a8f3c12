/**
 * Before any gRPC call, one TCP (and TLS) handshake with the peer, bounded in time: gRPC only says
 * "failed to connect before the deadline" whatever went wrong, where the user needs to know which
 * part to fix: the address (nothing listens, no answer), the TLS CA file (the peer's certificate
 * does not chain to it), or the host alias (the certificate is for another name).
 */
import * as net from 'net';
import * as tls from 'tls';
import { NetworkConnectionError, type ConnectionSpec } from './types';

/** TLS verification failures that mean "this CA did not issue the peer's certificate". */
const UNTRUSTED_CERT_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
]);

export async function probeEndpoint(spec: ConnectionSpec, timeoutMs: number): Promise<void> {
  const { host, port } = splitEndpoint(spec.endpoint);
  const where = `the Gateway at ${spec.endpoint} (from ${spec.source})`;
  await new Promise<void>((resolve, reject) => {
    const fail = (message: string, cause?: unknown): void => {
      socket.destroy();
      clearTimeout(timer);
      reject(new NetworkConnectionError(message, cause === undefined ? undefined : { cause }));
    };
    const done = (): void => {
      clearTimeout(timer);
      socket.end();
      socket.destroy();
      resolve();
    };
    const tlsOptions = spec.tls;
    const servername = spec.hostAlias ?? (net.isIP(host) ? undefined : host);
    const socket: net.Socket = tlsOptions
      ? tls.connect({ host, port, ca: tlsOptions.caPem, ALPNProtocols: ['h2'], ...(servername ? { servername } : {}) }, done)
      : net.connect({ host, port }, done);
    const timer = setTimeout(() => fail(`cannot reach ${where}: no answer within ${timeoutMs / 1000} s (is the address right, and the peer running?)`), timeoutMs);
    socket.once('error', (err: NodeJS.ErrnoException) => {
      const code = err.code ?? '';
      if (code === 'ECONNREFUSED') return fail(`cannot reach ${where}: connection refused (nothing listens there; is the peer running?)`, err);
      if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return fail(`cannot reach ${where}: host ${host} not found`, err);
      if (tlsOptions && UNTRUSTED_CERT_CODES.has(code)) {
        return fail(
          `the TLS certificate of ${where} was not issued by the TLS CA ${tlsOptions.caFile} (${err.message}): give the CA of that peer's TLS certificate (its tls/ca.crt)`,
          err,
        );
      }
      if (tlsOptions && code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
        return fail(
          `the TLS certificate of ${where} is not for the host name ${servername ?? host} (${err.message}): set the host alias to the name it carries, e.g. peer0.org1.example.com`,
          err,
        );
      }
      if (tlsOptions && (code === 'ECONNRESET' || /wrong version number|packet length too long/i.test(err.message))) {
        return fail(`TLS with ${where} failed (${err.message}): does the peer serve TLS there?`, err);
      }
      fail(`cannot connect to ${where}: ${err.message}`, err);
    });
  });
}

export function splitEndpoint(endpoint: string): { host: string; port: number } {
  const i = endpoint.lastIndexOf(':');
  const host = endpoint.slice(0, i).replace(/^\[(.*)\]$/, '$1');
  return { host, port: Number(endpoint.slice(i + 1)) };
}
