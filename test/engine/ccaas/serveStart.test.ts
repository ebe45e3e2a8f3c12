/**
 * How each language's chaincode starts as a chaincode server: the shim's CLI in server mode for a
 * contract-API Node chaincode, a script of its own that calls shim.server, `go run` for a Go
 * chaincode whose main starts shim.ChaincodeServer, the jar for Java; and the clear refusals for
 * chaincode that can only dial a peer.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { serveEnv, serveStartCommand } from '../../../src/engine/ccaas/serveStart';
import { EXAMPLE_CHAINCODE } from '../../support/nodeChaincode';
import { makeFolder, removeFolders } from '../../support/netChaincode';
import { repoRoot } from '../../support/toolchains';

const ID = 'asset-transfer_1.0.0:ea64dcd4ae872a15cd1550899f0a6fae9cae3be3b727766ff57a44bcb437f584';
const SERVER = '127.0.0.1:40123';
const common = { packageId: ID, serverAddress: SERVER, mspId: 'Org1MSP' };
const folders: string[] = [];
after(() => removeFolders(folders));

describe('starting a chaincode server', () => {
  test('every server gets the package ID and its address under the names the shims and fabric-samples read, TLS off', () => {
    const env = serveEnv({ ...common, logLevel: 'debug' });
    assert.equal(env.CORE_CHAINCODE_ID_NAME, ID); // the Java shim's id
    assert.equal(env.CHAINCODE_ID, ID);
    assert.equal(env.CHAINCODE_SERVER_ADDRESS, SERVER);
    assert.equal(env.CHAINCODE_TLS_DISABLED, 'true');
    assert.equal(env.CORE_PEER_TLS_ENABLED, 'false');
    assert.equal(env.CORE_PEER_LOCALMSPID, 'Org1MSP');
    assert.equal(env.CORE_CHAINCODE_LOGGING_LEVEL, 'DEBUG');
    assert.equal(env.CORE_PEER_ADDRESS, undefined, 'a server dials no peer');
  });

  test('a contract-API Node chaincode: fabric-chaincode-node server with the address and the id', async () => {
    const cmd = await serveStartCommand({ ...common, language: 'node', folder: EXAMPLE_CHAINCODE });
    assert.equal(cmd.command, 'node');
    assert.equal(cmd.args[0], path.join(EXAMPLE_CHAINCODE, 'node_modules', 'fabric-shim', 'cli.js'));
    assert.deepEqual(cmd.args.slice(1), ['server', '--chaincode-address', SERVER, '--chaincode-id', ID]);
    assert.equal(cmd.cwd, EXAMPLE_CHAINCODE);
  });

  test('a Node script that calls shim.server runs as it is; one that only calls Shim.start is refused with what to change', async () => {
    const own = await makeFolder('serve-own-', {
      'package.json': JSON.stringify({ name: 'own', version: '1.0.0', main: 'index.js', dependencies: { 'fabric-shim': '2.5.8' } }),
      'index.js':
        "const shim = require('fabric-shim');\nshim.server(new Chaincode(), { ccid: process.env.CHAINCODE_ID, address: process.env.CHAINCODE_SERVER_ADDRESS }).start();\n",
    });
    folders.push(own);
    const cmd = await serveStartCommand({ ...common, language: 'node', folder: own });
    assert.deepEqual(cmd.args, [path.join(own, 'index.js')]);
    assert.equal(cmd.env.CHAINCODE_SERVER_ADDRESS, SERVER);

    const lowLevel = path.join(repoRoot(), 'test', 'fixtures', 'node', 'lowlevel');
    await assert.rejects(serveStartCommand({ ...common, language: 'node', folder: lowLevel }), (err: Error) => {
      assert.equal(err.name, 'ServeStartError');
      assert.match(err.message, /index\.js starts the chaincode with Shim\.start, which dials a peer: to serve, start it with shim\.server\(/);
      return true;
    });
  });

  test('Go: go run when its main starts shim.ChaincodeServer; refused, saying how, when it does not', async () => {
    const ccaas = path.join(repoRoot(), 'test', 'fixtures', 'go', 'ccaas');
    const cmd = await serveStartCommand({ ...common, language: 'golang', folder: ccaas });
    assert.deepEqual([cmd.command, ...cmd.args], ['go', 'run', ccaas]);
    assert.equal(cmd.env.CHAINCODE_ID, ID);

    const devOnly = path.join(repoRoot(), 'test', 'fixtures', 'go', 'v2');
    await assert.rejects(
      serveStartCommand({ ...common, language: 'golang', folder: devOnly }),
      /does not start a chaincode server: its main must run shim\.ChaincodeServer\{CCID: os\.Getenv\("CHAINCODE_ID"\)/,
    );
  });

  test("Java: the shim's ContractRouter from the built jar, serving because CHAINCODE_SERVER_ADDRESS is set; no jar is an error that says to build", async () => {
    const project = await makeFolder('serve-java-', { 'pom.xml': '<project/>', 'target/cc-1.0.jar': 'jar' });
    folders.push(project);
    const cmd = await serveStartCommand({ ...common, language: 'java', folder: project });
    // The shim's ContractRouter: the one Java entry that serves (ChaincodeBase.start always dials a peer).
    assert.deepEqual([cmd.command, ...cmd.args], ['java', '-cp', path.join(project, 'target', 'cc-1.0.jar'), 'org.hyperledger.fabric.contract.ContractRouter']);
    assert.equal(cmd.env.CHAINCODE_SERVER_ADDRESS, SERVER);
    const unbuilt = await makeFolder('serve-java-', { 'pom.xml': '<project/>' });
    folders.push(unbuilt);
    await assert.rejects(serveStartCommand({ ...common, language: 'java', folder: unbuilt }), /no runnable jar in .*: build it first/);
  });
});
