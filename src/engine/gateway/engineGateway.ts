/**
 * The Gateway as the engine starts it: qscc deployed as a system chaincode (as Fabric deploys its
 * system chaincodes when the peer starts), then the Gateway's services on their port, as the
 * organisation's peer0.
 */
import type { EngineConfig } from '../config';
import type { ChaincodeLauncher } from '../launch/launcher';
import type { Peer } from '../peer/peer';
import type { InProcVM } from '../scc/inprocVM';
import { LedgerQuerier, QSCC_NAME, SYSTEM_CHAINCODE_VERSION } from '../scc/qscc';
import type { TransactionPipeline } from '../transactions/pipeline';
import type { BlockSources } from './blockSource';
import type { GatewayOrg } from './gatewayOrg';
import { PeerGateway } from './peerGateway';

export interface EngineGateway {
  readonly server: PeerGateway;
  /** The organisation it serves as, with the crypto folder clients read. */
  readonly org: GatewayOrg;
}

export interface EngineGatewayParts {
  readonly config: EngineConfig;
  readonly peer: Peer;
  readonly pipeline: TransactionPipeline;
  readonly launcher: ChaincodeLauncher;
  readonly systemChaincodes: InProcVM;
  readonly org: GatewayOrg;
  readonly blocks: BlockSources;
}

export async function startEngineGateway(parts: EngineGatewayParts, port: number): Promise<EngineGateway> {
  parts.systemChaincodes.register(QSCC_NAME, new LedgerQuerier(parts.blocks));
  await parts.launcher.launch({
    kind: 'deployment',
    definition: { name: QSCC_NAME, version: SYSTEM_CHAINCODE_VERSION, mode: 'system', language: 'node', path: QSCC_NAME },
  });
  const server = await PeerGateway.start(parts.peer, parts.pipeline, {
    host: parts.config.peerHost,
    port,
    tls: parts.org.tls,
    peerName: parts.org.peerName,
    mspId: parts.org.mspId,
    verifier: parts.org.verifier,
    blocks: parts.blocks,
  });
  return { server, org: parts.org };
}
