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

/** Prints the lines for the engine's Gateway, if it has one. */
export function announceGateway(engine: Engine, log: (line: string) => void): void {
  if (engine.gateway) gatewayLines(clientEnvironment(engine.gateway, engine.config.channel)).forEach(log);
}
