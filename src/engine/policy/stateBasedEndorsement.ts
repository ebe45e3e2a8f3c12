/**
 * Key-level (state-based) endorsement (`core/common/validation/statebased`): a key's
 * `VALIDATION_PARAMETER` metadata entry holds a bare `SignaturePolicyEnvelope`, as fabric-shim's
 * `KeyEndorsementPolicy.getPolicy()` and Go's `statebased.Policy()` write it: an AND (`NOutOf(#orgs)`)
 * of one ROLE principal per org. The validator wraps it as an ApplicationPolicy and evaluates it
 * like any signature policy; an empty one (`OutOf(0, [])`) is satisfied by any signature set.
 */
import type { MspRoleName } from '../msp/principal';
import { decodeSignaturePolicyEnvelope, type SignaturePolicyEnvelope } from './signaturePolicy';

/** `peer.MetaDataKeys_VALIDATION_PARAMETER`: the metadata entry name. */
export const VALIDATION_PARAMETER = 'VALIDATION_PARAMETER';

/** The key's policy from the metadata value; throws PolicyDecodeError when it is not an envelope. */
export function decodeValidationParameter(value: Uint8Array): SignaturePolicyEnvelope {
  return decodeSignaturePolicyEnvelope(value);
}

/** The orgs and roles a key-level policy names (fabric-shim `listOrgs` plus the role), for display. */
export function keyPolicyOrgs(env: SignaturePolicyEnvelope): { readonly mspId: string; readonly role: MspRoleName }[] {
  return env.identities.flatMap((p) => (p.kind === 'role' ? [{ mspId: p.mspId, role: p.role }] : []));
}
