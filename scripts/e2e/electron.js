// `npm run test:electron`: the same in-extension-host suite in desktop VS Code through
// @vscode/test-electron, for machines that can download VS Code (it fetches VS Code 1.100.3 from
// Microsoft; not possible in CI here, where `npm run test:e2e` uses code-server instead).
// Needs a display (or xvfb-run). Prints `N passed, N failed` like the code-server driver.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { runTests } = require('@vscode/test-electron');
const { prepareWorkspace } = require('./workspace');

(async () => {
  const repo = path.join(__dirname, '..', '..');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'chaincode-electron-'));
  const ws = prepareWorkspace(repo, path.join(tmp, 'ws'));
  const results = path.join(tmp, 'results.json');
  let code = 0;
  try {
    await runTests({
      version: '1.100.3',
      extensionDevelopmentPath: repo,
      extensionTestsPath: path.join(repo, 'out', 'test', 'vscode-host', 'index'),
      launchArgs: [ws, '--disable-extensions', '--user-data-dir', path.join(tmp, 'ud')],
      extensionTestsEnv: { EXT_TEST_RESULTS: results },
    });
  } catch (err) {
    console.error(err.message || err);
    code = 1;
  }
  const r = fs.existsSync(results) ? JSON.parse(fs.readFileSync(results, 'utf8')) : { passes: 0, failures: 1 };
  console.log(`${r.passes} passed, ${r.failures || code} failed`);
  process.exit(code || r.failures ? 1 : 0);
})();
