// `npm test`: every test. First the house style (`npm run lint`: ESLint and Prettier, counted as one
// check, so a violation fails the run); then the engine, CLI and editor unit tests under Node's
// built-in test runner (out/test/**/*.test.js); then the editor's end-to-end tests in a real VS Code
// (scripts/e2e/run.js: code-server + chromium; it packages the .vsix, or takes $E2E_VSIX, and
// UI-tests it installed). Ends with one line `N passed, N failed, N skipped`.
//   node scripts/run-tests.js [subfolder|file…]   only out/test/<subfolder> (or <file>.test.js), no lint, no e2e
//   SKIP_E2E=1                               no e2e (never in CI)
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const repo = path.join(__dirname, '..');
const root = path.join(repo, 'out', 'test');
const only = process.argv.slice(2);

function collect(dir) {
  if (!fs.existsSync(dir)) return [];
  if (dir.endsWith('.test.js') && fs.statSync(dir).isFile()) return [dir];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'vscode-host' || entry.name === 'fixtures' ? [] : collect(full);
    return entry.name.endsWith('.test.js') ? [full] : [];
  });
}

function count(tap, name) {
  const m = new RegExp(`^# ${name} (\\d+)$`, 'm').exec(tap);
  return m ? Number(m[1]) : 0;
}

function lint() {
  if (only.length) return null;
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['run', '--silent', 'lint'], { cwd: repo, stdio: 'inherit' });
  const ok = r.status === 0;
  console.log(ok ? 'lint: ESLint and Prettier found nothing to change' : "lint: failed (see above; `npm run format` applies Prettier's layout)");
  return { passed: ok ? 1 : 0, failed: ok ? 0 : 1, skipped: 0 };
}

async function unitTests() {
  const dirs = only.length ? only.map((d) => path.join(root, d)) : [root];
  const files = dirs.flatMap(collect).sort();
  if (files.length === 0) {
    console.error('no test files found under', dirs.join(', '));
    return { passed: 0, failed: 1, skipped: 0 };
  }
  const tapFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cc-tests-')), 'results.tap');
  const args = [
    '--test',
    `--test-concurrency=${process.env.TEST_CONCURRENCY || '2'}`,
    // A test (or hook) that hangs fails with its name after 10 minutes instead of holding CI until its
    // own limit; the slowest test (a Go chaincode built in an image, cold) takes about 2.
    '--test-timeout=600000',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tapFile}`,
    ...files,
  ];
  const code = await new Promise((resolve) => spawn(process.execPath, args, { stdio: 'inherit' }).on('exit', (c) => resolve(c ?? 1)));
  const tap = fs.existsSync(tapFile) ? fs.readFileSync(tapFile, 'utf8') : '';
  const result = { passed: count(tap, 'pass'), failed: count(tap, 'fail') + count(tap, 'cancelled'), skipped: count(tap, 'skipped') };
  if (code !== 0 && result.failed === 0) result.failed = 1; // the runner itself failed
  return result;
}

function e2eTests() {
  if (only.length) return null;
  if (process.env.SKIP_E2E === '1' && process.env.CI !== 'true') {
    console.log('editor end-to-end tests: not run (SKIP_E2E=1)');
    return null;
  }
  const r = spawnSync(process.execPath, [path.join(repo, 'scripts', 'e2e', 'run.js')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 });
  process.stdout.write(r.stdout ?? '');
  const m = /^(\d+) passed, (\d+) failed/m.exec([...(r.stdout ?? '').split('\n')].reverse().join('\n'));
  const result = m ? { passed: Number(m[1]), failed: Number(m[2]), skipped: 0 } : { passed: 0, failed: 1, skipped: 0 };
  if (r.status !== 0 && result.failed === 0) result.failed = 1;
  return result;
}

(async () => {
  const style = lint();
  const unit = await unitTests();
  const e2e = e2eTests();
  const total = [style, unit, e2e].filter(Boolean).reduce((a, b) => ({ passed: a.passed + b.passed, failed: a.failed + b.failed, skipped: a.skipped + b.skipped }));
  console.log(
    `\n${style ? `lint: ${style.failed ? 'failed' : 'passed'}; ` : ''}engine/CLI/unit: ${unit.passed} passed, ${unit.failed} failed, ${unit.skipped} skipped` +
      (e2e ? `; editor e2e: ${e2e.passed} passed, ${e2e.failed} failed` : ''),
  );
  console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
  process.exit(total.failed ? 1 : 0);
})();
