/**
 * The `chaincode` debug configuration provider the extension registered (from its exports), resolving
 * a configuration per language against the running embedded peer: CORE_CHAINCODE_ID_NAME, the peer
 * address in the form that language's shim reads (Node: `--peer.address HOST:PORT`; Go:
 * `-peer.address=HOST:PORT`; Java: CORE_PEER_ADDRESS), CORE_PEER_TLS_ENABLED=false, and the debugger
 * type. Resolution starts no session and launches nothing. Go resolves to the type's own adapter
 * (Delve); a Delve setting naming no executable refuses the launch. Java resolves as VS Code would
 * with the Java debugger installed; here it is not, so a real resolution refuses with an Install
 * button, and that is checked too.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { CHAINCODE_ID_FIELD } from '../../src/vscode/debug/chaincodeDebug';
import { EXTENSION_ID, extensionApi, workspaceFolder } from './support';

type Env = Record<string, string>;

const repo = (): string => vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;

describe('debug configuration provider: env and args per language', function () {
  this.timeout(60_000);
  let peerAddress = '';
  let tsDir = '';

  before(async () => {
    const api = await extensionApi();
    peerAddress = (await api.ctx.ensureEngine()).peer.address;
    assert.match(peerAddress, /^127\.0\.0\.1:\d+$/);
    // A TypeScript contract chaincode: tsconfig, a build script, the shim from the example's node_modules.
    tsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-ts-debug-'));
    fs.writeFileSync(
      path.join(tsDir, 'package.json'),
      JSON.stringify({
        name: 'ts-cc',
        version: '0.2.0',
        main: 'dist/index.js',
        scripts: { build: 'tsc', start: 'fabric-chaincode-node start' },
        dependencies: { 'fabric-contract-api': '2.5.8', 'fabric-shim': '2.5.8' },
        devDependencies: { typescript: '5.9' },
      }),
    );
    fs.writeFileSync(path.join(tsDir, 'tsconfig.json'), '{ "compilerOptions": { "outDir": "./dist", "sourceMap": true } }');
    fs.mkdirSync(path.join(tsDir, 'src'));
    fs.writeFileSync(path.join(tsDir, 'src', 'index.ts'), 'export const contracts = [];\n');
    fs.symlinkSync(path.join(repo(), 'examples', 'asset-transfer', 'node_modules'), path.join(tsDir, 'node_modules'), 'dir');
  });

  after(() => {
    if (tsDir) fs.rmSync(tsDir, { recursive: true, force: true });
  });

  const common = (c: vscode.DebugConfiguration, ccid: string): Env => {
    const env = c.env as Env;
    assert.strictEqual(env.CORE_CHAINCODE_ID_NAME, ccid);
    assert.strictEqual(env.CORE_PEER_TLS_ENABLED, 'false');
    assert.strictEqual(c.request, 'launch');
    assert.strictEqual(c[CHAINCODE_ID_FIELD], ccid);
    return env;
  };

  it('node: F5 with no launch.json in the example folder → js-debug (type node) runs the shim with --peer.address HOST:PORT', async () => {
    const api = await extensionApi();
    const folder = workspaceFolder();
    await vscode.window.showTextDocument(vscode.Uri.file(path.join(folder.uri.fsPath, 'lib', 'assetTransfer.js')));
    // What VS Code hands the provider on F5 without a launch.json: an empty configuration.
    const c = await api.debugProvider.resolveDebugConfiguration(folder, { type: '', request: '', name: '' });
    assert.ok(c, 'resolved');
    assert.strictEqual(c.type, 'node');
    common(c, 'asset-transfer:1.0.0');
    assert.ok(String(c.program).endsWith(path.join('node_modules', 'fabric-shim', 'cli.js')), String(c.program));
    assert.deepStrictEqual(c.args, ['start', '--peer.address', peerAddress]);
    assert.strictEqual(c.cwd, folder.uri.fsPath);
    assert.ok(!api.ctx.running().some((r) => r.ccid === 'asset-transfer:1.0.0'), 'resolving launched nothing');
  });

  it('typescript: type node with a build step (npm: build), source maps, and --peer.address HOST:PORT', async () => {
    const api = await extensionApi();
    const c = await api.debugProvider.resolveDebugConfiguration(workspaceFolder(), { type: 'chaincode', request: 'launch', name: 'Debug TS', folder: tsDir });
    assert.ok(c, 'resolved');
    assert.strictEqual(c.type, 'node');
    common(c, 'ts-cc:0.2.0');
    assert.strictEqual(c.preLaunchTask, 'npm: build');
    assert.strictEqual(c.sourceMaps, true);
    assert.deepStrictEqual(c.outFiles, [path.join(tsDir, 'dist', '**', '*.js')]);
    assert.deepStrictEqual(c.args, ['start', '--peer.address', peerAddress]);
  });

  it("go: our own type (Delve's launch request) with -peer.address=HOST:PORT, no Go extension needed", async () => {
    const api = await extensionApi();
    const dir = path.join(repo(), 'test', 'fixtures', 'go', 'v2');
    const config = { type: 'chaincode', request: 'launch', name: 'Debug Go', folder: dir, chaincodeName: 'gocc', version: '2.0' };
    const c = await api.debugProvider.resolveChaincodeConfiguration(workspaceFolder(), config, { checkDebugger: false });
    assert.strictEqual(c.type, 'chaincode');
    assert.strictEqual(c.mode, 'debug');
    assert.strictEqual(c.program, dir);
    common(c, 'gocc:2.0');
    assert.deepStrictEqual(c.args, [`-peer.address=${peerAddress}`]);
  });

  it('go: a chaincode.go.delvePath that names no executable refuses the launch before anything starts', async () => {
    const api = await extensionApi();
    const dir = path.join(repo(), 'test', 'fixtures', 'go', 'v2');
    const settings = vscode.workspace.getConfiguration('chaincode');
    await settings.update('go.delvePath', path.join(os.tmpdir(), 'no-such-dlv'), vscode.ConfigurationTarget.Workspace);
    try {
      const config = { type: 'chaincode', request: 'launch', name: 'Debug Go', folder: dir, chaincodeName: 'gocc', version: '2.1' };
      await assert.rejects(api.debugProvider.resolveChaincodeConfiguration(workspaceFolder(), config), (err: Error) => {
        assert.strictEqual(err.name, 'DebuggerUnavailableError');
        assert.match(err.message, /chaincode\.go\.delvePath is ".*no-such-dlv", which is not an executable file/);
        assert.deepStrictEqual(
          (err as Error & { actions: { title: string }[] }).actions.map((a) => a.title),
          ['Open Settings'],
          'the fix is the setting',
        );
        return true;
      });
      assert.strictEqual(await api.debugProvider.resolveDebugConfiguration(workspaceFolder(), config), undefined, 'F5 is refused (with the message)');
      assert.ok(!api.ctx.running().some((r) => r.ccid === 'gocc:2.1'), 'nothing launched');
    } finally {
      await settings.update('go.delvePath', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('java: type java with CORE_PEER_ADDRESS=HOST:PORT', async () => {
    const api = await extensionApi();
    const dir = path.join(repo(), 'test', 'fixtures', 'java');
    const config = { type: 'chaincode', request: 'launch', name: 'Debug Java', folder: dir, chaincodeName: 'javacc', version: '3.0' };
    if (!vscode.extensions.getExtension('vscjava.vscode-java-debug')) {
      await assert.rejects(api.debugProvider.resolveChaincodeConfiguration(workspaceFolder(), config), (err: Error) => {
        assert.strictEqual(err.name, 'DebuggerUnavailableError');
        assert.match(err.message, /needs the extension vscjava\.vscode-java-debug, which is not installed/);
        assert.deepStrictEqual(
          (err as Error & { actions: { title: string }[] }).actions.map((a) => a.title),
          ['Install vscjava.vscode-java-debug', 'Show in Extensions'],
        );
        return true;
      });
      const refused = await api.debugProvider.resolveDebugConfiguration(workspaceFolder(), config);
      assert.strictEqual(refused, undefined, 'without the Java debugger the launch is refused (with an install button)');
    }
    const c = await api.debugProvider.resolveChaincodeConfiguration(workspaceFolder(), config, { checkDebugger: false });
    assert.strictEqual(c.type, 'java');
    const env = common(c, 'javacc:3.0');
    assert.strictEqual(env.CORE_PEER_ADDRESS, peerAddress);
    assert.ok(typeof c.mainClass === 'string' && c.mainClass.length > 0, `a main class: ${c.mainClass}`);
    assert.ok(!(c.args as string[]).some((a) => a.includes(peerAddress)), 'the Java shim reads the address from the environment only');
  });
});
