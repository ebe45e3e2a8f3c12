/**
 * `protos.ApplicationPolicy` (`peer/policy.proto`): a chaincode definition's or a collection's
 * endorsement policy, either a signature policy or a reference to a channel policy
 * (`/Channel/Application/Endorsement`). Built from the same two inputs as the peer CLI's
 * `--signature-policy` / `--channel-config-policy` (`internal/peer/lifecycle/chaincode/common.go`
 * `createPolicyBytes`, and collections' `endorsementPolicy` in `getApplicationPolicy`).
 */
import { codecs } from '../wire/codec';
import type { ApplicationPolicy as ApplicationPolicyProto } from '../wire/messages';
import { parsePolicy } from './policyDsl';
import { envelopeFromProto, envelopeToProto, PolicyDecodeError, type SignaturePolicyEnvelope } from './signaturePolicy';

export type ApplicationPolicy =
  | { readonly kind: 'signature'; readonly envelope: SignaturePolicyEnvelope; /** As written, when parsed from text. */ readonly text?: string }
  | { readonly kind: 'channelConfig'; readonly reference: string };

export class ApplicationPolicyError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ApplicationPolicyError';
  }
}

/**
 * From the two optional texts: none gives null (the caller's default applies), both is Fabric's
 * `cannot specify both "--signature-policy" and "--channel-config-policy"`, a signature policy
 * that does not parse throws the parser's PolicyParseError (naming `source`).
 */
export function applicationPolicyFrom(input: { readonly signaturePolicy?: string; readonly channelConfigPolicy?: string }, source?: string): ApplicationPolicy | null {
  const sig = input.signaturePolicy ?? '';
  const ref = input.channelConfigPolicy ?? '';
  if (sig === '' && ref === '') return null;
  if (sig !== '' && ref !== '') throw new ApplicationPolicyError(`${source ? `${source}: ` : ''}cannot specify both "--signature-policy" and "--channel-config-policy"`);
  if (sig !== '') return { kind: 'signature', envelope: parsePolicy(sig, source), text: sig };
  return { kind: 'channelConfig', reference: ref };
}

export function applicationPolicyToProto(p: ApplicationPolicy): ApplicationPolicyProto {
  return p.kind === 'signature' ? { signature_policy: envelopeToProto(p.envelope) } : { channel_config_policy_reference: p.reference };
}

export function encodeApplicationPolicy(p: ApplicationPolicy): Buffer {
  return codecs.ApplicationPolicy.encode(applicationPolicyToProto(p));
}

export function applicationPolicyFromProto(proto: ApplicationPolicyProto): ApplicationPolicy | null {
  if (proto.Type === 'signature_policy' && proto.signature_policy) return { kind: 'signature', envelope: envelopeFromProto(proto.signature_policy) };
  if (proto.Type === 'channel_config_policy_reference') return { kind: 'channelConfig', reference: proto.channel_config_policy_reference ?? '' };
  return null;
}

export function decodeApplicationPolicy(bytes: Uint8Array): ApplicationPolicy | null {
  try {
    return applicationPolicyFromProto(codecs.ApplicationPolicy.decode(bytes));
  } catch (err) {
    if (err instanceof PolicyDecodeError) throw err;
    throw new PolicyDecodeError(`cannot decode ApplicationPolicy: ${(err as Error).message}`, { cause: err });
  }
}
