/**
 * "Export as test": a recorded sequence becomes a test for the contract's own runner, which starts
 * the real chaincode against the real embedded peer through the CLI. The exported mocha test (and
 * its TypeScript flavour, type-checked strictly) passes on the code it was recorded on and fails
 * once the code changes; the exported Go test passes under `go test`.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { Peer } from '../../../src/engine/peer/peer';
import { recordedSequence } from '../../../src/engine/replay/recordedLedger';
import { defaultTestFile, exportTest, renderTest, TestExportError } from '../../../src/engine/replay/testExport';
import { TransactionPipeline } from '../../../src/engine/transactions/pipeline';
import { REPO_ROOT, RunningProcess, startContractChaincode } from '../../support/nodeChaincode';
import { fixtureSkip, goFixtureStatus, startGoFixture } from '../../support/toolchains';
import { copyExample, shoutingTransfer, type ExampleCopy } from './exampleCopy';

const CLI = path.join(REPO_ROOT, 'out', 'src', 'cli', 'main.js');
const MOCHA = path.join(REPO_ROOT, 'node_modules', 'mocha', 'bin', 'mocha.js');

function mocha(file: string, cwd: string): { code: number | null; output: string } {
  const r = spawnSync(process.execPath, [MOCHA, '--reporter', 'dot', file], { cwd, encoding: 'utf8', timeout: 240_000 });
  return { code: r.status, output: `${r.stdout}\n${r.stderr}` };
}

describe('export as test: mocha (Node, TypeScript)', () => {
  let peer: Peer;
  let dataDir: string;
  let example: ExampleCopy;
  let chaincode: RunningProcess;
  let sequenceLength = 0;
  const request = () => ({ folder: example.folder, chaincodeName: 'assets', channel: 'mychannel', sequence: recordedSequence(peer.ledger().state, 'all'), launcher: CLI });

  before(async () => {
    example = copyExample('export');
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'replay-export-'));
    peer = await Peer.start({ dataDir, port: 0, executeTimeoutMs: 20_000 });
    chaincode = startContractChaincode(example.folder, 'assets:1.0', peer.address);
    await peer.waitForReady('assets:1.0', 30_000).catch((e: Error) => {
      throw new Error(`${e.message}\n${chaincode.output()}`);
    });
    const pipeline = new TransactionPipeline(peer);
    const run = (args: string[], kind: 'invoke' | 'query' = 'invoke') => pipeline.execute({ chaincode: 'assets:1.0', args, kind });
    await run(['InitLedger']);
    await run(['ReadAsset', 'asset1'], 'query');
    await run(['TransferAsset', 'asset1', 'Alice']);
    await run(['CreateAsset', 'asset7', 'teal', '2', 'Kim', '70']);
    await run(['ReadAsset', 'asset9']); // fails: recorded as NOT_COMMITTED with its message
    await run(['GetAllAssets'], 'query');
    sequenceLength = recordedSequence(peer.ledger().state, 'all').length;
  });

  after(async () => {
    await chaincode?.kill();
    await peer?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    example.remove();
  });

  test('the exported mocha test passes on the recorded code and fails once it changes', async () => {
    const { file, count } = await exportTest({ ...request(), language: 'node' });
    assert.equal(count, sequenceLength);
    assert.equal(path.dirname(file), path.join(example.folder, 'test'));
    const text = fs.readFileSync(file, 'utf8');
    assert.match(text, /"The asset asset9 does not exist"/, 'the failure and its message are expected too');

    const passing = mocha(file, example.folder);
    assert.equal(passing.code, 0, passing.output);
    assert.match(passing.output, new RegExp(`${count} passing`));

    example.edit(shoutingTransfer);
    try {
      const failing = mocha(file, example.folder);
      assert.notEqual(failing.code, 0, failing.output);
      assert.match(failing.output, /[1-9]\d* failing/);
      assert.match(failing.output, /AssetMoved/, 'the failure shows what changed');
    } finally {
      example.edit((s) => s.replace('newOwner.toUpperCase()', 'newOwner').replace("setEvent('AssetMoved'", "setEvent('AssetTransferred'"));
    }
  });

  test('the TypeScript flavour type-checks under strict settings and passes', () => {
    const { file, text } = renderTest({ ...request(), language: 'typescript' });
    assert.ok(file.endsWith('.test.ts'));
    const dir = fs.mkdtempSync(path.join(example.folder, 'ts-'));
    try {
      const source = path.join(dir, path.basename(file));
      fs.writeFileSync(source, text); // one level below the folder, as test/ is: the same relative path
      const program = ts.createProgram([source], {
        strict: true,
        noEmit: true,
        target: ts.ScriptTarget.ES2020,
        module: ts.ModuleKind.CommonJS,
        types: ['node', 'mocha'],
        typeRoots: [path.join(REPO_ROOT, 'node_modules', '@types')],
      });
      const problems = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      assert.deepEqual(problems, []);
      const js = source.replace(/\.ts$/, '.js');
      fs.writeFileSync(js, ts.transpileModule(fs.readFileSync(source, 'utf8'), { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 } }).outputText);
      const run = mocha(js, example.folder);
      assert.equal(run.code, 0, run.output);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('transactions of other chaincodes are left out and said so; none left is refused', () => {
    const { text } = renderTest({ ...request(), language: 'node', sequence: [...request().sequence, { ...request().sequence[0], chaincode: 'other:2.0', txId: 'f'.repeat(64) }] });
    assert.match(text, /\/\/ Left out: InitLedger\(\) ffffffff: it ran on chaincode other:2\.0\./);
    assert.throws(() => renderTest({ ...request(), language: 'node', chaincodeName: 'nobody' }), TestExportError);
    assert.match(defaultTestFile('/cc', 'golang', new Date('2030-01-02T03:04:05Z')), /^\/cc\/replay_20300102_030405_test\.go$/);
  });
});

describe('export as test: go test', () => {
  const go = goFixtureStatus('v2');

  test('the exported Go test runs the recorded transactions on the real chaincode and passes', { skip: fixtureSkip(go) }, async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'replay-export-go-'));
    const module = fs.mkdtempSync(path.join(os.tmpdir(), 'replay-export-gomod-'));
    const peer = await Peer.start({ dataDir, port: 0, executeTimeoutMs: 20_000 });
    const chaincode = startGoFixture('v2', { peerAddress: peer.address, chaincodeId: 'gocc:1.0' });
    try {
      await peer.waitForReady('gocc:1.0', 30_000).catch((e: Error) => {
        throw new Error(`${e.message}\n${chaincode.output()}`);
      });
      const pipeline = new TransactionPipeline(peer);
      const run = (args: string[], kind: 'invoke' | 'query' = 'invoke') => pipeline.execute({ chaincode: 'gocc:1.0', args, kind });
      assert.equal((await run(['put', 'k1', 'v1'])).status, 200);
      assert.equal((await run(['get', 'k1'], 'query')).payload.toString(), 'v1');
      assert.equal((await run(['event', 'Noted', '{"k":"k1"}'])).event?.eventName, 'Noted');
      assert.equal((await run(['fail', 'not today'])).status, 500);
      assert.equal((await run(['put', 'k1', 'v2'])).status, 200);

      const source = path.join(REPO_ROOT, 'test', 'fixtures', 'go', 'v2');
      for (const f of fs.readdirSync(source).filter((f) => f.endsWith('.go') || f === 'go.mod' || f === 'go.sum')) fs.copyFileSync(path.join(source, f), path.join(module, f));
      const { file, count } = await exportTest({
        language: 'golang',
        folder: module,
        chaincodeName: 'gocc',
        channel: 'mychannel',
        sequence: recordedSequence(peer.ledger().state, 'all'),
        launcher: CLI,
      });
      assert.equal(count, 5);
      assert.match(fs.readFileSync(file, 'utf8'), /^package main$/m);
      const env = { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}` };
      const r = spawnSync('go', ['test', '-count=1', '-v', '-run', 'TestRecordedTransactions', '.'], { cwd: module, env, encoding: 'utf8', timeout: 300_000 });
      assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
      assert.match(r.stdout, /--- PASS: TestRecordedTransactions\/3_fail/);
      assert.match(r.stdout, /^ok\s/m);
    } finally {
      await chaincode.kill();
      await peer.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
      fs.rmSync(module, { recursive: true, force: true });
    }
  });
});
