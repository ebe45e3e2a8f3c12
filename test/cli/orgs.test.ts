/**
 * Organisations, identities, transient data and channels from the CLI, as a script uses it: the
 * real binary in a child process, a real fabric-contract-api chaincode (test/fixtures/node/identity)
 * run by each org's peer, whose `ctx.clientIdentity` and `getTransient()` (real fabric-shim) say
 * what reached it; the data directory and the output searched for what must not be there.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ChannelLedger } from '../../src/engine/ledger/channelLedger';
import { peerDataDir } from '../../src/engine/ledger/channelDirectories';
import { killAllChaincodeProcesses } from '../support/toolchains';

const REPO = path.resolve(__dirname, '..', '..', '..');
const CLI = path.join(REPO, 'out', 'src', 'cli', 'main.js');
const IDENTITY_CC = path.join(REPO, 'test', 'fixtures', 'node', 'identity');

interface Line {
  index: number;
  kind: 'invoke' | 'query';
  tx: string[];
  channel: string;
  creator?: { mspId: string; name: string; subject: string };
  status: number;
  message: string;
  payload: string;
  json?: unknown;
  validation: string;
  error?: string;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  lines: Line[];
}

function run(args: string[]): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 90_000 });
  const lines = r.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Line);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, lines };
}

/** `launch` of the identity chaincode, exiting after the steps (no Gateway: --once starts none). */
const launch = (dataDir: string, args: string[]): Run => run(['launch', IDENTITY_CC, '--data-dir', dataDir, '--port', '0', '--once', ...args]);

const dirs: string[] = [];
function dataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-orgs-'));
  dirs.push(dir);
  return dir;
}

