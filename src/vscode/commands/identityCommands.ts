/**
 * The Identities commands: Create Identity (org, name, type, attributes `K=V, …`, issued by the org's
 * CA with the attributes in the certificate as Fabric CA writes them), Copy Certificate Path and
 * Copy Key Path (for a client application), and Use Identity for Transactions (the status bar's
 * click: the calling identity, `chaincode.identity`). The work is the engine's (src/engine/msp).
 */
import * as vscode from 'vscode';
import type { Attributes, IdentityRole } from '../../engine/msp';
import type { Ctx } from '../ctx';
import { currentIdentity } from '../identities/callingIdentity';
import { identityRefText, parseIdentityRef, sameIdentity, type IdentityRef } from '../identities/identityRef';
import { attributeTextProblem, identityNameProblem, parseAttributeText } from '../identities/identityText';
import { createIdentity, networkIdentities, organizationOf, type ListedIdentity } from '../identities/networkIdentities';
import { attributesText } from '../tree/identities/model';
import type { ChaincodeViews } from '../tree/views';
import { orCancel, targetOf, type CommandHandler } from './registerCommands';

/** The types Create Identity offers (Fabric's NodeOU roles a CA enrols). */
const TYPES: readonly IdentityRole[] = ['client', 'admin', 'peer'];

/** Create Identity without prompts (tests, other commands): any field left out is asked for. */
export interface CreateIdentityRequest {
  readonly mspId?: string;
  readonly name?: string;
  readonly type?: IdentityRole;
  /** `K=V, K2=V2`, or an object. */
  readonly attributes?: string | Attributes;
}

export interface CreatedIdentity {
  readonly ref: IdentityRef;
  readonly action: 'existing' | 'issued' | 'reissued';
  readonly certFile: string;
  readonly keyFile: string;
  readonly attributes: Attributes;
}

export function identityCommands(ctx: Ctx, views: ChaincodeViews): Record<string, CommandHandler> {
  return {
    'chaincode.createIdentity': (arg?: unknown) => createIdentityCommand(ctx, views, arg),
    'chaincode.copyCertificatePath': (arg?: unknown) => copyIdentityPath(ctx, arg, 'certFile'),
    'chaincode.copyKeyPath': (arg?: unknown) => copyIdentityPath(ctx, arg, 'keyFile'),
    'chaincode.selectIdentity': (arg?: unknown) => selectIdentity(ctx, views, arg),
    'chaincode.refreshIdentities': () => views.identities.refresh(),
  };
}

/** Every identity of the network, for a quick pick; the calling one first. */
export async function pickIdentity(ctx: Ctx, title: string): Promise<IdentityRef> {
  const engine = await ctx.ensureEngine();
  const orgs = await networkIdentities(engine);
  let current: IdentityRef | undefined;
  try {
    current = currentIdentity(ctx);
  } catch {
    current = undefined; // a setting that does not parse: nothing is marked
  }
  const items = orgs
    .flatMap((o) => o.identities)
    .map((id) => {
      const ref = { mspId: id.mspId, name: id.name };
      const calling = current !== undefined && sameIdentity(ref, current);
      return { label: identityRefText(ref), description: identityDescription(id, calling), ref, calling };
    })
    .sort((a, b) => Number(b.calling) - Number(a.calling));
  return orCancel(await vscode.window.showQuickPick(items, { title, placeHolder: vscode.l10n.t('Which identity?'), matchOnDescription: true })).ref;
}

function identityDescription(id: ListedIdentity, calling: boolean): string {
  const attrs = attributesText(id.customAttributes);
  return [id.role ?? vscode.l10n.t('no type'), attrs, calling ? vscode.l10n.t('calling identity') : ''].filter(Boolean).join(' · ');
}

