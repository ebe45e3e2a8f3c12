/**
 * TypeScript shapes of Fabric's `_lifecycle` messages (peer/lifecycle/lifecycle.proto, package
 * `lifecycle`): each `_lifecycle` function takes [function name, one marshalled *Args] and returns
 * one marshalled *Result. Field names as in the .proto file (keepCase), as in ./messages.ts.
 */
import type { CollectionConfigPackage, Int64 } from './messages';

export interface InstallChaincodeArgs {
  chaincode_install_package: Uint8Array;
}
export interface InstallChaincodeResult {
  package_id: string;
  label: string;
}

export interface ChaincodeReference {
  name: string;
  version: string;
}
export interface ChaincodeReferences {
  chaincodes: ChaincodeReference[];
}
export interface QueryInstalledChaincodeArgs {
  package_id: string;
}
export interface QueryInstalledChaincodeResult {
  package_id: string;
  label: string;
  /** Channel → the chaincodes defined there with this package. */
  references: Record<string, ChaincodeReferences>;
}
export interface GetInstalledChaincodePackageArgs {
  package_id: string;
}
export interface GetInstalledChaincodePackageResult {
  chaincode_install_package: Uint8Array;
}
export type QueryInstalledChaincodesArgs = Record<string, never>;
export interface InstalledChaincode {
  package_id: string;
  label: string;
  references: Record<string, ChaincodeReferences>;
}
export interface QueryInstalledChaincodesResult {
  installed_chaincodes: InstalledChaincode[];
}

/** ChaincodeSource: `local_package` names the installed package an org runs, `unavailable` none. */
export interface ChaincodeSource {
  unavailable?: Record<string, never> | null;
  local_package?: { package_id: string } | null;
  readonly Type?: 'unavailable' | 'local_package';
}

/** The parameters every definition message carries (Approve, Commit, CheckCommitReadiness args). */
export interface DefinitionParameters {
  sequence: Int64;
  name: string;
  version: string;
  endorsement_plugin: string;
  validation_plugin: string;
  /** A marshalled protos.ApplicationPolicy. */
  validation_parameter: Uint8Array;
  collections?: CollectionConfigPackage | null;
  init_required: boolean;
}
export interface ApproveChaincodeDefinitionForMyOrgArgs extends DefinitionParameters {
  source?: ChaincodeSource | null;
}
export type CommitChaincodeDefinitionArgs = DefinitionParameters;
export type CheckCommitReadinessArgs = DefinitionParameters;
export type EmptyResult = Record<string, never>;
export interface CheckCommitReadinessResult {
  /** MSP id → whether that org approved exactly these parameters. */
  approvals: Record<string, boolean>;
  /** MSP id → the parameters where its approval differs. */
  mismatches: Record<string, { items: string[] }>;
}
export interface QueryApprovedChaincodeDefinitionArgs {
  name: string;
  /** 0: the latest approved (or the next one). */
  sequence: Int64;
}
export interface QueryApprovedChaincodeDefinitionResult extends Omit<DefinitionParameters, 'name'> {
  source?: ChaincodeSource | null;
}
export interface QueryApprovedChaincodeDefinitionsResult {
  approved_chaincode_definitions: ApproveChaincodeDefinitionForMyOrgArgs[];
}
export interface QueryChaincodeDefinitionArgs {
  name: string;
}
export interface QueryChaincodeDefinitionResult extends Omit<DefinitionParameters, 'name'> {
  approvals: Record<string, boolean>;
}
export interface QueryChaincodeDefinitionsResult {
  chaincode_definitions: DefinitionParameters[];
}
