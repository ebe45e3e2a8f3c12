import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { detectChaincode } from '../../src/engine/workspace/detect';
import { CHAINCODE_ID_FIELD, CHAINCODE_LANGUAGE_FIELD, ResolveInput } from '../../src/vscode/debug/chaincodeDebug';
import { sourceLanguageOf } from '../../src/engine/workspace/detect';
import { debugConfigurationFor } from '../../src/vscode/debug/languages';
import { PauseState } from '../../src/vscode/debug/pauseState';
import { engineConfigFrom } from '../../src/vscode/engineSettings';
import { functionsFromMetadata, parseArgs } from '../../src/vscode/commands/contractMetadata';

function folderWith(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-debug-'));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

function input(dir: string, config: Partial<ResolveInput['config']> = {}): ResolveInput {
  const cc = detectChaincode(dir);
  assert.ok(cc, `chaincode detected in ${dir}`);
  return { config: { type: 'chaincode', request: 'launch', name: 'Debug', ...config }, chaincode: cc, peerAddress: '127.0.0.1:7052', mspId: 'Org1MSP', logLevel: 'info' };
}

describe('debug configurations per language', () => {
  it("node (contract API): js-debug runs the shim CLI with --peer.address and a Fabric peer's environment (MSP id, TLS off)", () => {
    const dir = folderWith({
      'package.json': JSON.stringify({
        name: '@org/asset-transfer',
        version: '2.0.0',
        scripts: { start: 'fabric-chaincode-node start' },
        dependencies: { 'fabric-contract-api': '2.5.8' },
      }),
      'index.js': 'module.exports.contracts = [];',
      'node_modules/fabric-shim/cli.js': '',
    });
    const i = input(dir);
    assert.equal(sourceLanguageOf(i.chaincode), 'node');
    const c = debugConfigurationFor('node').resolve(i);
    assert.equal(c.type, 'node');
    assert.equal(c.program, path.join(dir, 'node_modules/fabric-shim/cli.js'));
    assert.deepEqual(c.args, ['start', '--peer.address', '127.0.0.1:7052']);
    assert.deepEqual(c.env, {
      CORE_CHAINCODE_ID_NAME: 'asset-transfer:2.0.0',
      CORE_PEER_TLS_ENABLED: 'false',
      CORE_PEER_LOCALMSPID: 'Org1MSP',
      CORE_CHAINCODE_LOGGING_LEVEL: 'INFO',
      CORE_CHAINCODE_LOGGING_SHIM: 'WARNING',
      CORE_PEER_ADDRESS: '127.0.0.1:7052',
    });
    assert.equal(c[CHAINCODE_ID_FIELD], 'asset-transfer:2.0.0');
    // The user's own variables go on top.
    const own = debugConfigurationFor('node').resolve(input(dir, { env: { CORE_CHAINCODE_LOGGING_LEVEL: 'DEBUG', MY_VAR: '1' } }));
    assert.equal((own.env as Record<string, string>).CORE_CHAINCODE_LOGGING_LEVEL, 'DEBUG');
    assert.equal((own.env as Record<string, string>).MY_VAR, '1');
    assert.equal(c[CHAINCODE_LANGUAGE_FIELD], 'node', 'the launcher learns the language when the session starts');
  });

  it('typescript: builds first (npm: build), source maps on, outFiles from tsconfig', () => {
    const dir = folderWith({
      'package.json': JSON.stringify({
        name: 'tscc',
        main: 'dist/index.js',
        scripts: { build: 'tsc', start: 'fabric-chaincode-node start' },
        dependencies: { 'fabric-contract-api': '2.5.8' },
        devDependencies: { typescript: '5' },
      }),
      'tsconfig.json': '{ "compilerOptions": { "outDir": "./dist" } }',
      'node_modules/fabric-shim/cli.js': '',
    });
    const i = input(dir, { chaincodeName: 'mycc', version: '1.0' });
    assert.equal(sourceLanguageOf(i.chaincode), 'typescript');
    const c = debugConfigurationFor('typescript').resolve(i);
    assert.equal(c.preLaunchTask, 'npm: build');
    assert.equal(c.sourceMaps, true);
    assert.deepEqual(c.outFiles, [path.join(dir, 'dist', '**', '*.js')]);
    assert.equal((c.env as Record<string, string>).CORE_CHAINCODE_ID_NAME, 'mycc:1.0');
  });

  it("go: our own type (Delve's launch request: build and debug the package) with -peer.address=HOST:PORT and CORE_PEER_TLS_ENABLED=false", () => {
    const dir = folderWith({ 'go.mod': 'module github.com/acme/basic/v2\n\nrequire github.com/hyperledger/fabric-contract-api-go/v2 v2.2.0\n' });
    const i = input(dir);
    const c = debugConfigurationFor(sourceLanguageOf(i.chaincode)).resolve(i);
    assert.equal(c.type, 'chaincode', "no Go extension: the chaincode type's own adapter (dlv dap) serves it");
    assert.equal(debugConfigurationFor('golang').debuggerExtension, undefined);
    assert.equal(c.mode, 'debug');
    assert.equal(c.program, dir);
    assert.equal(c.cwd, dir);
    assert.equal(c.dlvCwd, dir, 'Delve runs go build inside the module');
    assert.equal(c.outputMode, 'remote', "the chaincode's output comes as DAP output events");
    assert.equal(path.dirname(String(c.output)), os.tmpdir(), 'the debug build goes outside the chaincode folder');
    assert.match(path.basename(String(c.output)), /^__debug_bin-basic-1\.0-\d+$/);
    assert.equal(c.buildFlags, undefined);
    assert.deepEqual(c.args, ['-peer.address=127.0.0.1:7052']);
    assert.equal(c[CHAINCODE_LANGUAGE_FIELD], 'golang');
    assert.equal((c.env as Record<string, string>).CORE_PEER_TLS_ENABLED, 'false');
    assert.equal((c.env as Record<string, string>).CORE_CHAINCODE_ID_NAME, 'basic:1.0');
    assert.equal((c.env as Record<string, string>).CORE_PEER_LOCALMSPID, 'Org1MSP');
    // Delve's own attributes pass through: a package, build flags, more arguments.
    const own = debugConfigurationFor('golang').resolve(input(dir, { package: './cmd/cc', buildFlags: '-tags=integration', args: ['-x'] }));
    assert.equal(own.program, path.join(dir, 'cmd', 'cc'));
    assert.equal(own.buildFlags, '-tags=integration');
    assert.deepEqual(own.args, ['-peer.address=127.0.0.1:7052', '-x']);
    assert.equal(debugConfigurationFor('golang').resolve(input(dir, { buildFlags: 42 })).buildFlags, undefined, "not Delve's form: left out");
  });

  it('java: the Java debugger with CORE_PEER_ADDRESS and the main class from the build', () => {
    const dir = folderWith({
      'build.gradle': "dependencies { implementation 'org.hyperledger.fabric-chaincode-java:fabric-chaincode-shim:2.5.+' }\nversion = '0.3'\nmainClassName = 'org.example.Main'\n",
    });
    const i = input(dir);
    const c = debugConfigurationFor('java').resolve(i);
    assert.equal(c.type, 'java');
    assert.equal(c.mainClass, 'org.example.Main');
    assert.equal((c.env as Record<string, string>).CORE_PEER_ADDRESS, '127.0.0.1:7052');
    assert.equal((c.env as Record<string, string>).CORE_CHAINCODE_ID_NAME, `${path.basename(dir).replace(/[^a-zA-Z0-9_-]+/g, '-')}:0.3`);
    assert.equal((c.env as Record<string, string>).CORE_PEER_LOCALMSPID, 'Org1MSP');
  });

  it('pause state: stopped pauses once; continued event and continue response resume once, in either order', () => {
    const changes: boolean[] = [];
    const s = new PauseState((p) => changes.push(p));
    s.fromAdapter({ type: 'event', event: 'continued' });
    s.fromAdapter({ type: 'event', event: 'stopped' });
    s.fromAdapter({ type: 'event', event: 'stopped' });
    s.fromAdapter({ type: 'response', command: 'continue', success: true });
    s.fromAdapter({ type: 'event', event: 'continued' });
    s.fromAdapter({ type: 'event', event: 'stopped' });
    s.end();
    assert.deepEqual(changes, [true, false, true, false]);
  });
});

describe('settings and invoke helpers', () => {
  it('maps chaincode.* settings onto EngineConfig (seconds → ms)', () => {
    const values: Record<string, unknown> = { 'peer.port': 0, executeTimeout: 3, 'baseImage.node': 'local/node:20', mode: 'net', dataDir: '' };
    const c = engineConfigFrom(<T>(k: string) => values[k] as T | undefined, '/storage/peer');
    assert.equal(c.peerPort, 0);
    assert.equal(c.executeTimeoutMs, 3000);
    assert.equal(c.baseImages.node, 'local/node:20');
    assert.equal(c.baseImages.java, 'hyperledger/fabric-javaenv:2.5');
    assert.equal(c.mode, 'net');
    assert.equal(c.dataDir, '/storage/peer');
    assert.equal(c.ledgerDurability, 'process');
    assert.equal(engineConfigFrom(<T>(k: string) => ({ 'ledger.durability': 'disk' })[k] as T | undefined, '/s').ledgerDurability, 'disk');
    assert.equal(engineConfigFrom(<T>(k: string) => ({ 'ledger.durability': 'never' })[k] as T | undefined, '/s').ledgerDurability, 'process');
  });

  it('reads contract metadata and typed arguments', () => {
    const fns = functionsFromMetadata(
      JSON.stringify({
        contracts: {
          AssetTransfer: { name: 'AssetTransfer', transactions: [{ name: 'ReadAsset', tags: ['EVALUATE'], parameters: [{ name: 'id', schema: { type: 'string' } }] }] },
          Other: { name: 'Other', transactions: [{ name: 'Ping', tags: ['SUBMIT', 'submitTx'] }] },
          'org.hyperledger.fabric': { transactions: [{ name: 'GetMetadata' }] },
        },
      }),
    );
    assert.deepEqual(
      fns.map((f) => [f.name, f.kind]),
      [
        ['ReadAsset', 'evaluate'],
        ['Other:Ping', 'submit'],
      ],
    );
    assert.deepEqual(fns[0].parameters, [{ name: 'id', type: 'string', schema: { type: 'string' } }]);
    assert.deepEqual(parseArgs('asset1 "big blue" 5'), ['asset1', 'big blue', '5']);
    assert.deepEqual(parseArgs('["a", {"b":1}]'), ['a', '{"b":1}']);
  });
});
