/**
 * The in-extension-host suite's entry: VS Code (code-server) loads this module through
 * `extensionTestsPath` and awaits `run()`. It runs every `*.test.js` beside it with mocha and writes
 * `{ passes, failures, tests }` to $EXT_TEST_RESULTS for the driver (scripts/e2e/run.js).
 */
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const grep = process.env.E2E_GREP;
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec', ...(grep ? { grep } : {}) });
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort();
  for (const f of files) mocha.addFile(path.join(__dirname, f));
  return new Promise((resolve, reject) => {
    const failed: string[] = [];
    const runner = mocha.run((failures) => {
      const out = process.env.EXT_TEST_RESULTS;
      if (out) {
        fs.writeFileSync(out, JSON.stringify({ passes: runner.stats?.passes ?? 0, failures, pending: runner.stats?.pending ?? 0, failed, at: new Date().toISOString() }));
      }
      if (failures > 0) reject(new Error(`${failures} tests failed.`));
      else resolve();
    });
    runner.on('fail', (test) => failed.push(test.fullTitle()));
  });
}
