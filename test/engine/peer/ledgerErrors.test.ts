/**
 * A ledger's background work that fails (here a snapshot that cannot be written: a directory stands
 * where its temporary file goes) reaches the peer's onLedgerError, which the CLI prints and the
 * editor logs and shows; commits go on.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { channelLedgerDir } from '../../../src/engine/ledger/channelDirectories';
import { snapshotPath } from '../../../src/engine/ledger/ledgerFiles';
import { Peer } from '../../../src/engine/peer/peer';
import type { LedgerBackgroundError } from '../../../src/engine/peer/types';
import { put, tempDir, tx, withEnvelope } from '../ledger/ledgerTestKit';

test("a failed snapshot reaches the peer's onLedgerError with its cause, and the ledger keeps committing", async () => {
  const { dir, cleanup } = tempDir('ledger-errors');
  const peer = await Peer.start({ dataDir: dir, port: 0, channels: ['mychannel', 'otherchannel'] });
  try {
    const stateDir = path.join(channelLedgerDir(dir, 'mychannel'), 'state');
    for (let gen = 0; gen < 8; gen++) fs.mkdirSync(`${snapshotPath(stateDir, gen)}.tmp`, { recursive: true });
    const failed = new Promise<LedgerBackgroundError>((resolve) => peer.onLedgerError(resolve));
    // The world state compacts once its log passes 8 MB: nine 1 MB values get there.
    const value = Buffer.alloc(1024 * 1024, 'x');
    for (let i = 0; i < 9; i++) await peer.ledger('mychannel').commitBlock([withEnvelope(tx(`tx${i}`, [put(`k${i}`, value)]))]);
    const { channel, error } = await failed;
    assert.equal(channel, 'mychannel');
    assert.match(error.message, /world state snapshot in .* failed/);
    assert.equal((error.cause as NodeJS.ErrnoException).code, 'EISDIR', 'the cause is kept');
    const after = await peer.ledger('mychannel').commitBlock([withEnvelope(tx('after', [put('after', 'still commits')]))]);
    assert.equal(after.results[0].validation, 'VALID');
  } finally {
    await peer.stop();
    cleanup();
  }
});
