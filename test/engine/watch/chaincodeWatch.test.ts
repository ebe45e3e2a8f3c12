/**
 * Watch and reload on the real shims, through the engine's launcher: a saved edit restarts the
 * chaincode and runs the last transaction again, whose result and differences show the edit, on the
 * world state as it was; pinned transactions run instead of the last one; a TypeScript syntax error
 * is reported with its place and restarts nothing, and the fix is built and runs.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { resolveConfig } from '../../../src/engine/config';
import { Engine } from '../../../src/engine/engine';
import type { ChaincodeDefinition } from '../../../src/engine/launch/types';
import { ChaincodeWatch, WatchUnsupportedError, type ReloadOutcome } from '../../../src/engine/watch/chaincodeWatch';
import { relaunch } from '../../../src/engine/watch/restart';
import { BuildFailedError, buildBeforeLaunch } from '../../../src/engine/watch/typescriptBuild';
import { dockerSkip, ensureBaseImages } from '../../support/docker';
import { launchNet, lowLevelChaincode, netDefinition, containersOf, removeChaincodeArtifacts, removeFolders, startEngine } from '../../support/netChaincode';
import { copyExample, editFile, shoutingTransfer, type ExampleCopy } from '../replay/exampleCopy';
import { lineOf, TS_READ_RETURN, typeScriptProject, type TypeScriptProject } from './projects';

/** The next outcome of `watch`, once `change` has been made. */
function reloadAfter(watch: ChaincodeWatch, change: () => void): Promise<ReloadOutcome> {
  const next = new Promise<ReloadOutcome>((resolve) => {
    const s = watch.onDidReload((o) => {
      s.dispose();
      resolve(o);
    });
  });
  change();
  return next;
}

function reloaded(o: ReloadOutcome): Extract<ReloadOutcome, { kind: 'reloaded' }> {
  if (o.kind !== 'reloaded') assert.fail(`expected a reload, got ${o.kind}: ${o.kind === 'build failed' ? JSON.stringify(o.build.diagnostics) : o.error.message}`);
  return o;
}

const readyHandler = (engine: Engine, ccid: string) => engine.peer.handlers().find((h) => h.chaincodeId === ccid && h.state === 'ready');

