/**
 * `chaincode-launcher new` as a person uses it from a terminal: the real binary writes a Node
 * contract project and installs it from npm's cache, then `launch` runs its transactions; bad input
 * exits 2 and writes nothing.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseNewCommand } from '../../src/cli/newCommand';
import { UsageError } from '../../src/cli/options';

const REPO = path.resolve(__dirname, '..', '..', '..');
const CLI = path.join(REPO, 'out', 'src', 'cli', 'main.js');

interface CliRun {
  readonly code: number | null;
  readonly stderr: string;
  /** The JSON lines of stdout. */
  readonly json: Record<string, unknown>[];
}

/** Runs the CLI without blocking the test runner (npm install runs inside it). */
function cli(args: string[], timeoutMs = 180_000): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) =>
      resolve({
        code,
        stderr,
        json: stdout
          .split('\n')
          .filter((l) => l.startsWith('{'))
          .map((l) => JSON.parse(l) as Record<string, unknown>),
      }),
    );
  });
}

describe('chaincode-launcher new', () => {
  test('writes a Node contract project, installs it, and `launch` runs its create and read transactions', { timeout: 240_000 }, async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-new-'));
    try {
      const folder = path.join(root, 'my-assets');
      const created = await cli(['new', folder, '--lang', 'node']);
      assert.equal(created.code, 0, created.stderr);
      assert.equal(created.json.length, 1, 'one JSON line on stdout');
      assert.deepEqual({ ...created.json[0], files: undefined }, { folder, language: 'node', name: 'my-assets', files: undefined, installed: true });
      assert.match(created.stderr, /\[install\] npm install/);
      assert.ok(fs.existsSync(path.join(folder, 'node_modules', 'fabric-contract-api')));
      const run = await cli(
        ['launch', folder, '--port', '0', '--data-dir', path.join(root, 'peer'), '--once', '--tx', 'CreateAsset asset1 blue 5 Tomoko 300', '--tx', 'ReadAsset asset1'],
        90_000,
      );
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(
        run.json.map((r) => r.status),
        [200, 200],
      );
      assert.deepEqual(run.json[1].json, { ID: 'asset1', Color: 'blue', Size: 5, Owner: 'Tomoko', AppraisedValue: 300 });
      assert.match(run.stderr, /my-assets:1\.0\.0 is ready/);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  test('--no-install writes the project only and says how to install it', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-new-'));
    try {
      const r = await cli(['new', path.join(root, 'gocc'), '--lang', 'go', '--name', 'go_assets', '--no-install']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.json[0].installed, false);
      assert.equal(r.json[0].name, 'go_assets');
      assert.ok((r.json[0].files as string[]).includes('go.sum'));
      assert.match(r.stderr, /install its dependencies first, in .*gocc: go mod download && go build/);
      assert.match(fs.readFileSync(path.join(root, 'gocc', 'go.mod'), 'utf8'), /^module go_assets$/m);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  test('bad input exits 2 with the reason and writes nothing', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-new-'));
    try {
      const badLang = await cli(['new', path.join(root, 'a'), '--lang', 'cobol']);
      assert.equal(badLang.code, 2);
      assert.match(badLang.stderr, /--lang must be one of node, typescript, go, java, got cobol/);
      assert.match(badLang.stderr, /Usage:/);
      const badName = await cli(['new', path.join(root, 'b'), '--lang', 'node', '--name', 'my.cc']);
      assert.equal(badName.code, 2);
      assert.match(badName.stderr, /"my\.cc" is not a valid chaincode name/);
      fs.mkdirSync(path.join(root, 'full'));
      fs.writeFileSync(path.join(root, 'full', 'index.js'), '// mine');
      const full = await cli(['new', path.join(root, 'full'), '--lang', 'typescript']);
      assert.equal(full.code, 2);
      assert.match(full.stderr, /is not empty \(it holds index\.js\)/);
      assert.deepEqual(fs.readdirSync(root).sort(), ['full']);
      assert.deepEqual(fs.readdirSync(path.join(root, 'full')), ['index.js']);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  test('parses its arguments', () => {
    assert.deepEqual(parseNewCommand(['x', '--lang', 'java', '--name', 'n', '--no-install']), { folder: 'x', language: 'java', name: 'n', install: false });
    assert.equal(parseNewCommand(['--help']), 'help');
    assert.throws(
      () => parseNewCommand(['--lang', 'go']),
      (e: Error) => e instanceof UsageError && /needs a folder/.test(e.message),
    );
    assert.throws(() => parseNewCommand(['x']), /needs --lang/);
    assert.throws(() => parseNewCommand(['x', 'y', '--lang', 'go']), /one folder/);
    assert.throws(() => parseNewCommand(['x', '--lang', 'go', '--port', '1']), UsageError);
  });
});
