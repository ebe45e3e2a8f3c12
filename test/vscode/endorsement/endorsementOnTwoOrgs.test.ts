/**
 * `chaincode.endorsementPolicy` and the non-determinism diff, on a real engine of two organisations
 * running a real fabric-shim chaincode on each peer: the setting's policy becomes the chaincode's
 * definition (so a policy one org satisfies lets even a random write commit), an empty setting is
 * the channel's default majority, under which the random write is caught, and the result document
 * and each endorser's document say what differs.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { after, before, describe, it } from 'node:test';
import { resolveConfig } from '../../../src/engine/config';
import { Engine } from '../../../src/engine/engine';
import { renderEndorserOutput, renderResult } from '../../../src/vscode/documents/render';
import { applyEndorsementPolicy } from '../../../src/vscode/endorsement/policyDefinitions';

const LOWLEVEL = path.join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'node', 'lowlevel');
const CC = 'dice:1.0';

describe('endorsement policy setting and the non-determinism diff, two orgs', () => {
  let engine: Engine;
  let dataDir: string;

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'editor-endorsement-'));
    engine = await Engine.start(resolveConfig({ dataDir, peerPort: 0, startupTimeoutMs: 30_000, executeTimeoutMs: 15_000 }), { acceptUnlaunched: false });
    await engine.launcher.launch({ kind: 'deployment', definition: { name: 'dice', version: '1.0', mode: 'dev', language: 'node', path: LOWLEVEL } });
  });

  after(async () => {
    await engine.dispose();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('an empty setting leaves an undefined chaincode alone; a policy that does not parse changes nothing and names the setting', () => {
    assert.deepEqual(applyEndorsementPolicy(engine, [CC], ''), []);
    assert.equal(engine.transactions.definitions.get('mychannel', 'dice'), undefined);
    assert.throws(() => applyEndorsementPolicy(engine, [CC], "AND('Org1MSP.peer',"), {
      name: 'PolicyParseError',
      message: /invalid signature policy in chaincode\.endorsementPolicy/,
    });
    assert.equal(engine.transactions.definitions.get('mychannel', 'dice'), undefined);
  });

  it("OR('Org1MSP.peer'): only Org1's peer endorses, so a random write commits; the same policy again defines nothing new", async () => {
    const [made] = applyEndorsementPolicy(engine, [CC], " OR('Org1MSP.peer') ");
    assert.deepEqual([made.name, made.version, made.sequence], ['dice', '1.0', 1]);
    assert.deepEqual(applyEndorsementPolicy(engine, [CC], "OR('Org1MSP.peer')"), []);
    const r = await engine.transactions.execute({ chaincode: CC, args: ['putRandom', 'd1'] });
    assert.equal(r.validation, 'VALID', r.message);
    assert.equal(r.mismatches, undefined);
  });

  it('back to the default (a majority: both peers): the random write is caught; the documents show both sides', async () => {
    const [made] = applyEndorsementPolicy(engine, [CC], '');
    assert.deepEqual([made.sequence, made.endorsementPolicy], [2, null]);
    const r = await engine.transactions.execute({ chaincode: CC, args: ['putRandom', 'd2'] });
    assert.equal(r.validation, 'NOT_COMMITTED');
    const [m] = r.mismatches ?? [];
    assert.ok(m, 'one endorser disagrees');

    const result = JSON.parse(renderResult('putRandom', ['d2'], r, 'Org1MSP/User1')) as Record<string, unknown>;
    assert.equal(result.caller, 'Org1MSP/User1');
    assert.equal(result.message, 'ProposalResponsePayloads do not match');
    const [endorsement] = result.endorsements as { peers: string[]; differences: Record<string, unknown>[] }[];
    assert.deepEqual(endorsement.peers, ['peer0.org1.example.com', 'peer0.org2.example.com']);
    const write = endorsement.differences.find((d) => d.type === 'write value mismatch');
    assert.equal(write?.key, 'd2');
    assert.notEqual(write?.['peer0.org1.example.com'], write?.['peer0.org2.example.com']);

    const [left, right] = [m.initial, m.invoked].map((o) => JSON.parse(renderEndorserOutput(o)) as { peer: string; writes: { key: string; value: unknown }[] });
    assert.deepEqual([left.peer, right.peer], ['peer0.org1.example.com', 'peer0.org2.example.com']);
    assert.equal(String(left.writes[0].value), write?.['peer0.org1.example.com'], "each side shows its own peer's write");
    assert.equal(String(right.writes[0].value), write?.['peer0.org2.example.com']);
  });
});