after(async () => {
  await killAllChaincodeProcesses();
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

interface WhoAmI {
  id: string;
  mspId: string;
  attrs: Record<string, string | null>;
}

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

describe('CLI: organisations, identities, transient data, channels', () => {
  test('calls as the identity named in the org named: MSP and attributes as the chaincode reads them; kept, and reissued when the attributes change', async () => {
    const dir = dataDir();
    // An identity made beforehand with `identity create` is used as it is.
    const created = run(['identity', 'create', 'bob', '--msp-id', 'Org2MSP', '--attr', 'dept=7', '--data-dir', dir]);
    assert.equal(created.code, 0, created.stderr);
    const bob = JSON.parse(created.stdout) as { action: string; type: string; attributes: Record<string, string>; certFile: string };
    assert.equal(bob.action, 'issued');
    const asBob = launch(dir, ['--msp-id', 'Org2MSP', '--identity', 'bob', '--query', '["whoAmI","[\\"dept\\"]"]']);
    assert.equal(asBob.code, 0, asBob.stderr);
    assert.deepEqual((asBob.lines[0].json as WhoAmI).attrs, { dept: '7' });
    assert.doesNotMatch(asBob.stderr, /\[identity\] (issued|reissued)/, 'bob is used as identity create made him');

    const first = launch(dir, [
      '--msp-id',
      'Org2MSP',
      '--identity',
      'alice',
      '--identity-attr',
      'role=auditor',
      '--query',
      '["whoAmI","[\\"role\\",\\"hf.EnrollmentID\\"]"]',
      '--tx',
      'requireMsp Org2MSP',
      '--tx',
      'requireAttr role auditor',
      '--tx',
      'requireAttr role admin',
      '--tx',
      'requireMsp Org1MSP',
    ]);
    assert.equal(first.code, 1, 'two transactions are refused by the chaincode');
    assert.match(first.stderr, /\[identity\] issued alice of Org2MSP by its CA/);
    const who = first.lines[0].json as WhoAmI;
    assert.equal(who.mspId, 'Org2MSP');
    assert.deepEqual(who.attrs, { role: 'auditor', 'hf.EnrollmentID': 'alice' });
    assert.match(who.id, /^x509::\/C=US\/ST=North Carolina\/O=Hyperledger\/OU=client\/CN=alice::.*\/O=org2\.example\.com\/CN=ca\.org2\.example\.com$/);
    for (const line of first.lines) {
      assert.deepEqual(line.creator, { mspId: 'Org2MSP', name: 'alice', subject: 'C=US, ST=North Carolina, O=Hyperledger, OU=client, CN=alice' });
    }
    assert.deepEqual(
      first.lines.slice(1).map((l) => [l.tx.join(' '), l.status, l.validation]),
      [
        ['requireMsp Org2MSP', 200, 'VALID'],
        ['requireAttr role auditor', 200, 'VALID'],
        ['requireAttr role admin', 500, 'NOT_COMMITTED'],
        ['requireMsp Org1MSP', 500, 'NOT_COMMITTED'],
      ],
    );
    assert.match(first.lines[3].message, /lacks role=admin/);
    assert.equal(first.lines[4].message, 'caller is a member of Org2MSP, not Org1MSP');
    const certFile = path.join(
      dir,
      'organizations',
      'peerOrganizations',
      'org2.example.com',
      'users',
      'alice@org2.example.com',
      'msp',
      'signcerts',
      'alice@org2.example.com-cert.pem',
    );
    const issued = fs.readFileSync(certFile, 'utf8');

    // Named alone, alice keeps her certificate and attributes.
    const again = launch(dir, ['--msp-id', 'Org2MSP', '--identity', 'alice', '--query', '["whoAmI","[\\"role\\"]"]']);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual((again.lines[0].json as WhoAmI).attrs, { role: 'auditor' });
    assert.doesNotMatch(again.stderr, /\[identity\] (issued|reissued)/);
    assert.equal(fs.readFileSync(certFile, 'utf8'), issued);

    // A different attribute set reissues the certificate.
    const changed = launch(dir, ['--msp-id', 'Org2MSP', '--identity', 'alice', '--identity-attr', 'role=admin', '--tx', 'requireAttr role admin']);
    assert.equal(changed.code, 0, changed.stderr);
    assert.match(changed.stderr, /\[identity\] reissued alice of Org2MSP/);
    assert.notEqual(fs.readFileSync(certFile, 'utf8'), issued);

    // The records show who called each transaction.
    const ledger = await ChannelLedger.open(peerDataDir(dir, 'Org1MSP'), 'mychannel');
    try {
      const records = ledger.state.transactions({});
      const refused = records.find((r) => r.fn === 'requireMsp' && r.args[0] === 'Org1MSP');
      assert.deepEqual(refused?.creator, { mspId: 'Org2MSP', subject: 'C=US, ST=North Carolina, O=Hyperledger, OU=client, CN=alice' });
      assert.equal(records.find((r) => r.fn === 'whoAmI' && r.args[0] === '["dept"]')?.creator.subject, 'C=US, ST=North Carolina, O=Hyperledger, OU=client, CN=bob');
    } finally {
      await ledger.close();
    }
  });

  test('--orgs: a third org gets its crypto folder, its peer and its chaincode instance, and can call', () => {
    const dir = dataDir();
    const r = launch(dir, ['--orgs', 'Org1MSP,Org2MSP,Org3MSP', '--msp-id', 'Org3MSP', '--tx', 'requireMsp Org3MSP']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual([r.lines[0].status, r.lines[0].validation, r.lines[0].creator?.mspId, r.lines[0].creator?.name], [200, 'VALID', 'Org3MSP', 'User1']);
    assert.match(r.stderr, /\[fixture-identity:1\.0\.0 on peer0\.org3\.example\.com\]/, "Org3's peer runs its own instance");
    assert.ok(fs.existsSync(path.join(dir, 'organizations', 'peerOrganizations', 'org3.example.com', 'users', 'User1@org3.example.com', 'msp')));
    assert.deepEqual(fs.readdirSync(path.join(dir, 'peers')).sort(), ['peer0.org1.example.com', 'peer0.org2.example.com', 'peer0.org3.example.com']);
  });

  test('transient data reaches the chaincode as given and nothing else: not the ledger, the records, the output or the logs', () => {
    const dir = dataDir();
    const secretText = 'transient-secret-7f3a9c';
    const secretBytes = Buffer.from('binary-secret-\u0000\u00ff-5e1d', 'latin1');
    const properties = { color: 'blue', owner: 'transient-owner-2b8e' };
    const transient = JSON.stringify({ asset_properties: properties, note: secretText, raw: `base64:${secretBytes.toString('base64')}` });
    const r = launch(dir, [
      '--log-level',
      'debug',
      '--tx',
      'transientDigest',
      '--transient',
      transient,
      '--query',
      'getValue transient-digests',
      '--tx',
      'putValue marker arg-marker-41c2',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const sha = (b: Buffer): { sha256: string; length: number } => ({ sha256: createHash('sha256').update(b).digest('hex'), length: b.length });
    const expected = { asset_properties: sha(Buffer.from(JSON.stringify(properties))), note: sha(Buffer.from(secretText)), raw: sha(secretBytes) };
    assert.deepEqual(r.lines[0].json, expected, 'objects as their JSON text, strings as UTF-8, base64: as the decoded bytes');
    assert.deepEqual(r.lines[1].json, expected, 'the digests were committed');

    const secrets = [secretText, properties.owner, secretBytes.toString('base64'), Buffer.from(secretText).toString('base64'), 'binary-secret-'];
    for (const s of secrets) {
      assert.ok(!r.stdout.includes(s), `stdout holds ${s}`);
      assert.ok(!r.stderr.includes(s), `the logs hold ${s}`);
    }
    const files = filesUnder(dir);
    const holding = (needle: Buffer): string[] => files.filter((f) => fs.readFileSync(f).includes(needle));
    // The search can see what the ledger keeps: the arguments are there, in blocks and records.
    assert.ok(holding(Buffer.from('arg-marker-41c2')).length >= 2, 'the arguments are found in the ledger files');
    for (const s of [...secrets.map((t) => Buffer.from(t)), secretBytes]) assert.deepEqual(holding(s), [], `no file holds ${s.toString('latin1')}`);
  });

  test('channels: each has its own ledger on every peer, the chaincode runs on each, --tx-channel picks one per step', () => {
    const dir = dataDir();
    const r = launch(dir, [
      '--channels',
      'mychannel,other',
      '--tx',
      'putValue k on-other',
      '--tx-channel',
      'other',
      '--query',
      'getValue k',
      '--query',
      'getValue k',
      '--tx-channel',
      'other',
      '--tx',
      'putValue k on-mychannel',
      '--query',
      'getValue k',
      '--tx-channel',
      'other',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      r.lines.map((l) => [l.channel, l.tx.join(' '), l.payload, l.kind === 'query' ? 'NOT_VALIDATED' : 'VALID']),
      [
        ['other', 'putValue k on-other', 'on-other', 'VALID'],
        ['mychannel', 'getValue k', '', 'NOT_VALIDATED'],
        ['other', 'getValue k', 'on-other', 'NOT_VALIDATED'],
        ['mychannel', 'putValue k on-mychannel', 'on-mychannel', 'VALID'],
        ['other', 'getValue k', 'on-other', 'NOT_VALIDATED'],
      ],
    );
    assert.deepEqual(
      r.lines.map((l) => l.validation),
      ['VALID', 'NOT_VALIDATED', 'NOT_VALIDATED', 'VALID', 'NOT_VALIDATED'],
    );
    for (const peer of ['peer0.org1.example.com', 'peer0.org2.example.com']) {
      for (const channel of ['mychannel', 'other']) assert.ok(fs.existsSync(path.join(dir, 'peers', peer, 'ledgers', channel, 'blocks')), `${peer} has ${channel}'s blocks`);
    }
  });

  test('bad input is a usage error (exit 2) naming the flag and token, before anything starts', () => {
    const dir = path.join(dataDir(), 'never-made');
    const cases: [string[], RegExp][] = [
      [['--orgs', 'Org1MSP,,Org2MSP'], /error: --orgs: entry 2 is empty/],
      [['--msp-id', 'Org9MSP'], /error: --msp-id Org9MSP: not one of the network's organisations \(Org1MSP, Org2MSP\)/],
      [['--identity-attr', 'role'], /error: --identity-attr 'role': expected KEY=VALUE/],
      [['--tx', 'transientDigest', '--transient', '{"k":'], /error: --transient \(step 0, transientDigest\): not valid JSON/],
      [['--tx', 'getValue k', '--tx-channel', 'other'], /error: --tx-channel other: not one of the channels the peers join \(mychannel\)/],
    ];
    for (const [args, message] of cases) {
      const r = launch(dir, args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '');
    }
    assert.ok(!fs.existsSync(dir), 'nothing was started: the data directory was never made');
  });

  test('identity create and list: JSON lines with type, attributes and the files; bad specs are usage errors', () => {
    const dir = dataDir();
    const created = run(['identity', 'create', 'carol', '--msp-id', 'Org2MSP', '--type', 'admin', '--attr', 'role=auditor', '--affiliation', 'org2.dept1', '--data-dir', dir]);
    assert.equal(created.code, 0, created.stderr);
    const carol = JSON.parse(created.stdout) as Record<string, unknown>;
    assert.equal(carol.action, 'issued');
    assert.equal(carol.type, 'admin');
    assert.deepEqual(carol.attributes, { role: 'auditor', 'hf.Affiliation': 'org2.dept1', 'hf.EnrollmentID': 'carol', 'hf.Type': 'admin' });
    assert.equal(carol.mspDir, path.join(dir, 'organizations', 'peerOrganizations', 'org2.example.com', 'users', 'carol@org2.example.com', 'msp'));
    assert.ok(fs.existsSync(carol.certFile as string) && fs.existsSync(carol.keyFile as string));
    const same = run(['identity', 'create', 'carol', '--msp-id', 'Org2MSP', '--type', 'admin', '--attr', 'role=auditor', '--affiliation', 'org2.dept1', '--data-dir', dir]);
    assert.equal((JSON.parse(same.stdout) as { action: string }).action, 'existing');

    // Org1 has no crypto folder yet: list says so and makes nothing.
    const list = run(['identity', 'list', '--data-dir', dir]);
    assert.equal(list.code, 0, list.stderr);
    assert.deepEqual(
      list.lines.map((l) => `${(l as unknown as { mspId: string }).mspId}/${(l as unknown as { name: string }).name}`),
      ['Org2MSP/Admin', 'Org2MSP/User1', 'Org2MSP/carol'],
    );
    assert.match(list.stderr, /Org1MSP: no crypto folder/);
    assert.ok(!fs.existsSync(path.join(dir, 'organizations', 'peerOrganizations', 'org1.example.com')));
    const user1 = list.lines.find((l) => (l as unknown as { name: string }).name === 'User1') as unknown as { type: string; attributes: unknown };
    assert.deepEqual([user1.type, user1.attributes], ['client', null]);

    for (const [args, message] of [
      [['create', 'x', '--msp-id', 'Org3MSP'], /--msp-id Org3MSP: not one of the network's organisations/],
      [['create', 'a/b'], /identity name 'a\/b'/],
      [['create', 'x', '--type', 'orderer'], /--type must be client, admin, peer, got orderer/],
      [['create', 'x', '--attr', 'novalue'], /--attr 'novalue': expected KEY=VALUE/],
      [['list', 'x'], /identity list takes no name/],
      [['rename', 'x'], /identity rename: use identity create <name> or identity list/],
    ] as const) {
      const r = run(['identity', ...args, '--data-dir', path.join(dir, 'none')]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
    }
    assert.ok(!fs.existsSync(path.join(dir, 'none')));
  });
});
