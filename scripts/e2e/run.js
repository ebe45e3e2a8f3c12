// `npm run test:e2e`: the editor's end-to-end tests in a real VS Code (code-server 4.100.3, VS Code
// 1.100.3) driven through Debian's chromium with playwright-core (installed by .ci/vscode-e2e.sh):
//   1. the in-extension-host mocha suite (out/test/vscode-host) against the real engine, with the
//      extension loaded from this folder (extensionDevelopmentPath: the tests need its out/);
//   2. a UI check in the browser (scripts/e2e/uiCheck.js), as a person would use the extension,
//      against the .vsix installed into code-server (`--install-extension`): what users install.
// The .vsix is $E2E_VSIX when set (CI passes the one `npm run package` made), else packaged here
// (scripts/package.js). Screenshots go to test-results/ (git-ignored). Ends with `N passed, N failed`.
// Needs `npm run build` (the npm script runs it); installs code-server and chromium through
// .ci/vscode-e2e.sh when they are missing.
//   E2E_ONLY=host|ui   run one half;  E2E_GREP=pattern   filter the host suite;  E2E_KEEP=1 keep the run dir
const { spawnSync, execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { startCodeServer } = require('./codeServer');
const { withPage, workbenchUrl, serveFlags } = require('./browser');
const { prepareWorkspace } = require('./workspace');
const { uiCheck } = require('./uiCheck');

const REPO = path.join(__dirname, '..', '..');
const E2E = path.join(REPO, '.vscode-e2e');
const CODE_SERVER = path.join(E2E, 'tools', 'node_modules', '.bin', 'code-server');
const RESULTS_DIR = path.join(REPO, 'test-results');
const HOST_TIMEOUT_MS = +(process.env.E2E_HOST_TIMEOUT_MS || 600_000);

function ensureTools() {
  if (fs.existsSync(CODE_SERVER) && fs.existsSync(path.join(E2E, 'tools', '.complete')) && fs.existsSync('/usr/bin/chromium')) return;
  const r = spawnSync('bash', [path.join(REPO, '.ci', 'vscode-e2e.sh')], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('.ci/vscode-e2e.sh failed');
}

function dockerAnswers() {
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

/**
 * Go finds its caches from HOME, and code-server gets a fresh one: the Go toolchain the extension
 * runs (Delve's build of a Go chaincode, `go run`) uses this machine's module and build caches and
 * settings instead, as in a developer's own editor (no downloads, no cold compile in the tests).
 */
function goEnv() {
  try {
    const out = execFileSync('go', ['env', '-json', 'GOPATH', 'GOCACHE', 'GOMODCACHE', 'GOENV'], { encoding: 'utf8', timeout: 30_000 });
    return Object.fromEntries(Object.entries(JSON.parse(out)).filter(([, v]) => typeof v === 'string' && v !== '' && v !== 'off'));
  } catch {
    return {}; // no Go here: the Go tests say so
  }
}

function ensureBuilt() {
  const f = 'out/test/vscode-host/index.js';
  if (!fs.existsSync(path.join(REPO, f))) throw new Error(`${f} is missing: run \`npm run build\` first`);
}

function run(what, args) {
  const r = spawnSync(process.execPath, args, { cwd: REPO, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status ?? r.signal})`);
}

/**
 * The .vsix the UI check installs, and the bundles in dist/ the host suite loads: packaging writes
 * the production bundles there; with a given .vsix (or no UI check), dist/ is bundled afresh from the
 * sources instead.
 */
function preparePackages(runDir, phases) {
  const given = process.env.E2E_VSIX;
  let vsix;
  if (phases.includes('ui')) {
    if (given) {
      vsix = path.resolve(given);
      if (!fs.existsSync(vsix)) throw new Error(`E2E_VSIX=${given} does not exist`);
    } else {
      vsix = path.join(runDir, 'chaincode-launcher.vsix');
      run('npm run package', [path.join(REPO, 'scripts', 'package.js'), '--out', vsix]);
    }
  }
  if (phases.includes('host') && (!vsix || given)) run('the bundle', [path.join(REPO, 'scripts', 'bundle.js')]);
  return vsix;
}

async function hostSuite(cs, ws, runDir) {
  const results = path.join(runDir, 'host-results.json');
  const flagDir = path.join(runDir, 'flags');
  fs.mkdirSync(flagDir, { recursive: true });
  return withPage(async (page) => {
    let exit;
    const exited = new Promise((r) => (exit = r));
    await page.exposeFunction('codeAutomationExit', (code) => exit(code));
    await page.exposeFunction('codeAutomationLog', (_type, args) => console.log(...args));
    const flags = serveFlags(page, flagDir, RESULTS_DIR);
    const t0 = Date.now();
    await page.goto(workbenchUrl(cs.url, ws, REPO, path.join(REPO, 'out', 'test', 'vscode-host', 'index')));
    let timer;
    const code = await Promise.race([exited, new Promise((r) => (timer = setTimeout(() => r('timeout'), HOST_TIMEOUT_MS)))]);
    clearTimeout(timer);
    flags.dispose();
    await page.screenshot({ path: path.join(RESULTS_DIR, 'host-suite-end.png') }).catch(() => undefined);
    const r = fs.existsSync(results) ? JSON.parse(fs.readFileSync(results, 'utf8')) : null;
    console.log(
      `[e2e] extension-host suite: exit ${code} in ${((Date.now() - t0) / 1000).toFixed(1)} s; screenshots: ${flags.shots.map((s) => path.relative(REPO, s)).join(', ') || 'none'}`,
    );
    if (!r) return { passes: 0, failures: 1, failed: [`extension-host suite produced no results (exit ${code})`] };
    if (r.pending) console.log(`[e2e] extension-host suite: ${r.pending} test(s) skipped (the suite prints why, e.g. "[net] SKIPPED: …")`);
    if (code !== 0 && r.failures === 0) return { ...r, failures: 1, failed: [`extension-host suite exited ${code}`] };
    return r;
  });
}

async function main() {
  const t0 = Date.now();
  ensureTools();
  ensureBuilt();
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const runDir = path.join(E2E, 'run');
  fs.rmSync(runDir, { recursive: true, force: true });
  fs.mkdirSync(runDir, { recursive: true });
  const only = process.env.E2E_ONLY;
  const phases = ['host', 'ui'].filter((p) => !only || only === p);
  const vsix = preparePackages(runDir, phases);
  const ws = prepareWorkspace(REPO, path.join(runDir, 'ws'));
  const docker = dockerAnswers();
  const totals = { passes: 0, failures: 0, failed: [] };
  const add = (r) => {
    totals.passes += r.passes;
    totals.failures += r.failures;
    totals.failed.push(...(r.failed || []));
  };
  const settings = {
    'workbench.startupEditor': 'none',
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'remote.autoForwardPorts': false,
    'security.workspace.trust.enabled': false,
    'workbench.tips.enabled': false,
    'git.openRepositoryInParentFolders': 'never',
    'git.enabled': false,
    'chaincode.peer.port': 0,
    'chaincode.executeTimeout': 3,
  };
  for (const phase of phases) {
    // A fresh code-server (and user-data dir: breakpoints persist in workspace storage) per phase;
    // the UI check's has the .vsix installed and nothing loaded from this folder.
    const phaseDir = path.join(runDir, phase);
    const cs = await startCodeServer({
      bin: CODE_SERVER,
      runDir: phaseDir,
      workspace: ws,
      settings,
      vsix: phase === 'ui' ? vsix : undefined,
      // EXTENSIONS_GALLERY: the workbench would look extensions up on open-vsx.org; point it at a closed
      // loopback port instead (no traffic leaves the machine).
      env: {
        ...goEnv(),
        EXTENSIONS_GALLERY: JSON.stringify({ serviceUrl: 'http://127.0.0.1:9/gallery', itemUrl: 'http://127.0.0.1:9/item' }),
        EXT_TEST_RESULTS: path.join(phaseDir, 'host-results.json'),
        E2E_FLAG_DIR: path.join(phaseDir, 'flags'),
        E2E_DOCKER: docker ? '1' : '',
        E2E_RESULTS_DIR: RESULTS_DIR,
      },
    });
    const from = phase === 'ui' ? `${path.relative(REPO, vsix)} installed in ${cs.installedAt}` : `the development folder ${REPO}`;
    console.log(`[e2e] ${phase}: code-server ${cs.url} (pid ${cs.pid}), extension from ${from}, workspace ${ws}, docker ${docker ? 'yes' : 'no'}`);
    try {
      if (phase === 'host') add(await hostSuite(cs, ws, phaseDir));
      else add(await uiCheck({ csUrl: cs.url, ws, installedAt: cs.installedAt, resultsDir: RESULTS_DIR, docker }));
    } catch (err) {
      add({ passes: 0, failures: 1, failed: [`${phase}: ${err.stack || err.message}`] });
    } finally {
      cs.stop();
    }
  }
  if (!process.env.E2E_KEEP) fs.rmSync(path.join(runDir, 'ws'), { recursive: true, force: true });
  for (const f of totals.failed) console.log(`[e2e] FAILED: ${f}`);
  console.log(`[e2e] total ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  console.log(`${totals.passes} passed, ${totals.failures} failed`);
  process.exit(totals.failures ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  console.log('0 passed, 1 failed');
  process.exit(1);
});
