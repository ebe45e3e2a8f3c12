/**
 * Channel policies built from the orgs' own (`common/policies/implicitmeta.go`,
 * `implicitmetaparser.go`), and the default endorsement policy a chaincode gets when none is given.
 *
 * Fabric's default (`core/chaincode/lifecycle/lifecycle.go` `DefaultEndorsementPolicyRef`) is the
 * channel policy `/Channel/Application/Endorsement` = `ImplicitMeta "MAJORITY Endorsement"`: the
 * `Endorsement` policies of N/2+1 of the channel's N orgs must be satisfied, each org's being
 * `OR('<MSPID>.peer')` in the test-network (`integration/nwo/template/configtx_template.go`) or
 * `OR('<MSPID>.member')` in the sample config. Because an org's principal is satisfied only by
 * identities of that org, this is exactly the signature policy
 * `OutOf(N/2+1, '<Org1>.peer', …, '<OrgN>.peer')`, which `defaultEndorsementPolicy` builds.
 */
import { rolePrincipal, type MspRoleName } from '../msp/principal';
import type { SignedData } from './policyEvaluator';
import { nOutOf, signedBy, type SignaturePolicyEnvelope } from './signaturePolicy';

export type ImplicitMetaRule = 'ANY' | 'ALL' | 'MAJORITY';

export interface ImplicitMetaPolicyValue {
  readonly rule: ImplicitMetaRule;
  readonly subPolicy: string;
}

export class ImplicitMetaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImplicitMetaError';
  }
}

/** Parses `"MAJORITY Endorsement"` with Fabric's errors. */
export function parseImplicitMetaRule(text: string): ImplicitMetaPolicyValue {
  const tokens = text.split(' ');
  if (tokens.length !== 2) throw new ImplicitMetaError(`expected two space separated tokens, but got ${tokens.length}`);
  const [rule, subPolicy] = tokens;
  if (rule !== 'ANY' && rule !== 'ALL' && rule !== 'MAJORITY') throw new ImplicitMetaError(`unknown rule type '${rule}', expected ALL, ANY, or MAJORITY`);
  return { rule, subPolicy };
}

/** How many of `count` sub-policies must pass: ANY 1, ALL N, MAJORITY N/2+1 (0 orgs: 0). */
export function implicitMetaThreshold(rule: ImplicitMetaRule, count: number): number {
  if (count === 0) return 0;
  if (rule === 'ANY') return 1;
  if (rule === 'ALL') return count;
  return Math.floor(count / 2) + 1;
}

/** Anything that evaluates signed data (a compiled signature policy, another ImplicitMeta…). */
export interface SignedDataPolicy {
  evaluate(signedData: readonly SignedData[]): { readonly satisfied: boolean };
}

/**
 * An ImplicitMeta policy over the orgs of one level. Each org's sub-policy sees the whole
 * signature set; an org without the sub-policy (null) still counts in N and never passes
 * (Fabric's reject-all placeholder).
 */
export class ImplicitMetaEvaluator {
  constructor(
    readonly value: ImplicitMetaPolicyValue,
    private readonly orgPolicies: readonly (SignedDataPolicy | null)[],
  ) {}

  get threshold(): number {
    return implicitMetaThreshold(this.value.rule, this.orgPolicies.length);
  }

  /** Throws ImplicitMetaError with Fabric's message when fewer than the threshold pass. */
  check(signedData: readonly SignedData[]): void {
    let remaining = this.threshold;
    let satisfied = 0;
    for (const policy of this.orgPolicies) {
      if (remaining === 0) break;
      if (policy?.evaluate(signedData).satisfied) {
        satisfied++;
        remaining--;
      }
    }
    if (remaining > 0) {
      throw new ImplicitMetaError(
        `implicit policy evaluation failed - ${satisfied} sub-policies were satisfied, but this policy requires ${this.threshold} of the '${this.value.subPolicy}' sub-policies to be satisfied`,
      );
    }
  }
}

/** An org's `Endorsement` policy as the test-network defines it: `OR('<mspId>.peer')`. */
export function orgEndorsementPolicy(mspId: string, role: MspRoleName = 'PEER'): SignaturePolicyEnvelope {
  return { version: 0, rule: nOutOf(1, [signedBy(0)]), identities: [rolePrincipal(mspId, role)] };
}

/**
 * Fabric's default chaincode endorsement policy for a channel of `mspIds` (MAJORITY Endorsement,
 * each org's Endorsement being `OR('<mspId>.<role>')`) as one signature policy.
 */
export function defaultEndorsementPolicy(mspIds: readonly string[], role: MspRoleName = 'PEER'): SignaturePolicyEnvelope {
  return {
    version: 0,
    rule: nOutOf(
      implicitMetaThreshold('MAJORITY', mspIds.length),
      mspIds.map((_, i) => signedBy(i)),
    ),
    identities: mspIds.map((id) => rolePrincipal(id, role)),
  };
}

/** The reference a chaincode definition without a policy gets. */
export const DEFAULT_ENDORSEMENT_POLICY_REF = '/Channel/Application/Endorsement';
