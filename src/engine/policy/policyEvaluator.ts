/**
 * Evaluating a signature policy against signed data, with Fabric's semantics
 * (`common/policies/policy.go` `SignatureSetToValidIdentities`, `common/cauthdsl/cauthdsl.go`
 * `compile`):
 * 1. each SignedData in order is deserialised with the channel's MSPs (failures skipped), skipped
 *    when an identity with the same MSP id + id was already accepted, then its signature is
 *    verified (failures skipped);
 * 2. `signed_by i` takes the first unused accepted identity satisfying principal i and marks it
 *    used; `NOutOf` runs each sub-rule on a copy of the used flags, keeps the copy when it passes,
 *    and passes when at least n sub-rules did. Greedy, no backtracking: an identity serves at most
 *    one `signed_by`, and the order of the signatures matters.
 */
import type { ChannelMsps } from '../msp/channelMsps';
import type { MspIdentity } from '../msp/msp';
import { principalText } from '../msp/principal';
import type { SignaturePolicyEnvelope, SignaturePolicyRule } from './signaturePolicy';

/** One signature to check: `identity` (a serialized SerializedIdentity) signed `data`. */
export interface SignedData {
  readonly data: Uint8Array;
  readonly identity: Uint8Array;
  readonly signature: Uint8Array;
}

/** A policy that cannot be evaluated (Fabric fails to build it). */
export class PolicyCompileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyCompileError';
  }
}

/** The policy was not satisfied: Fabric's `signature set did not satisfy policy`, with why for humans. */
export class PolicyNotSatisfiedError extends Error {
  constructor(readonly evaluation: PolicyEvaluation) {
    super('signature set did not satisfy policy');
    this.name = 'PolicyNotSatisfiedError';
  }
}

/** A signer that did not count, and why (Fabric logs these). */
export interface RejectedSigner {
  readonly index: number;
  readonly reason: string;
}

export interface PolicyEvaluation {
  readonly satisfied: boolean;
  /** The identities that passed step 1, in signature order. */
  readonly identities: readonly MspIdentity[];
  readonly rejected: readonly RejectedSigner[];
}

type Compiled = (ids: readonly MspIdentity[], used: boolean[]) => boolean;

/** Fabric's `SignatureSetToValidIdentities`. */
export function validIdentities(signedData: readonly SignedData[], msps: ChannelMsps): { identities: MspIdentity[]; rejected: RejectedSigner[] } {
  const identities: MspIdentity[] = [];
  const rejected: RejectedSigner[] = [];
  const accepted = new Set<string>();
  signedData.forEach((sd, index) => {
    let identity: MspIdentity;
    try {
      identity = msps.deserializeIdentity(sd.identity);
    } catch (err) {
      rejected.push({ index, reason: `failed deserializing signature ${index}: ${(err as Error).message}` });
      return;
    }
    const key = identity.mspId + identity.id;
    if (accepted.has(key)) {
      rejected.push({ index, reason: `De-duplicating identity [${key}] at index ${index} in signature set` });
      return;
    }
    try {
      identity.verify(sd.data, sd.signature);
    } catch (err) {
      rejected.push({ index, reason: `signature for identity ${index} is invalid: ${(err as Error).message}` });
      return;
    }
    accepted.add(key);
    identities.push(identity);
  });
  return { identities, rejected };
}

function compile(rule: SignaturePolicyRule | null, env: SignaturePolicyEnvelope): Compiled {
  if (!rule) throw new PolicyCompileError('Empty policy element');
  if (rule.kind === 'signedBy') {
    if (rule.index < 0 || rule.index >= env.identities.length) {
      throw new PolicyCompileError(`identity index out of range, requested ${rule.index}, but identities length is ${env.identities.length}`);
    }
    const principal = env.identities[rule.index];
    return (ids, used) => {
      for (let i = 0; i < ids.length; i++) {
        if (used[i]) continue;
        try {
          ids[i].msp.satisfiesPrincipal(ids[i], principal);
        } catch {
          continue;
        }
        used[i] = true;
        return true;
      }
      return false;
    };
  }
  const subs = rule.rules.map((r) => compile(r, env));
  return (ids, used) => {
    let verified = 0;
    const scratch = used.slice();
    for (const sub of subs) {
      for (let i = 0; i < used.length; i++) scratch[i] = used[i];
      if (sub(ids, scratch)) {
        verified++;
        for (let i = 0; i < used.length; i++) used[i] = scratch[i];
      }
    }
    return verified >= rule.n;
  };
}

/** A compiled signature policy, ready to evaluate many times. */
export class SignaturePolicyEvaluator {
  private readonly compiled: Compiled;

  /** Throws PolicyCompileError as Fabric's `NewPolicy` does (version, index range, empty rules). */
  constructor(
    readonly envelope: SignaturePolicyEnvelope,
    private readonly msps: ChannelMsps,
  ) {
    if (envelope.version !== 0) throw new PolicyCompileError(`This evaluator only understands messages of version 0, but version was ${envelope.version}`);
    this.compiled = compile(envelope.rule, envelope);
  }

  /** Whether already-validated identities satisfy the policy (Fabric's `EvaluateIdentities`). */
  evaluateIdentities(identities: readonly MspIdentity[]): boolean {
    return this.compiled(identities, new Array<boolean>(identities.length).fill(false));
  }

  /** Steps 1 and 2 over signed data; never throws for an unsatisfied policy. */
  evaluate(signedData: readonly SignedData[]): PolicyEvaluation {
    const { identities, rejected } = validIdentities(signedData, this.msps);
    return { satisfied: this.evaluateIdentities(identities), identities, rejected };
  }

  /** Throws PolicyNotSatisfiedError (`signature set did not satisfy policy`) when not satisfied. */
  check(signedData: readonly SignedData[]): PolicyEvaluation {
    const result = this.evaluate(signedData);
    if (!result.satisfied) throw new PolicyNotSatisfiedError(result);
    return result;
  }

  /** The policy in words, for messages: `2 of (Org1MSP.peer, Org2MSP.peer)`. */
  describe(): string {
    const text = (r: SignaturePolicyRule | null): string => {
      if (!r) return '(empty)';
      if (r.kind === 'signedBy') return this.envelope.identities[r.index] ? principalText(this.envelope.identities[r.index]) : `#${r.index}`;
      return `${r.n} of (${r.rules.map(text).join(', ')})`;
    };
    return text(this.envelope.rule);
  }
}
