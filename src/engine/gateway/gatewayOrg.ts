/**
 * The organisation a Gateway serves as (../msp Organization, made in Fabric's test-network layout
 * under `<data-dir>/organizations/peerOrganizations/<domain>/` the first time): its peer0's name,
 * TLS credentials and endorsing identity, the MSP checks on callers, and the crypto folder client
 * applications read.
 */
import { ChannelMsps, Organization, orgSpec } from '../msp';
import type { Signer } from '../transactions/proposal';
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
  /** peer0's identity: signs endorsements. */
  readonly peerIdentity: Signer;
  readonly verifier: CallerVerifier;
  /** The user a sample application signs as. */
  readonly user: { readonly name: string; readonly certFile: string; readonly keyFile: string };
  readonly organization: Organization;
}

/** The user fabric-samples applications sign as. */
const SAMPLE_USER = 'User1';

/** Opens (making it the first time) the organisation of `mspId`; callers must be its members. */
export async function openGatewayOrg(dataDir: string, mspId: string): Promise<GatewayOrg> {
  const org = await Organization.open(dataDir, orgSpec(mspId));
  const user = await org.identity(SAMPLE_USER);
  if (!user.files) throw new Error(`${mspId}'s ${SAMPLE_USER} has no files`);
  return {
    mspId: org.mspId,
    domain: org.domain,
    peerName: org.peer.name,
    cryptoPath: org.cryptoPath,
    tls: { certPem: org.peer.tls.certPem, keyPem: org.peer.tls.keyPem },
    peerIdentity: org.peer.identity,
    verifier: new MspCallerVerifier(new ChannelMsps([org.msp])),
    user: { name: SAMPLE_USER, certFile: user.files.certFile, keyFile: user.files.keyFile },
    organization: org,
  };
}
