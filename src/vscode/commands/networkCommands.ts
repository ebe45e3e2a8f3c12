/**
 * Connect to Fabric Network… and Disconnect: the editor's connections (networks/networkConnections.ts),
 * listed in the Networks view after the embedded peer. A network file is JSON or YAML in any of the
 * forms `chaincode-launcher network --network FILE` reads (a Gateway endpoint with its TLS CA and
 * identity, a connection profile, a test-network organizations/ folder), or the folder itself.
 * A file that does not fit is refused before anything is dialled, with the file and the field.
 */
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import type { ChaincodeDocuments } from '../documents/documents';
import { engineBundle } from '../engineAssembly';
import type { CommandHandler } from './registerCommands';
import { orCancel } from './registerCommands';

/** What Connect returns (tests use it): the connection's id and where it goes. */
export interface ConnectedNetwork {
  readonly id: string;
  readonly file: string;
  readonly endpoint: string;
  readonly channel: string;
  readonly mspId: string;
}

export function networkCommands(ctx: Ctx, docs: ChaincodeDocuments): Record<string, CommandHandler> {
  return {
    'chaincode.connectNetwork': (arg?: { file?: string }) => connectNetwork(ctx, arg && typeof arg === 'object' ? arg : {}),
    'chaincode.disconnectNetwork': (arg?: unknown) => disconnectNetwork(ctx, arg),
    'chaincode.openNetworkBlock': (arg?: unknown) => openNetworkBlock(ctx, docs, arg),
    'chaincode.refreshNetworks': () => {
      for (const n of ctx.networks.list()) ctx.networks.refreshDefinitions(n.id);
    },
  };
}

export async function connectNetwork(ctx: Ctx, request: { file?: string }): Promise<ConnectedNetwork> {
  const file = request.file ?? (await pickNetworkFile());
  const network = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Connecting to the network of {0}', file.split(/[\\/]/).pop() ?? file) },
    () => ctx.networks.connect(file),
  );
  const spec = network.connection.spec;
  void vscode.window.showInformationMessage(
    vscode.l10n.t('Connected to {0} (channel {1}, as {2}). Invoke and Query can now run there.', spec.endpoint, spec.channel, spec.identity.mspId),
  );
  return { id: network.id, file: network.file, endpoint: spec.endpoint, channel: spec.channel, mspId: spec.identity.mspId };
}

async function pickNetworkFile(): Promise<string> {
  const uri = orCancel(
    (
      await vscode.window.showOpenDialog({
        title: vscode.l10n.t('Connect to Fabric Network'),
        openLabel: vscode.l10n.t('Connect'),
        canSelectMany: false,
        canSelectFiles: true,
        // A test-network organizations/ folder is a network description too.
        canSelectFolders: true,
        filters: { [vscode.l10n.t('Network file or connection profile')]: ['yaml', 'yml', 'json'] },
      })
    )?.[0],
  );
  return uri.fsPath;
}

/** Disconnects the row's connection, the one named, or (from the palette) the one picked. */
async function disconnectNetwork(ctx: Ctx, arg: unknown): Promise<boolean> {
  const target = ((arg as { target?: unknown } | undefined)?.target ?? arg) as { networkId?: unknown } | string | undefined;
  let id = typeof target === 'string' ? target : typeof target?.networkId === 'string' ? target.networkId : undefined;
  if (id === 'embedded') throw new Error(vscode.l10n.t('The embedded peer is not a connection: Stop Peer stops it.'));
  if (id === undefined) {
    const items = ctx.networks.list().map((n) => ({ label: n.file.split(/[\\/]/).pop() ?? n.file, description: n.connection.spec.endpoint, id: n.id }));
    if (items.length === 0) throw new Error(vscode.l10n.t('No network is connected.'));
    id = orCancel(await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Disconnect'), placeHolder: vscode.l10n.t('Which connection?') })).id;
  }
  return ctx.networks.disconnect(id);
}

/** A block of a connection (from the Networks view), read from its peer (qscc) and shown as the embedded peer's blocks are. */
async function openNetworkBlock(ctx: Ctx, docs: ChaincodeDocuments, arg: unknown): Promise<vscode.TextEditor> {
  const target = ((arg as { target?: unknown } | undefined)?.target ?? arg) as { kind?: string; networkId?: string; number?: number } | undefined;
  if (target?.kind !== 'networkBlock' || target.networkId === undefined || target.number === undefined) throw new Error(vscode.l10n.t('Open a block from the Networks view.'));
  const network = ctx.networks.get(target.networkId);
  if (!network) throw new Error(vscode.l10n.t('No connection {0}: it was disconnected.', target.networkId));
  // Decoded by the engine bundle's blockToJson (as the embedded peer's blocks are): it reads the
  // creators' certificates with @peculiar/x509, which dist/network.js does not carry.
  const json = JSON.stringify(engineBundle().blockToJson(await network.connection.blockBytes(target.number)), null, 2);
  const host = network.connection.spec.endpoint.replace(/[^A-Za-z0-9.-]/g, '_');
  return docs.open(docs.givenUri(`networks/${host}/${network.connection.channel}`, `block-${target.number}.json`, json));
}
