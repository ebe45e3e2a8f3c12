/**
 * What the CLI prints for client applications once the Gateway is up (on stderr: stdout carries
 * only result lines): the two lines fabric-samples applications read, framed with what else they
 * assume.
 */
import type { Engine } from '../engine/engine';
import { clientEnvironment, environmentLines, type ClientEnvironment } from '../engine/gateway/clientEnvironment';

export function gatewayLines(env: ClientEnvironment): string[] {
  return [
    `Fabric Gateway on ${env.endpoint} (TLS, host name ${env.hostAlias}), channel ${env.channel}, MSP ${env.mspId}; for a client application:`,
    ...environmentLines(env),
    `(it signs as ${env.user.name}: certificate ${env.user.certFile}, key ${env.user.keyFile})`,
  ];
}

/** Prints the lines for the first org's Gateway, then where each other org's peer serves its own. */
export function announceGateway(engine: Engine, log: (line: string) => void): void {
  const [first, ...others] = engine.gateways;
  if (!first) return;
  gatewayLines(clientEnvironment(first, engine.config.channel)).forEach(log);
  for (const g of others) {
    const env = clientEnvironment(g, engine.config.channel);
    log(`${env.mspId}'s peer serves its own Gateway (host name ${env.hostAlias}): CRYPTO_PATH=${env.cryptoPath} PEER_ENDPOINT=${env.endpoint}`);
  }
}
