/**
 * What each org's peer writes to disk of a collection's private data (Fabric's privacyenabledstate:
 * `<ns>$$p<coll>` on member peers only, `<ns>$$h<coll>` hashes on all): a peer outside the collection
 * never has the plaintext in any file of its data directory (the state's log and snapshots, the
 * block store and the private data beside it, the transaction records), before and after a
 * snapshot and a restart, and still answers GetPrivateDataHash from its hash entries.
 * With the real fabric-shim chaincode of test/fixtures/node/private-data.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { resolveConfig } from '../../../src/engine/config';
import { Engine } from '../../../src/engine/engine';
import { channelLedgerDir, peerDataDir } from '../../../src/engine/ledger/channelDirectories';
import { readDefinitionPolicies } from '../../../src/engine/lifecycle/definitionPolicies';
import type { ExecuteRequest, ExecuteResult } from '../../../src/engine/transactions/types';

const FIXTURE = path.join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'node', 'private-data');
const CC = 'pdc';
/** Org1's implicit collection: Org1 alone is a member and values never expire (blockToLive 0). */
const ORG1_ONLY = '_implicit_org_Org1MSP';
const SECRET = 'plaintext-only-org1-keeps-5f0c2e9a';

/** Every file under `dir` whose bytes contain `needle`, relative to `dir`. */
function filesContaining(dir: string, needle: string): string[] {
  const found: string[] = [];
  const bytes = Buffer.from(needle);
  const walk = (d: string): void => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const file = path.join(d, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.isFile() && fs.readFileSync(file).includes(bytes)) found.push(path.relative(dir, file));
    }
  };
  walk(dir);
  return found;
}

describe("a non-member org's peer keeps only hashes on disk", () => {
  let engine: Engine;
  let dataDir: string;

  const run = (args: string[], more: Partial<ExecuteRequest> = {}): Promise<ExecuteResult> => engine.transactions.execute({ chaincode: CC, args, ...more });
  const query = (args: string[], more: Partial<ExecuteRequest> = {}): Promise<ExecuteResult> => run(args, { kind: 'query', ...more });
  const body = (r: ExecuteResult): Record<string, unknown> => JSON.parse(r.payload.toString()) as Record<string, unknown>;
  const peerDir = (mspId: string): string => peerDataDir(dataDir, mspId);
  const stateDir = (mspId: string): string => path.join(channelLedgerDir(peerDir(mspId), 'mychannel'), 'state');

  const start = async (): Promise<void> => {
    engine = await Engine.start(resolveConfig({ dataDir, peerPort: 0, gatewayPort: null, mode: 'dev', startupTimeoutMs: 30_000, executeTimeoutMs: 15_000 }), {
      acceptUnlaunched: false,
    });
    engine.defineChaincode({ name: CC, version: '1.0' }, readDefinitionPolicies(FIXTURE, {}, engine.config.orgs));
    await engine.launcher.launch({ kind: 'deployment', definition: { name: CC, version: '1.0', mode: 'dev', language: 'node', path: FIXTURE } });
  };

  /** On the non-member peer: the hash is there, reading the value fails with Fabric's words. */
  const assertHashOnlyOnOrg2 = async (blockNum: number): Promise<void> => {
    const hash = await query(['hash', ORG1_ONLY, 'vault'], { endorsingOrgs: ['Org2MSP'] });
    assert.equal(hash.status, 200, hash.message);
    assert.equal(body(hash).hash, createHash('sha256').update(SECRET).digest('hex'), "GetPrivateDataHash on Org2's peer");
    const get = await query(['get', ORG1_ONLY, 'vault'], { endorsingOrgs: ['Org2MSP'] });
    assert.match(
      get.message,
      new RegExp(`private data matching public hash version is not available\\. Public hash version = \\{BlockNum: ${blockNum}, TxNum: 0\\}, Private data version = <nil>`),
    );
    assert.equal(body(await query(['get', ORG1_ONLY, 'vault'], { endorsingOrgs: ['Org1MSP'] })).value, SECRET, "Org1's peer reads the value");
  };

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pdc-hashes-'));
    await start();
  });

  after(async () => {
    await engine.dispose();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('the plaintext is in files of the member peer only, through a snapshot and a restart', async () => {
    const put = await run(['put', ORG1_ONLY, 'vault'], { transient: { value: SECRET }, endorsingOrgs: ['Org1MSP'] });
    assert.equal(put.validation, 'VALID', put.message);
    const written = put.blockNum!;
    await assertHashOnlyOnOrg2(written);

    // Big writes to a collection both orgs are in push each state log past its compaction size
    // (8 MiB), so both peers snapshot their state.
    const big = 'x'.repeat(1_500_000);
    for (let i = 0; i < 4; i++) assert.equal((await run(['put', 'assetCollection', `big${i}`, big])).validation, 'VALID');
    await engine.dispose();

    for (const mspId of ['Org1MSP', 'Org2MSP']) {
      assert.ok(
        fs.readdirSync(stateDir(mspId)).some((f) => /snapshot/.test(f)),
        `${mspId}'s peer snapshotted its state: ${fs.readdirSync(stateDir(mspId)).join(', ')}`,
      );
    }
    assert.deepEqual(filesContaining(peerDir('Org2MSP'), SECRET), [], "no file of Org2's peer holds the plaintext");
    const onOrg1 = filesContaining(peerDir('Org1MSP'), SECRET);
    assert.ok(onOrg1.some((f) => f.includes('state')) && onOrg1.some((f) => f.includes('blocks')), `Org1's state and block store hold it: ${onOrg1.join(', ')}`);

    await start();
    await assertHashOnlyOnOrg2(written);
    await engine.dispose();
    assert.deepEqual(filesContaining(peerDir('Org2MSP'), SECRET), [], "nor after the restart's reads");
    await start();
  });
});
