/**
 * `_lifecycle`, the chaincode lifecycle system chaincode (Fabric's core/chaincode/lifecycle scc.go
 * and lifecycle.go), one instance per org's peer: install a package on this peer, approve a
 * definition for this peer's org, check commit readiness, commit, and the queries. Invoked as
 * Fabric invokes it: [function name, one marshalled lifecycle.*Args]; answers a marshalled
 * lifecycle.*Result, or status 500 with Fabric's message ("failed to invoke backing implementation
 * of 'X': …"). State layout and the approval keys' policy: ../lifecycle/lifecycleState.ts.
 *
 * Who may call: install and the installed-package queries need an admin of this peer's org (Fabric's
 * ACL for them: the local MSP's Admins); approve too (the org admin's act, as the test network does
 * it; Fabric leaves it to the channel's ACL); commit and the definition queries any member of a
 * channel org (the Gateway has checked that; Fabric's ACL: the channel's Writers).
 */
import { PackageStore, InstallError } from '../lifecycle/packageStore';
import type { ChaincodeDefinitionOnChannel } from '../lifecycle/definitions';
import { approvalKey, DEFAULT_ENDORSEMENT_REFERENCE, decodeDefinition, definitionKey, definitionParameters, encodeDefinition, NAMES_KEY } from '../lifecycle/lifecycleState';
import type { ChannelMsps } from '../msp';
import { rolePrincipal } from '../msp/principal';
import { codecs } from '../wire/codec';
import type { ApproveChaincodeDefinitionForMyOrgArgs, DefinitionParameters } from '../wire/lifecycleMessages';
import type { ChaincodeResponse, SystemChaincode, SystemStub } from './inprocShim';

/** Fabric's chaincode name and version rules (core/chaincode/lifecycle `ChaincodeNameRegExp`, `ChaincodeVersionRegExp`). */
const NAME = /^[a-zA-Z0-9]+([-_][a-zA-Z0-9]+)*$/;
const VERSION = /^[A-Za-z0-9_.+-]+$/;

const success = (payload: Buffer): ChaincodeResponse => ({ status: 200, payload });
const failure = (message: string): ChaincodeResponse => ({ status: 500, message });

class LifecycleError extends Error {}

export interface LifecycleSccOptions {
  /** This peer's org. */
  readonly mspId: string;
  /** The channel's orgs' MSPs: who the creator is, and every org whose approval counts. */
  readonly msps: ChannelMsps;
  readonly channelOrgs: () => readonly string[];
  readonly packages: PackageStore;
  /**
   * The definitions launches made on a channel: the embedded peer's launch stands for install,
   * approve (by every org) and commit, so the definition queries list them as committed ones.
   */
  readonly launchDefined: (channel: string) => readonly ChaincodeDefinitionOnChannel[];
}

type Backing = (stub: SystemStub, arg: Buffer) => Promise<Buffer>;

export class LifecycleScc implements SystemChaincode {
  private readonly functions: Readonly<Record<string, Backing>> = {
    InstallChaincode: (stub, arg) => this.install(stub, arg),
    QueryInstalledChaincode: (stub, arg) => this.queryInstalled(stub, arg),
    QueryInstalledChaincodes: (stub) => this.queryInstalledAll(stub),
    GetInstalledChaincodePackage: (stub, arg) => this.getInstalledPackage(stub, arg),
    ApproveChaincodeDefinitionForMyOrg: (stub, arg) => this.approve(stub, arg),
    CheckCommitReadiness: (stub, arg) => this.checkCommitReadiness(stub, arg),
    CommitChaincodeDefinition: (stub, arg) => this.commit(stub, arg),
    QueryApprovedChaincodeDefinition: (stub, arg) => this.queryApproved(stub, arg),
    QueryChaincodeDefinition: (stub, arg) => this.queryDefinition(stub, arg),
    QueryChaincodeDefinitions: (stub) => this.queryDefinitions(stub),
  };

  constructor(private readonly options: LifecycleSccOptions) {}

  async init(): Promise<ChaincodeResponse> {
    return { status: 200 };
  }

  async invoke(stub: SystemStub): Promise<ChaincodeResponse> {
    const args = stub.args;
    if (args.length === 0) return failure('lifecycle scc must be invoked with arguments');
    if (args.length !== 2) return failure(`lifecycle scc operations require exactly two arguments but received ${args.length}`);
    const fn = args[0].toString('utf8');
    const backing = Object.hasOwn(this.functions, fn) ? this.functions[fn] : undefined;
    if (!backing) return failure(`failed to invoke backing implementation of '${fn}': receiver *lifecycle.Invocation.${fn} does not exist`);
    try {
      return success(await backing(stub, args[1]));
    } catch (err) {
      if (err instanceof AclError) return failure(`Failed to authorize invocation due to failed ACL check: ${err.message}`);
      if (err instanceof DecodeError) return failure(err.message);
      if (err instanceof LifecycleError || err instanceof InstallError) return failure(`failed to invoke backing implementation of '${fn}': ${err.message}`);
      throw err;
    }
  }

