/**
 * The Chaincodes view with chaincode served for a peer to dial (chaincode as a service): `serving`
 * with where peers dial and each connection a peer made, merged with the embedded peer's handler
 * when it is the embedded peer that dialled.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ServedChaincodeInfo } from '../../../../src/engine/ccaas/types';
import type { HandlerInfo } from '../../../../src/engine/peer/types';
import { chaincodeNodes, chaincodeState, readyCount } from '../../../../src/vscode/tree/chaincodes/model';

const ID = 'basic_1.0:ea64dcd4ae872a15cd1550899f0a6fae9cae3be3b727766ff57a44bcb437f584';
const since = new Date(2030, 0, 2, 10, 11, 12).getTime();
const served = (over: Partial<ServedChaincodeInfo> = {}): ServedChaincodeInfo => ({
  packageId: ID,
  language: 'node',
  folder: '/ws/basic',
  address: '0.0.0.0:9999',
  tls: 'mutual',
  status: 'serving',
  since,
  connections: [],
  ...over,
});
const handler = (over: Partial<HandlerInfo> = {}): HandlerInfo => ({
  id: 'h7',
  chaincodeId: ID,
  state: 'ready',
  since,
  connection: 'ccaas',
  remote: '127.0.0.1:9999',
  inFlight: [],
  lastError: null,
  endReason: null,
  ...over,
});

describe('Chaincodes view: served chaincode', () => {
  it('serving, where peers dial with its TLS, and each peer connection with since when', () => {
    const connections = [
      { id: 1, remote: '10.1.2.3:50001', since, clientSubject: 'O=Org1, CN=peer0.org1.example.com' },
      { id: 2, remote: '10.1.2.4:50002', since },
    ];
    const [n] = chaincodeNodes({
      peerAddress: undefined,
      launched: [],
      handlers: [],
      debugging: new Map([[ID, { sessionName: 'Debug on a Fabric network', paused: false }]]),
      serving: [served({ connections })],
      now: since,
    });
    assert.equal(n.label, 'basic_1.0:ea64dcd4', "the package ID's hash cut short");
    assert.equal(n.id, `chaincode:${ID}`);
    assert.match(n.tooltip ?? '', new RegExp(`^${ID}`));
    assert.equal(n.expanded, true, 'its connections in view');
    assert.equal(n.description, 'ccaas · node · serving · debugging · 2 peer connections');
    assert.equal(n.contextValue, 'servingChaincode');
    assert.deepEqual(n.icon, { id: 'radio-tower', color: 'testing.iconPassed' });
    const labels = (n.children ?? []).map((c) => `${c.label}${c.description ? ` — ${c.description}` : ''}`);
    assert.deepEqual(labels, [
      'Serving on 0.0.0.0:9999 — TLS, client certificates required',
      'Peer connection from 10.1.2.3:50001 — since 10:11:12',
      'Peer connection from 10.1.2.4:50002 — since 10:11:12',
      'Folder — /ws/basic',
    ]);
    assert.match(n.children?.[1]?.tooltip ?? '', /client certificate: O=Org1, CN=peer0\.org1\.example\.com/);
    assert.equal(readyCount({ peerAddress: undefined, launched: [], handlers: [], debugging: new Map(), serving: [served()] }), 0, 'not a chaincode of the embedded peer');
  });

  it('before its server listens it is starting; stopped shows why; no peer yet is said', () => {
    assert.equal(chaincodeState(undefined, undefined, served({ status: 'starting' })), 'launching');
    const [idle] = chaincodeNodes({ peerAddress: undefined, launched: [], handlers: [], debugging: new Map(), serving: [served({ tls: 'off' })] });
    assert.ok(idle.children?.some((c) => c.label === 'No peer connected yet'));
    assert.ok(!idle.children?.some((c) => /waiting for the chaincode to register/.test(c.label)), 'the embedded peer waits for nothing');
    const [stopped] = chaincodeNodes({
      peerAddress: undefined,
      launched: [],
      handlers: [],
      debugging: new Map(),
      serving: [served({ status: 'stopped', lastError: 'the chaincode exited (exit code 1)' })],
    });
    assert.match(stopped.description ?? '', /stopped$/);
    assert.ok(stopped.children?.some((c) => c.label === 'Last error: the chaincode exited (exit code 1)'));
  });

  it('the embedded peer dialling it: one row, ready on its handler, with the connection listed', () => {
    const connections = [{ id: 3, remote: '127.0.0.1:41000', since }];
    const rows = chaincodeNodes({ peerAddress: '127.0.0.1:7052', launched: [], handlers: [handler()], debugging: new Map(), serving: [served({ tls: 'off', connections })] });
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.contextValue, 'readyChaincode');
    assert.ok(rows[0]?.children?.some((c) => c.label === 'Handler h7: ready'));
    assert.ok(rows[0]?.children?.some((c) => c.label === 'Peer connection from 127.0.0.1:41000'));
  });
});
