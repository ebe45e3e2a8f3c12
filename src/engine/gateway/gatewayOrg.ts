/**
 * The organisation a Gateway serves as (the first org of the network: its peer0 is where
 * fabric-samples applications connect): its peer's name and TLS credentials, the crypto folder
 * client applications read, and the checks on callers, by the MSPs of every org of the network.
 */
import { ChannelMsps, type Organization } from '../msp';
import type { CallerVerifier } from './callers';
import { MspCallerVerifier } from './mspVerifier';

export interface GatewayOrg {
  readonly mspId: string;
  readonly domain: string;
  /** `peer0.<domain>`: the TLS host name and the name in error details. */
  readonly peerName: string;
  /** What client applications get as CRYPTO_PATH. */
  readonly cryptoPath: string;
  readonly tls: { readonly certPem: string; readonly keyPem: string };
  readonly verifier: CallerVerifier;
  /** The user a sample application signs as. */
  readonly user: { readonly name: string; readonly certFile: string; readonly keyFile: string };
  readonly organization: Organization;
}

/** The user fabric-samples applications sign as. */
const SAMPLE_USER = 'User1';

/** `home` serves; callers may belong to any of `members` (the network's orgs, `home` among them). */
export async function gatewayOrgOf(home: Organization, members: readonly Organization[]): Promise<GatewayOrg> {
  const user = await home.identity(SAMPLE_USER);
  if (!user.files) throw new Error(`${home.mspId}'s ${SAMPLE_USER} has no files`);
  return {
    mspId: home.mspId,
    domain: home.domain,
    peerName: home.peer.name,
    cryptoPath: home.cryptoPath,
    tls: { certPem: home.peer.tls.certPem, keyPem: home.peer.tls.keyPem },
    verifier: new MspCallerVerifier(new ChannelMsps(members.map((o) => o.msp))),
    user: { name: SAMPLE_USER, certFile: user.files.certFile, keyFile: user.files.keyFile },
    organization: home,
  };
}