describe('watch and reload: the example chaincode in dev mode', () => {
  const ccid = 'assets:1.0';
  let engine: Engine;
  let example: ExampleCopy;
  let dataDir: string;
  let definition: ChaincodeDefinition;
  let watch: ChaincodeWatch | undefined;
  const run = (args: string[], kind: 'invoke' | 'query' = 'invoke') => engine.transactions.execute({ chaincode: ccid, args, kind });

  before(async () => {
    example = copyExample('watch');
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'watch-engine-'));
    engine = await Engine.start(resolveConfig({ dataDir, peerPort: 0, mode: 'dev', startupTimeoutMs: 60_000, executeTimeoutMs: 30_000 }));
    definition = { name: 'assets', version: '1.0', mode: 'dev', language: 'node', path: example.folder };
    await engine.launcher.launch({ kind: 'deployment', definition });
    assert.equal((await run(['InitLedger'])).status, 200);
  });

  after(async () => {
    await watch?.dispose();
    await engine?.dispose();
    example?.remove();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('an edit restarts the chaincode, the last transaction runs again on the kept state, and its differences show the edit', async () => {
    await run(['TransferAsset', 'asset1', 'Alice']);
    const previous = await run(['TransferAsset', 'asset1', 'Alice']); // its old owner is Alice too: only the edit differs
    const before = readyHandler(engine, ccid);
    watch = await ChaincodeWatch.start(
      { ccid, folder: example.folder, language: 'node', typescript: false },
      { transactions: engine.transactions, restart: relaunch(engine.launcher, definition) },
    );
    assert.deepEqual(watch.directories, ['', 'lib'], 'node_modules is not watched');

    const outcome = reloaded(await reloadAfter(watch, () => example.edit(shoutingTransfer)));
    assert.deepEqual(outcome.trigger.files, ['lib/assetTransfer.js']);
    assert.equal(outcome.build, undefined, 'JavaScript: nothing to build');
    const after = readyHandler(engine, ccid);
    assert.ok(after && before && after.id !== before.id, 'a new process registered');

    assert.equal(outcome.reruns.length, 1);
    const [r] = outcome.reruns;
    assert.deepEqual(r.request, { channel: 'mychannel', kind: 'invoke', fn: 'TransferAsset', args: ['asset1', 'Alice'] });
    assert.equal(r.previous?.txId, previous.txId);
    assert.ok(r.result && r.record, r.error);
    assert.notEqual(r.result.txId, previous.txId, 'a new transaction');
    assert.equal(r.result.validation, 'VALID', 'committed, as Fabric commits a resubmitted proposal');
    assert.equal(r.result.payload.toString(), 'Alice', 'it read the owner committed before the reload');
    assert.deepEqual(
      r.differences.map((d) => d.type),
      ['chaincode event mismatch', 'write value mismatch'],
    );
    const write = r.differences[1];
    assert.equal(write.key, 'asset1');
    assert.equal(JSON.parse(write.invoked ?? '{}').Owner, 'ALICE');
    assert.equal(JSON.parse(write.initial ?? '{}').Owner, 'Alice');
    assert.match(r.differences[0].invoked ?? '', /^AssetMoved: /);

    // The world state is the one from before the reload, plus the re-run's commit.
    const all = JSON.parse((await run(['GetAllAssets'], 'query')).payload.toString()) as { ID: string; Owner: string }[];
    assert.deepEqual(
      all.map((a) => [a.ID, a.Owner]),
      [
        ['asset1', 'ALICE'],
        ['asset2', 'Brad'],
        ['asset3', 'Jin Soo'],
      ],
    );
  });

  test('pinned transactions run again in order instead of the last one', async () => {
    assert.ok(watch, 'the watch of the test before');
    watch.pin({ channel: 'mychannel', kind: 'query', fn: 'ReadAsset', args: ['asset2'] });
    watch.pin({ channel: 'mychannel', kind: 'query', fn: 'AssetExists', args: ['asset3'] });
    await run(['ReadAsset', 'asset2'], 'query');
    await run(['TransferAsset', 'asset3', 'Max']); // the last transaction: not run again while pins exist
    const outcome = reloaded(
      await reloadAfter(watch, () =>
        example.edit((s) => s.replace('    return bytes.toString();\n  }', '    return JSON.stringify({ ...JSON.parse(bytes.toString()), Checked: true });\n  }')),
      ),
    );
    assert.deepEqual(
      outcome.reruns.map((r) => [r.request.fn, ...r.request.args]),
      [
        ['ReadAsset', 'asset2'],
        ['AssetExists', 'asset3'],
      ],
    );
    const [read, exists] = outcome.reruns;
    assert.equal(JSON.parse(read.result?.payload.toString() ?? '{}').Checked, true);
    assert.deepEqual(
      read.differences.map((d) => d.type),
      ['chaincode response mismatch'],
    );
    assert.equal(read.result?.validation, 'NOT_VALIDATED', 'a query stays an evaluation');
    assert.equal(exists.previous, undefined, 'AssetExists had not run before: nothing to compare with');
    assert.equal(exists.result?.payload.toString(), 'true');
    assert.deepEqual(
      watch.pinned.map((p) => p.fn),
      ['ReadAsset', 'AssetExists'],
    );
  });

  test("a JavaScript syntax error: the restart fails with the chaincode's own words; the fix restarts it", async () => {
    assert.ok(watch, 'the watch of the tests before');
    const broken = await reloadAfter(watch, () => example.edit((s) => s.replace('async ReadAsset(ctx, id) {', 'async ReadAsset(ctx, id) {{')));
    assert.equal(broken.kind, 'restart failed');
    if (broken.kind !== 'restart failed') return;
    assert.match(broken.error.message, /SyntaxError/);
    assert.equal(readyHandler(engine, ccid), undefined, 'nothing runs the broken code');

    const fixed = reloaded(await reloadAfter(watch, () => example.edit((s) => s.replace('async ReadAsset(ctx, id) {{', 'async ReadAsset(ctx, id) {'))));
    assert.ok(readyHandler(engine, ccid), 'running again');
    assert.deepEqual(
      fixed.reruns.map((r) => r.result?.status),
      [200, 200],
      'the pinned transactions ran',
    );
  });

  test('reloads asked for while one runs share the next one', async () => {
    assert.ok(watch, 'the watch of the tests before');
    const first = watch.reload();
    const second = watch.reload();
    const third = watch.reload();
    assert.equal(second, third, 'one reload for both');
    const [a, b] = await Promise.all([first, second]);
    assert.deepEqual([a.kind, b.kind, b.reload - a.reload], ['reloaded', 'reloaded', 1]);
  });

  test('Java is refused with what to do instead', async () => {
    await assert.rejects(
      ChaincodeWatch.start({ ccid: 'j:1.0', folder: example.folder, language: 'java', typescript: false }, { transactions: engine.transactions, restart: async () => undefined }),
      (err: Error) => err instanceof WatchUnsupportedError && /mvn package/.test(err.message),
    );
  });
});

