/**
 * The chaincode definition from the command line: `--endorsement-policy` and `--collections-config`
 * (or the folder's collections_config.json), checked before anything starts, then in force on the
 * two-org network: the real binary in a child process, real fabric-shim chaincode, JSON results.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { killAllChaincodeProcesses } from '../support/toolchains';

const REPO = path.resolve(__dirname, '..', '..', '..');
const CLI = path.join(REPO, 'out', 'src', 'cli', 'main.js');
const ENDORSEMENT = path.join(REPO, 'test', 'fixtures', 'node', 'endorsement');
const PRIVATE_DATA = path.join(REPO, 'test', 'fixtures', 'node', 'private-data');

interface Line {
  index: number;
  status: number;
  message: string;
  payload: string;
  json?: Record<string, unknown>;
  validation: string;
  mismatches?: { peer: string; mspId: string; differences: { type: string; namespace?: string; key?: string; initial: string | null; invoked: string | null }[] }[];
}

const dataDirs: string[] = [];
function dataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-policies-'));
  dataDirs.push(dir);
  return dir;
}

function runCli(args: string[]): { code: number | null; stderr: string; results: Line[] } {
  const r = spawnSync(process.execPath, [CLI, ...args, '--gateway-port', '0', '--port', '0'], { encoding: 'utf8', timeout: 90_000 });
  const results = r.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Line);
  return { code: r.status, stderr: r.stderr, results };
}

after(async () => {
  await killAllChaincodeProcesses();
  for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('launch --endorsement-policy / --collections-config', () => {
  test('a policy that does not parse is a usage error (2) naming the flag, the token and its column; nothing starts', () => {
    const dir = dataDir();
    const r = runCli(['launch', ENDORSEMENT, '--data-dir', dir, '--once', '--endorsement-policy', "AND('Org1MSP.peer' 'Org2MSP.peer')", '--tx', 'put k v']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /invalid signature policy in --endorsement-policy "AND\('Org1MSP\.peer' 'Org2MSP\.peer'\)": .*'Org2MSP\.peer'.*\(column 20\)/);
    assert.equal(r.results.length, 0);
    assert.equal(fs.existsSync(path.join(dir, 'organizations')), false, 'no peer was started');
  });

  test('a policy naming an org the network does not have is refused before anything starts', () => {
    const r = runCli(['launch', ENDORSEMENT, '--data-dir', dataDir(), '--once', '--endorsement-policy', "OR('Org3MSP.peer')"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--endorsement-policy: 'Org3MSP' is not one of the network's organisations \(Org1MSP, Org2MSP\)/);
  });

  test('a collection configuration that does not parse names the file, line, column and token (exit 2)', () => {
    const dir = dataDir();
    const file = path.join(dir, 'collections.json');
    fs.writeFileSync(file, `[\n  {\n    "name": "secrets",\n    "policy": "OR('Org1MSP.member', Org2MSP.member)"\n  }\n]\n`);
    const r = runCli(['launch', ENDORSEMENT, '--data-dir', dir, '--once', '--collections-config', file]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /invalid collection configuration in file .*collections\.json: .*collections\.json:4:37: invalid policy "OR\('Org1MSP\.member', Org2MSP\.member\)": principal Org2MSP\.member must be quoted/,
    );
    assert.doesNotMatch(r.stderr, /\.\.\//, 'a file outside the working directory is named by its absolute path');
    const member = path.join(dir, 'member.json');
    fs.writeFileSync(member, `[{"name":"c","policy":"OR('Org7MSP.member')"}]`);
    const r2 = runCli(['launch', ENDORSEMENT, '--data-dir', dir, '--once', '--collections-config', member]);
    assert.equal(r2.code, 2);
    assert.match(r2.stderr, /collection-name: c -- collection member 'Org7MSP' is not part of the channel/);
  });

  test('non-deterministic chaincode on two orgs: "ProposalResponsePayloads do not match", with the differing write in the result line', () => {
    const r = runCli(['launch', ENDORSEMENT, '--data-dir', dataDir(), '--once', '--tx', 'putRandom dice', '--query', 'get dice']);
    assert.equal(r.code, 1, r.stderr);
    const [random, read] = r.results;
    assert.equal(random.validation, 'NOT_COMMITTED');
    assert.equal(random.message, 'ProposalResponsePayloads do not match');
    assert.equal(random.mismatches?.length, 1);
    assert.deepEqual([random.mismatches[0].peer, random.mismatches[0].mspId], ['peer0.org2.example.com', 'Org2MSP']);
    assert.deepEqual(Object.keys(random.mismatches[0]).sort(), ['differences', 'mspId', 'peer'], "the line does not print each peer's whole output");
    const write = random.mismatches[0].differences.find((d) => d.type === 'write value mismatch');
    assert.equal(write?.key, 'dice');
    assert.equal(write?.namespace, 'fixture-endorsement');
    assert.match(write?.initial ?? '', /^0\.\d+$/);
    assert.match(write?.invoked ?? '', /^0\.\d+$/);
    assert.notEqual(write?.initial, write?.invoked);
    assert.equal(read.json?.value, null, 'nothing was committed');
  });

  test("--endorsement-policy in force: OR of the orgs needs one endorser (no comparison); a key-level policy then brings in Org2's", () => {
    const r = runCli([
      'launch',
      ENDORSEMENT,
      '--data-dir',
      dataDir(),
      '--once',
      '--endorsement-policy',
      "OR('Org1MSP.peer','Org2MSP.peer')",
      '--tx',
      'putRandom dice',
      '--tx',
      'put guarded v1',
      '--tx',
      'setKeyOrgs guarded Org2MSP',
      '--tx',
      'put guarded v2',
      '--query',
      'get guarded',
    ]);
    const [random, put1, sbe, put2, read] = r.results;
    assert.equal(random.validation, 'VALID', random.message);
    assert.equal(random.mismatches, undefined);
    assert.equal(put1.validation, 'VALID');
    assert.equal(sbe.validation, 'VALID', 'the key had no key-level policy yet: the chaincode policy (Org1 alone) applies');
    // As Fabric's gateway plans from the first endorsement: the key's own policy needs Org2, so Org2's peer endorses too.
    assert.equal(put2.validation, 'VALID', put2.message);
    assert.equal(read.json?.value, 'v2');
    assert.equal(r.code, 0, r.stderr);
  });

  test("the folder's collections_config.json is read: a defined collection works, another fails as on Fabric", () => {
    const r = runCli([
      'launch',
      PRIVATE_DATA,
      '--data-dir',
      dataDir(),
      '--once',
      '--tx',
      'put assetCollection a1 hello',
      '--query',
      'get assetCollection a1',
      '--tx',
      'put nope k v',
    ]);
    assert.match(r.stderr, /collections: assetCollection, Org1MSPPrivateCollection from .*private-data\/collections_config\.json/);
    const [put, get, undefinedCollection] = r.results;
    assert.equal(put.validation, 'VALID', put.message);
    assert.equal(get.json?.value, 'hello');
    assert.equal(undefinedCollection.status, 500);
    assert.match(undefinedCollection.message, /collection mychannel\/fixture-private-data\/nope could not be found/);
    assert.equal(r.code, 1);
  });
});
