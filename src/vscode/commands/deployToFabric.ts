/**
 * Deploy to Fabric…: the CLI's `deploy`, from the editor, against the embedded peer or (picked when
 * connections exist) a connected network: its peer, with the org admins of the crypto folder its
 * identity comes from, or its identity alone (engine/lifecycle/connectionTarget.ts). Asks the package
 * (a workspace chaincode, packaged in memory, or a package file), the name, version, sequence (the
 * next one by default) and endorsement policy; shows the plan (sequence and policies) in a modal
 * before anything is sent; then installs, approves as each org's admin, checks commit readiness
 * and commits through the peer's Gateway, with progress in a notification and the log. The work is
 * the engine's (src/engine/lifecycle/deploy.ts, with the Gateway client: in the network bundle,
 * dist/network.js, loaded here on first use).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { DeployRequest } from '../../engine/lifecycle/deploy';
import type { DeployTarget } from '../../engine/lifecycle/deployTarget';
import { createLifecyclePackage } from '../../engine/platforms/lifecyclePackage';
import { Cancelled, type Ctx } from '../ctx';
import { networkBundle } from '../networkAssembly';
import type { ActiveNetwork } from '../networks/networkConnections';
import { workspaceChaincodes } from './launchChaincode';
import { pickNetwork } from './networkTransaction';
import { orCancel } from './registerCommands';

/** Everything the command asks; tests and other commands pass it to skip prompts. */
export interface DeployToFabricRequest {
  /** A chaincode folder (packaged first) or a lifecycle package file. */
  readonly source?: string;
  readonly channel?: string;
  readonly name?: string;
  readonly version?: string;
  readonly sequence?: number;
  /** A signature policy; '' for the channel's default. */
  readonly endorsementPolicy?: string;
  /** A connection's id (Networks view), or `embedded`; asked when connections exist and it is not given. */
  readonly network?: string;
  /** Default true: the plan is shown in a modal, and nothing is sent unless confirmed. */
  readonly confirm?: boolean;
}

export interface DeployedToFabric {
  readonly packageId: string;
  readonly name: string;
  readonly sequence: number;
  readonly version: string;
}

export async function deployToFabric(ctx: Ctx, request: DeployToFabricRequest = {}): Promise<DeployedToFabric> {
  const title = vscode.l10n.t('Deploy to Fabric');
  const bundle = networkBundle();
  const network = await pickNetwork(ctx, title, request.network);
  const where = network ? await connectionTarget(network) : await embeddedTarget(ctx);
  const source = request.source ?? (await pickSource(title));
  const { bytes, name: suggestedName, version: suggestedVersion } = await packageOf(source);
  const channel = request.channel ?? where.channel;
  const name = request.name ?? (await ask(title, vscode.l10n.t('Chaincode name on channel {0}', channel), suggestedName));
  const current = (await where.committedSequence(channel, name)) ?? 0;
  const version = request.version ?? (await ask(title, vscode.l10n.t('Version'), suggestedVersion));
  const sequence =
    request.sequence ??
    Number(
      await ask(title, vscode.l10n.t('Sequence (committed now: {0})', current), String(current + 1), (v) =>
        /^[1-9]\d*$/.test(v) ? undefined : vscode.l10n.t('A whole number from 1'),
      ),
    );
  const endorsementPolicy =
    request.endorsementPolicy ??
    (await ask(title, vscode.l10n.t("Endorsement policy (empty: the channel's /Channel/Application/Endorsement)"), '', (v) => {
      if (v.trim() === '') return undefined;
      try {
        bundle.checkPolicy(v.trim());
        return undefined;
      } catch (err) {
        return (err as Error).message;
      }
    }));
  const deployRequest: DeployRequest = {
    packageBytes: bytes,
    channel,
    name,
    version,
    sequence,
    ...(endorsementPolicy.trim() ? { endorsementPolicy: endorsementPolicy.trim() } : {}),
  };
  const target = where.target;
  const { plan } = await bundle.planDeploy(deployRequest, target.admins);
  const planText = bundle.describePlan(plan, target.peer);
  for (const line of planText) ctx.log.info(`deploy: ${line}`);
  if (request.confirm !== false) {
    const go = vscode.l10n.t('Deploy');
    const answer = await vscode.window.showInformationMessage(
      vscode.l10n.t('Deploy {0} sequence {1} on {2}?', name, sequence, channel),
      { modal: true, detail: planText.join('\n') },
      go,
    );
    if (answer !== go) throw new Cancelled();
  }
  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Deploying {0}', name) }, (progress) =>
    bundle.deployTo(target, deployRequest, (p) => {
      const line = bundle.describeProgress(p);
      if (!line) return;
      ctx.log.info(`deploy: ${line}`);
      progress.report({ message: line });
    }),
  );
  if (network) ctx.networks.refreshDefinitions(network.id);
  void vscode.window.showInformationMessage(vscode.l10n.t('Committed {0} version {1}, sequence {2}, on {3}.', name, result.committed.version, result.committed.sequence, channel));
  return { packageId: plan.packageId, name, sequence: result.committed.sequence, version: result.committed.version };
}

