/**
 * A ledger's background work that fails (a snapshot that cannot be written: a directory stands where
 * its temporary file goes) reaches the extension's log and a warning notification, not an event
 * nobody listens to.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { channelLedgerDir, peerDataDir } from '../../src/engine/ledger/channelDirectories';
import { snapshotPath } from '../../src/engine/ledger/ledgerFiles';
import type { CommitRequest } from '../../src/engine/ledger/blockPlan';
import { put, record, withEnvelope } from '../engine/ledger/ledgerTestKit';
import { extensionApi, waitFor } from './support';
import { stubWindow } from './windowStub';

describe('a ledger that cannot snapshot', function () {
  this.timeout(60_000);

  it('reaches a warning notification (and the log), and commits go on', async () => {
    const api = await extensionApi();
    const engine = await api.ctx.ensureEngine();
    const channel = engine.peer.channel;
    const stateDir = path.join(channelLedgerDir(peerDataDir(engine.config.dataDir, engine.peer.mspId), channel), 'state');
    const blockers = Array.from({ length: 64 }, (_, gen) => `${snapshotPath(stateDir, gen)}.tmp`).filter((p) => !fs.existsSync(p));
    for (const p of blockers) fs.mkdirSync(p);
    // The same blocks on every org's peer, as the orderer delivers them: peers whose chains differed
    // would read different versions from then on, and every later two-org endorsement would disagree.
    const commitOnEveryPeer = (request: CommitRequest) => Promise.all(engine.orgs.map((o) => o.peer.ledger(channel).commitBlock([request])));
    const stub = stubWindow();
    try {
      // The world state compacts once its log passes 8 MB: nine 1 MB values get there.
      const ns = { channel, chaincode: 'ledgerwarning' };
      const value = Buffer.alloc(1024 * 1024, 'x');
      for (let i = 0; i < 9; i++) {
        const writes = [put(`big${i}`, value, '', ns)];
        const rwset = { reads: [], writes, metadataWrites: [] };
        await commitOnEveryPeer(
          withEnvelope({ txId: `ledgerwarning${i}`, timestamp: Date.now(), rwset, record: record(`ledgerwarning${i}`, rwset, { chaincode: ns.chaincode }) }, ns),
        );
      }
      const shown = await waitFor(() => stub.infos.find((s) => /could not finish its background work/.test(s.message)), 20_000, 'the warning');
      assert.match(shown.message, new RegExp(`The ledger of channel ${channel} could not finish its background work: world state snapshot in .* failed`));
      assert.deepStrictEqual(shown.items, ['Show Log']);
      const rwset = { reads: [], writes: [put('after', 'still commits', '', ns)], metadataWrites: [] };
      const after = await commitOnEveryPeer(
        withEnvelope({ txId: 'ledgerwarning-after', timestamp: Date.now(), rwset, record: record('ledgerwarning-after', rwset, { chaincode: ns.chaincode }) }, ns),
      );
      assert.deepStrictEqual(
        after.map((a) => a.results[0].validation),
        engine.orgs.map(() => 'VALID'),
      );
    } finally {
      stub.restore();
      for (const p of blockers) fs.rmSync(p, { recursive: true, force: true });
    }
  });
});
