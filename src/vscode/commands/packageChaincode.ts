/**
 * Package for Fabric: a package a real peer installs (`peer lifecycle chaincode install`), or a
 * chaincode-as-a-service package, written by the engine's lifecycle packaging. Asks the label,
 * the kind of package (and for a service its address and TLS files), and where to write it,
 * outside the chaincode folder; then shows the package ID with a Copy action.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import type { CcaasConnection, CcaasTls } from '../../engine/platforms/ccaasConnection';
import { createLifecyclePackage, validateLabel, writeLifecyclePackage, type LifecyclePackage, type PackageRequest } from '../../engine/platforms/lifecyclePackage';
import { requireChaincode, type DetectedChaincode } from '../../engine/workspace/detect';
import { Cancelled, type Ctx } from '../ctx';
import { workspaceChaincodes } from './launchChaincode';
import { orCancel } from './registerCommands';

/** Everything the command asks; commands run from tests or other commands pass it to skip prompts. */
export interface PackageForFabricRequest {
  readonly folder?: string;
  readonly label?: string;
  readonly type?: 'code' | 'ccaas';
  /** Chaincode as a service: where the peer dials the server. */
  readonly address?: string;
  /** Chaincode as a service: PEM file paths; none means without TLS. */
  readonly tls?: { readonly rootCert: string; readonly clientCert?: string; readonly clientKey?: string };
  readonly output?: string;
}

export interface PackagedForFabric {
  readonly file: string;
  readonly packageId: string;
}

export async function packageChaincode(ctx: Ctx, request: PackageForFabricRequest = {}): Promise<PackagedForFabric> {
  const title = vscode.l10n.t('Package for Fabric');
  const cc = await pickChaincode(request.folder, title);
  const label = request.label ?? (await askLabel(cc, title));
  const type = request.type ?? (await pickType(cc, title));
  const connection = type === 'ccaas' ? await askConnection(cc, request, title) : undefined;
  const file = request.output ?? (await askOutput(cc, label, title));
  if (isInside(cc.folder, file)) {
    throw new Error(vscode.l10n.t('{0} is inside the chaincode folder: write the package outside it, or the next package would contain this one.', file));
  }
  const pkg = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Packaging {0}', label), cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort(new Cancelled()));
      const onProgress = (step: string): void => {
        ctx.log.info(`package ${label}: ${step}`);
        progress.report({ message: step });
      };
      const common = { folder: cc.folder, label, signal: abort.signal, onProgress };
      const packageRequest: PackageRequest = connection ? { ...common, type: 'ccaas', connection } : { ...common, metadataPath: workspacePath(cc.folder) };
      const made = await createLifecyclePackage(packageRequest).catch((err: unknown) => {
        throw abort.signal.aborted ? new Cancelled() : err;
      });
      await writeLifecyclePackage(made, file);
      return made;
    },
  );
  ctx.log.info(`packaged ${cc.folder} into ${file} (${pkg.type}, ${pkg.codeEntries.length} entries in code.tar.gz): ${pkg.packageId}`);
  void showPackageId(pkg, file);
  return { file, packageId: pkg.packageId };
}

async function showPackageId(pkg: LifecyclePackage, file: string): Promise<void> {
  const copy = vscode.l10n.t('Copy Package ID');
  const pick = await vscode.window.showInformationMessage(vscode.l10n.t('Packaged {0} into {1}. Package ID: {2}', pkg.label, path.basename(file), pkg.packageId), copy);
  if (pick === copy) await vscode.env.clipboard.writeText(pkg.packageId);
}

async function pickChaincode(folder: string | undefined, title: string): Promise<DetectedChaincode> {
  if (folder) {
    // The CLI's check: a NotChaincodeError says what the folder holds instead.
    return requireChaincode(folder);
  }
  const all = workspaceChaincodes();
  if (all.length === 0) throw new Error(vscode.l10n.t('No chaincode found in the workspace.'));
  if (all.length === 1) return all[0];
  return orCancel(
    await vscode.window.showQuickPick(
      all.map((c) => ({ label: c.name, description: workspacePath(c.folder), c })),
      { title },
    ),
  ).c;
}

async function askLabel(cc: DetectedChaincode, title: string): Promise<string> {
  const label = await vscode.window.showInputBox({
    title,
    prompt: vscode.l10n.t('Package label (the package ID is <label>:<hash>)'),
    value: `${cc.name}_${cc.version}`,
    validateInput: (value) => {
      try {
        validateLabel(value.trim());
        return undefined;
      } catch (err) {
        return (err as Error).message;
      }
    },
  });
  return orCancel(label).trim();
}

