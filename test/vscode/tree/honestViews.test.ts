/**
 * Views that tell the truth when nothing changes on its own: World State and Transactions while the
 * peer is stopped (the ledger is on disk, only a running peer reads it), and container uptime that
 * moves on by the minute instead of staying at Docker's first "Up Less than a second".
 */
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describe, it } from 'node:test';
import { ChannelLedger } from '../../../src/engine/ledger/channelLedger';
import { ledgerChannels } from '../../../src/engine/ledger/channelDirectories';
import { coarseStatus, containerNodes } from '../../../src/vscode/tree/containers/model';
import { UptimeRefresh } from '../../../src/vscode/tree/containers/uptimeRefresh';
import { stoppedPeerNodes } from '../../../src/vscode/tree/stoppedPeer';

describe('World State and Transactions with the peer stopped', () => {
  it('the channels on disk are found without opening their ledgers (a running peer locks them)', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-ledgers-'));
    try {
      assert.deepEqual(ledgerChannels(dataDir), [], 'no ledger yet');
      assert.deepEqual(ledgerChannels(path.join(dataDir, 'missing')), []);
      for (const channel of ['mychannel', 'other']) await (await ChannelLedger.open(dataDir, channel)).close();
      fs.mkdirSync(path.join(dataDir, 'ledgers', 'not-a-ledger'));
      assert.deepEqual(ledgerChannels(dataDir), ['mychannel', 'other']);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('say the peer is stopped and offer Start Peer, naming the channels on disk', () => {
    const [state] = stoppedPeerNodes('worldState', ['mychannel']);
    assert.equal(state.label, 'The peer is stopped');
    assert.equal(state.description, 'Start Peer to see the state of channel mychannel');
    assert.deepEqual(state.command, { command: 'chaincode.startPeer', title: 'Start Peer' });
    assert.equal(state.contextValue, 'stoppedPeer');
    const [txs] = stoppedPeerNodes('transactions', ['a', 'b']);
    assert.equal(txs.description, 'Start Peer to see the transactions of 2 channels');
    assert.match(txs.tooltip ?? '', /channels a, b/);
    assert.notEqual(state.id, txs.id);
  });

  it("with no ledger on disk there is nothing to start the peer for: the view's welcome speaks", () => {
    assert.deepEqual(stoppedPeerNodes('worldState', []), []);
  });
});

describe('Containers view: uptime', () => {
  it('Docker\'s seconds become "less than a minute"; minutes and hours stay as Docker says them', () => {
    assert.equal(coarseStatus('Up Less than a second'), 'Up less than a minute');
    assert.equal(coarseStatus('Up 1 second'), 'Up less than a minute');
    assert.equal(coarseStatus('Up 42 seconds (healthy)'), 'Up less than a minute');
    assert.equal(coarseStatus('Up About a minute'), 'Up About a minute');
    assert.equal(coarseStatus('Up 3 minutes (Paused)'), 'Up 3 minutes (Paused)');
    assert.equal(coarseStatus('Up 2 hours'), 'Up 2 hours');
    assert.equal(coarseStatus('Exited (0) Less than a second ago'), 'Exited (0) less than a minute ago');
    assert.equal(coarseStatus('Exited (137) 12 seconds ago'), 'Exited (137) less than a minute ago');
    assert.equal(coarseStatus('Exited (0) 5 minutes ago'), 'Exited (0) 5 minutes ago');
    const [n] = containerNodes([{ id: 'abc', name: 'dev-peer0-basic-1.0', ccid: 'basic:1.0', image: 'img', state: 'running', status: 'Up Less than a second' }]);
    assert.equal(n.description, 'Up less than a minute · img');
  });

  it('is re-read on a slow timer only while the view is visible and shows containers', (t) => {
    // Mocked timers: the ticks are counted on a clock of the test's own, not on a machine that may be busy.
    t.mock.timers.enable({ apis: ['setInterval'] });
    let ticks = 0;
    const timer = new UptimeRefresh(40, () => ticks++);
    try {
      timer.update(false, true);
      t.mock.timers.tick(120);
      assert.equal(ticks, 0, 'hidden: no refresh');
      timer.update(true, false);
      t.mock.timers.tick(120);
      assert.equal(ticks, 0, 'no container: no refresh');
      timer.update(true, true);
      timer.update(true, true); // a second update does not start a second timer
      t.mock.timers.tick(130);
      assert.equal(ticks, 3, 'visible with containers: refreshed on the timer, once every 40 ms');
      timer.update(false, true);
      t.mock.timers.tick(120);
      assert.equal(ticks, 3, 'hidden again: stopped');
      assert.equal(timer.active, false);
    } finally {
      timer.dispose();
    }
  });
});
