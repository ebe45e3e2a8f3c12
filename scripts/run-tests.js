// Runs the compiled test files (out/test/**/*.test.js) with Node's built-in test runner.
// `node scripts/run-tests.js [subfolder…]` limits the run to out/test/<subfolder>.
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..', 'out', 'test');
const only = process.argv.slice(2);

function collect(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'vscode-host' ? [] : collect(full);
    return entry.name.endsWith('.test.js') ? [full] : [];
  });
}

const dirs = only.length ? only.map((d) => path.join(root, d)) : [root];
const files = dirs.flatMap(collect).sort();
if (files.length === 0) {
  console.error('no test files found under', dirs.join(', '));
  process.exit(1);
}
const concurrency = process.env.TEST_CONCURRENCY || '2';
const result = spawnSync(
  process.execPath,
  ['--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
