/**
 * Fabric 1.0's wire forms (the 1.0 peer's core/chaincode/handler.go): a shim that sends no channel id and raw key
 * bytes for GET_STATE / DEL_STATE, and PutStateInfo{key, value} for PUT_STATE. Driven by a raw
 * client, since no 1.0 shim can be fetched here.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Peer } from '../../../src/engine/peer/peer';
import { TransactionPipeline } from '../../../src/engine/transactions/pipeline';
import { codecs } from '../../../src/engine/wire/codec';
import { MessageType } from '../../../src/engine/wire/messages';
import { RawShimChannel } from '../../support/rawShimClient';

describe('Fabric 1.0 wire forms', () => {
  let peer: Peer;
  let pipeline: TransactionPipeline;
  let dataDir: string;
  let channel: RawShimChannel;

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'peer-legacy-'));
    peer = await Peer.start({ dataDir, port: 0 });
    pipeline = new TransactionPipeline(peer);
    channel = new RawShimChannel(peer.address);
  });

  after(async () => {
    channel.close();
    await peer.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('requests without a channel id are correlated by txid; raw-key GET_STATE/DEL_STATE and PutStateInfo work', async () => {
    const shim = channel.open();
    await shim.register('legacy:1.0');
    await peer.waitForReady('legacy:1.0', 5000);
    const pending = pipeline.execute({ chaincode: 'legacy:1.0', args: ['run'] });
    const tx = await shim.waitFor((m) => m.type === MessageType.TRANSACTION, 5000, 'TRANSACTION');
    const ask = async (type: MessageType, payload: Buffer) => {
      const from = shim.received.length;
      shim.send({ type, txid: tx.txid, payload }); // no channel_id: a 1.0 shim
      return shim.waitFor((m) => (m.type === MessageType.RESPONSE || m.type === MessageType.ERROR) && m.txid === tx.txid, 5000, `reply to ${MessageType[type]}`, from);
    };
    // PutStateInfo{1 key, 2 value} is wire-compatible with PutState.
    const put = await ask(MessageType.PUT_STATE, codecs.PutState.encode({ key: 'k', value: Buffer.from('v') }));
    assert.equal(put.type, MessageType.RESPONSE);
    assert.equal(put.channel_id, '', 'replies echo what the shim sent');
    await ask(MessageType.DEL_STATE, Buffer.from('gone'));
    const get = await ask(MessageType.GET_STATE, Buffer.from('k'));
    assert.equal(get.type, MessageType.RESPONSE);
    assert.equal(Buffer.from(get.payload).length, 0, 'reads come from committed state, never the own write');
    shim.send({ type: MessageType.COMPLETED, txid: tx.txid, payload: codecs.Response.encode({ status: 200, payload: Buffer.from('ok') }) });
    const r = await pending;
    assert.equal(r.status, 200);
    assert.deepEqual(r.readWriteSet.writes.map((w) => [w.key, w.value?.toString() ?? null]).sort(), [
      ['gone', null],
      ['k', 'v'],
    ]);
    assert.deepEqual(
      r.readWriteSet.reads.map((x) => x.key),
      ['k'],
    );
    assert.equal(peer.ledger().state.getState({ channel: 'mychannel', chaincode: 'legacy' }, 'k')?.value.toString(), 'v');
    shim.cancel();
  });
});
