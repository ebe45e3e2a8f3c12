/**
 * The address a peer dials for a chaincode served from here. It accepts the peer's connections
 * (over TLS when configured: the server certificate, and the peer's client certificate checked
 * against the client CA) and relays each one, byte for byte, to the chaincode's own server on
 * loopback. Sitting in front is what lets us show every connection a peer made (Fabric's peer opens
 * one per `protos.Chaincode/Connect` stream: `core/chaincode/extcc/extcc.go`, `Stream`), and gives
 * every language the same TLS, whatever its shim supports in server mode (the Java shim has no
 * client authentication, and a Go chaincode reads TLS files only if its main does).
 */
import * as net from 'node:net';
import * as tls from 'node:tls';
import { Emitter } from '../util/events';
import type { PeerConnection, ServingTls, ServingTlsMaterial } from './types';

export class RelayError extends Error {
  override readonly name = 'RelayError';
}

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/** `HOST:PORT` (`[::1]:9999` for IPv6), or a usage-style error naming what is wrong. */
export function parseHostPort(address: string, what = 'address'): HostPort {
  const m = /^(?:\[([^\]]+)\]|([^\s:[\]]+)):(\d{1,5})$/.exec(address.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new RelayError(`the ${what} must be HOST:PORT with a port 0–65535, got '${address}'`);
  return { host: m[1] ?? m[2], port };
}

export function formatHostPort({ host, port }: HostPort): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** A free loopback address for the chaincode's own server (chosen now, listened on by the chaincode). */
export async function serverAddressOnLoopback(): Promise<HostPort> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return { host: '127.0.0.1', port };
}

export type RelayEvent =
  | { readonly kind: 'connected'; readonly connection: PeerConnection }
  | { readonly kind: 'disconnected'; readonly connection: PeerConnection; readonly reason?: string }
  /** A peer that could not complete the TLS handshake (no client certificate, one from another CA…). */
  | { readonly kind: 'refused'; readonly remote: string; readonly reason: string };

export interface RelayOptions {
  /** Where peers dial. */
  readonly listen: HostPort;
  /** The chaincode's own server. */
  readonly upstream: HostPort;
  readonly tls?: ServingTlsMaterial;
}

export class ConnectionRelay {
  private readonly open = new Map<number, { connection: PeerConnection; sockets: net.Socket[] }>();
  private readonly events = new Emitter<RelayEvent>();
  readonly onEvent = this.events.event;
  private nextId = 1;
  private readonly sockets = new Set<net.Socket>();
  private bound = '';

  private constructor(
    private readonly server: net.Server,
    private readonly options: RelayOptions,
  ) {}

