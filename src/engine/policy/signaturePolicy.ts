/**
 * Signature policies as data (`common/policies.proto` `SignaturePolicyEnvelope`) and their exact
 * protobuf bytes: what the policy language produces, what chaincode definitions, collections and
 * key-level validation parameters carry, and what the evaluator runs.
 */
import { codecs } from '../wire/codec';
import { PrincipalClassification, type MSPPrincipal, type SignaturePolicy as SignaturePolicyProto, type SignaturePolicyEnvelope as EnvelopeProto } from '../wire/messages';
import { MSP_ROLE_NUMBERS, type MspPrincipal, type MspRoleName } from '../msp/principal';

export type SignaturePolicyRule =
  { readonly kind: 'signedBy'; readonly index: number } | { readonly kind: 'nOutOf'; readonly n: number; readonly rules: readonly SignaturePolicyRule[] };

export interface SignaturePolicyEnvelope {
  readonly version: number;
  /** Null only in malformed envelopes (Fabric: `Empty policy element`). */
  readonly rule: SignaturePolicyRule | null;
  readonly identities: readonly MspPrincipal[];
}

export class PolicyDecodeError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PolicyDecodeError';
  }
}

export const signedBy = (index: number): SignaturePolicyRule => ({ kind: 'signedBy', index });
export const nOutOf = (n: number, rules: readonly SignaturePolicyRule[]): SignaturePolicyRule => ({ kind: 'nOutOf', n, rules });

const ROLE_NAMES = new Map(Object.entries(MSP_ROLE_NUMBERS).map(([name, n]) => [n, name as MspRoleName]));

// ---- to protobuf ----

function ruleToProto(rule: SignaturePolicyRule): SignaturePolicyProto {
  return rule.kind === 'signedBy' ? { signed_by: rule.index } : { n_out_of: { n: rule.n, rules: rule.rules.map(ruleToProto) } };
}

export function principalToProto(p: MspPrincipal): MSPPrincipal {
  switch (p.kind) {
    case 'role':
      return { principal_classification: PrincipalClassification.ROLE, principal: codecs.MSPRole.encode({ msp_identifier: p.mspId, role: MSP_ROLE_NUMBERS[p.role] }) };
    case 'unknownRole':
      return { principal_classification: PrincipalClassification.ROLE, principal: codecs.MSPRole.encode({ msp_identifier: p.mspId, role: p.role }) };
    case 'identity':
      return { principal_classification: PrincipalClassification.IDENTITY, principal: p.serializedIdentity };
    case 'organizationUnit':
      return {
        principal_classification: PrincipalClassification.ORGANIZATION_UNIT,
        principal: codecs.OrganizationUnit.encode({ msp_identifier: p.mspId, organizational_unit_identifier: p.ou, certifiers_identifier: p.certifiersIdentifier }),
      };
    case 'anonymity':
      return { principal_classification: PrincipalClassification.ANONYMITY, principal: codecs.MSPIdentityAnonymity.encode({ anonymity_type: p.anonymityType }) };
    case 'combined':
      return { principal_classification: PrincipalClassification.COMBINED, principal: codecs.CombinedPrincipal.encode({ principals: p.principals.map(principalToProto) }) };
    case 'unknown':
      return { principal_classification: p.classification, principal: Buffer.alloc(0) };
  }
}

export function envelopeToProto(env: SignaturePolicyEnvelope): EnvelopeProto {
  return { version: env.version, rule: env.rule ? ruleToProto(env.rule) : null, identities: env.identities.map(principalToProto) };
}

/** The envelope's bytes, identical to Go's `proto.Marshal` (and fabric-protos). */
export function encodeSignaturePolicyEnvelope(env: SignaturePolicyEnvelope): Buffer {
  return codecs.SignaturePolicyEnvelope.encode(envelopeToProto(env));
}

// ---- from protobuf ----

