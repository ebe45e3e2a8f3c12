/**
 * The Chaincodes view with watch: a TypeScript chaincode says typescript; a chaincode launched from a
 * folder gets the eye toggle's menus (its context value unchanged when unwatched, ` watching` added
 * when watched, which every other menu of the row still matches; ` noWatch` where it cannot be
 * watched), a Watching row and one row per pinned transaction.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { describe, it } from 'node:test';
import type { RunningChaincode } from '../../../src/engine/launch/types';
import type { HandlerInfo } from '../../../src/engine/peer/types';
import { chaincodeNodes, readyCount, type ChaincodesInput, type WatchInfo } from '../../../src/vscode/tree/chaincodes/model';

const REPO = path.resolve(__dirname, '..', '..', '..', '..');

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
const launched = (over: Partial<RunningChaincode['definition']> = {}): RunningChaincode => ({
  ccid: 'basic:1.0',
  definition: { name: 'basic', version: '1.0', mode: 'dev', language: 'node', path: '/ws/basic', ...over },
  status: 'ready',
  since: 1,
});
const input = (watching?: ReadonlyMap<string, WatchInfo>, l: RunningChaincode[] = [launched()]): ChaincodesInput => ({
  peerAddress: 'x',
  launched: l,
  handlers: [handler()],
  debugging: new Map(),
  watching,
});

/** The `viewItem =~ /…/` menus of the Chaincodes view in package.json, by command. */
function chaincodeMenus(): { command: string; matches: (contextValue: string) => boolean }[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { contributes: { menus: { 'view/item/context': { command: string; when: string }[] } } };
  return manifest.contributes.menus['view/item/context']
    .filter((m) => m.when.includes('view == chaincode.chaincodes'))
    .map((m) => {
      const regex = /viewItem =~ \/(.+)\/$/.exec(m.when)?.[1];
      const exact = /viewItem == (\S+)/.exec(m.when)?.[1];
      return { command: m.command, matches: (v: string) => (regex ? new RegExp(regex).test(v) : v === exact) };
    });
}

describe('Chaincodes view: watch and TypeScript', () => {
  it('a TypeScript chaincode says typescript, not node', () => {
    const [n] = chaincodeNodes(input(undefined, [launched({ typescript: true })]));
    assert.match(n.description ?? '', /^dev · typescript · ready$/);
  });

  it('a launched chaincode gets the eye: unwatched, then watching with its Watching and pinned rows', () => {
    const [off] = chaincodeNodes(input(new Map()));
    assert.equal(off.contextValue, 'readyChaincode');
    assert.equal(
      off.children?.some((c) => c.label.startsWith('Watching')),
      false,
    );

    const info: WatchInfo = { state: 'watching', pinned: [{ key: '["mychannel","query","ReadAsset",["a1"]]', label: 'ReadAsset(a1)' }] };
    const [on] = chaincodeNodes(input(new Map([['basic:1.0', info]])));
    assert.equal(on.contextValue, 'readyChaincode watching');
    assert.match(on.description ?? '', /^dev · node · ready · watching$/);
    const watchRow = on.children?.find((c) => c.label.startsWith('Watching'));
    assert.deepEqual([watchRow?.label, watchRow?.description], ['Watching: a save restarts it', 'and runs the pinned transaction again']);
    const pinned = on.children?.find((c) => c.contextValue === 'pinnedTransaction');
    assert.deepEqual([pinned?.id, pinned?.label], ['chaincode:basic:1.0/pin/["mychannel","query","ReadAsset",["a1"]]', 'ReadAsset(a1)']);

    const [failed] = chaincodeNodes(input(new Map([['basic:1.0', { state: 'build failed', pinned: [] }]])));
    assert.ok(failed.children?.some((c) => c.label === 'Watching: the build failed (see Problems)' && c.description === 'and runs the last transaction again'));
  });

  it('a chaincode started by hand (no folder) or a system chaincode gets no eye', () => {
    const [byHand] = chaincodeNodes(input(new Map(), []));
    assert.equal(byHand.contextValue, 'readyChaincode noWatch');
    const [system] = chaincodeNodes(input(new Map(), [launched({ mode: 'system' })]));
    assert.equal(system.contextValue, 'readyChaincode noWatch');
    assert.equal(chaincodeNodes(input(undefined, []))[0].contextValue, 'readyChaincode', 'no watch offered: as before');
  });

  it("the peer's own system chaincodes (the Gateway's qscc) are not rows and not counted ready", () => {
    const qscc = launched({ name: 'qscc', version: 'syscc', mode: 'system', path: 'qscc' });
    const withQscc: ChaincodesInput = {
      ...input(undefined, [launched(), { ...qscc, ccid: 'qscc:syscc' }]),
      handlers: [handler(), handler({ id: 'h2', chaincodeId: 'qscc:syscc' })],
    };
    assert.deepEqual(
      chaincodeNodes(withQscc).map((n) => n.label),
      ['basic:1.0'],
    );
    assert.equal(readyCount(withQscc), 1);
  });

  it('every menu of a row still applies with the eye, and the eye shows the one toggle that applies', () => {
    const menus = chaincodeMenus();
    const commandsFor = (contextValue: string): string[] => [...new Set(menus.filter((m) => m.matches(contextValue)).map((m) => m.command))].sort();
    const without = commandsFor('readyChaincode noWatch');
    assert.ok(without.includes('chaincode.stopChaincode') && without.includes('chaincode.invokeTransaction'), without.join());
    assert.deepEqual(commandsFor('readyChaincode'), [...without, 'chaincode.watchChaincode'].sort());
    assert.deepEqual(commandsFor('readyChaincode watching'), [...without, 'chaincode.unwatchChaincode'].sort());
    assert.deepEqual(commandsFor('failedChaincode watching'), [...commandsFor('failedChaincode noWatch'), 'chaincode.unwatchChaincode'].sort());
    assert.deepEqual(commandsFor('stoppedChaincode'), commandsFor('stoppedChaincode noWatch'), 'a stopped chaincode is not watched from its row');
    assert.deepEqual(commandsFor('pinnedTransaction'), ['chaincode.unpinTransaction']);
  });
});
