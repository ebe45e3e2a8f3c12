import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunningChaincode } from '../../src/engine/launch/types';
import type { TransactionRecord } from '../../src/engine/ledger/types';
import type { HandlerInfo } from '../../src/engine/peer/types';
import { chaincodeNodes, chaincodeState, readyCount } from '../../src/vscode/tree/chaincodes/model';
import { coarseStatus, containerNodes } from '../../src/vscode/tree/containers/model';
import { transactionNodes } from '../../src/vscode/tree/transactions/model';
import { decodeCompositeKey, displayKey, stateKeyNodes, valuePreview } from '../../src/vscode/tree/worldState/model';
import { stripAnsi } from '../../src/engine/util/lines';
import { txIdInLine } from '../../src/engine/txId';
import { tagLine } from '../../src/vscode/logTags';

const handler = (over: Partial<HandlerInfo> = {}): HandlerInfo => ({
  id: 'h1',
  chaincodeId: 'basic:1.0',
  state: 'ready',
  since: 1_700_000_000_000,
  connection: 'grpc',
  remote: '127.0.0.1:5000',
  inFlight: [],
  lastError: null,
  endReason: null,
  ...over,
});
const launched = (over: Partial<RunningChaincode> = {}): RunningChaincode => ({
  ccid: 'basic:1.0',
  definition: { name: 'basic', version: '1.0', mode: 'dev', language: 'node', path: '/ws/basic' },
  status: 'ready',
  since: 1,
  ...over,
});

describe('Chaincodes view model', () => {
  it('shows a ready chaincode with a green icon, mode and language, and readyChaincode context', () => {
    const [n] = chaincodeNodes({ peerAddress: '127.0.0.1:7052', launched: [launched()], handlers: [handler()], debugging: new Map() });
    assert.equal(n.label, 'basic:1.0');
    assert.deepEqual(n.icon, { id: 'pass-filled', color: 'testing.iconPassed' });
    assert.equal(n.contextValue, 'readyChaincode');
    assert.match(n.description ?? '', /^dev · node · ready$/);
    assert.ok(n.children?.some((c) => c.label === 'Handler h1: ready'));
  });

  it('maps states to icons: busy spins, launching spins, failed is red with the last error, ended is stopped', () => {
    assert.equal(chaincodeState(undefined, handler({ inFlight: [{ channel: 'c', txId: 'ab'.repeat(32), fn: 'F', startedAt: 1 }] })), 'busy');
    assert.equal(chaincodeState(launched({ status: 'launching' }), undefined), 'launching');
    assert.equal(chaincodeState(launched({ status: 'failed' }), handler({ state: 'ended' })), 'failed');
    assert.equal(chaincodeState(undefined, handler({ state: 'ended' })), 'stopped');
    const [failed] = chaincodeNodes({
      peerAddress: undefined,
      launched: [launched({ status: 'failed', lastError: 'did not register within 30 s' })],
      handlers: [],
      debugging: new Map(),
    });
    assert.equal(failed.icon?.id, 'error');
    assert.equal(failed.contextValue, 'failedChaincode');
    assert.ok(failed.children?.some((c) => c.label.includes('did not register')));
  });

  it('a dev-mode chaincode whose process is gone shows "waiting for registration", its last error and its process; Stop and Restart apply', () => {
    const waiting = launched({
      status: 'waiting for registration',
      lastError: 'chaincode disconnected: the chaincode closed the stream',
      process: { pid: 4242, status: 'exited' },
    });
    assert.equal(chaincodeState(waiting, handler({ state: 'ended' })), 'waiting');
    const [n] = chaincodeNodes({ peerAddress: 'x', launched: [waiting], handlers: [handler({ state: 'ended' })], debugging: new Map() });
    assert.match(n.description ?? '', /^dev · node · waiting for registration$/);
    assert.equal(n.icon?.id, 'debug-disconnect');
    assert.equal(n.contextValue, 'launchingChaincode', 'the menus of a launching chaincode');
    assert.ok(n.children?.some((c) => c.label.includes('chaincode disconnected')));
    assert.ok(n.children?.some((c) => c.label === 'Process 4242' && c.description === 'exited'));
    assert.equal(readyCount({ peerAddress: 'x', launched: [waiting], handlers: [], debugging: new Map() }), 0);
  });

  it('lists a dev chaincode that registered by itself, and counts ready ones; the newest handler wins', () => {
    const input = {
      peerAddress: 'x',
      launched: [],
      handlers: [handler({ id: 'h1', state: 'ended', since: 1 }), handler({ id: 'h2', since: 2 })],
      debugging: new Map([['basic:1.0', { sessionName: 'Debug', paused: true }]]),
    };
    const [n] = chaincodeNodes(input);
    assert.match(n.description ?? '', /paused in debugger/);
    assert.ok(n.children?.some((c) => c.label.startsWith('Handler h2')));
    assert.equal(readyCount(input), 1);
  });

  it("a net-mode chaincode shows its container with Docker's short id, status and image", () => {
    const id = 'be2cc29e6a99d4eff7e14fd65f7931ec23542fe1d6bbf5b280430af26304f524';
    const net = launched({ definition: { ...launched().definition, mode: 'net' }, container: { name: 'basic:1.0', id, image: 'dev-peer0-basic-1.0-abc:def', status: 'running' } });
    const [n] = chaincodeNodes({ peerAddress: 'x', launched: [net], handlers: [handler()], debugging: new Map() });
    assert.match(n.description ?? '', /^net · node · ready$/);
    const c = n.children?.find((x) => x.id.endsWith('/container'));
    assert.equal(c?.label, 'Container be2cc29e6a99');
    assert.equal(c?.description, 'running · dev-peer0-basic-1.0-abc:def');
    assert.equal(c?.contextValue, 'runningContainer');
    assert.deepEqual(c?.target, { kind: 'container', containerId: id, chaincodeId: 'basic:1.0' });
  });
});

