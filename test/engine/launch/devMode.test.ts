/**
 * Dev mode end to end with real shims: the launcher starts the chaincode as a local process (the
 * process VM) with the environment a Fabric peer gives it, so `getMspID()` / `GetMSPID()` work; a
 * crash at start fails the launch with its output; stop leaves no process; and, as in Fabric 2.x, a
 * transaction to a dev-mode chaincode whose process is gone waits for it to register again, which
 * an impostor's visit does not prevent. The peer accepts only REGISTERs it expects (dev mode off),
 * so every registration here goes through a launch state.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { resolveConfig } from '../../../src/engine/config';
import { Engine } from '../../../src/engine/engine';
import type { ChaincodeDefinition, RunningChaincode } from '../../../src/engine/launch/types';
import { EXAMPLE_CHAINCODE, REPO_ROOT, RunningProcess, startLowLevelFixture } from '../../support/nodeChaincode';
import { RawShimChannel } from '../../support/rawShimClient';
import { fixtureSkip, goFixtureStatus } from '../../support/toolchains';
import { isAlive } from '../../../src/engine/util/processes';

const LOWLEVEL = path.join(REPO_ROOT, 'test', 'fixtures', 'node', 'lowlevel');
const GO_V2 = path.join(REPO_ROOT, 'test', 'fixtures', 'go', 'v2');
const MSP = 'Org7MSP';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const dev = (name: string, folder: string, language: ChaincodeDefinition['language'] = 'node'): ChaincodeDefinition => ({
  name,
  version: '1.0',
  mode: 'dev',
  language,
  path: folder,
});

async function until<T>(check: () => T | undefined | false, timeoutMs: number, what: string): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

describe('dev mode: the launcher runs the chaincode as a process', () => {
  let engine: Engine;
  let dataDir: string;
  const processes: RunningProcess[] = [];
  const logs: string[] = [];
  const status = (ccid: string): RunningChaincode | undefined => engine.launcher.running().find((c) => c.ccid === ccid);
  const launch = (def: ChaincodeDefinition): Promise<RunningChaincode> => engine.launcher.launch({ kind: 'deployment', definition: def });

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dev-mode-'));
    engine = await Engine.start(resolveConfig({ dataDir, peerPort: 0, mode: 'dev', orgs: [MSP], mspId: MSP, startupTimeoutMs: 30_000, executeTimeoutMs: 10_000 }), {
      acceptUnlaunched: false,
    });
    engine.launcher.onLog((l) => logs.push(`[${l.ccid}] ${l.line}`));
  });

  after(async () => {
    await Promise.all(processes.map((p) => p.kill()));
    await engine.dispose();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test("a Node chaincode started by the launcher reads the peer's MSP id (getMspID)", async () => {
    const running = await launch(dev('lowlevel', LOWLEVEL));
    assert.equal(running.status, 'ready');
    assert.ok(running.process?.pid, 'a local process');
    const r = await engine.transactions.execute({ chaincode: 'lowlevel:1.0', args: ['whoami'], kind: 'query' });
    assert.equal(r.status, 200, r.message);
    assert.equal(JSON.parse(r.payload.toString()).mspFromEnv, MSP, 'CORE_PEER_LOCALMSPID is set, as a Fabric peer sets it');
    assert.ok(
      logs.some((l) => l.startsWith('[lowlevel:1.0] $ node ') && l.includes('--peer.address')),
      'the start command is in the log',
    );
  });

  test('the example (contract API, started by its start script) runs transactions', async () => {
    await launch(dev('basic', EXAMPLE_CHAINCODE));
    assert.equal((await engine.transactions.execute({ chaincode: 'basic', args: ['InitLedger'] })).status, 200);
    const read = await engine.transactions.execute({ chaincode: 'basic', args: ['ReadAsset', 'asset1'], kind: 'query' });
    assert.equal(JSON.parse(read.payload.toString()).ID, 'asset1');
  });

  test("a Go chaincode started by the launcher (go run) reads the peer's MSP id (GetMSPID)", { skip: fixtureSkip(goFixtureStatus('v2')), timeout: 240_000 }, async () => {
    // `go run` compiles first: allow for a cold build cache.
    const slow = await Engine.start(resolveConfig({ dataDir: path.join(dataDir, 'go'), peerPort: 0, mode: 'dev', orgs: [MSP], mspId: MSP, startupTimeoutMs: 200_000 }), {
      acceptUnlaunched: false,
    });
    try {
      await slow.launcher.launch({ kind: 'deployment', definition: dev('gocc', GO_V2, 'golang') });
      const r = await slow.transactions.execute({ chaincode: 'gocc:1.0', args: ['mspid'], kind: 'query' });
      assert.equal(r.status, 200, r.message);
      assert.equal(r.payload.toString(), MSP);
    } finally {
      await slow.dispose();
    }
  });

  test('a chaincode that crashes at start fails the launch at once, quoting its output', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'dev-crash-'));
    fs.writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ name: 'crash', scripts: { start: 'node index.js' } }));
    fs.writeFileSync(path.join(folder, 'index.js'), "console.error('cannot open the wallet'); process.exit(4);\n");
    try {
      const started = Date.now();
      await assert.rejects(launch(dev('crash', folder)), (err: Error) => {
        assert.match(err.message, /^chaincode crash:1\.0 exited with code 4 before registering; last log lines:\n\$ node .*index\.js --peer\.address .*\ncannot open the wallet$/);
        return true;
      });
      assert.ok(Date.now() - started < 10_000, 'not the startup timeout');
      assert.equal(status('crash:1.0')?.status, 'failed');
    } finally {
      await engine.launcher.stop('crash:1.0').catch(() => undefined);
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  test('stop ends the process and its handler; nothing is left running', async () => {
    const running = await launch(dev('stopper', LOWLEVEL));
    const pid = running.process?.pid;
    assert.ok(pid && isAlive(pid));
    await engine.launcher.stop('stopper:1.0');
    assert.equal(isAlive(pid), false);
    assert.equal(engine.peer.registry.handler('stopper:1.0'), undefined);
    assert.equal(engine.processes.runningProcesses, 2, 'only the other chaincodes run');
  });

  test('a transaction to a chaincode whose process died waits for it to register again (Fabric 2.x), then runs', async () => {
    const ccid = 'lowlevel:1.0';
    const pid = status(ccid)?.process?.pid;
    assert.ok(pid);
    process.kill(-pid, 'SIGKILL'); // the process group: the chaincode crashes
    const waiting = await until(() => status(ccid)?.status === 'waiting for registration' && status(ccid), 5000, 'waiting for registration');
    assert.match(waiting.lastError ?? '', /exited|disconnected/);

    const sent = Date.now();
    const tx = engine.transactions.execute({ chaincode: ccid, args: ['put', 'after-crash', 'yes'] });
    await sleep(500);
    // The developer restarts it by hand (or the debugger does).
    const restarted = startLowLevelFixture(ccid, engine.peer.address);
    processes.push(restarted);
    const r = await tx;
    assert.equal(r.status, 200, `${r.message}\n${restarted.output()}`);
    assert.ok(Date.now() - sent >= 500, 'it waited');
    assert.equal(status(ccid)?.status, 'ready');
    const read = await engine.transactions.execute({ chaincode: ccid, args: ['get', 'after-crash'], kind: 'query' });
    assert.deepEqual(JSON.parse(read.payload.toString()), { value: 'yes' });
  });

  test('an impostor that registers and leaves does not keep the real chaincode out; a duplicate is refused and harms nothing', async () => {
    const ccid = 'lowlevel:1.0';
    const channel = new RawShimChannel(engine.peer.address);
    try {
      // While the real one runs: a duplicate REGISTER is refused, and its leaving changes nothing.
      const duplicate = channel.open();
      await assert.rejects(duplicate.register(ccid), /duplicate chaincode id/);
      await duplicate.waitForEnd(5000);
      assert.equal(status(ccid)?.status, 'ready');
      assert.equal((await engine.transactions.execute({ chaincode: ccid, args: ['get', 'after-crash'], kind: 'query' })).status, 200);

      await processes.pop()!.kill(); // the real one goes (a debugger restart)
      await until(() => status(ccid)?.status === 'waiting for registration', 5000, 'waiting for registration');
      const impostor = channel.open();
      await impostor.register(ccid); // taken: the peer waits for this id
      impostor.cancel();
      await until(() => status(ccid)?.status === 'waiting for registration' && !engine.peer.registry.handler(ccid), 5000, 'the impostor to be gone');

      const tx = engine.transactions.execute({ chaincode: ccid, args: ['put', 'after-impostor', 'real'] });
      await sleep(300);
      const real = startLowLevelFixture(ccid, engine.peer.address);
      processes.push(real);
      const r = await tx;
      assert.equal(r.status, 200, `${r.message}\n${real.output()}`);
      assert.equal(status(ccid)?.status, 'ready');
    } finally {
      channel.close();
    }
  });

  test('a transaction to a dev-mode chaincode that does not come back fails after the startup timeout, with the reason', async () => {
    const quick = await Engine.start(resolveConfig({ dataDir: path.join(dataDir, 'quick'), peerPort: 0, mode: 'dev', orgs: ['Org1MSP'], startupTimeoutMs: 1500 }), {
      acceptUnlaunched: false,
    });
    try {
      const running = await quick.launcher.launch({ kind: 'deployment', definition: dev('brief', LOWLEVEL) });
      process.kill(-running.process!.pid!, 'SIGKILL');
      await until(() => quick.launcher.running()[0]?.status === 'waiting for registration', 5000, 'waiting for registration');
      await assert.rejects(
        quick.transactions.execute({ chaincode: 'brief:1.0', args: ['get', 'k'] }),
        /timeout expired while waiting for chaincode brief:1\.0 to register again \(2 s\)/,
      );
    } finally {
      await quick.dispose();
    }
  });
});
