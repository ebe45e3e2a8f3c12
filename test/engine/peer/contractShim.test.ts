/**
 * fabric-contract-api chaincodes (a TypeScript contract and the JavaScript example) through the
 * shim's own CLI, and the same contract as a chaincode server the peer dials (Fabric 2.x CCaaS).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { resolveConfig } from '../../../src/engine/config';
import { Engine } from '../../../src/engine/engine';
import { Peer } from '../../../src/engine/peer/peer';
import { TransactionPipeline } from '../../../src/engine/transactions/pipeline';
import { CONTRACT_TS_FIXTURE, EXAMPLE_CHAINCODE, FABRIC_CHAINCODE_NODE, RunningProcess, startContractChaincode, startProcess } from '../../support/nodeChaincode';

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((r) => server.close(r));
  return port;
}

describe('contract API chaincodes', () => {
  let peer: Peer;
  let pipeline: TransactionPipeline;
  let dataDir: string;
  const processes: RunningProcess[] = [];

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'peer-contract-'));
    peer = await Peer.start({ dataDir, port: 0 });
    pipeline = new TransactionPipeline(peer);
    processes.push(startContractChaincode(CONTRACT_TS_FIXTURE, 'counter:1.0', peer.address));
    processes.push(startContractChaincode(EXAMPLE_CHAINCODE, 'assets:1.0', peer.address));
    await Promise.all([peer.waitForReady('counter:1.0', 30_000), peer.waitForReady('assets:1.0', 30_000)]).catch((e: Error) => {
      throw new Error(`${e.message}\n${processes.map((p) => p.output()).join('\n')}`);
    });
  });

  after(async () => {
    await Promise.all(processes.map((p) => p.kill()));
    await peer.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('a TypeScript contract sees the creator through ctx.clientIdentity', async () => {
    const created = await pipeline.execute({ chaincode: 'counter:1.0', args: ['Create', 'c1', '41'] });
    assert.equal(created.status, 200, created.message);
    assert.equal(created.event?.eventName, 'CounterCreated');
    const inc = await pipeline.execute({ chaincode: 'counter:1.0', args: ['Increment', 'c1'] });
    assert.equal(inc.payload.toString(), '42');
    const who = JSON.parse((await pipeline.execute({ chaincode: 'counter:1.0', args: ['Identity'], kind: 'query' })).payload.toString()) as {
      id: string;
      mspId: string;
      txId: string;
    };
    assert.equal(who.mspId, 'Org1MSP');
    // The caller is cryptogen's User1@org1.example.com, as fabric-shim's ClientIdentity prints it (DER order).
    assert.equal(
      who.id,
      'x509::/C=US/ST=California/L=San Francisco/OU=client/CN=User1@org1.example.com::/C=US/ST=California/L=San Francisco/O=org1.example.com/CN=ca.org1.example.com',
    );
    const owner = JSON.parse((await pipeline.execute({ chaincode: 'counter:1.0', args: ['Read', 'c1'] })).payload.toString()) as { owner: string };
    assert.equal(owner.owner, who.id);
    const dup = await pipeline.execute({ chaincode: 'counter:1.0', args: ['Create', 'c1', '0'] });
    assert.equal(dup.status, 500);
    assert.match(dup.message, /counter c1 already exists/);
  });

  test('contract metadata (org.hyperledger.fabric:GetMetadata) lists the transactions', async () => {
    const r = await pipeline.execute({ chaincode: 'assets:1.0', args: ['org.hyperledger.fabric:GetMetadata'], kind: 'query' });
    assert.equal(r.status, 200, r.message);
    const meta = JSON.parse(r.payload.toString()) as { contracts: Record<string, { transactions: { name: string }[] }> };
    const names = meta.contracts.AssetTransfer.transactions.map((t) => t.name);
    for (const fn of ['CreateAsset', 'ReadAsset', 'TransferAsset', 'QueryAssets']) assert.ok(names.includes(fn), names.join(','));
  });

  test('the example: init, transfer with an event, rich query, history', async () => {
    assert.equal((await pipeline.execute({ chaincode: 'assets:1.0', args: ['InitLedger'] })).status, 200);
    const t = await pipeline.execute({ chaincode: 'assets:1.0', args: ['TransferAsset', 'asset2', 'Zoe'] });
    assert.equal(t.payload.toString(), 'Brad');
    assert.equal(t.event?.eventName, 'AssetTransferred');
    const q = await pipeline.execute({ chaincode: 'assets:1.0', args: ['QueryAssets', JSON.stringify({ selector: { Owner: 'Zoe' } })] });
    assert.deepEqual(
      (JSON.parse(q.payload.toString()) as { ID: string }[]).map((a) => a.ID),
      ['asset2'],
    );
    const h = JSON.parse((await pipeline.execute({ chaincode: 'assets:1.0', args: ['GetAssetHistory', 'asset2'] })).payload.toString()) as { txId: string }[];
    assert.equal(h.length, 2);
    assert.equal(h[0].txId, t.txId);
  });
});

describe('chaincode as a service (the peer dials protos.Chaincode/Connect)', () => {
  let engine: Engine;
  let dataDir: string;
  let server: RunningProcess;

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccaas-'));
    engine = await Engine.start(resolveConfig({ dataDir, peerPort: 0, mode: 'net', startupTimeoutMs: 20_000 }));
  });

  after(async () => {
    await server?.kill();
    await engine.dispose();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('launch in external mode connects, registers, runs transactions and stops', async () => {
    const port = await freePort();
    const address = `127.0.0.1:${port}`;
    server = startProcess(
      process.execPath,
      [FABRIC_CHAINCODE_NODE, 'server', '--chaincode-address', address, '--chaincode-id', 'svc:1.0', '--module-path', CONTRACT_TS_FIXTURE],
      {},
      CONTRACT_TS_FIXTURE,
    );
    // The server needs a moment to listen; the launch dials with a 3 s timeout, so retry a few times.
    let running;
    for (let attempt = 0; ; attempt++) {
      try {
        running = await engine.launcher.launch({
          kind: 'deployment',
          definition: { name: 'svc', version: '1.0', mode: 'external', language: 'node', path: CONTRACT_TS_FIXTURE, address },
        });
        break;
      } catch (err) {
        if (attempt >= 5) throw new Error(`${(err as Error).message}\n${server.output()}`, { cause: err });
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
    assert.equal(running.status, 'ready');
    assert.equal(engine.peer.handlers().find((h) => h.chaincodeId === 'svc:1.0')?.connection, 'ccaas');
    assert.equal((await engine.transactions.execute({ chaincode: 'svc:1.0', args: ['Create', 's1', '1'] })).status, 200);
    assert.equal((await engine.transactions.execute({ chaincode: 'svc:1.0', args: ['Increment', 's1'] })).payload.toString(), '2');
    await engine.launcher.stop('svc:1.0');
    assert.equal(
      engine.peer.handlers().find((h) => h.chaincodeId === 'svc:1.0'),
      undefined,
    );
  });

  test('an address where nothing listens is a clear launch error', async () => {
    const port = await freePort();
    await assert.rejects(
      engine.launcher.launch({ kind: 'deployment', definition: { name: 'nobody', version: '1.0', mode: 'external', language: 'node', path: '.', address: `127.0.0.1:${port}` } }),
      /error starting container: cannot connect to the chaincode server at 127.0.0.1:\d+/,
    );
  });
});
