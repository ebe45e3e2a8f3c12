// Headless Debian chromium driven by playwright-core (a fresh profile, no sandbox, no GPU), plus the
// flag-file channel through which the in-host tests ask the browser for screenshots and key presses.
const { chromium } = require('playwright-core');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

async function withPage(fn) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'chaincode-e2e-chrome-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ARGS,
    viewport: { width: 1440, height: 900 },
  });
  try {
    return await fn(ctx.pages()[0] || (await ctx.newPage()));
  } finally {
    await ctx.close().catch(() => undefined);
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

/**
 * The workbench URL: with `extDir`, loading our extension in development mode from that folder (and
 * optionally its tests); without, only what is installed in code-server's extensions folder.
 */
function workbenchUrl(csUrl, workspace, extDir, testsEntry) {
  if (!extDir) return `${csUrl}/?folder=${encodeURIComponent(workspace)}`;
  const auth = new URL(csUrl).host;
  const payload = [['extensionDevelopmentPath', `vscode-remote://${auth}${extDir}`]];
  if (testsEntry) payload.push(['extensionTestsPath', `vscode-remote://${auth}${testsEntry}`]);
  return `${csUrl}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/**
 * Watches `flagDir` for requests written by test/vscode-host/support.ts:
 *   { shot: 'name' }                       → screenshot to shotDir/name.png
 *   { key: 'F5', waitStatus?, idle? }       → press a key in the page (after waiting for the idle UI)
 * and answers each with `<file>.done` so the test knows the browser has acted.
 */
function serveFlags(page, flagDir, shotDir) {
  const seen = new Set();
  let busy = false;
  const shots = [];
  const tick = async () => {
    if (busy || !fs.existsSync(flagDir)) return;
    busy = true;
    try {
      for (const f of fs.readdirSync(flagDir).sort()) {
        if (f.endsWith('.done') || f.endsWith('.tmp') || seen.has(f)) continue;
        let req;
        try {
          req = JSON.parse(fs.readFileSync(path.join(flagDir, f), 'utf8'));
        } catch {
          continue; // being written; next tick
        }
        seen.add(f);
        let result = 'ok';
        try {
          if (req.key) {
            if (req.waitStatus) await page.locator('.part.statusbar', { hasText: req.waitStatus }).waitFor({ timeout: 15_000 });
            if (req.idle) await page.locator('.debug-toolbar').waitFor({ state: 'hidden', timeout: 15_000 });
            await page.keyboard.press(req.key);
          }
          if (req.shot) {
            await new Promise((r) => setTimeout(r, req.settleMs ?? 800)); // let the views render
            const file = path.join(shotDir, `${req.shot}.png`);
            await page.screenshot({ path: file });
            shots.push(file);
          }
        } catch (err) {
          result = `error: ${err.message}`;
          console.log(`[driver] ${f}: ${result}`);
        }
        fs.writeFileSync(path.join(flagDir, `${f}.done`), result);
      }
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void tick(), 150);
  return { shots, dispose: () => clearInterval(timer) };
}

module.exports = { withPage, workbenchUrl, serveFlags };
