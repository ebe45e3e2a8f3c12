/**
 * What the CLI prints for client applications once the Gateway is up. fabric-samples applications
 * read exactly CRYPTO_PATH and PEER_ENDPOINT (and default to Org1's User1, peer0.org1.example.com
 * as the TLS host name, channel mychannel).
 */
import type { Engine } from '../engine/engine';

export interface GatewayInfo {
  /** The organisation's crypto folder (…/peerOrganizations/org1.example.com). */
  readonly cryptoPath: string;
  readonly port: number;
  readonly mspId: string;
  readonly channel: string;
  /** The TLS host name clients verify (peer0.org1.example.com). */
  readonly hostAlias: string;
  /** The user a sample application signs as, with its certificate and key files. */
  readonly user: { readonly name: string; readonly certFile: string; readonly keyFile: string } | null;
}

/**
 * What to tell people about the Gateway (stderr: stdout carries only result lines): the two lines
 * to put in front of a client application, then what else it needs to know.
 */
export function gatewayLines(info: GatewayInfo): string[] {
  return [
    `Fabric Gateway on localhost:${info.port} (TLS, host name ${info.hostAlias}), channel ${info.channel}, MSP ${info.mspId}; for a client application:`,
    `CRYPTO_PATH=${info.cryptoPath}`,
    `PEER_ENDPOINT=localhost:${info.port}`,
    ...(info.user ? [`(it signs as ${info.user.name}: certificate ${info.user.certFile}, key ${info.user.keyFile})`] : []),
  ];
}

/** The engine's Gateway as the lines describe it; null when it runs without one. */
export function gatewayInfoOf(engine: Engine): GatewayInfo | null {
  const gateway = engine.gateway;
  if (!gateway) return null;
  return {
    cryptoPath: gateway.org.cryptoPath,
    port: gateway.server.port,
    mspId: gateway.org.mspId,
    channel: engine.config.channel,
    hostAlias: gateway.org.peerName,
    user: gateway.org.user,
  };
}

/** Prints the lines for the engine's Gateway, if it has one. */
export function announceGateway(engine: Engine, log: (line: string) => void): void {
  const info = gatewayInfoOf(engine);
  if (info) gatewayLines(info).forEach(log);
}
