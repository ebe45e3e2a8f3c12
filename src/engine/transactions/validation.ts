/**
 * Fabric's endorsement validation (the default VSCC with state-based endorsement,
 * core/common/validation/statebased/validator_keylevel.go): every key a transaction writes that has
 * a key-level policy (VALIDATION_PARAMETER) needs that policy satisfied, and then the chaincode's
 * own policy is not needed for it; a private key of a collection with its own endorsement policy
 * (or an implicit collection) needs that one, once per collection; every other written key, or a
 * transaction that writes nothing, needs the chaincode's endorsement policy. Endorsers are identities the pipeline's own peers
 * endorsed as, so their signatures need no second check here.
 */
import type { EndorsementValidator } from '../ledger/blockPlan';
import type { ReadWriteSet } from '../ledger/types';
import type { ChannelMsps, MspIdentity } from '../msp';
import { decodeValidationParameter, SignaturePolicyEvaluator, VALIDATION_PARAMETER } from '../policy';
import type { CollectionPolicyLookup } from '../privateData/collectionEndorsement';
import { lifecycleKeyPolicy } from '../lifecycle/lifecycleState';

export function endorsementValidator(
  msps: ChannelMsps,
  chaincodePolicy: SignaturePolicyEvaluator,
  endorsers: readonly Buffer[],
  /** A private key's collection endorsement policy, null when its collection has none. */
  collectionPolicy: CollectionPolicyLookup = () => null,
): EndorsementValidator {
  let identities: MspIdentity[] | undefined;
  const endorsing = (): MspIdentity[] => (identities ??= endorsers.map((e) => msps.deserializeIdentity(e)));
  return {
    validate(rwset: ReadWriteSet, keyMetadata): 'VALID' | 'ENDORSEMENT_POLICY_FAILURE' {
      let needsChaincodePolicy = false;
      const checked = new Set<string>();
      const collectionsChecked = new Set<string>();
      for (const w of [...rwset.writes, ...rwset.metadataWrites]) {
        const id = JSON.stringify([w.chaincode, w.collection, w.key]);
        if (checked.has(id)) continue;
        checked.add(id);
        // _lifecycle: an org's approval needs only that org's peer (lifecycle/lifecycleState.ts).
        const systemPolicy = w.collection ? null : lifecycleKeyPolicy(w.chaincode, w.key);
        if (systemPolicy) {
          if (!new SignaturePolicyEvaluator(systemPolicy, msps).evaluateIdentities(endorsing())) return 'ENDORSEMENT_POLICY_FAILURE';
          continue;
        }
        const parameter = keyMetadata(w.chaincode, w.collection, w.key)?.[VALIDATION_PARAMETER];
        if (!parameter || parameter.length === 0) {
          const ofCollection = w.collection === '' ? null : collectionPolicy(w.chaincode, w.collection);
          if (!ofCollection) {
            needsChaincodePolicy = true;
          } else if (!collectionsChecked.has(`${w.chaincode}\u0000${w.collection}`)) {
            collectionsChecked.add(`${w.chaincode}\u0000${w.collection}`);
            if (!ofCollection.evaluateIdentities(endorsing())) return 'ENDORSEMENT_POLICY_FAILURE';
          }
          continue;
        }
        let keyPolicy: SignaturePolicyEvaluator;
        try {
          keyPolicy = new SignaturePolicyEvaluator(decodeValidationParameter(parameter), msps);
        } catch {
          return 'ENDORSEMENT_POLICY_FAILURE'; // a malformed key-level policy fails the transaction, as Fabric's plugin does
        }
        if (!keyPolicy.evaluateIdentities(endorsing())) return 'ENDORSEMENT_POLICY_FAILURE';
      }
      if ((needsChaincodePolicy || checked.size === 0) && !chaincodePolicy.evaluateIdentities(endorsing())) return 'ENDORSEMENT_POLICY_FAILURE';
      return 'VALID';
    },
  };
}