describe('Containers view model', () => {
  it('labels by chaincode, carries state + kind as context, keeps uptime coarse', () => {
    const [n] = containerNodes([{ id: 'abc123', name: 'dev-peer0-basic-1.0', ccid: 'basic:1.0', image: 'dev-peer0-basic-1.0-hash', state: 'running', status: 'Up 3 seconds' }]);
    assert.equal(n.label, 'basic:1.0');
    assert.equal(n.contextValue, 'runningContainer');
    assert.match(n.description ?? '', /^Up less than a minute/);
    assert.equal(coarseStatus('Up 5 minutes'), 'Up 5 minutes');
    assert.equal(containerNodes([{ id: 'x', name: 'n', ccid: 'c', image: 'i', state: 'exited', status: 'Exited (0) 1 second ago' }])[0].contextValue, 'exitedContainer');
  });
});

describe('World State view model', () => {
  it('decodes composite keys and previews JSON values', () => {
    assert.deepEqual(decodeCompositeKey('\u0000owner~id\u0000Tom\u0000a1\u0000'), { objectType: 'owner~id', attributes: ['Tom', 'a1'] });
    assert.equal(displayKey('\u0000owner~id\u0000Tom\u0000a1\u0000'), 'owner~id ▸ Tom ▸ a1');
    assert.equal(valuePreview(Buffer.from('{ "a": 1 }')), '{"a":1}');
    assert.match(valuePreview(Buffer.from([0xff, 0xfe])), /^base64:/);
    const nodes = stateKeyNodes(
      { channel: 'ch', chaincode: 'basic' },
      [{ key: 'asset1', value: Buffer.from('{"Owner":"Tom"}'), version: { blockNum: 1, txNum: 0 }, metadata: {} }],
      10,
    );
    assert.equal(nodes[0].label, 'asset1');
    assert.equal(nodes[0].command?.command, 'chaincode.openStateKey');
    assert.deepEqual(nodes[0].target, { kind: 'stateKey', channel: 'ch', chaincode: 'basic', key: 'asset1' });
  });
});

describe('Transactions view model', () => {
  const record = (over: Partial<TransactionRecord>): TransactionRecord => ({
    txId: 'f'.repeat(64),
    channel: 'ch',
    chaincode: 'basic:1.0',
    fn: 'CreateAsset',
    args: ['a1', 'blue'],
    kind: 'invoke',
    creator: { mspId: 'Org1MSP', subject: 'CN=u' },
    startedAt: 1_700_000_000_000,
    durationMs: 12,
    status: 200,
    message: '',
    payload: Buffer.from(''),
    validation: 'VALID',
    rwset: { reads: [], writes: [], metadataWrites: [] },
    event: null,
    blockNum: 3,
    ...over,
  });
  it('shows function(args), status, duration; newest first; outcome in the context value', () => {
    const nodes = transactionNodes(
      [record({ txId: 'a'.repeat(64), startedAt: 1 }), record({ txId: 'b'.repeat(64), startedAt: 2, status: 500, message: 'boom', validation: 'NOT_COMMITTED' })],
      3,
    );
    assert.equal(nodes[0].contextValue, 'failedTransaction');
    assert.equal(nodes[1].label, 'CreateAsset(a1, blue)');
    assert.match(nodes[1].description ?? '', /^200 · 12 ms · basic:1\.0/);
    assert.equal(nodes[1].contextValue, 'committedTransaction');
  });

  it('says who called: MSPID/NAME from the creator certificate, in the description and the tooltip', () => {
    const [node] = transactionNodes([record({ creator: { mspId: 'Org2MSP', subject: 'C=US, OU=client, CN=auditor1' } })], 3);
    assert.match(node.description ?? '', / · basic:1\.0 · Org2MSP\/auditor1 · /);
    assert.match(node.tooltip ?? '', /called by Org2MSP\/auditor1 \(C=US, OU=client, CN=auditor1\)/);
  });
});

describe('log tags', () => {
  it('tags lines naming a txid as the shims print it', () => {
    assert.equal(txIdInLine('2024 info [c-api:lib/handler.js] [mychannel-1a2b3c4d] Calling chaincode Invoke()'), '1a2b3c4d');
    assert.equal(tagLine('hello', '1a2b3c4d9999'), '[tx 1a2b3c4d] hello');
    assert.equal(txIdInLine('no id here'), undefined);
  });

  it('strips the colour codes shims print in containers', () => {
    const line = '2026-11-25T22:51:24.568Z \u001b[32minfo\u001b[39m [c-api:lib/handler.js] [mychannel-0fef5c52] Calling chaincode Invoke() succeeded';
    assert.equal(stripAnsi(line), '2026-11-25T22:51:24.568Z info [c-api:lib/handler.js] [mychannel-0fef5c52] Calling chaincode Invoke() succeeded');
    assert.equal(txIdInLine(stripAnsi(line)), '0fef5c52');
  });
});