  // ---- install (channelless, this peer) ----

  private async install(stub: SystemStub, arg: Buffer): Promise<Buffer> {
    this.requireLocalAdmin(stub);
    const input = decode('InstallChaincode', () => codecs.LifecycleInstallChaincodeArgs.decode(arg));
    const installed = await this.options.packages.install(Buffer.from(input.chaincode_install_package));
    return codecs.LifecycleInstallChaincodeResult.encode({ package_id: installed.packageId, label: installed.label });
  }

  private async queryInstalled(stub: SystemStub, arg: Buffer): Promise<Buffer> {
    this.requireLocalAdmin(stub);
    const input = decode('QueryInstalledChaincode', () => codecs.LifecycleQueryInstalledChaincodeArgs.decode(arg));
    const found = (await this.options.packages.list()).find((p) => p.packageId === input.package_id);
    if (!found) throw new LifecycleError(`could not load chaincode package for package ID '${input.package_id}'`);
    return codecs.LifecycleQueryInstalledChaincodeResult.encode({ package_id: found.packageId, label: found.label, references: {} });
  }

  private async queryInstalledAll(stub: SystemStub): Promise<Buffer> {
    this.requireLocalAdmin(stub);
    const all = await this.options.packages.list();
    return codecs.LifecycleQueryInstalledChaincodesResult.encode({ installed_chaincodes: all.map((p) => ({ package_id: p.packageId, label: p.label, references: {} })) });
  }

  private async getInstalledPackage(stub: SystemStub, arg: Buffer): Promise<Buffer> {
    this.requireLocalAdmin(stub);
    const input = decode('GetInstalledChaincodePackage', () => codecs.LifecycleGetInstalledChaincodePackageArgs.decode(arg));
    const bytes = await this.options.packages.load(input.package_id);
    if (!bytes) throw new LifecycleError(`could not load cc install package: chaincode install package '${input.package_id}' not found`);
    return codecs.LifecycleGetInstalledChaincodePackageResult.encode({ chaincode_install_package: bytes });
  }

  // ---- definitions (channel state) ----

  private async approve(stub: SystemStub, arg: Buffer): Promise<Buffer> {
    this.requireAdmin(stub, `the creator is not an admin of this peer's organization ${this.options.mspId}`);
    const input = decode('ApproveChaincodeDefinitionForMyOrg', () => codecs.LifecycleApproveChaincodeDefinitionForMyOrgArgs.decode(arg));
    const def = withDefaults(input);
    checkNameAndVersion(def);
    const requested = Number(def.sequence);
    const committed = await this.committed(stub, def.name);
    const current = committed ? Number(committed.sequence) : 0;
    if (requested === 0 && current === 0) throw new LifecycleError('requested sequence is 0, but first definable sequence number is 1');
    if (requested < current) throw new LifecycleError(`currently defined sequence ${current} is larger than requested sequence ${requested}`);
    if (requested > current + 1) throw new LifecycleError(`requested sequence ${requested} is larger than the next available sequence number ${current + 1}`);
    if (requested === current && committed) {
      const differ = differences(committed, def);
      if (differ.length > 0)
        throw new LifecycleError(`attempted to redefine the current committed sequence (${current}) for namespace ${def.name} with different parameters: ${differ.join(', ')}`);
    }
    const approval: ApproveChaincodeDefinitionForMyOrgArgs = { ...def, source: input.source ?? { unavailable: {} } };
    await stub.putState(approvalKey(this.options.mspId, def.name, requested), codecs.LifecycleApproveChaincodeDefinitionForMyOrgArgs.encode(approval));
    return codecs.LifecycleApproveChaincodeDefinitionForMyOrgResult.encode({});
  }

  private async checkCommitReadiness(stub: SystemStub, arg: Buffer): Promise<Buffer> {
    const def = withDefaults(decode('CheckCommitReadiness', () => codecs.LifecycleCheckCommitReadinessArgs.decode(arg)));
    checkNameAndVersion(def);
    await this.requireNextSequence(stub, def);
    const { approvals, mismatches } = await this.approvals(stub, def);
    return codecs.LifecycleCheckCommitReadinessResult.encode({ approvals, mismatches: Object.fromEntries(Object.entries(mismatches).map(([org, items]) => [org, { items }])) });
  }

