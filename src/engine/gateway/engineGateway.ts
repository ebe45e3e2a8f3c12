/**
 * The Gateway as the engine starts it: qscc and _lifecycle deployed on every org's peer as a system chaincode (as
 * Fabric deploys its system chaincodes when a peer starts), then the Gateway's services on their
 * port, as the first organisation's peer0, over the network's pipeline.
 */
import type { EngineConfig } from '../config';
import type { NetworkLauncher } from '../network/networkLauncher';
import type { OrgNode } from '../network/orgNode';
import { SYSTEM_CHAINCODE_VERSION } from '../chaincodeId';
import { startLifecycle } from '../lifecycle/lifecycleOnPeers';
import { LedgerQuerier, QSCC_NAME } from '../scc/qscc';
import type { TransactionPipeline } from '../transactions/pipeline';
import { gatewayOrgOf, type GatewayOrg } from './gatewayOrg';
import { ledgerBlocks } from './ledgerBlocks';
import { PeerGateway } from './peerGateway';

export interface EngineGateway {
  readonly server: PeerGateway;
  /** The organisation it serves as, with the crypto folder clients read. */
  readonly org: GatewayOrg;
}

export interface EngineGatewayParts {
  readonly config: EngineConfig;
  /** The network's org nodes; the first serves the Gateway. */
  readonly nodes: readonly OrgNode[];
  readonly pipeline: TransactionPipeline;
  readonly launcher: NetworkLauncher;
}

export async function startEngineGateway(parts: EngineGatewayParts, port: number): Promise<EngineGateway> {
  for (const node of parts.nodes) node.systemChaincodes.register(QSCC_NAME, new LedgerQuerier(ledgerBlocks(node.peer)));
  await parts.launcher.launch({
    kind: 'deployment',
    definition: { name: QSCC_NAME, version: SYSTEM_CHAINCODE_VERSION, mode: 'system', language: 'node', path: QSCC_NAME },
  });
  await startLifecycle({ dataDir: parts.config.dataDir, nodes: parts.nodes, pipeline: parts.pipeline, launcher: parts.launcher });
  const home = parts.nodes[0];
  const org = await gatewayOrgOf(
    home.org,
    parts.nodes.map((n) => n.org),
  );
  const server = await PeerGateway.start(home.peer, parts.pipeline, {
    host: parts.config.peerHost,
    port,
    tls: org.tls,
    peerName: org.peerName,
    mspId: org.mspId,
    verifier: org.verifier,
    blocks: ledgerBlocks(home.peer),
    endorsers: parts.nodes.map((n) => ({ peerName: n.peer.name, mspId: n.org.mspId })),
  });
  return { server, org };
}
