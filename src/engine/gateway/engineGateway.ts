/**
 * The Gateway as the engine starts it: qscc and _lifecycle deployed on every org's peer as a system chaincode (as
 * Fabric deploys its system chaincodes when a peer starts), then each org's peer0 serves the
 * Gateway's services on its own port (the test network's: Org1 7051, Org2 9051, Org3 11051), over
 * the network's pipeline.
 */
import type { EngineConfig } from '../config';
import type { NetworkLauncher } from '../network/networkLauncher';
import { orgPort, type OrgNode } from '../network/orgNode';
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

/**
 * Every org's Gateway, the first org's first, each on `port` spaced as the test network spaces its
 * peers (orgPort: 7051, 9051, …); `retryPort(index, err)` may give another port to try (a port in
 * use), else the error stands.
 */
export async function startEngineGateways(
  parts: EngineGatewayParts,
  port: number,
  retryPort: (index: number, err: unknown) => number | undefined = () => undefined,
): Promise<EngineGateway[]> {
  await deploySystemChaincodes(parts);
  const gateways: EngineGateway[] = [];
  // Error details name another org's peer where its Gateway actually listens.
  const addressOf = (peerName: string): string | undefined => {
    const g = gateways.find((x) => x.org.peerName === peerName);
    return g ? `${peerName}:${g.server.port}` : undefined;
  };
  try {
    for (let i = 0; i < parts.nodes.length; i++) {
      const start = (p: number): Promise<EngineGateway> => startOrgGateway(parts, parts.nodes[i], p, addressOf);
      gateways.push(
        await start(orgPort(port, i)).catch((err: unknown) => {
          const other = retryPort(i, err);
          if (other === undefined) throw err;
          return start(other);
        }),
      );
    }
  } catch (err) {
    await Promise.all(gateways.map((g) => g.server.stop().catch(() => undefined)));
    throw err;
  }
  return gateways;
}

async function deploySystemChaincodes(parts: EngineGatewayParts): Promise<void> {
  for (const node of parts.nodes) node.systemChaincodes.register(QSCC_NAME, new LedgerQuerier(ledgerBlocks(node.peer)));
  await parts.launcher.launch({
    kind: 'deployment',
    definition: { name: QSCC_NAME, version: SYSTEM_CHAINCODE_VERSION, mode: 'system', language: 'node', path: QSCC_NAME },
  });
  await startLifecycle({ dataDir: parts.config.dataDir, nodes: parts.nodes, pipeline: parts.pipeline, launcher: parts.launcher });
}

async function startOrgGateway(parts: EngineGatewayParts, home: OrgNode, port: number, addressOf: (peerName: string) => string | undefined): Promise<EngineGateway> {
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
    addressOf,
  });
  return { server, org };
}
