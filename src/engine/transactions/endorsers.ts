/**
 * Who endorses a transaction, and whether they agree. As Fabric's gateway plans it
 * (internal/pkg/gateway/endorse.go): the chaincode's endorsement policy decides which orgs' peers
 * must endorse — the caller's own org first, then others in the network's order until the policy is
 * satisfied — unless the client names the endorsing orgs. Every endorser must return the same
 * ProposalResponsePayload, byte for byte; one that differs is reported with what differs
 * (endorsementDiff.ts), which is how non-deterministic chaincode shows on a multi-org network.
 */
import type { ChaincodeDefinitions } from '../lifecycle/definitions';
import type { ChannelMsps } from '../msp';
import type { Peer } from '../peer/peer';
import { defaultEndorsementPolicy, SignaturePolicyEvaluator } from '../policy';
import { endorsementDifferences, type EndorsementDifference } from './endorsementDiff';
import type { Simulation } from '../peer/peer';
import type { ChaincodeEventRecord, ReadWriteSet } from '../ledger/types';
import type { ChaincodeResponse } from './response';

/** No set of the network's peers can satisfy the chaincode's endorsement policy (Fabric's gateway: FAILED_PRECONDITION). */
export class EndorsementPlanError extends Error {
  override readonly name = 'EndorsementPlanError';
}

/** What one endorser's simulation produced: what its ProposalResponsePayload commits to. */
export interface EndorserOutput {
  readonly peer: string;
  readonly mspId: string;
  readonly response: ChaincodeResponse;
  readonly event: ChaincodeEventRecord | null;
  readonly readWriteSet: ReadWriteSet;
}

/** An endorser whose ProposalResponsePayload differs from the first endorser's. */
export interface EndorsementMismatch {
  readonly peer: string;
  readonly mspId: string;
  readonly differences: readonly EndorsementDifference[];
  /** Both sides in full, for a side-by-side diff (the editor's): the first endorser's output, and this endorser's. */
  readonly initial: EndorserOutput;
  readonly invoked: EndorserOutput;
}

/** Fabric's message for it (gateway ErrorDetail.message; protoutil.CreateSignedTx before 2.4). */
export const PAYLOADS_DO_NOT_MATCH = 'ProposalResponsePayloads do not match';

export class EndorsementPlanner {
  private readonly policies = new WeakMap<object, SignaturePolicyEvaluator>();
  /** The default policy over each set of orgs it was asked for (see `policy`). */
  private readonly defaultPolicies = new Map<string, SignaturePolicyEvaluator>();

  constructor(
    /** The network's peers, the caller's org first. */
    private readonly peers: readonly Peer[],
    private readonly msps: ChannelMsps,
    private readonly definitions: ChaincodeDefinitions,
  ) {}

  /**
   * The chaincode's endorsement policy on the channel. A defined chaincode has its definition's
   * policy, or the channel's default when the definition names none. A chaincode nobody defined — one
   * the developer started against a peer, as in the peer's dev mode, rather than launched through
   * the engine — is endorsed by the orgs whose peers it registered with: the embedded network's
   * equivalent of only those orgs having installed and approved it. So a chaincode run by hand on the
   * first org's peer commits on a two-org network, and one launched on every org needs them all.
   */
  policy(channel: string, chaincodeName: string): SignaturePolicyEvaluator {
    const defined = this.definitions.get(channel, chaincodeName);
    if (defined?.endorsementPolicy) {
      let evaluator = this.policies.get(defined);
      if (!evaluator) this.policies.set(defined, (evaluator = new SignaturePolicyEvaluator(defined.endorsementPolicy, this.msps)));
      return evaluator;
    }
    const running = defined ? [] : this.peers.filter((p) => p.registry.resolve(chaincodeName)?.state === 'ready').map((p) => p.mspId);
    const orgs = running.length > 0 ? running : this.peers.map((p) => p.mspId);
    // /Channel/Application/Endorsement: MAJORITY of the orgs' Endorsement policies (each OR('<MSP>.peer')).
    const key = orgs.join('\n');
    let evaluator = this.defaultPolicies.get(key);
    if (!evaluator) this.defaultPolicies.set(key, (evaluator = new SignaturePolicyEvaluator(defaultEndorsementPolicy(orgs), this.msps)));
    return evaluator;
  }

  /**
   * The peers that endorse: those of the orgs the client named, or the fewest in network order
   * whose endorsements satisfy the policy, `localOrg`'s peer first (a Gateway plans from its own
   * peer, as Fabric's does: an Org2 application through peer0.org2 endorses there first).
   */
  plan(channel: string, chaincodeName: string, endorsingOrgs?: readonly string[], localOrg?: string): Peer[] {
    if (endorsingOrgs && endorsingOrgs.length > 0) {
      return endorsingOrgs.map((mspId) => {
        const peer = this.peers.find((p) => p.mspId === mspId);
        if (!peer) throw new EndorsementPlanError(`no peers available for organization ${mspId}: the network's organizations are ${this.peers.map((p) => p.mspId).join(', ')}`);
        return peer;
      });
    }
    const policy = this.policy(channel, chaincodeName);
    const chosen: Peer[] = [];
    const local = this.peers.filter((p) => p.mspId === localOrg);
    for (const peer of [...local, ...this.peers.filter((p) => !local.includes(p))]) {
      chosen.push(peer);
      if (policy.evaluateIdentities(chosen.map((p) => this.msps.deserializeIdentity(p.signer.serialized)))) return chosen;
    }
    throw new EndorsementPlanError(
      `no combination of peers can be derived which satisfy the endorsement policy of chaincode ${chaincodeName} on channel ${channel} (${policy.describe()}): the network's peers are ${this.peers.map((p) => p.name).join(', ')}`,
    );
  }
}

/** The endorsers that disagree with the first one, and how; [] when all agree. */
export function mismatches(endorsers: readonly Peer[], payloads: readonly Buffer[], simulations: readonly Simulation[]): EndorsementMismatch[] {
  const out: EndorsementMismatch[] = [];
  for (let i = 1; i < endorsers.length; i++) {
    if (payloads[i].equals(payloads[0])) continue;
    out.push({
      peer: endorsers[i].name,
      mspId: endorsers[i].mspId,
      differences: endorsementDifferences(simulations[0], simulations[i]),
      initial: endorserOutput(endorsers[0], simulations[0]),
      invoked: endorserOutput(endorsers[i], simulations[i]),
    });
  }
  return out;
}

function endorserOutput(peer: Peer, simulation: Simulation): EndorserOutput {
  return { peer: peer.name, mspId: peer.mspId, response: simulation.response, event: simulation.event, readWriteSet: simulation.rwset };
}