function ruleFromProto(rule: SignaturePolicyProto | null | undefined, depth: number): SignaturePolicyRule | null {
  if (!rule || !rule.Type) return null;
  if (depth > 64) throw new PolicyDecodeError('signature policy nested too deeply');
  if (rule.Type === 'signed_by') return signedBy(rule.signed_by ?? 0);
  const gate = rule.n_out_of;
  const rules = (gate?.rules ?? []).map((r) => ruleFromProto(r, depth + 1));
  // A sub-rule with no type cannot be compiled: Fabric fails the whole policy (`Empty policy element`).
  if (rules.some((r) => r === null)) throw new PolicyDecodeError('Empty policy element');
  return nOutOf(gate?.n ?? 0, rules as SignaturePolicyRule[]);
}

/** A principal from its proto; bytes that do not decode make it unsatisfiable, as in Fabric (at evaluation, not at decoding). */
export function principalFromProto(p: MSPPrincipal): MspPrincipal {
  try {
    return decodePrincipal(p);
  } catch (err) {
    const what = ['MSPRole', 'OrganizationUnit', 'SerializedIdentity', 'MSPIdentityAnonymity', 'CombinedPrincipal'][p.principal_classification] ?? 'principal';
    return { kind: 'unknown', classification: p.principal_classification, reason: `could not unmarshal ${what} from principal: ${(err as Error).message}` };
  }
}

function decodePrincipal(p: MSPPrincipal): MspPrincipal {
  const bytes = Buffer.from(p.principal ?? []);
  switch (p.principal_classification) {
    case PrincipalClassification.ROLE: {
      const role = codecs.MSPRole.decode(bytes);
      const name = ROLE_NAMES.get(role.role);
      return name ? { kind: 'role', mspId: role.msp_identifier, role: name } : { kind: 'unknownRole', mspId: role.msp_identifier, role: role.role };
    }
    case PrincipalClassification.IDENTITY:
      return { kind: 'identity', serializedIdentity: bytes };
    case PrincipalClassification.ORGANIZATION_UNIT: {
      const ou = codecs.OrganizationUnit.decode(bytes);
      return { kind: 'organizationUnit', mspId: ou.msp_identifier, ou: ou.organizational_unit_identifier, certifiersIdentifier: Buffer.from(ou.certifiers_identifier) };
    }
    case PrincipalClassification.ANONYMITY:
      return { kind: 'anonymity', anonymityType: codecs.MSPIdentityAnonymity.decode(bytes).anonymity_type };
    case PrincipalClassification.COMBINED:
      return { kind: 'combined', principals: codecs.CombinedPrincipal.decode(bytes).principals.map(principalFromProto) };
    default:
      return { kind: 'unknown', classification: p.principal_classification };
  }
}

export function envelopeFromProto(proto: EnvelopeProto): SignaturePolicyEnvelope {
  return { version: proto.version, rule: ruleFromProto(proto.rule, 0), identities: proto.identities.map(principalFromProto) };
}

/** Decodes envelope bytes; a PolicyDecodeError names what is wrong. */
export function decodeSignaturePolicyEnvelope(bytes: Uint8Array): SignaturePolicyEnvelope {
  try {
    return envelopeFromProto(codecs.SignaturePolicyEnvelope.decode(bytes));
  } catch (err) {
    if (err instanceof PolicyDecodeError) throw err;
    throw new PolicyDecodeError(`cannot decode SignaturePolicyEnvelope: ${(err as Error).message}`, { cause: err });
  }
}

/** The MSP ids a policy's principals name (role, OU and combined principals), in first-seen order. */
export function principalMspIds(env: SignaturePolicyEnvelope): string[] {
  const out: string[] = [];
  const visit = (p: MspPrincipal): void => {
    if (p.kind === 'role' || p.kind === 'unknownRole' || p.kind === 'organizationUnit') {
      if (!out.includes(p.mspId)) out.push(p.mspId);
    } else if (p.kind === 'combined') {
      p.principals.forEach(visit);
    }
  };
  env.identities.forEach(visit);
  return out;
}
