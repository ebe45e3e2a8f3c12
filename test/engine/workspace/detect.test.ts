/**
 * The one chaincode-folder detector (editor and CLI): what counts as chaincode, why a folder does
 * not, and names and versions as Fabric checks them (ChaincodeNameRegExp and ChaincodeVersionRegExp,
 * with InvalidChaincodeNameErr / InvalidVersionErr's wording, in core/scc/lscc).
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  chaincodeNameProblem,
  chaincodeVersionProblem,
  detectChaincode,
  isValidChaincodeName,
  isValidChaincodeVersion,
  NotChaincodeError,
  requireChaincode,
  toChaincodeName,
} from '../../../src/engine/workspace/detect';

const folders: string[] = [];
function folder(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'detect-'));
  folders.push(dir);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}
after(() => {
  for (const dir of folders) fs.rmSync(dir, { recursive: true, force: true });
});

const nodePackage = (name: string, deps: Record<string, string> = { 'fabric-contract-api': '2.5.8' }): string => JSON.stringify({ name, version: '2.1.0', dependencies: deps });

describe('chaincode folder detection', () => {
  test("Fabric's name rule: alphanumerics with single '-' or '_' between them", () => {
    for (const ok of ['mycc', 'my-cc', 'my_cc', 'a1-b2_c3', 'CC']) assert.ok(isValidChaincodeName(ok), ok);
    for (const bad of ['my.cc', '-cc', 'cc-', 'my--cc', 'my-_cc', '_lifecycle', '', 'my cc', 'café']) assert.ok(!isValidChaincodeName(bad), bad);
    assert.match(
      chaincodeNameProblem('my.cc') ?? '',
      /^invalid chaincode name 'my\.cc'\. Names must start with an alphanumeric character and can only consist of alphanumerics, '_', and '-'/,
    );
    assert.equal(chaincodeNameProblem('my-cc'), undefined);
  });

  test("Fabric's version rule: alphanumerics, '_', '-', '+' and '.'", () => {
    for (const ok of ['1.0', '1.0.0-rc.1+build_7', 'v2']) assert.ok(isValidChaincodeVersion(ok), ok);
    for (const bad of ['', '1.0/beta', '1 0', '1:0']) assert.ok(!isValidChaincodeVersion(bad), bad);
    assert.equal(chaincodeVersionProblem('1:0'), "invalid chaincode version '1:0'. Versions must not be empty and can only consist of alphanumerics, '_',  '-', '+', and '.'");
  });

  test('a derived name follows the rule: the scope and dots of an npm name, the path of a Go module', () => {
    assert.equal(toChaincodeName('@org/my.cc'), 'my-cc');
    assert.equal(toChaincodeName('github.com/acme/asset-transfer/v2'), 'asset-transfer');
    assert.equal(toChaincodeName('a..b__c'), 'a-b-c');
    assert.equal(toChaincodeName('...'), 'chaincode');
    for (const raw of ['@org/my.cc', 'x.y.z', '-a-', 'a b@c', '.hidden']) assert.ok(isValidChaincodeName(toChaincodeName(raw)), raw);
  });

  test('a Node chaincode keeps its declared name beside the derived one', () => {
    const cc = detectChaincode(folder({ 'package.json': nodePackage('@org/my.cc') }));
    assert.deepEqual([cc?.language, cc?.name, cc?.declaredName, cc?.version, cc?.contractApi], ['node', 'my-cc', '@org/my.cc', '2.1.0', true]);
  });

  test('requireChaincode says why a folder is not chaincode', () => {
    assert.throws(
      () => requireChaincode(folder({})),
      (err: unknown) => err instanceof NotChaincodeError && err.name === 'NotChaincodeError' && /it has no package\.json, go\.mod, pom\.xml or build\.gradle/.test(err.message),
    );
    assert.throws(
      () => requireChaincode(folder({ 'package.json': nodePackage('web', { express: '4' }) })),
      /its package\.json has neither fabric-contract-api nor fabric-shim in "dependencies"/,
    );
    assert.throws(() => requireChaincode(folder({ 'package.json': '{ not json' })), /its package\.json is not valid JSON/);
    assert.throws(
      () => requireChaincode(folder({ 'go.mod': 'module example.com/tool\n\ngo 1.22\n' })),
      /its go\.mod requires neither github\.com\/hyperledger\/fabric-chaincode-go/,
    );
    assert.throws(() => requireChaincode(folder({ 'pom.xml': '<project><artifactId>app</artifactId></project>' })), /its pom\.xml does not use fabric-chaincode-shim/);
    assert.throws(() => requireChaincode(path.join(os.tmpdir(), 'no-such-folder-for-detect')), /no such folder/);
    const file = path.join(folder({ 'x.txt': '' }), 'x.txt');
    assert.throws(() => requireChaincode(file), /it is a file, not a folder/);
  });

  test('requireChaincode returns what detectChaincode finds', () => {
    const dir = folder({ 'go.mod': 'module github.com/acme/basic.cc/v2\n\nrequire github.com/hyperledger/fabric-chaincode-go/v2 v2.3.0\n' });
    const cc = requireChaincode(dir);
    assert.deepEqual(cc, detectChaincode(dir));
    assert.deepEqual([cc.language, cc.name, cc.declaredName, cc.version], ['golang', 'basic-cc', 'github.com/acme/basic.cc/v2', '1.0']);
  });
});
