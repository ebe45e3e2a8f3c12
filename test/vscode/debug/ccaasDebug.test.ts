/**
 * The CCaaS debug configuration resolved outside VS Code: the language's own debugger configuration
 * (the dev-mode options) running the chaincode server on the loopback address given, the server's
 * environment, the serve spec for the session (TLS file paths, never their content), and the
 * configuration errors a user can act on.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { createCertificateAuthority, issueCertificate } from '../../../src/engine/crypto/certificates';
import { detectChaincode } from '../../../src/engine/workspace/detect';
import { CCAAS_FIELD, CcaasLaunchConfig, resolveCcaasConfiguration, type ServeSpec } from '../../../src/vscode/debug/ccaasDebug';
import { CHAINCODE_ID_FIELD } from '../../../src/vscode/debug/chaincodeDebug';
import { repoRoot } from '../../support/toolchains';

const ID = 'asset-transfer_1.0.0:ea64dcd4ae872a15cd1550899f0a6fae9cae3be3b727766ff57a44bcb437f584';
const SERVER = { host: '127.0.0.1', port: 41234 };
const dirs: string[] = [];
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function folderWith(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccaas-debug-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

const CONTRACT_NODE = {
  'package.json': JSON.stringify({ name: 'asset-transfer', version: '1.0.0', scripts: { start: 'fabric-chaincode-node start' }, dependencies: { 'fabric-contract-api': '2.5.8' } }),
  'index.js': 'module.exports.contracts = [];',
  'node_modules/fabric-shim/cli.js': '',
};

function resolve(dir: string, config: Partial<CcaasLaunchConfig>, language: 'node' | 'golang' | 'java' = 'node'): Record<string, unknown> {
  const chaincode = detectChaincode(dir);
  assert.ok(chaincode);
  return resolveCcaasConfiguration({
    config: { type: 'chaincode', request: 'launch', name: 'Debug on a Fabric network', mode: 'ccaas', packageId: ID, ...config },
    chaincode,
    language,
    serverAddress: SERVER,
    mspId: 'Org2MSP',
    logLevel: 'info',
  });
}

describe('the ccaas debug configuration', () => {
  it('Node: js-debug runs the shim CLI in server mode on the loopback address, under the package ID; peers dial the address given', () => {
    const dir = folderWith(CONTRACT_NODE);
    const c = resolve(dir, { address: '0.0.0.0:9999', args: ['--grpc.keepalive_time_ms', '60000'], env: { MY_VAR: '1' } });
    assert.equal(c.type, 'node');
    assert.equal(c.program, path.join(dir, 'node_modules', 'fabric-shim', 'cli.js'));
    assert.deepEqual(c.args, ['server', '--chaincode-address', '127.0.0.1:41234', '--chaincode-id', ID, '--grpc.keepalive_time_ms', '60000']);
    const env = c.env as Record<string, string>;
    assert.equal(env.CHAINCODE_SERVER_ADDRESS, '127.0.0.1:41234');
    assert.equal(env.CORE_CHAINCODE_ID_NAME, ID);
    assert.equal(env.CORE_PEER_LOCALMSPID, 'Org2MSP');
    assert.equal(env.CORE_PEER_ADDRESS, undefined, 'no peer is dialled');
    assert.equal(env.MY_VAR, '1');
    assert.equal(c.console, 'internalConsole', 'the dev-mode js-debug options');
    assert.equal(c[CHAINCODE_ID_FIELD], ID, 'pauses and logs follow the package ID');
    assert.deepEqual(c[CCAAS_FIELD], { packageId: ID, listen: { host: '0.0.0.0', port: 9999 }, serverAddress: SERVER } satisfies ServeSpec);
  });

  it('the address defaults to this machine only, port 9999', () => {
    const spec = resolve(folderWith(CONTRACT_NODE), {})[CCAAS_FIELD] as ServeSpec;
    assert.deepEqual(spec.listen, { host: '127.0.0.1', port: 9999 });
  });

  it("TLS: the spec names the files, the configuration carries no key; a key that is not the certificate's is refused now", async () => {
    const ca = await createCertificateAuthority('O=Org1, CN=tls-ca');
    const server = await issueCertificate(ca, { subject: 'O=Org1, CN=cc', usage: 'server', hosts: ['127.0.0.1'] });
    const other = await issueCertificate(ca, { subject: 'O=Org1, CN=other', usage: 'server', hosts: ['127.0.0.1'] });
    const dir = folderWith({ ...CONTRACT_NODE, 'tls/server.pem': server.certPem, 'tls/server.key': server.keyPem, 'tls/other.key': other.keyPem, 'tls/ca.pem': ca.certPem });
    const c = resolve(dir, { tlsCert: 'tls/server.pem', tlsKey: 'tls/server.key', clientCa: 'tls/ca.pem' });
    const spec = c[CCAAS_FIELD] as ServeSpec;
    assert.deepEqual(spec.tlsFiles, { cert: path.join(dir, 'tls/server.pem'), key: path.join(dir, 'tls/server.key'), clientCa: path.join(dir, 'tls/ca.pem') });
    assert.ok(!JSON.stringify(c).includes('PRIVATE KEY'), 'no key material goes to the debug adapter');
    assert.throws(() => resolve(dir, { tlsCert: 'tls/server.pem', tlsKey: 'tls/other.key' }), /the TLS certificate and key cannot serve together/);
    assert.throws(() => resolve(dir, { tlsCert: 'tls/server.pem', tlsKey: 'tls/missing.key' }), /"tlsKey": cannot read .*missing\.key/);
    assert.throws(() => resolve(dir, { tlsCert: 'tls/server.pem' }), /"tlsCert" and "tlsKey" go together/);
    assert.throws(() => resolve(dir, { clientCa: 'tls/ca.pem' }), /"clientCa" needs TLS/);
  });

  it('errors a user acts on: no package ID, a bad address, a Node chaincode that only dials a peer, a Go main without a server', () => {
    const dir = folderWith(CONTRACT_NODE);
    assert.throws(() => resolve(dir, { packageId: '' }), /Set "packageId" in the launch configuration: the package ID the peer installed/);
    assert.throws(() => resolve(dir, { address: 'localhost' }), /the "address" must be HOST:PORT/);
    const lowLevel = folderWith({
      'package.json': JSON.stringify({ name: 'lowlevel', version: '1.0.0', scripts: { start: 'node index.js' }, dependencies: { 'fabric-shim': '2.5.8' } }),
      'index.js': "require('fabric-shim').start(new Chaincode());",
    });
    assert.throws(
      () => resolve(lowLevel, {}),
      (err: Error) => err.name === 'DebugConfigError' && /starts the chaincode with Shim\.start, which dials a peer/.test(err.message),
    );
    assert.throws(() => resolve(path.join(repoRoot(), 'test', 'fixtures', 'go', 'v2'), {}, 'golang'), /does not start a chaincode server/);
  });

  it("Java: the Java debugger runs the shim's ContractRouter (the entry that serves), whatever the build's main class", () => {
    const dir = folderWith({
      'pom.xml':
        '<project><dependencies><dependency><artifactId>fabric-chaincode-shim</artifactId></dependency></dependencies><build><mainClass>org.example.Main</mainClass></build></project>',
    });
    const c = resolve(dir, {}, 'java');
    assert.equal(c.type, 'java');
    assert.equal(c.mainClass, 'org.hyperledger.fabric.contract.ContractRouter');
    assert.equal((c.env as Record<string, string>).CHAINCODE_SERVER_ADDRESS, '127.0.0.1:41234');
  });

  it('Go: Delve gets the package and the server environment, no -peer.address', () => {
    const dir = path.join(repoRoot(), 'test', 'fixtures', 'go', 'ccaas');
    const c = resolve(dir, { args: ['-v'] }, 'golang');
    // The chaincode debug type runs Go under its own Delve adapter (dlv dap), in debug mode.
    assert.equal(c.type, 'chaincode');
    assert.equal(c.mode, 'debug');
    assert.equal(c.program, dir);
    assert.deepEqual(c.args, ['-v']);
    assert.equal((c.env as Record<string, string>).CHAINCODE_ID, ID);
  });
});