  /** Listens on `options.listen`; rejects when the address cannot be bound (in use, not this machine's). */
  static async open(options: RelayOptions): Promise<ConnectionRelay> {
    const server = options.tls ? tls.createServer(tlsServerOptions(options.tls)) : net.createServer();
    const relay = new ConnectionRelay(server, options);
    // Every raw socket, handshaking ones included, so that close() ends them all at once.
    server.on('connection', (socket: net.Socket) => {
      relay.sockets.add(socket);
      socket.once('close', () => relay.sockets.delete(socket));
    });
    if (server instanceof tls.Server) {
      server.on('secureConnection', (socket: tls.TLSSocket) => relay.accept(socket));
      server.on('tlsClientError', (err, socket) => relay.events.fire({ kind: 'refused', remote: remoteOf(socket), reason: err.message }));
    } else {
      server.on('connection', (socket) => relay.accept(socket));
    }
    const { host, port } = options.listen;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) => {
        const why = err.code === 'EADDRINUSE' ? 'the address is in use' : err.code === 'EADDRNOTAVAIL' ? 'the address is not one of this machine' : err.message;
        reject(new RelayError(`cannot listen on ${formatHostPort(options.listen)}: ${why}`, { cause: err }));
      });
      server.listen(port, host, () => resolve());
    });
    server.on('error', () => undefined); // after listening, failures are per connection
    relay.bound = formatHostPort({ host, port: (server.address() as net.AddressInfo).port });
    return relay;
  }

  /** `host:port` as bound (a port 0 asked for is the one the system chose). */
  get address(): string {
    return this.bound;
  }

  get tls(): ServingTls {
    const t = this.options.tls;
    return !t ? 'off' : t.clientCaPem ? 'mutual' : 'tls';
  }

  connections(): PeerConnection[] {
    return [...this.open.values()].map((c) => c.connection);
  }

  /** Stops listening and ends every open connection. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const { sockets } of this.open.values()) for (const s of sockets) s.destroy();
    for (const s of this.sockets) s.destroy();
    await closed;
    this.events.dispose();
  }

  private accept(socket: net.Socket): void {
    const subject = socket instanceof tls.TLSSocket && this.options.tls?.clientCaPem ? subjectOf(socket) : undefined;
    const connection: PeerConnection = { id: this.nextId++, remote: remoteOf(socket), since: Date.now(), ...(subject ? { clientSubject: subject } : {}) };
    const upstream = net.connect(this.options.upstream.port, this.options.upstream.host);
    this.open.set(connection.id, { connection, sockets: [socket, upstream] });
    this.events.fire({ kind: 'connected', connection });
    let reason: string | undefined;
    let closed = 0;
    // One side closing closes the other once what it was sent is flushed (an HTTP/2 server keeps a
    // half-closed connection open); both closed: gone.
    const onClose = (other: net.Socket) => (): void => {
      other.end(() => other.destroy());
      if (++closed < 2 || !this.open.delete(connection.id)) return;
      this.events.fire({ kind: 'disconnected', connection, ...(reason ? { reason } : {}) });
    };
    const fail = (why: string): void => {
      reason ??= why;
      socket.destroy();
      upstream.destroy();
    };
    upstream.on('error', (err: NodeJS.ErrnoException) =>
      fail(
        err.code === 'ECONNREFUSED'
          ? `the chaincode's server at ${formatHostPort(this.options.upstream)} is not listening (is the chaincode running?)`
          : `the chaincode's server: ${err.message}`,
      ),
    );
    socket.on('error', (err) => fail(`the peer's side: ${err.message}`));
    socket.on('close', onClose(upstream));
    upstream.on('close', onClose(socket));
    // Socket writes queue until the upstream connects: nothing the peer sent is lost meanwhile.
    socket.pipe(upstream);
    upstream.pipe(socket);
  }
}

/**
 * gRPC needs HTTP/2 negotiated through ALPN: Go's gRPC (Fabric's peer) refuses a TLS server that
 * does not select `h2`. The bytes behind it are the chaincode server's plaintext HTTP/2 (h2c).
 */
function tlsServerOptions(material: ServingTlsMaterial): tls.TlsOptions {
  const mutual = material.clientCaPem !== undefined;
  return {
    cert: material.certPem,
    key: material.keyPem,
    ALPNProtocols: ['h2'],
    ...(mutual ? { ca: material.clientCaPem, requestCert: true, rejectUnauthorized: true } : {}),
  };
}

function remoteOf(socket: net.Socket): string {
  const host = socket.remoteAddress ?? 'unknown';
  return socket.remotePort === undefined ? host : formatHostPort({ host: host.replace(/^::ffff:/, ''), port: socket.remotePort });
}

function subjectOf(socket: tls.TLSSocket): string | undefined {
  const subject = socket.getPeerCertificate()?.subject as Record<string, string | string[]> | undefined;
  if (!subject) return undefined;
  return Object.entries(subject)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`)
    .join(', ');
}

/**
 * Checks PEM material before anything listens: a certificate and key that belong together, a client
 * CA that parses. The messages name the file's role, not Node's internals alone.
 */
export function checkTlsMaterial(material: ServingTlsMaterial): void {
  try {
    tls.createSecureContext({ cert: material.certPem, key: material.keyPem });
  } catch (err) {
    throw new RelayError(`the TLS certificate and key cannot serve together: ${(err as Error).message}`, { cause: err });
  }
  if (material.clientCaPem === undefined) return;
  try {
    tls.createSecureContext({ ca: material.clientCaPem });
    if (!/-----BEGIN CERTIFICATE-----/.test(material.clientCaPem)) throw new Error('no PEM certificate in it');
  } catch (err) {
    throw new RelayError(`the client CA is not a PEM certificate: ${(err as Error).message}`, { cause: err });
  }
}
