/**
 * What a client application needs to reach the Gateway, as fabric-samples applications read it:
 * CRYPTO_PATH (the organisation's crypto folder) and PEER_ENDPOINT, and what they assume besides
 * (the TLS host name peer0.<domain>, the MSP id, the channel, User1's files). The CLI prints it;
 * the editor can show and copy it.
 */
import type { EngineGateway } from './engineGateway';

export interface ClientEnvironment {
  /** The organisation's crypto folder (…/peerOrganizations/org1.example.com). */
  readonly cryptoPath: string;
  /** `localhost:<port>`. */
  readonly endpoint: string;
  readonly mspId: string;
  readonly channel: string;
  /** The TLS host name clients verify (peer0.org1.example.com). */
  readonly hostAlias: string;
  /** The user a sample application signs as, with its certificate and key files. */
  readonly user: { readonly name: string; readonly certFile: string; readonly keyFile: string };
}

export function clientEnvironment(gateway: EngineGateway, channel: string): ClientEnvironment {
  return {
    cryptoPath: gateway.org.cryptoPath,
    endpoint: `localhost:${gateway.server.port}`,
    mspId: gateway.org.mspId,
    channel,
    hostAlias: gateway.org.peerName,
    user: gateway.org.user,
  };
}

/** The two lines to put in front of a client application. */
export function environmentLines(env: ClientEnvironment): string[] {
  return [`CRYPTO_PATH=${env.cryptoPath}`, `PEER_ENDPOINT=${env.endpoint}`];
}
