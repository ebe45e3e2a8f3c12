/**
 * CommitStatus and ChaincodeEvents let only the channel's readers in: Fabric checks the signed
 * request against the resource's ACL (core/aclmgmt: `gateway/CommitStatus` and
 * `gateway/ChaincodeEvents` map to /Channel/Application/Readers, any member of a channel org)
 * with the request as its one signature, and answers PERMISSION_DENIED with the policy checker's
 * words (core/policy/policy.go `CheckPolicyBySignedData`, common/policies ImplicitMeta).
 */
import * as grpc from '@grpc/grpc-js';
import { CallerRefusedError, type Caller, type CallerVerifier } from './callers';
import { GatewayStatusError } from './gatewayErrors';

const READERS = '/Channel/Application/Readers';
const NOT_SATISFIED = "implicit policy evaluation failed - 0 sub-policies were satisfied, but this policy requires 1 of the 'Readers' sub-policies to be satisfied";

export function checkChannelReader(verifier: CallerVerifier, channel: string, identity: Uint8Array, signed: Uint8Array, signature: Uint8Array): Caller {
  if (!channel) {
    throw new GatewayStatusError(grpc.status.PERMISSION_DENIED, 'invalid channel ID name during check policy on signed data. Name must be different from nil.');
  }
  try {
    return verifier.verify(channel, identity, signed, signature);
  } catch (err) {
    if (!(err instanceof CallerRefusedError)) throw err;
    throw new GatewayStatusError(grpc.status.PERMISSION_DENIED, `failed evaluating policy on signed data during check policy [${READERS}]: [${NOT_SATISFIED}]`, [], { cause: err });
  }
}
