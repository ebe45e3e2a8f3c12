/**
 * `_lifecycle` QueryChaincodeDefinitions as `peer lifecycle chaincode querycommitted` asks it
 * (Fabric's peer/lifecycle/lifecycle.proto, compiled in @hyperledger/fabric-protos, the Gateway
 * client's own protos): the argument is a marshalled QueryChaincodeDefinitionsArgs (empty), the
 * answer a QueryChaincodeDefinitionsResult with one definition per committed chaincode.
 */
import type * as protos from '@hyperledger/fabric-protos';
import { isGatewayError } from './gatewayErrors';

export interface ChaincodeDefinitionSummary {
  readonly name: string;
  readonly version: string;
  readonly sequence: number;
  readonly endorsementPlugin: string;
  readonly validationPlugin: string;
  readonly initRequired: boolean;
  /** Names of the private data collections the definition has. */
  readonly collections: readonly string[];
}

/** The peer answered that it has no `_lifecycle` on the channel (a peer without the lifecycle system chaincode). */
export class LifecycleUnavailableError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LifecycleUnavailableError';
  }
}

function lifecycleProtos(): typeof protos.peer.lifecycle {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded with the Gateway client, on first use
  return (require('@hyperledger/fabric-protos') as typeof protos).peer.lifecycle;
}

export function chaincodeDefinitionsArgs(): Uint8Array {
  return new (lifecycleProtos().QueryChaincodeDefinitionsArgs)().serializeBinary();
}

export function readChaincodeDefinitions(bytes: Uint8Array): ChaincodeDefinitionSummary[] {
  const result = lifecycleProtos().QueryChaincodeDefinitionsResult.deserializeBinary(bytes);
  return result.getChaincodeDefinitionsList().map((d) => ({
    name: d.getName(),
    version: d.getVersion(),
    sequence: d.getSequence(),
    endorsementPlugin: d.getEndorsementPlugin(),
    validationPlugin: d.getValidationPlugin(),
    initRequired: d.getInitRequired(),
    collections: (d.getCollections()?.getConfigList() ?? []).map((c) => c.getStaticCollectionConfig()?.getName() ?? '').filter(Boolean),
  }));
}

/** Does the gateway's error say it knows no `_lifecycle` chaincode (rather than that the query failed)? */
export function isUnknownLifecycle(err: unknown): boolean {
  if (!isGatewayError(err)) return false;
  const texts = [err.message, ...err.details.map((d) => d.message)];
  return texts.some((t) =>
    /no peers available to evaluate chaincode _lifecycle|No metadata was found for chaincode _lifecycle|chaincode _lifecycle.*(not found|not installed|unknown|not registered)|unknown chaincode.*_lifecycle/i.test(
      t,
    ),
  );
}
