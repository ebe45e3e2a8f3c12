/**
 * `_lifecycle` as the engine deploys it: one instance per org's peer (each with its own installed
 * packages, approving for its own org), launched as a system chaincode as Fabric deploys its system
 * chaincodes when a peer starts. The definitions the channels committed through it are what the
 * transaction pipeline then endorses and validates against: read from the state at start, and
 * taken again each time a `_lifecycle` transaction that wrote one commits.
 */
import type { NetworkLauncher } from '../network/networkLauncher';
import type { OrgNode } from '../network/orgNode';
import { peerDataDir } from '../ledger/channelDirectories';
import { ChannelMsps } from '../msp';
import type { Peer } from '../peer/peer';
import { LifecycleScc } from '../scc/lifecycleScc';
import { SYSTEM_CHAINCODE_VERSION } from '../chaincodeId';
import type { TransactionPipeline } from '../transactions/pipeline';
import type { Disposable } from '../util/events';
import { decodeDefinition, definitionOnChannel, LIFECYCLE_NAME, NAMES_KEY, definitionKey } from './lifecycleState';
import { PackageStore } from './packageStore';

export interface LifecycleParts {
  /** The network's data directory (each peer's is under it). */
  readonly dataDir: string;
  readonly nodes: readonly OrgNode[];
  readonly pipeline: TransactionPipeline;
  readonly launcher: NetworkLauncher;
}

export async function startLifecycle(parts: LifecycleParts): Promise<Disposable> {
  const msps = new ChannelMsps(parts.nodes.map((n) => n.org.msp));
  const orgs = parts.nodes.map((n) => n.org.mspId);
  for (const node of parts.nodes) {
    const packages = new PackageStore(peerDataDir(parts.dataDir, node.org.mspId));
    node.systemChaincodes.register(
      LIFECYCLE_NAME,
      new LifecycleScc({ mspId: node.org.mspId, msps, channelOrgs: () => orgs, packages, launchDefined: (channel) => parts.pipeline.definitions.launched(channel) }),
    );
  }
  await parts.launcher.launch({
    kind: 'deployment',
    definition: { name: LIFECYCLE_NAME, version: SYSTEM_CHAINCODE_VERSION, mode: 'system', language: 'node', path: LIFECYCLE_NAME },
  });
  // Every peer commits the same blocks: the first one's state is the channel's.
  const home = parts.nodes[0].peer;
  for (const ledger of home.ledgers()) adoptCommitted(parts.pipeline, home, ledger.channel, null);
  return parts.pipeline.onDidEndTransaction(({ record }) => {
    if (record.validation !== 'VALID' || !record.chaincode.startsWith(`${LIFECYCLE_NAME}:`)) return;
    const names = record.rwset.writes.filter((w) => w.chaincode === LIFECYCLE_NAME && w.key.startsWith(`${NAMES_KEY}/`)).map((w) => w.key.slice(NAMES_KEY.length + 1));
    if (names.length > 0) adoptCommitted(parts.pipeline, home, record.channel, names);
  });
}

/** Hands the pipeline the committed definitions of `names` on `channel` (null: every defined name). */
function adoptCommitted(pipeline: TransactionPipeline, peer: Peer, channel: string, names: readonly string[] | null): void {
  const state = peer.ledger(channel).state;
  const ns = { channel, chaincode: LIFECYCLE_NAME };
  const listed = state.getState(ns, NAMES_KEY);
  for (const name of names ?? (listed ? (JSON.parse(listed.value.toString('utf8')) as string[]) : [])) {
    const entry = state.getState(ns, definitionKey(name));
    if (entry && entry.value.length > 0) pipeline.definitions.adopt(channel, definitionOnChannel(decodeDefinition(entry.value)));
  }
}
