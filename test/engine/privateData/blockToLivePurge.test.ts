/**
 * blockToLive purges (Fabric's pvtstatepurgemgmt): a private key last written in block N leaves the
 * state of every peer, its plaintext on member peers and its hash entry everywhere, when block
 * N + blockToLive + 1 commits; one written again meanwhile stays; purged keys stay gone after a
 * restart (the log replayed) and after a snapshot is reloaded. With the real fabric-shim chaincode
 * of test/fixtures/node/private-data (Org1MSPPrivateCollection: blockToLive 3, Org1 only).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { resolveConfig } from '../../../src/engine/config';
import { Engine } from '../../../src/engine/engine';
import { channelLedgerDir, peerDataDir } from '../../../src/engine/ledger/channelDirectories';
import { readDefinitionPolicies } from '../../../src/engine/lifecycle/definitionPolicies';
import { parsePolicy } from '../../../src/engine/policy';
import { hasSnapshot } from '../ledger/ledgerTestKit';
import type { ExecuteRequest, ExecuteResult } from '../../../src/engine/transactions/types';

const FIXTURE = path.join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'node', 'private-data');
const CC = 'pdc';
const COLL = 'Org1MSPPrivateCollection';
const NS = { channel: 'mychannel', chaincode: CC };

describe('blockToLive purges private data from the state of every peer', () => {
  let engine: Engine;
  let dataDir: string;

  const run = (args: string[], more: Partial<ExecuteRequest> = {}): Promise<ExecuteResult> => engine.transactions.execute({ chaincode: CC, args, ...more });
  const tick = async (): Promise<number> => {
    const r = await run(['tick', 'clock']);
    assert.equal(r.validation, 'VALID', r.message);
    return r.blockNum!;
  };
  /** What each org's peer holds of a key: [plaintext value, hash entry's block], Org1 then Org2. */
  const held = (key: string): [string | null, number | null][] =>
    engine.orgs.map((o) => {
      const state = o.peer.ledger().state;
      return [state.getPrivateData(NS, COLL, key)?.value.toString() ?? null, state.getPrivateDataHashEntry(NS, COLL, key)?.version.blockNum ?? null];
    });

  const start = async (): Promise<void> => {
    engine = await Engine.start(resolveConfig({ dataDir, peerPort: 0, gatewayPort: null, mode: 'dev', startupTimeoutMs: 30_000, executeTimeoutMs: 15_000 }), {
      acceptUnlaunched: false,
    });
    // One org's endorsement is enough: a tick's value (the time) differs from peer to peer.
    const policies = readDefinitionPolicies(FIXTURE, {}, engine.config.orgs);
    engine.defineChaincode({ name: CC, version: '1.0' }, { ...policies, endorsementPolicy: parsePolicy("OR('Org1MSP.peer','Org2MSP.peer')") });
    await engine.launcher.launch({ kind: 'deployment', definition: { name: CC, version: '1.0', mode: 'dev', language: 'node', path: FIXTURE } });
  };

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pdc-btl-'));
    await start();
  });

  after(async () => {
    await engine.dispose();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('written in block N: in the state through block N+3, gone when N+4 commits, and after restarts and a snapshot', async () => {
    const put = (key: string, value: string) => run(['put', COLL, key, value], { endorsingOrgs: ['Org1MSP'] });
    const first = await put('ephemeral', 'soon-gone');
    assert.equal(first.validation, 'VALID', first.message);
    const n = first.blockNum!;
    const renewed = await put('renewed', 'v1');
    assert.equal(renewed.blockNum, n + 1, renewed.message);
    assert.deepEqual(held('ephemeral'), [
      ['soon-gone', n],
      [null, n],
    ]);
    assert.equal(await tick(), n + 2);
    assert.equal((await put('renewed', 'v2')).blockNum, n + 3, 'written again: its clock restarts');
    assert.deepEqual(
      held('ephemeral'),
      [
        ['soon-gone', n],
        [null, n],
      ],
      'still there after block N+3',
    );
    assert.equal(await tick(), n + 4);
    assert.deepEqual(
      held('ephemeral'),
      [
        [null, null],
        [null, null],
      ],
      'purged, value and hash, on both peers when block N+4 committed',
    );
    assert.deepEqual(
      held('renewed'),
      [
        ['v2', n + 3],
        [null, n + 3],
      ],
      'block N+1 + 4 purges nothing written again since',
    );

    await engine.dispose();
    await start();
    assert.deepEqual(
      held('ephemeral'),
      [
        [null, null],
        [null, null],
      ],
      'still gone once the log is replayed',
    );
    assert.deepEqual(held('renewed'), [
      ['v2', n + 3],
      [null, n + 3],
    ]);

    // Big writes to a collection both orgs are in push each state log past its compaction size,
    // so the state is reloaded from a snapshot on the next start.
    const big = 'x'.repeat(1_500_000);
    for (let i = 0; i < 4; i++) assert.equal((await run(['put', 'assetCollection', `big${i}`, big])).validation, 'VALID');
    const last = await tick();
    assert.ok(last >= n + 3 + 4, `block ${last}`);
    assert.deepEqual(
      held('renewed'),
      [
        [null, null],
        [null, null],
      ],
      'the rewritten key goes 4 blocks after its rewrite',
    );
    await engine.dispose();
    for (const mspId of ['Org1MSP', 'Org2MSP']) {
      const dir = path.join(channelLedgerDir(peerDataDir(dataDir, mspId), 'mychannel'), 'state');
      assert.ok(hasSnapshot(dir), `${mspId}'s state has a snapshot`);
    }
    await start();
    for (const key of ['ephemeral', 'renewed']) {
      assert.deepEqual(
        held(key),
        [
          [null, null],
          [null, null],
        ],
        `${key} is not in the reloaded state`,
      );
    }
  });
});
