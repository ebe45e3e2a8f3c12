/**
 * One activation, in a fresh Node process (run by bench/activation.ts; one process per run, so no
 * module is cached from a previous run, as in a new extension host):
 *   node out/bench/activationProbe.js <bundle dir> <workspace folder>
 * Loads `<bundle dir>/extension.js` and calls its `activate` with the `vscode` stand-in, timing the
 * two the way VS Code does (its Running Extensions view shows "Activation: code loading + activate
 * call"); then loads the lazily required engine bundle, timing what the first Start Peer adds.
 * Prints one JSON line.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as standIn from './vscodeStandIn';

// The stand-in answers `require('vscode')` inside the bundle. Loaded before the clock starts: VS Code
// has its API object ready before it loads an extension.
const Module = require('module') as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
const resolve = Module._resolveFilename;
const standInPath = require.resolve('./vscodeStandIn');
Module._resolveFilename = function (request: string, ...rest: unknown[]) {
  return request === 'vscode' ? standInPath : resolve.call(this, request, ...rest);
};

interface ExtensionModule {
  activate(context: unknown): unknown;
  deactivate(): Promise<void>;
}

async function main(): Promise<void> {
  const [bundleDir, workspaceFolder] = process.argv.slice(2);
  if (!bundleDir || !workspaceFolder) throw new Error('usage: activationProbe <bundle dir> <workspace folder>');
  const extensionFile = path.resolve(bundleDir, 'extension.js');
  const engineFile = path.resolve(bundleDir, 'engine.js');
  const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'ccl-activation-'));
  standIn.openWorkspaceFolder(path.resolve(workspaceFolder));
  const packageJSON = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as unknown;
  const subscriptions: { dispose(): unknown }[] = [];
  const context = {
    subscriptions,
    storageUri: standIn.Uri.file(path.join(storage, 'workspace')),
    globalStorageUri: standIn.Uri.file(path.join(storage, 'global')),
    extensionUri: standIn.Uri.file(path.dirname(bundleDir)),
    extensionPath: path.dirname(bundleDir),
    extension: { packageJSON },
  };

  const t0 = performance.now();
  const extension = require(extensionFile) as ExtensionModule;
  const t1 = performance.now();
  extension.activate(context);
  const t2 = performance.now();
  const engineLoadedAtActivation = require.cache[engineFile] !== undefined;
  // What the first Start Peer / Launch / F5 pays on top of starting the peer.
  const t3 = performance.now();
  require(engineFile);
  const engineLoadMs = performance.now() - t3;

  await extension.deactivate();
  for (const d of subscriptions.reverse()) d.dispose();
  fs.rmSync(storage, { recursive: true, force: true });
  process.stdout.write(`${JSON.stringify({ codeLoadMs: t1 - t0, activateCallMs: t2 - t1, engineLoadedAtActivation, engineLoadMs })}\n`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`activation probe failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
