/**
 * `chaincode-launcher deploy` as a user runs it (the built CLI in its own process) against the
 * embedded two-org network's Gateway, with the admins of its data directory: what it shows before
 * sending, its progress, the committed definition, and its errors (usage, a wrong sequence, a
 * peer nobody listens on).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { resolveConfig } from '../../src/engine/config';
import { Engine } from '../../src/engine/engine';
import { createLifecyclePackage, writeLifecyclePackage } from '../../src/engine/platforms/lifecyclePackage';
import { EXAMPLE_CHAINCODE } from '../support/nodeChaincode';

const REPO = path.resolve(__dirname, '..', '..', '..');
const CLI = path.join(REPO, 'out', 'src', 'cli', 'main.js');

/** The CLI in its own process, without blocking this one (the peer runs here). */
function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'deploy', ...args], { cwd: REPO });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill(), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('chaincode-launcher deploy', () => {
  let dir: string;
  let dataDir: string;
  let engine: Engine;
  let packageFile: string;
  let peerArgs: string[];

  before(async () => {
    dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'ccl-deploy-cli-'));
    dataDir = path.join(dir, 'data');
    engine = await Engine.start(resolveConfig({ dataDir, peerPort: 0, gatewayPort: 0, mode: 'dev' }));
    const pkg = await createLifecyclePackage({ folder: EXAMPLE_CHAINCODE, label: 'basic_1.0' });
    packageFile = path.join(dir, 'basic.tar.gz');
    await writeLifecyclePackage(pkg, packageFile);
    peerArgs = ['--peer', `localhost:${engine.gateway!.server.port}`, '--data-dir', dataDir];
  });

  after(async () => {
    await engine?.dispose();
    await fs.promises.rm(dir, { recursive: true, force: true });
  });

  test('shows the sequence and policy first, then installs, approves for both orgs, commits', async () => {
    const r = await runCli([packageFile, '--name', 'basic', '--version', '1.0', '--sequence', '1', '--endorsement-policy', "OR('Org1MSP.peer','Org2MSP.peer')", ...peerArgs]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stderr.trim().split('\n');
    assert.match(lines[0], /^\[deploy\] package basic_1\.0:[0-9a-f]{64}$/);
    assert.equal(lines[1], '[deploy] channel mychannel: chaincode basic version 1.0, sequence 1');
    assert.equal(lines[2], "[deploy] endorsement policy: OR('Org1MSP.peer','Org2MSP.peer')");
    assert.equal(lines[3], '[deploy] collections: none');
    assert.match(lines[4], /Org1MSP installs and commits; approving: Org1MSP, Org2MSP$/);
    assert.match(lines[5], /^\[deploy\] installed basic_1\.0:/);
    assert.match(lines[6], /^\[deploy\] approved for Org1MSP \(tx [0-9a-f]{64}, block \d+\)$/);
    assert.match(lines[7], /^\[deploy\] approved for Org2MSP /);
    assert.equal(lines[8], '[deploy] commit readiness: Org1MSP approved, Org2MSP approved');
    assert.match(lines[9], /^\[deploy\] committed \(tx /);
    assert.equal(r.stdout, 'basic sequence 1 version 1.0 committed on mychannel\n');
    assert.equal(engine.transactions.definitions.get('mychannel', 'basic')?.sequence, 1);
  });

  test('a wrong sequence: exit 3 with the step and Fabric message', async () => {
    // The committed sequence again, same parameters: the approvals stand, commit readiness says no.
    const same = await runCli([packageFile, '--name', 'basic', '--version', '1.0', '--sequence', '1', '--endorsement-policy', "OR('Org1MSP.peer','Org2MSP.peer')", ...peerArgs]);
    assert.equal(same.code, 3);
    assert.match(same.stderr, /\[deploy\] already installed: basic_1\.0:/);
    assert.match(same.stderr, /error: readiness: check commit readiness failed: .*requested sequence is 1, but new definition must be sequence 2\n$/);
    // Different parameters under the committed sequence: refused at approve.
    const changed = await runCli([packageFile, '--name', 'basic', '--version', '1.0', '--sequence', '1', ...peerArgs]);
    assert.equal(changed.code, 3);
    assert.match(changed.stderr, /error: approve: .*attempted to redefine the current committed sequence \(1\) for namespace basic with different parameters: ValidationInfo/);
  });

  test('--dry-run shows the plan and sends nothing', async () => {
    const r = await runCli([packageFile, '--name', 'basic', '--version', '2.0', '--sequence', '2', '--dry-run', ...peerArgs]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /sequence 2\n.*endorsement policy: \/Channel\/Application\/Endorsement \(the channel's default\)/);
    assert.match(r.stderr, /dry run: nothing sent/);
    assert.equal(engine.transactions.definitions.get('mychannel', 'basic')?.version, '1.0');
  });

  test("admins and TLS given as files (a real network's way): deploys the next sequence", async () => {
    const orgs = path.join(dataDir, 'organizations', 'peerOrganizations');
    const adminFiles = (domain: string): string[] => {
      const msp = path.join(orgs, domain, 'users', `Admin@${domain}`, 'msp');
      const first = (d: string): string => path.join(msp, d, fs.readdirSync(path.join(msp, d))[0]);
      return ['--cert', first('signcerts'), '--key', first('keystore')];
    };
    const r = await runCli([
      packageFile,
      ...['--name', 'basic', '--version', '2.0', '--sequence', '2', '--channel', 'mychannel'],
      ...['--peer', `127.0.0.1:${engine.gateway!.server.port}`, '--host-alias', 'peer0.org1.example.com'],
      ...['--tls-ca', path.join(orgs, 'org1.example.com', 'peers', 'peer0.org1.example.com', 'tls', 'ca.crt')],
      ...['--msp-id', 'Org1MSP', ...adminFiles('org1.example.com'), '--msp-id', 'Org2MSP', ...adminFiles('org2.example.com')],
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /peer 127\.0\.0\.1:\d+ \(peer0\.org1\.example\.com\): Org1MSP installs and commits; approving: Org1MSP, Org2MSP/);
    assert.equal(r.stdout, 'basic sequence 2 version 2.0 committed on mychannel\n');
    const uneven = await runCli([packageFile, '--name', 'basic', '--version', '3.0', '--sequence', '3', '--msp-id', 'Org1MSP', ...adminFiles('org1.example.com').slice(0, 2)]);
    assert.equal(uneven.code, 2);
    assert.match(uneven.stderr, /--msp-id, --cert and --key go together/);
  });

  test('usage errors: exit 2 before anything is sent', async () => {
    const missing = await runCli([packageFile, '--name', 'basic', '--version', '1.0', ...peerArgs]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /deploy needs --sequence/);
    const policy = await runCli([packageFile, '--name', 'basic', '--version', '1.0', '--sequence', '2', '--endorsement-policy', "AND('Org1MSP.peer'", ...peerArgs]);
    assert.equal(policy.code, 2);
    assert.match(policy.stderr, /--endorsement-policy/);
    const noCrypto = await runCli([packageFile, '--name', 'basic', '--version', '1.0', '--sequence', '2', '--data-dir', path.join(dir, 'nothing-here')]);
    assert.equal(noCrypto.code, 2);
    assert.match(noCrypto.stderr, /no organisations in .*nothing-here/);
  });

  test('a peer nobody listens on: exit 3, saying where it looked', async () => {
    const r = await runCli([packageFile, '--name', 'basic', '--version', '1.0', '--sequence', '2', '--peer', '127.0.0.1:1', '--data-dir', dataDir]);
    assert.equal(r.code, 3);
    assert.match(r.stderr, /error: install: .*is a peer's Gateway listening at 127\.0\.0\.1:1\?/);
  });
});