async function createIdentityCommand(ctx: Ctx, views: ChaincodeViews, arg: unknown): Promise<CreatedIdentity> {
  const row = targetOf(arg);
  const request: CreateIdentityRequest = !row && arg && typeof arg === 'object' ? arg : {};
  const engine = await ctx.ensureEngine();
  const title = vscode.l10n.t('Create Identity');
  const orgs = engine.orgs.map((n) => n.org.mspId);
  const mspId =
    (row?.kind === 'organization' || row?.kind === 'identity' ? row.mspId : request.mspId) ??
    (orgs.length === 1 ? orgs[0] : orCancel(await vscode.window.showQuickPick(orgs, { title, placeHolder: vscode.l10n.t("Which organisation's CA issues it?") })));
  organizationOf(engine, mspId); // an org the network does not have fails before the prompts
  const name = (
    request.name ??
    orCancel(
      await vscode.window.showInputBox({
        title: `${title} (${mspId})`,
        prompt: vscode.l10n.t('Name (the certificate\'s CN and its folder users/<name>@<domain>), e.g. "auditor1"'),
        validateInput: (v) => identityNameProblem(v),
      }),
    )
  ).trim();
  const type =
    request.type ??
    (
      orCancel(
        await vscode.window.showQuickPick(
          TYPES.map((t) => ({ label: t, description: t === 'client' ? vscode.l10n.t('an application user (the default)') : undefined })),
          { title: `${title}: ${mspId}/${name}`, placeHolder: vscode.l10n.t('Type (Fabric NodeOU role)') },
        ),
      ) as { label: IdentityRole }
    ).label;
  const attributes =
    typeof request.attributes === 'object'
      ? request.attributes
      : parseAttributeText(
          request.attributes ??
            orCancel(
              await vscode.window.showInputBox({
                title: `${title}: ${mspId}/${name} (${type})`,
                prompt: vscode.l10n.t('Attributes (optional): KEY=VALUE pairs separated by commas, e.g. role=auditor, dept=audit. Press Enter for none.'),
                validateInput: (v) => attributeTextProblem(name, v),
              }),
            ),
        );
  const { identity, action } = await createIdentity(engine, { mspId, name, type, attributes });
  const ref = { mspId, name };
  const files = identity.files ?? { certFile: '', keyFile: '' };
  const attrs = attributesText(attributes);
  ctx.log.info(`identity ${identityRefText(ref)} (${type}${attrs ? `; ${attrs}` : ''}): ${action}, certificate ${files.certFile}`);
  views.identities.refresh();
  const what =
    action === 'existing'
      ? vscode.l10n.t('{0} already exists with this type and these attributes.', identityRefText(ref))
      : action === 'reissued'
        ? vscode.l10n.t('{0} reissued by its CA with the new type or attributes.', identityRefText(ref))
        : vscode.l10n.t('{0} issued by its CA.', identityRefText(ref));
  const use = vscode.l10n.t('Use for Transactions');
  const invokeAs = vscode.l10n.t('Invoke as {0}…', name);
  void vscode.window.showInformationMessage(what, use, invokeAs).then((pick) => {
    if (pick === use) void ctx.config.setIdentity(identityRefText(ref));
    else if (pick === invokeAs) void vscode.commands.executeCommand('chaincode.invokeAs', { identity: identityRefText(ref) });
  });
  return { ref, action, certFile: files.certFile, keyFile: files.keyFile, attributes };
}

/** Copies the certificate's or key's path of the row's identity (else one picked); returns it. */
async function copyIdentityPath(ctx: Ctx, arg: unknown, which: 'certFile' | 'keyFile'): Promise<string> {
  const row = targetOf(arg);
  let file: string | undefined = row?.kind === 'identity' ? row[which] : undefined;
  if (file === undefined) {
    const ref = await pickIdentity(ctx, which === 'certFile' ? vscode.l10n.t('Copy Certificate Path') : vscode.l10n.t('Copy Key Path'));
    const identity = await organizationOf(await ctx.ensureEngine(), ref.mspId).identity(ref.name);
    file = identity.files?.[which];
    if (!file) throw new Error(vscode.l10n.t('{0} has no files on disk.', identityRefText(ref)));
  }
  await vscode.env.clipboard.writeText(file);
  vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', file), 5000);
  return file;
}

/** Makes the row's identity (or one picked, or `{ identity: 'MSPID/NAME' }`) the calling identity; returns it. */
async function selectIdentity(ctx: Ctx, views: ChaincodeViews, arg: unknown): Promise<IdentityRef> {
  const row = targetOf(arg);
  const given = (arg as { identity?: unknown } | undefined)?.identity;
  const ref =
    row?.kind === 'identity'
      ? { mspId: row.mspId, name: row.name }
      : typeof given === 'string'
        ? parseIdentityRef(given, ctx.config.engine.mspId, 'identity')
        : await pickIdentity(ctx, vscode.l10n.t('Use Identity for Transactions'));
  await ctx.config.setIdentity(identityRefText(ref));
  views.identities.refresh();
  ctx.log.info(`calling identity: ${identityRefText(ref)}`);
  return ref;
}
