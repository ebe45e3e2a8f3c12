/**
 * Deploying a lifecycle package as `peer lifecycle chaincode install | approveformyorg |
 * checkcommitreadiness | commit` do, as a Fabric Gateway client (@hyperledger/fabric-gateway) of one
 * peer: the same calls against the embedded peer and a real one.
 *
 * Install is a proposal to the peer's `_lifecycle` that nothing orders. Fabric's CLI sends it to the
 * peer's `protos.Endorser/ProcessProposal`; a Gateway client has no such call, so it goes through the
 * Gateway's Evaluate, which runs it on the Gateway's own peer (the org's) and orders nothing —
 * the embedded peer serves no Endorser service, and Fabric's Gateway runs Evaluate the same way.
 * Approve is a transaction each org's admin submits, endorsed by that org's peer only
 * (endorsingOrganizations = [the org]); commit one endorsed as the Gateway plans it (a majority of
 * the orgs, each peer checking its own org approved); both wait for their commit status.
 */
import type * as grpc from '@grpc/grpc-js';
import { connect, hash, signers, type Contract, type Gateway } from '@hyperledger/fabric-gateway';
import { gatewayErrorText } from '../connection/gatewayErrors';
import { validationName } from '../connection/validationCodes';
import { createPrivateKey } from 'node:crypto';
import { parsePolicy, type CollectionDefinition } from '../policy';
import { codecs } from '../wire/codec';
import type { DefinitionParameters } from '../wire/lifecycleMessages';
import { packageId as packageIdOf } from '../platforms/lifecyclePackage';
import { DEFAULT_ENDORSEMENT_REFERENCE, definitionParameters, LIFECYCLE_NAME } from './lifecycleState';
import { parsePackage } from './packageStore';

/** An org admin's identity, as the peer CLI reads it from CORE_PEER_MSPCONFIGPATH. */
export interface AdminIdentity {
  readonly mspId: string;
  readonly certPem: string;
  readonly keyPem: string;
}

export interface DeployRequest {
  /** The lifecycle package file's bytes. */
  readonly packageBytes: Buffer;
  readonly channel: string;
  readonly name: string;
  readonly version: string;
  readonly sequence: number;
  /** A signature policy (`AND('Org1MSP.peer','Org2MSP.peer')`); default the channel's Endorsement policy. */
  readonly endorsementPolicy?: string;
  readonly collections?: readonly CollectionDefinition[];
  readonly initRequired?: boolean;
}

/** What deploy will send, shown before anything is. */
export interface DeployPlan {
  readonly packageId: string;
  readonly label: string;
  readonly channel: string;
  readonly name: string;
  readonly version: string;
  readonly sequence: number;
  /** The endorsement policy as given, or the channel's policy it refers to. */
  readonly endorsementPolicy: string;
  readonly collections: readonly string[];
  /** The orgs that approve (one per admin identity), in order; the first installs and commits. */
  readonly approvers: readonly string[];
}

export type DeployProgress =
  | { readonly step: 'plan'; readonly plan: DeployPlan }
  | { readonly step: 'installed'; readonly packageId: string; readonly already: boolean }
  | { readonly step: 'approved'; readonly mspId: string; readonly txId: string; readonly blockNumber: bigint }
  | { readonly step: 'readiness'; readonly approvals: Readonly<Record<string, boolean>> }
  | { readonly step: 'committed'; readonly txId: string; readonly blockNumber: bigint };

export interface DeployResult {
  readonly plan: DeployPlan;
  /** The definition as the channel now has it (QueryChaincodeDefinition). */
  readonly committed: { readonly sequence: number; readonly version: string; readonly approvals: Readonly<Record<string, boolean>> };
}