  private async commit(stub: SystemStub, arg: Buffer): Promise<Buffer> {
    const def = withDefaults(decode('CommitChaincodeDefinition', () => codecs.LifecycleCommitChaincodeDefinitionArgs.decode(arg)));
    checkNameAndVersion(def);
    await this.requireNextSequence(stub, def);
    const { approvals } = await this.approvals(stub, def);
    // Each endorsing peer vouches for its own org's approval; the endorsement policy (a majority
    // of the orgs, LifecycleEndorsement) then makes a majority of approvals necessary.
    if (!approvals[this.options.mspId]) throw new LifecycleError(`chaincode definition not agreed to by this org (${this.options.mspId})`);
    const names = await this.definedNames(stub);
    if (!names.includes(def.name)) await stub.putState(NAMES_KEY, Buffer.from(JSON.stringify([...names, def.name].sort())));
    await stub.putState(definitionKey(def.name), encodeDefinition(def));
    return codecs.LifecycleCommitChaincodeDefinitionResult.encode({});
  }

  private async queryApproved(stub: SystemStub, arg: Buffer): Promise<Buffer> {
    const input = decode('QueryApprovedChaincodeDefinition', () => codecs.LifecycleQueryApprovedChaincodeDefinitionArgs.decode(arg));
    let sequence = Number(input.sequence);
    if (sequence === 0) {
      // The latest: the next sequence's approval if there is one, else the committed sequence's.
      const current = Number((await this.committed(stub, input.name))?.sequence ?? 0);
      sequence = (await stub.getState(approvalKey(this.options.mspId, input.name, current + 1))).length > 0 ? current + 1 : current;
    }
    const bytes = sequence > 0 ? await stub.getState(approvalKey(this.options.mspId, input.name, sequence)) : Buffer.alloc(0);
    if (bytes.length === 0) {
      throw new LifecycleError(`could not fetch approved chaincode definition (name: '${input.name}', sequence: '${sequence}') on channel '${stub.channel}'`);
    }
    const approved = codecs.LifecycleApproveChaincodeDefinitionForMyOrgArgs.decode(bytes);
    return codecs.LifecycleQueryApprovedChaincodeDefinitionResult.encode({
      sequence: approved.sequence,
      version: approved.version,
      endorsement_plugin: approved.endorsement_plugin,
      validation_plugin: approved.validation_plugin,
      validation_parameter: approved.validation_parameter,
      collections: approved.collections,
      init_required: approved.init_required,
      source: approved.source,
    });
  }

  private async queryDefinition(stub: SystemStub, arg: Buffer): Promise<Buffer> {
    const input = decode('QueryChaincodeDefinition', () => codecs.LifecycleQueryChaincodeDefinitionArgs.decode(arg));
    const def = await this.committed(stub, input.name);
    const launched = def ? undefined : this.options.launchDefined(stub.channel).find((d) => d.name === input.name);
    if (launched) {
      const approvals = Object.fromEntries(this.options.channelOrgs().map((org) => [org, true]));
      return codecs.LifecycleQueryChaincodeDefinitionResult.encode({ ...definitionParameters(launched), approvals });
    }
    if (!def) throw new LifecycleError(`namespace ${input.name} is not defined`);
    const { approvals } = await this.approvals(stub, def);
    return codecs.LifecycleQueryChaincodeDefinitionResult.encode({
      sequence: def.sequence,
      version: def.version,
      endorsement_plugin: def.endorsement_plugin,
      validation_plugin: def.validation_plugin,
      validation_parameter: def.validation_parameter,
      collections: def.collections,
      init_required: def.init_required,
      approvals,
    });
  }

  private async queryDefinitions(stub: SystemStub): Promise<Buffer> {
    const defs: DefinitionParameters[] = [];
    const names = await this.definedNames(stub);
    for (const name of names) {
      const def = await this.committed(stub, name);
      if (def) defs.push(def);
    }
    for (const launched of this.options.launchDefined(stub.channel)) if (!names.includes(launched.name)) defs.push(definitionParameters(launched));
    // By name, as Fabric's range over the namespaces answers.
    defs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return codecs.LifecycleQueryChaincodeDefinitionsResult.encode({ chaincode_definitions: defs });
  }

  // ---- helpers ----

  private async committed(stub: SystemStub, name: string): Promise<DefinitionParameters | undefined> {
    const bytes = await stub.getState(definitionKey(name));
    return bytes.length > 0 ? decodeDefinition(bytes) : undefined;
  }

  private async definedNames(stub: SystemStub): Promise<string[]> {
    const bytes = await stub.getState(NAMES_KEY);
    return bytes.length > 0 ? (JSON.parse(bytes.toString('utf8')) as string[]) : [];
  }

