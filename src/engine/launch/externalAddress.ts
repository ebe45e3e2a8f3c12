/**
 * The peer's external address (`chaincode.peer.externalAddress`): where the containers of a Docker
 * engine on another machine dial the peer's mutual-TLS listener, and so where that listener must
 * listen. The port is the listener's (0: any free one, which containers are told). The host decides
 * the interface: one of this machine's own addresses (loopback included) is listened on as it is;
 * anything else (a name, or an address in front of this machine: NAT, a tunnel, a port forward)
 * can only be reached through all interfaces. Without an external address nothing changes: the
 * listener stays on the peer's host, loopback by default.
 */
import * as os from 'os';

/** An external address that is not HOST:PORT, or one the settings cannot use. */
export class ExternalAddressError extends Error {
  override readonly name = 'ExternalAddressError';
  constructor(
    readonly address: string,
    message: string,
  ) {
    super(message);
  }
}

function notHostPort(address: string, reason: string): ExternalAddressError {
  return new ExternalAddressError(address, `the peer's external address must be HOST:PORT (containers dial the peer there; PORT 0 picks a free one), got '${address}': ${reason}`);
}

export interface HostPort {
  /** An IPv6 address without its brackets. */
  readonly host: string;
  readonly port: number;
}

/** `host:port`, `1.2.3.4:port` or `[v6]:port`, port 0–65535. */
export function parseExternalAddress(address: string): HostPort {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^\s:[\]/@]+)):(\d{1,5})$/.exec(address.trim());
  if (!match) throw notHostPort(address, 'expected HOST:PORT or [IPv6]:PORT');
  const port = Number(match[3]);
  if (port > 65535) throw notHostPort(address, `port ${port} is over 65535`);
  return { host: match[1] ?? match[2], port };
}

const ALL_INTERFACES = '0.0.0.0';

/** Where the TLS listener listens so that `external` leads to it. */
export function tlsListenerFor(external: HostPort, localAddresses: ReadonlySet<string> = interfaceAddresses()): HostPort {
  const host = external.host.toLowerCase() === 'localhost' ? '127.0.0.1' : external.host;
  const own = localAddresses.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host); // all of 127/8 is loopback
  return { host: own ? host : ALL_INTERFACES, port: external.port };
}

/** What containers dial: the external host with the port the listener got. */
export function dialAddress(external: HostPort, listeningPort: number): string {
  const host = external.host.includes(':') ? `[${external.host}]` : external.host;
  return `${host}:${listeningPort}`;
}

/** This machine's addresses, loopback included. */
function interfaceAddresses(): Set<string> {
  const addresses = new Set(['127.0.0.1', '::1']);
  for (const list of Object.values(os.networkInterfaces())) for (const info of list ?? []) addresses.add(info.address);
  return addresses;
}