/** A deploy step that failed: which step, and the peer's own message. */
export class DeployError extends Error {
  override readonly name = 'DeployError';
  constructor(
    readonly step: 'package' | 'install' | 'approve' | 'readiness' | 'commit' | 'query',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The plan and the definition parameters, checked locally (the package parses, the policy parses). */
export async function planDeploy(request: DeployRequest, admins: readonly AdminIdentity[]): Promise<{ plan: DeployPlan; definition: DefinitionParameters }> {
  if (admins.length === 0) throw new DeployError('package', 'deploy needs at least one org admin identity (Admin@<org>) to install, approve and commit');
  let label: string;
  try {
    label = (await parsePackage(request.packageBytes)).label;
  } catch (err) {
    throw new DeployError('package', (err as Error).message, { cause: err });
  }
  const definition: DefinitionParameters = {
    ...definitionParameters({
      name: request.name,
      version: request.version,
      sequence: request.sequence,
      endorsementPolicy: request.endorsementPolicy ? parsePolicy(request.endorsementPolicy) : null,
      collections: request.collections ?? [],
    }),
    init_required: request.initRequired ?? false,
  };
  const plan: DeployPlan = {
    packageId: packageIdOf(label, request.packageBytes),
    label,
    channel: request.channel,
    name: request.name,
    version: request.version,
    sequence: request.sequence,
    endorsementPolicy: request.endorsementPolicy ?? `${DEFAULT_ENDORSEMENT_REFERENCE} (the channel's default)`,
    collections: (request.collections ?? []).map((c) => c.name),
    approvers: admins.map((a) => a.mspId),
  };
  return { plan, definition };
}

/**
 * Install on the Gateway's peer (as the first admin), approve for each admin's org, check commit
 * readiness, commit (as the first admin), then read the definition back. `client`: a gRPC
 * connection to the peer's Gateway.
 */
export async function deploy(
  client: grpc.Client,
  request: DeployRequest,
  admins: readonly AdminIdentity[],
  onProgress: (p: DeployProgress) => void = () => undefined,
): Promise<DeployResult> {
  const { plan, definition } = await planDeploy(request, admins);
  onProgress({ step: 'plan', plan });
  const sessions = admins.map((admin) => session(client, admin, request.channel));
  try {
    const first = sessions[0];
    // Install: a channelless proposal, evaluated on the Gateway's peer.
    const installArg = codecs.LifecycleInstallChaincodeArgs.encode({ chaincode_install_package: request.packageBytes });
    try {
      const result = codecs.LifecycleInstallChaincodeResult.decode(await first.contract.evaluate('InstallChaincode', { arguments: [installArg] }));
      onProgress({ step: 'installed', packageId: result.package_id, already: false });
    } catch (err) {
      const message = gatewayErrorText(err);
      if (!message.includes('chaincode already successfully installed')) throw new DeployError('install', `install as ${admins[0].mspId} admin failed: ${message}`, { cause: err });
      onProgress({ step: 'installed', packageId: plan.packageId, already: true });
    }
    const approveArg = codecs.LifecycleApproveChaincodeDefinitionForMyOrgArgs.encode({ ...definition, source: { local_package: { package_id: plan.packageId } } });
    for (const [i, s] of sessions.entries()) {
      const mspId = admins[i].mspId;
      const done = await submit(s.contract, 'ApproveChaincodeDefinitionForMyOrg', approveArg, [mspId]).catch((err: unknown) => {
        throw new DeployError('approve', `approve for ${mspId} failed: ${gatewayErrorText(err)}`, { cause: err });
      });
      onProgress({ step: 'approved', mspId, ...done });
    }
    const definitionArg = codecs.LifecycleCommitChaincodeDefinitionArgs.encode(definition);
    let approvals: Record<string, boolean>;
    try {
      approvals = codecs.LifecycleCheckCommitReadinessResult.decode(await first.contract.evaluate('CheckCommitReadiness', { arguments: [definitionArg] })).approvals;
    } catch (err) {
      throw new DeployError('readiness', `check commit readiness failed: ${gatewayErrorText(err)}`, { cause: err });
    }
    onProgress({ step: 'readiness', approvals });
    const committed = await submit(first.contract, 'CommitChaincodeDefinition', definitionArg).catch((err: unknown) => {
      const waiting = Object.entries(approvals)
        .filter(([, ok]) => !ok)
        .map(([org]) => org);
      const hint = waiting.length ? ` (not approved yet by ${waiting.join(', ')}: approve with their admins first)` : '';
      throw new DeployError('commit', `commit failed: ${gatewayErrorText(err)}${hint}`, { cause: err });
    });
    onProgress({ step: 'committed', ...committed });
    try {
      const arg = codecs.LifecycleQueryChaincodeDefinitionArgs.encode({ name: request.name });
      const def = codecs.LifecycleQueryChaincodeDefinitionResult.decode(await first.contract.evaluate('QueryChaincodeDefinition', { arguments: [arg] }));
      return { plan, committed: { sequence: Number(def.sequence), version: def.version, approvals: def.approvals } };
    } catch (err) {
      throw new DeployError('query', `query of the committed definition failed: ${gatewayErrorText(err)}`, { cause: err });
    }
  } finally {
    for (const s of sessions) s.gateway.close();
  }
}

/** A transaction on `_lifecycle`: endorse (by `orgs`' peers, or as the Gateway plans), submit, wait for its commit. */
async function submit(contract: Contract, fn: string, arg: Buffer, orgs?: string[]): Promise<{ txId: string; blockNumber: bigint }> {
  const proposal = contract.newProposal(fn, { arguments: [arg], ...(orgs ? { endorsingOrganizations: orgs } : {}) });
  const transaction = await proposal.endorse();
  const commit = await transaction.submit();
  const status = await commit.getStatus();
  if (!status.successful) throw new Error(`transaction ${status.transactionId} committed as invalid: ${validationName(status.code)}`);
  return { txId: status.transactionId, blockNumber: status.blockNumber };
}

function session(client: grpc.Client, admin: AdminIdentity, channel: string): { gateway: Gateway; contract: Contract } {
  const gateway = connect({
    client,
    identity: { mspId: admin.mspId, credentials: Buffer.from(admin.certPem) },
    signer: signers.newPrivateKeySigner(createPrivateKey(admin.keyPem)),
    hash: hash.sha256,
  });
  return { gateway, contract: gateway.getNetwork(channel).getContract(LIFECYCLE_NAME) };
}
