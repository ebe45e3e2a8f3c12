/** The Networks view's model: the embedded peer first, then each connection with its chaincode definitions and recent blocks. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NETWORK_BLOCK_LIMIT, networkNodes, type NetworkInfo } from '../../../src/vscode/tree/networks/model';
import { TxValidationCode } from '../../../src/engine/wire/messages';

const network = (over: Partial<NetworkInfo> = {}): NetworkInfo => ({
  id: 'n1',
  label: 'network.yaml',
  file: '/tmp/network.yaml',
  endpoint: 'localhost:7051',
  channel: 'mychannel',
  mspId: 'Org1MSP',
  definitions: [],
  height: 0,
  blocks: [],
  ...over,
});

describe('Networks view model', () => {
  it('lists the embedded peer first, running (its Gateway) or stopped, as a target for Invoke and Query', () => {
    const [running] = networkNodes({ address: '127.0.0.1:7052', gateway: 'localhost:7051' }, []);
    assert.deepEqual(
      [running.label, running.description, running.contextValue, running.target],
      ['Embedded peer', 'Gateway localhost:7051', 'runningEmbeddedNetwork', { kind: 'network', networkId: 'embedded' }],
    );
    const [stopped, ...rest] = networkNodes({}, []);
    assert.deepEqual([stopped.description, stopped.contextValue, rest.length], ['stopped', 'stoppedEmbeddedNetwork', 0]);
  });

  it('shows a connection with its org, channel and endpoint; its definitions by name; its blocks newest first, invalid ones flagged', () => {
    const nodes = networkNodes({}, [
      network({
        definitions: [
          { name: 'zeta', version: '2.0', sequence: 3, collections: [] },
          { name: 'basic', version: '1.0', sequence: 1, collections: ['private'] },
        ],
        height: 4,
        blocks: [
          { number: 1, validationCodes: [TxValidationCode.VALID] },
          { number: 3, validationCodes: [TxValidationCode.VALID, TxValidationCode.MVCC_READ_CONFLICT] },
          { number: 2, validationCodes: [] },
        ],
      }),
    ]);
    assert.equal(nodes.length, 2);
    const conn = nodes[1];
    assert.deepEqual(
      [conn.label, conn.description, conn.contextValue, conn.target],
      ['network.yaml', 'Org1MSP · mychannel · localhost:7051', 'networkConnection', { kind: 'network', networkId: 'n1' }],
    );
    const [chaincodes, blocks] = conn.children ?? [];
    assert.deepEqual([chaincodes.label, chaincodes.description], ['Chaincodes', '2 on mychannel']);
    assert.deepEqual(
      chaincodes.children?.map((c) => [c.label, c.description, c.contextValue, c.target]),
      [
        ['basic', '1.0 · sequence 1 · collections private', 'networkChaincode', { kind: 'networkChaincode', networkId: 'n1', chaincode: 'basic' }],
        ['zeta', '2.0 · sequence 3', 'networkChaincode', { kind: 'networkChaincode', networkId: 'n1', chaincode: 'zeta' }],
      ],
    );
    assert.deepEqual([blocks.label, blocks.description], ['Blocks', 'height 4']);
    const target = { kind: 'networkBlock', networkId: 'n1', number: 3 };
    assert.deepEqual(
      [blocks.children?.[0].target, blocks.children?.[0].command?.command, blocks.children?.[0].command?.arguments],
      [target, 'chaincode.openNetworkBlock', [target]],
    );
    assert.deepEqual(
      blocks.children?.map((b) => [b.label, b.description, b.icon?.id]),
      [
        ['Block 3', '2 transactions, 1 invalid', 'warning'],
        ['Block 2', 'no transactions', 'package'],
        ['Block 1', '1 transaction', 'package'],
      ],
    );
  });

  it('says when the definitions are being asked, or why they could not be listed; and when blocks are no longer followed', () => {
    const [, asking] = networkNodes({}, [network({ definitions: undefined })]);
    assert.equal(asking.children?.[0].description, 'asking _lifecycle…');
    const [, failed] = networkNodes({}, [network({ definitions: { error: 'the peer does not serve _lifecycle' }, blocksError: 'stream ended', height: 7 })]);
    const [chaincodes, blocks] = failed.children ?? [];
    assert.deepEqual([chaincodes.description, chaincodes.tooltip, chaincodes.icon?.id], ['not listed', 'the peer does not serve _lifecycle', 'warning']);
    assert.deepEqual([blocks.description, blocks.tooltip], ['height 7 · not following', 'stream ended']);
    const [, none] = networkNodes({}, [network()]);
    assert.equal(none.children?.[0].description, 'none defined on mychannel');
  });

  it(`keeps at most ${NETWORK_BLOCK_LIMIT} blocks, the newest`, () => {
    const blocks = Array.from({ length: NETWORK_BLOCK_LIMIT + 5 }, (_, n) => ({ number: n, validationCodes: [TxValidationCode.VALID] }));
    const [, conn] = networkNodes({}, [network({ blocks, height: blocks.length })]);
    const listed = conn.children?.[1].children ?? [];
    assert.equal(listed.length, NETWORK_BLOCK_LIMIT);
    assert.equal(listed[0].label, `Block ${NETWORK_BLOCK_LIMIT + 4}`);
  });
});