describe('watch and reload: a TypeScript contract project', () => {
  let project: TypeScriptProject;
  let engine: Engine;
  let dataDir: string;
  let watch: ChaincodeWatch | undefined;
  let ccid: string;
  const run = (args: string[], kind: 'invoke' | 'query' = 'invoke') => engine.transactions.execute({ chaincode: ccid, args, kind });

  before(async () => {
    project = await typeScriptProject();
    ccid = `${project.name}:1.0.0`;
    const built = await buildBeforeLaunch(project.folder);
    assert.ok(built?.ok, 'the template builds');
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'watch-engine-ts-'));
    engine = await Engine.start(resolveConfig({ dataDir, peerPort: 0, mode: 'dev', startupTimeoutMs: 60_000, executeTimeoutMs: 30_000 }));
    await engine.launcher.launch({
      kind: 'deployment',
      definition: { name: project.name, version: '1.0.0', mode: 'dev', language: 'node', path: project.folder, typescript: true },
    });
    assert.equal((await run(['CreateAsset', 'asset1', 'blue', '5', 'Tomoko', '300'])).status, 200);
  });

  after(async () => {
    await watch?.dispose();
    await engine?.dispose();
    project?.remove();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('Launch builds first: a syntax error fails the build with its place, before anything starts', async () => {
    const source = fs.readFileSync(project.contract, 'utf8');
    const line = lineOf(project.contract, TS_READ_RETURN);
    try {
      project.edit((s) => s.replace(TS_READ_RETURN, "return Buffer.from(bytes).toString('utf8') +;"));
      const err = await buildBeforeLaunch(project.folder).then(
        () => assert.fail('the build succeeded'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof BuildFailedError, String(err));
      const [first] = err.outcome.diagnostics;
      assert.deepEqual([first.file, first.line, first.code, first.severity], [project.contract, line, 'TS1109', 'error']);
      assert.match(err.message, /tsc --build tsconfig\.json.*1 error.*src\/assetContract\.ts:\d+ Expression expected/);
    } finally {
      fs.writeFileSync(project.contract, source);
    }
  });

  test('a syntax error on save shows as diagnostics and restarts nothing; the fix is built, restarted and run', async () => {
    const read = await run(['ReadAsset', 'asset1'], 'query');
    watch = await ChaincodeWatch.start(
      { ccid, folder: project.folder, language: 'node', typescript: true },
      {
        transactions: engine.transactions,
        restart: relaunch(engine.launcher, { name: project.name, version: '1.0.0', mode: 'dev', language: 'node', path: project.folder, typescript: true }),
      },
    );
    assert.ok(!watch.directories.includes('dist') && !watch.directories.includes('node_modules') && !watch.directories.includes('test'), watch.directories.join());
    const handler = readyHandler(engine, ccid);
    const pid = engine.launcher.running().find((r) => r.ccid === ccid)?.process?.pid;
    const line = lineOf(project.contract, TS_READ_RETURN);

    const broken = await reloadAfter(watch, () => project.edit((s) => s.replace(TS_READ_RETURN, "return Buffer.from(bytes).toString('utf8') +;")));
    assert.equal(broken.kind, 'build failed');
    if (broken.kind !== 'build failed') return;
    const errors = broken.build.diagnostics.filter((d) => d.severity === 'error');
    assert.deepEqual(
      errors.map((d) => [d.file, d.line, d.code]),
      [[project.contract, line, 'TS1109']],
    );
    assert.ok((errors[0].column ?? 0) > 1);
    assert.match(broken.build.commandLine, /^tsc --watch/);
    assert.equal(readyHandler(engine, ccid)?.id, handler?.id, 'the chaincode was not restarted');
    assert.equal(engine.launcher.running().find((r) => r.ccid === ccid)?.process?.pid, pid, 'the same process');
    assert.equal((await run(['ReadAsset', 'asset1'], 'query')).payload.toString(), read.payload.toString(), 'it still runs the code it ran');

    const fixed = reloaded(await reloadAfter(watch, () => project.edit((s) => s.replace("toString('utf8') +;", "toString('utf8').toUpperCase();"))));
    assert.equal(fixed.build?.ok, true);
    assert.deepEqual(fixed.build?.diagnostics, []);
    assert.notEqual(readyHandler(engine, ccid)?.id, handler?.id, 'restarted');
    const [r] = fixed.reruns;
    assert.deepEqual([r.request.fn, ...r.request.args], ['ReadAsset', 'asset1'], 'the last transaction');
    assert.equal(JSON.parse(r.result?.payload.toString() ?? '{}').OWNER, 'TOMOKO', 'the fix runs');
    assert.deepEqual(
      r.differences.map((d) => d.type),
      ['chaincode response mismatch'],
    );
  });
});

describe('watch and reload: net mode (Docker)', { skip: dockerSkip() }, () => {
  const dirs: string[] = [];
  let engine: Engine | undefined;
  let watch: ChaincodeWatch | undefined;
  let folder: string;
  const definition = (): ChaincodeDefinition => netDefinition(`watchnet${process.pid}`, folder);
  const ccid = `watchnet${process.pid}:1.0`;

  after(async () => {
    await watch?.dispose();
    if (engine) {
      const docker = engine.docker.docker;
      await engine.dispose();
      await removeChaincodeArtifacts(docker, [ccid]);
    }
    await removeFolders(dirs);
  });

  test('an edit rebuilds the image and runs a new container; the re-run reads the kept state', async () => {
    const images = await ensureBaseImages(['node']);
    folder = await lowLevelChaincode();
    dirs.push(folder);
    engine = await startEngine(dirs, { baseImages: { node: images.node }, startupTimeoutMs: 120_000 });
    await launchNet(engine, definition());
    const run = (args: string[], kind: 'invoke' | 'query' = 'invoke') => engine!.transactions.execute({ chaincode: ccid, args, kind });
    assert.equal((await run(['put', 'k', 'kept'])).status, 200);
    assert.deepEqual(JSON.parse((await run(['get', 'k'], 'query')).payload.toString()), { value: 'kept' });
    const [before] = await containersOf(engine.docker.docker, [ccid]);
    watch = await ChaincodeWatch.start(
      { ccid, folder, language: 'node', typescript: false },
      { transactions: engine.transactions, restart: relaunch(engine.launcher, definition()) },
    );
    assert.ok(!watch.directories.includes('node_modules'));

    const outcome = reloaded(
      await reloadAfter(watch, () =>
        editFile(path.join(folder, 'index.js'), (s) =>
          s.replace('return json({ value: text(await stub.getState(key)) });', 'return json({ value: text(await stub.getState(key)), edited: true });'),
        ),
      ),
    );
    const [r] = outcome.reruns;
    assert.deepEqual(JSON.parse(r.result?.payload.toString() ?? '{}'), { value: 'kept', edited: true }, 'the new code, on the state from before');
    assert.deepEqual(
      r.differences.map((d) => d.type),
      ['chaincode response mismatch'],
    );
    const [after] = await containersOf(engine.docker.docker, [ccid]);
    assert.ok(before && after && before.Id !== after.Id && before.Image !== after.Image, 'a new container of a new image');
  });
});
