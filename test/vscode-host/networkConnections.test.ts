/**
 * Connect to Fabric Network… in the real editor: a second engine process (test/support/remoteNetwork.ts)
 * reached only through its Gateway, as a remote Fabric network would be, through a network file the
 * test writes. Invoke and Query run there (named in the request, or picked among the embedded peer
 * and the connection); the result opens in the result document, marked with the network; the
 * Networks view lists the connection after the embedded peer, with the block the invoke committed
 * and, once Deploy to Fabric… on the connection committed a definition, the definition. Disconnect
 * removes it. A network file that does not parse is refused with its name.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { DeployedToFabric } from '../../src/vscode/commands/deployToFabric';
import type { ConnectedNetwork } from '../../src/vscode/commands/networkCommands';
import type { NetworkRunResult } from '../../src/vscode/commands/networkTransaction';
import { NetworkConnections, SAVED_FILES_KEY } from '../../src/vscode/networks/networkConnections';
import type { ViewNode } from '../../src/vscode/tree/viewNode';
import { endpointFile, startRemoteNetwork, type RemoteNetwork } from '../support/remoteNetwork';
import { extensionApi, waitFor, workspaceFolder } from './support';
import { stubWindow } from './windowStub';

describe('Fabric network connections', function () {
  this.timeout(240_000);
  let remote: RemoteNetwork;
  let networkFile: string;

  before(async () => {
    remote = await startRemoteNetwork();
    networkFile = endpointFile(remote, {}, 'network.yaml');
  });

  after(async () => {
    const api = await extensionApi();
    for (const n of api.ctx.networks.list()) api.ctx.networks.disconnect(n.id);
    await remote?.stop();
  });

  const rows = async (): Promise<readonly ViewNode[]> => (await extensionApi()).views.networks.snapshot();
  const child = (node: ViewNode | undefined, label: string): ViewNode | undefined => node?.children?.find((c) => c.label === label);

  it('connects through a network file; invokes and queries there; lists its blocks and definitions; disconnects', async () => {
    const api = await extensionApi();
    const connected = await vscode.commands.executeCommand<ConnectedNetwork>('chaincode.connectNetwork', { file: networkFile });
    assert.ok(connected, 'Connect returned the connection (an error would have been shown instead)');
    assert.deepStrictEqual([connected.endpoint, connected.channel, connected.mspId], [remote.endpoint, 'mychannel', 'Org1MSP']);
    // Kept for the next window: a fresh set of connections on the same workspace state (what a
    // window reload makes) connects to it again.
    const saved = (): string[] => api.ctx.extensionContext.workspaceState.get<string[]>(SAVED_FILES_KEY, []);
    assert.deepStrictEqual(saved(), [networkFile]);
    const afterReload = new NetworkConnections(api.ctx.log, api.ctx.extensionContext.workspaceState);
    try {
      await afterReload.restoreSaved();
      assert.deepStrictEqual(
        afterReload.list().map((n) => [n.file, n.connection.spec.endpoint]),
        [[networkFile, remote.endpoint]],
      );
    } finally {
      afterReload.dispose();
    }
    const [embedded, network] = await rows();
    assert.strictEqual(embedded.label, 'Embedded peer');
    assert.deepStrictEqual([network?.label, network?.description], ['network.yaml', `Org1MSP · mychannel · ${remote.endpoint}`]);

    const created = await vscode.commands.executeCommand<NetworkRunResult>('chaincode.invokeTransaction', {
      network: connected.id,
      chaincodeId: 'basic',
      fn: 'CreateAsset',
      args: ['editor1', 'red', '3', 'Dee', '30'],
    });
    assert.ok(created, 'the invoke returned its result');
    assert.deepStrictEqual([created.status, created.validation, created.event?.eventName], [200, 'VALID', 'AssetCreated']);
    assert.ok(typeof created.blockNumber === 'number' && created.blockNumber > 0, `committed in block ${created.blockNumber}`);
    // It ran on the network, not on the embedded peer.
    assert.strictEqual(api.ctx.engine.current?.transactions.transaction(created.txId), undefined);
    // Its read/write set as the network's committed block has it.
    assert.strictEqual(created.committed?.blockNumber, created.blockNumber);
    const writes = created.committed?.readWriteSets.find((s) => s.chaincode === 'basic')?.rwset.writes ?? [];
    assert.deepStrictEqual(
      writes.map((w) => [w.key, (JSON.parse(w.value?.toString('utf8') ?? '{}') as { Owner?: string }).Owner]),
      [['editor1', 'Dee']],
    );

    const read = await vscode.commands.executeCommand<NetworkRunResult>('chaincode.queryChaincode', {
      network: connected.id,
      chaincodeId: 'basic',
      fn: 'ReadAsset',
      args: ['editor1'],
      showResult: true,
    });
    assert.ok(read, 'the query returned its result');
    assert.deepStrictEqual([read.status, read.validation, (JSON.parse(read.payload.toString('utf8')) as { Owner: string }).Owner], [200, 'NOT_VALIDATED', 'Dee']);
    const doc = await waitFor(() => vscode.window.activeTextEditor?.document.uri.scheme === 'chaincode' && vscode.window.activeTextEditor.document, 10_000, 'the result document');
    const shown = JSON.parse(doc.getText()) as { network: string; function: string; result: { Owner: string }; txId: string };
    assert.deepStrictEqual([shown.network, shown.function, shown.result.Owner, shown.txId], [`${remote.endpoint} (mychannel)`, 'ReadAsset', 'Dee', read.txId]);

    // With a connection, Invoke and Query ask where to run (the embedded peer is offered first until a connection is picked).
    const stub = stubWindow({ pick: (labels) => labels.find((l) => l === 'network.yaml') });
    let picked: NetworkRunResult | undefined;
    try {
      picked = await vscode.commands.executeCommand<NetworkRunResult>('chaincode.queryChaincode', { chaincodeId: 'basic', fn: 'ReadAsset', args: ['editor1'], showResult: false });
    } finally {
      stub.restore();
    }
    assert.deepStrictEqual(stub.picks[0]?.labels, ['Embedded peer', 'network.yaml']);
    assert.strictEqual(picked?.status, 200, `the picked network answered: ${stub.errors.map((e) => e.message).join('; ')}`);
    assert.strictEqual(picked?.network, `${remote.endpoint} (mychannel)`);

    // The block the invoke committed, listed under the connection.
    const block = await waitFor(async () => child(child((await rows())[1], 'Blocks'), `Block ${created.blockNumber}`), 30_000, `block ${created.blockNumber} in the Networks view`);
    assert.strictEqual(block.description, '1 transaction');
    // It opens as JSON, read from the network's peer.
    assert.ok(block.command, 'a block row opens its block');
    await vscode.commands.executeCommand(block.command.command, ...(block.command.arguments ?? []));
    const blockDoc = await waitFor(
      () => vscode.window.activeTextEditor?.document.uri.path.endsWith(`block-${created.blockNumber}.json`) && vscode.window.activeTextEditor.document,
      10_000,
      'the block document',
    );
    const blockJson = JSON.parse(blockDoc.getText()) as { number: number; transactions: unknown[] };
    assert.deepStrictEqual([blockJson.number, blockJson.transactions.length], [created.blockNumber, 1]);
    assert.ok(blockDoc.getText().includes(created.txId), 'the block holds the invoke');

    // Deploy to Fabric on the connection: its peer, approved by the admins of the crypto folder its
    // identity comes from; the committed definition appears under it.
    const deployed = await vscode.commands.executeCommand<DeployedToFabric>('chaincode.deployToFabric', {
      network: connected.id,
      source: workspaceFolder().uri.fsPath,
      name: 'deployed',
      version: '1.0',
      sequence: 1,
      endorsementPolicy: '',
      confirm: false,
    });
    assert.deepStrictEqual([deployed?.name, deployed?.sequence, deployed?.version], ['deployed', 1, '1.0']);
    // Not on the embedded peer.
    assert.strictEqual(api.ctx.engine.current?.transactions.definitions.get('mychannel', 'deployed'), undefined);
    const definition = await waitFor(async () => child(child((await rows())[1], 'Chaincodes'), 'deployed'), 30_000, 'the definition of deployed in the Networks view');
    assert.strictEqual(definition.description, '1.0 · sequence 1');

    const disconnected = await vscode.commands.executeCommand<boolean>('chaincode.disconnectNetwork', network?.target);
    assert.strictEqual(disconnected, true);
    await waitFor(() => saved().length === 0, 5000, 'Disconnect to forget the file for the next window');
    assert.deepStrictEqual(
      (await rows()).map((r) => r.label),
      ['Embedded peer'],
    );
  });

  it('refuses a network file that does not parse, with its name, and connects nothing', async () => {
    const api = await extensionApi();
    const broken = path.join(remote.scratch, 'broken.yaml');
    fs.writeFileSync(broken, 'endpoint: [localhost:7051\n');
    const stub = stubWindow();
    let result: unknown;
    try {
      result = await vscode.commands.executeCommand('chaincode.connectNetwork', { file: broken });
    } finally {
      stub.restore();
    }
    assert.strictEqual(result, undefined);
    assert.ok(
      stub.errors.some((e) => e.message.includes(`${broken} does not parse`)),
      stub.errors.map((e) => e.message).join('\n'),
    );
    assert.strictEqual(api.ctx.networks.list().length, 0);
  });
});