/** Where a deploy goes: its peer and admins, the channel it defaults to, and what is committed there. */
interface DeployDestination {
  readonly target: DeployTarget;
  readonly channel: string;
  committedSequence(channel: string, name: string): Promise<number | undefined>;
}

/** The embedded peer, through its Gateway, with every org admin of its data directory. */
async function embeddedTarget(ctx: Ctx): Promise<DeployDestination> {
  const engine = await ctx.engine.ensureStarted();
  const gateway = engine.gateway;
  if (!gateway)
    throw new Error(vscode.l10n.t('The embedded peer runs without its Gateway (chaincode.gateway.port is off): Deploy goes through it. Set a port and restart the peer.'));
  return {
    target: networkBundle().cryptoFolderTarget(engine.config.dataDir, `localhost:${gateway.server.port}`, path.basename(gateway.org.cryptoPath)),
    channel: engine.peer.channel,
    committedSequence: async (channel, name) => engine.transactions.definitions.get(channel, name)?.sequence,
  };
}

/** A connection's peer, with the admins of its crypto folder (or its own identity); what `_lifecycle` says is committed. */
async function connectionTarget(network: ActiveNetwork): Promise<DeployDestination> {
  return {
    target: networkBundle().connectionDeployTarget(network.connection.spec),
    channel: network.connection.channel,
    committedSequence: async (channel, name) => {
      if (channel !== network.connection.channel) return undefined;
      const defs = await network.connection.chaincodeDefinitions().catch(() => []);
      return defs.find((d) => d.name === name)?.sequence;
    },
  };
}

async function ask(title: string, prompt: string, value: string, validateInput?: (value: string) => string | undefined): Promise<string> {
  return orCancel(await vscode.window.showInputBox({ title, prompt, value, ...(validateInput ? { validateInput } : {}) })).trim();
}

async function pickSource(title: string): Promise<string> {
  const file = { label: vscode.l10n.t('Choose a package file…'), source: '' };
  const items = [...workspaceChaincodes().map((c) => ({ label: c.name, description: c.folder, source: c.folder })), file];
  const picked = orCancel(await vscode.window.showQuickPick(items, { title, placeHolder: vscode.l10n.t('The chaincode to deploy') }));
  if (picked !== file) return picked.source;
  const uri = orCancel((await vscode.window.showOpenDialog({ title, canSelectMany: false, filters: { [vscode.l10n.t('Chaincode package')]: ['gz', 'tgz'] } }))?.[0]);
  return uri.fsPath;
}

/** The package's bytes, and the name and version it suggests (from the folder, or from a `<name>_<version>` label). */
async function packageOf(source: string): Promise<{ bytes: Buffer; name: string; version: string }> {
  if ((await fs.promises.stat(source)).isDirectory()) {
    const pkg = await createLifecyclePackage({ folder: source });
    const [name, ...version] = pkg.label.split('_');
    return { bytes: pkg.bytes, name, version: version.join('_') || '1.0' };
  }
  const base = path.basename(source).replace(/\.(tar\.gz|tgz)$/, '');
  const [name, ...version] = base.split('_');
  return { bytes: await fs.promises.readFile(source), name, version: version.join('_') || '1.0' };
}