  private async requireNextSequence(stub: SystemStub, def: DefinitionParameters): Promise<void> {
    const current = Number((await this.committed(stub, def.name))?.sequence ?? 0);
    const requested = Number(def.sequence);
    if (requested !== current + 1) throw new LifecycleError(`requested sequence is ${requested}, but new definition must be sequence ${current + 1}`);
  }

  /** Every channel org's approval of exactly `def` at its sequence, and what differs where one does not match. */
  private async approvals(stub: SystemStub, def: DefinitionParameters): Promise<{ approvals: Record<string, boolean>; mismatches: Record<string, string[]> }> {
    const approvals: Record<string, boolean> = {};
    const mismatches: Record<string, string[]> = {};
    for (const org of this.options.channelOrgs()) {
      const bytes = await stub.getState(approvalKey(org, def.name, Number(def.sequence)));
      const differ =
        bytes.length > 0 ? differences(codecs.LifecycleApproveChaincodeDefinitionForMyOrgArgs.decode(bytes), def) : ['EndorsementInfo', 'ValidationInfo', 'Collections'];
      approvals[org] = differ.length === 0;
      if (differ.length > 0) mismatches[org] = differ;
    }
    return { approvals, mismatches };
  }

  /** Fabric's ACL for the peer's own (channelless) functions: the local MSP's Admins. */
  private requireLocalAdmin(stub: SystemStub): void {
    this.requireAdmin(stub, `Failed verifying that proposal's creator satisfies local MSP principal during channelless check policy with policy [Admins]`);
  }

  /** The creator of the proposal must be an admin of this peer's org. */
  private requireAdmin(stub: SystemStub, context: string): void {
    const { msps, mspId } = this.options;
    try {
      const creator = creatorOf(stub);
      const identity = msps.deserializeIdentity(creator);
      const msp = msps.msp(mspId);
      if (!msp) throw new Error(`MSP ${mspId} is not a channel member`);
      msp.satisfiesPrincipal(identity, rolePrincipal(mspId, 'ADMIN'));
    } catch (err) {
      throw new AclError(`${context}: [${(err as Error).message}]`, { cause: err });
    }
  }
}

class AclError extends Error {}
class DecodeError extends Error {}

function decode<T>(fn: string, f: () => T): T {
  try {
    return f();
  } catch (err) {
    throw new DecodeError(`failed to decode input arg to '${fn}': ${(err as Error).message}`, { cause: err });
  }
}

/** The marshalled SerializedIdentity that signed the proposal. */
function creatorOf(stub: SystemStub): Buffer {
  if (!stub.signedProposal) throw new Error('no signed proposal');
  const proposal = codecs.Proposal.decode(stub.signedProposal.proposal_bytes);
  const header = codecs.Header.decode(proposal.header);
  return Buffer.from(codecs.SignatureHeader.decode(header.signature_header).creator);
}

/** Fabric's defaults for what a client may leave empty (scc.go): escc, vscc, the channel's Endorsement policy. */
function withDefaults(def: DefinitionParameters): DefinitionParameters {
  // Every field spelled out: a decoded message keeps proto3 defaults on its prototype, not as own fields.
  return {
    sequence: def.sequence,
    name: def.name,
    version: def.version,
    collections: def.collections ?? null,
    init_required: def.init_required,
    endorsement_plugin: def.endorsement_plugin || 'escc',
    validation_plugin: def.validation_plugin || 'vscc',
    validation_parameter:
      def.validation_parameter.length > 0 ? def.validation_parameter : codecs.ApplicationPolicy.encode({ channel_config_policy_reference: DEFAULT_ENDORSEMENT_REFERENCE }),
  };
}

function checkNameAndVersion(def: DefinitionParameters): void {
  if (!NAME.test(def.name))
    throw new LifecycleError(`invalid chaincode name '${def.name}'. Names must start with a letter or digit, and can only consist of alphanumerics, '_', and '-'`);
  if (!VERSION.test(def.version)) {
    throw new LifecycleError(`invalid chaincode version '${def.version}'. Versions must not be empty, and can only consist of alphanumerics, '_', '-', '+', and '.'`);
  }
}

/** Where two definitions differ, in Fabric's groups of the definition (ChaincodeParameters). */
function differences(a: DefinitionParameters, b: DefinitionParameters): string[] {
  const out: string[] = [];
  if (a.version !== b.version || a.endorsement_plugin !== b.endorsement_plugin || a.init_required !== b.init_required) out.push('EndorsementInfo');
  if (a.validation_plugin !== b.validation_plugin || !Buffer.from(a.validation_parameter).equals(Buffer.from(b.validation_parameter))) out.push('ValidationInfo');
  if (!codecs.CollectionConfigPackage.encode(a.collections ?? { config: [] }).equals(codecs.CollectionConfigPackage.encode(b.collections ?? { config: [] })))
    out.push('Collections');
  return out;
}