async function pickType(cc: DetectedChaincode, title: string): Promise<'code' | 'ccaas'> {
  const language = cc.typescript ? 'TypeScript' : cc.language;
  const items: (vscode.QuickPickItem & { type: 'code' | 'ccaas' })[] = [
    {
      type: 'code',
      label: vscode.l10n.t('Chaincode package ({0})', language),
      detail: vscode.l10n.t('The code, for the peer to build and run (peer lifecycle chaincode install).'),
    },
    { type: 'ccaas', label: vscode.l10n.t('Chaincode as a service'), detail: vscode.l10n.t('Only where the chaincode server runs: the peer dials it (its ccaas builder).') },
  ];
  return orCancel(await vscode.window.showQuickPick(items, { title })).type;
}

async function askConnection(cc: DetectedChaincode, request: PackageForFabricRequest, title: string): Promise<CcaasConnection> {
  const address =
    request.address ??
    orCancel(
      await vscode.window.showInputBox({
        title,
        prompt: vscode.l10n.t('Address of the chaincode server, as the peer reaches it (HOST:PORT)'),
        value: `${cc.name}:9999`,
        validateInput: (value) => (/^[^\s]+:\d{1,5}$/.test(value.trim()) ? undefined : vscode.l10n.t('HOST:PORT')),
      }),
    ).trim();
  const files = request.tls ?? (await askTlsFiles(title));
  return { address, ...(files ? { tls: await readTls(files) } : {}) };
}

async function askTlsFiles(title: string): Promise<PackageForFabricRequest['tls']> {
  const items = [
    { tls: 'none', label: vscode.l10n.t('Without TLS') },
    { tls: 'server', label: vscode.l10n.t('TLS'), detail: vscode.l10n.t("Choose the CA certificate of the chaincode server's TLS certificate.") },
    { tls: 'mutual', label: vscode.l10n.t('TLS with client authentication'), detail: vscode.l10n.t('Also choose the certificate and key the peer presents.') },
  ] as const;
  const picked = orCancel(await vscode.window.showQuickPick([...items], { title })).tls;
  if (picked === 'none') return undefined;
  const pem = async (what: string): Promise<string> =>
    orCancel((await vscode.window.showOpenDialog({ title: what, canSelectMany: false, filters: { PEM: ['pem', 'crt', 'key'] } }))?.[0]).fsPath;
  const rootCert = await pem(vscode.l10n.t('CA certificate of the chaincode server'));
  if (picked === 'server') return { rootCert };
  return { rootCert, clientCert: await pem(vscode.l10n.t("The peer's client certificate")), clientKey: await pem(vscode.l10n.t("The peer's client key")) };
}

async function readTls(files: NonNullable<PackageForFabricRequest['tls']>): Promise<CcaasTls> {
  const read = async (file: string): Promise<string> => new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.file(file)));
  if ((files.clientCert === undefined) !== (files.clientKey === undefined)) throw new Error(vscode.l10n.t('A client certificate and its key go together.'));
  const client = files.clientCert !== undefined && files.clientKey !== undefined ? { client: { cert: await read(files.clientCert), key: await read(files.clientKey) } } : {};
  return { rootCert: await read(files.rootCert), ...client };
}

async function askOutput(cc: DetectedChaincode, label: string, title: string): Promise<string> {
  for (;;) {
    const uri = orCancel(
      await vscode.window.showSaveDialog({
        title,
        defaultUri: vscode.Uri.file(path.join(path.dirname(cc.folder), `${label}.tar.gz`)),
        filters: { [vscode.l10n.t('Chaincode package')]: ['tar.gz'] },
      }),
    );
    if (!isInside(cc.folder, uri.fsPath)) return uri.fsPath;
    void vscode.window.showWarningMessage(vscode.l10n.t('Choose a place outside the chaincode folder: a package inside it would be part of the next package.'));
  }
}

/** metadata.json's path: the folder as the workspace names it (Fabric writes the --path given). */
function workspacePath(folder: string): string {
  const root = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(folder));
  return root ? path.relative(path.dirname(root.uri.fsPath), folder).split(path.sep).join('/') : folder;
}

function isInside(folder: string, file: string): boolean {
  const relative = path.relative(path.resolve(folder), path.resolve(file));
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}
