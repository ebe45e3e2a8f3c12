// The UI check: what a person sees. Opens the workbench with the extension installed from its .vsix
// (scripts/e2e/run.js installs it; nothing is loaded from the development folder) and, as a person would:
//   1. opens a chaincode file and presses F5 (no launch.json): the Chaincode configuration starts
//      with no "Select debugger" picker, and the chaincode shows ready and debugging;
//   2. opens the Chaincode sidebar and checks its six views;
//   3. runs Launch Chaincode from the palette with the default answers, up to the ready icon (the
//      installed extension loads its engine bundle and protos and starts the peer);
//   4. runs Invoke Transaction (CreateAsset, then InitLedger) and checks World State and Transactions;
//   5. reads the extension's activation time as VS Code recorded it (Developer: Show Running Extensions);
//   6. opens the installed extension's details and checks that the README's screenshots show.
// Screenshots go under test-results/.
const fs = require('fs');
const path = require('path');
const { withPage, workbenchUrl } = require('./browser');

const CCID = 'asset-transfer:1.0.0';
const DISPLAY_NAME = 'Chaincode Launcher';
/** The README's images (scripts/package.js inlines them into the packaged README). */
const README_IMAGES = (fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8').match(/!\[[^\]]*\]\([^)]+\)/g) ?? []).length;

/**
 * The images in the extension editor's README (a webview: nested frames), and whether each shows.
 * VS Code's webview allows only https: and data: images there; a relative one resolves against the
 * webview's own URL and stays broken.
 */
async function readmeImages(page) {
  const found = [];
  for (const frame of page.frames().filter((f) => f.url().includes('/webview/'))) {
    const imgs = await frame
      .evaluate(() => [...document.querySelectorAll('img')].map((i) => ({ alt: i.alt, src: i.src.slice(0, 40), shown: i.complete && i.naturalWidth > 0 })))
      .catch(() => []);
    found.push(...imgs.map((i) => ({ ...i, frame })));
  }
  return found;
}

async function uiCheck({ csUrl, ws, installedAt, resultsDir }) {
  if (!installedAt) throw new Error('the UI check runs against the installed .vsix: no installation given');
  const checks = [];
  let page;
  const check = async (name, fn) => {
    const t0 = Date.now();
    try {
      await fn();
      checks.push({ name, ok: true, ms: Date.now() - t0 });
    } catch (err) {
      checks.push({ name, ok: false, err, ms: Date.now() - t0 });
      if (page) await page.screenshot({ path: path.join(resultsDir, `ui-failed-${checks.length}.png`) }).catch(() => undefined);
      throw err;
    }
  };
  await withPage(async (p) => {
    page = p;
    await page.goto(workbenchUrl(csUrl, ws));
    await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    const sidebar = page.locator('.part.sidebar');
    const input = page.locator('.quick-input-widget input');
    const activity = page.locator('.activitybar [aria-label^="Chaincode"]').first();
    const shot = (name) => page.screenshot({ path: path.join(resultsDir, `${name}.png`) });
    const chaincodeRow = () => sidebar.locator('.monaco-list-row', { hasText: CCID }).first();
    const palette = async (command) => {
      await page.keyboard.press('F1');
      await input.waitFor({ state: 'visible' });
      await input.fill(`>${command}`);
      await page.locator('.quick-input-list .monaco-list-row', { hasText: command }).first().waitFor({ timeout: 15_000 });
      await page.keyboard.press('Enter');
    };
    /** Accepts the prompt that shows `title`, after typing `text` (default: accept the proposed value). */
    const answer = async (title, text) => {
      await page.locator('.quick-input-widget', { hasText: title }).waitFor({ state: 'visible', timeout: 15_000 });
      if (text !== undefined) await input.fill(text);
      await page.waitForTimeout(150);
      await page.keyboard.press('Enter');
    };
    /** Drags the sidebar's edge once, so the rows' descriptions show in the screenshots. */
    let widened = false;
    const widenSidebar = async () => {
      const box = await sidebar.boundingBox();
      if (widened || !box) return;
      widened = true;
      await page.mouse.move(box.x + box.width + 1, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width + 200, box.y + box.height / 2, { steps: 8 });
      await page.mouse.up();
    };
    /** Invoke Transaction from the palette: the function from the contract metadata, then its arguments. */
    const invoke = async (fn, args) => {
      await palette('Chaincode: Invoke Transaction');
      await page.locator('.quick-input-widget', { hasText: `Invoke Transaction: ${CCID}` }).waitFor({ state: 'visible', timeout: 15_000 });
      // the contract's functions, from its metadata (else the picker would ask for a typed name)
      await page.locator('.quick-input-list .monaco-list-row', { hasText: fn }).first().waitFor({ timeout: 15_000 });
      await input.fill(fn);
      await page.waitForTimeout(150);
      await page.keyboard.press('Enter');
      for (const v of args) await answer(fn, v);
      await answer(fn); // transient data: none
      await page.locator('.notifications-toasts', { hasText: `${fn} → 200` }).waitFor({ timeout: 30_000 });
    };

    await check('F5 in a chaincode file with no launch.json starts the Chaincode configuration, without the "Select debugger" picker', async () => {
      await page.locator('.part.statusbar').waitFor({ timeout: 30_000 });
      await page.waitForTimeout(1500); // let the workbench settle (an early key press can be lost)
      // Our status bar item exists once the extension is active; F5 must work before that too.
      const activeBefore = (await page.locator('.part.statusbar', { hasText: /Peer stopped|· \d+ ready/ }).count()) > 0;
      await page.keyboard.press('Control+P');
      await input.waitFor({ state: 'visible' });
      await input.fill('assetTransfer.js');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'assetTransfer.js' }).first().waitFor({ timeout: 15_000 });
      await page.keyboard.press('Enter');
      await page.locator('.tabs-container .tab', { hasText: 'assetTransfer.js' }).waitFor({ timeout: 15_000 });
      await page.locator('.part.editor .monaco-editor .view-lines').first().click();
      await page.waitForTimeout(500);
      await page.keyboard.press('F5');
      const pressedAt = Date.now();
      // Either our session starts (the debug toolbar) or VS Code asks which debugger (a quick pick).
      const until = Date.now() + 90_000;
      let outcome;
      while (!outcome && Date.now() < until) {
        if (await page.locator('.quick-input-widget').isVisible()) outcome = 'picker';
        else if (await page.locator('.debug-toolbar').isVisible()) outcome = 'session';
        else await page.waitForTimeout(100);
      }
      if (outcome === 'picker') {
        await shot('ui-01-f5-picker-shown');
        throw new Error(`F5 showed a picker: ${(await page.locator('.quick-input-widget').innerText()).slice(0, 200)}`);
      }
      if (!outcome) throw new Error('F5 started no debug session within 90 s');
      const f5At = Date.now();
      console.log(`[ui] F5 pressed with the extension ${activeBefore ? 'already active' : 'not yet active (F5 activated it)'}; debug toolbar after ${Date.now() - pressedAt} ms`);
      await activity.click();
      await widenSidebar();
      await chaincodeRow().locator('.codicon-pass-filled').waitFor({ timeout: 60_000 });
      console.log(`[ui] ${CCID} ready ${Date.now() - f5At} ms after the debug toolbar showed`);
      await sidebar.locator('.monaco-list-row', { hasText: 'debugging' }).first().waitFor({ timeout: 15_000 });
      await page.waitForTimeout(800);
      await shot('ui-01-f5-debugging-no-picker');
      await page.keyboard.press('Shift+F5');
      await page.locator('.debug-toolbar').waitFor({ state: 'hidden', timeout: 30_000 });
      await sidebar.locator('.monaco-list-row', { hasText: 'debugging' }).first().waitFor({ state: 'detached', timeout: 30_000 });
    });

    await check('the Chaincode activity-bar item opens the sidebar with its six views', async () => {
      await activity.waitFor({ timeout: 60_000 });
      if (!(await sidebar.locator('.pane-header', { hasText: 'Chaincodes' }).first().isVisible())) await activity.click();
      for (const title of ['Chaincodes', 'Containers', 'World State', 'Transactions', 'Blocks', 'Identities']) {
        await sidebar.locator('.pane-header', { hasText: title }).first().waitFor({ timeout: 15_000 });
      }
      await widenSidebar();
      await sidebar.locator('.welcome-view-content', { hasText: 'No chaincode is running' }).first().waitFor({ timeout: 15_000 });
      await shot('ui-02-sidebar');
    });

    await check('Launch Chaincode from the palette (defaults: dev mode, name and version from package.json) reaches the ready icon', async () => {
      await palette('Chaincode: Launch Chaincode');
      await answer('Launch Chaincode: mode');
      await answer('Launch Chaincode: name');
      await answer('Launch Chaincode: version');
      await chaincodeRow().locator('.codicon-pass-filled').waitFor({ timeout: 60_000 });
      await shot('ui-03-launched-ready');
    });

    await check('Invoke Transaction from the palette (CreateAsset, InitLedger; functions from the contract metadata) and the views show the writes', async () => {
      await invoke('CreateAsset', ['ui1', 'green', '7', 'Ana', '99']);
      await sidebar.locator('.monaco-list-row', { hasText: 'ui1' }).first().waitFor({ timeout: 15_000 });
      await sidebar.locator('.monaco-list-row', { hasText: 'CreateAsset(ui1, green' }).first().waitFor({ timeout: 15_000 });
      await invoke('InitLedger', []);
      for (const key of ['asset1', 'asset3']) await sidebar.locator('.monaco-list-row', { hasText: key }).first().waitFor({ timeout: 15_000 });
      await sidebar.locator('.monaco-list-row', { hasText: 'InitLedger(' }).first().waitFor({ timeout: 15_000 });
      // expand the chaincode row to show its handler, then move the focus off the sidebar so the
      // row's icon keeps its colour
      await chaincodeRow().click();
      await sidebar
        .locator('.monaco-list-row', { hasText: /Handler h\d+: ready/ })
        .first()
        .waitFor({ timeout: 5000 });
      await page.locator('.part.editor .monaco-editor .view-lines').last().click(); // the result document
      await palette('Notifications: Clear All Notifications');
      if (await page.locator('.part.panel').isVisible()) await palette('View: Hide Panel'); // the debug console of step 1
      await page.waitForTimeout(800);
      await shot('ui-04-invoked-views-populated');
    });

    await check("VS Code records the installed extension's activation time (Developer: Show Running Extensions)", async () => {
      await palette('Developer: Show Running Extensions');
      const row = page.locator('.part.editor .monaco-list-row', { hasText: DISPLAY_NAME }).first();
      const time = row.locator('.activation-time');
      await time.filter({ hasText: /Activation: \d+ms/ }).waitFor({ timeout: 15_000 });
      const text = await time.innerText();
      // VS Code's figure: "code loading" + the synchronous part of activate(). Its code loading also
      // spans an asynchronous step of VS Code's own before the require (the extension's localized
      // strings, a round trip to the workbench), so it grows when the workbench is busy, as it is
      // right after F5; the host suite prints the require alone (test/vscode-host/activationTime).
      console.log(`[ui] VS Code's Running Extensions: ${DISPLAY_NAME} ${text.trim()} (code loading, including VS Code's localization step, + activate call)`);
      await shot('ui-05-running-extensions');
      await page.keyboard.press('Control+W');
    });

    await check("the installed extension's details page shows the README with its screenshots", async () => {
      await page.keyboard.press('Control+Shift+X'); // View: Show Extensions
      await sidebar.locator('.monaco-list-row', { hasText: DISPLAY_NAME }).first().click();
      await page.locator('.extension-editor .header .name', { hasText: DISPLAY_NAME }).first().waitFor({ timeout: 15_000 });
      const until = Date.now() + 30_000;
      let images = [];
      while (Date.now() < until) {
        images = await readmeImages(page);
        if (images.length >= README_IMAGES && images.every((i) => i.shown)) break;
        await page.waitForTimeout(250);
      }
      await images[0]?.frame.evaluate(() => document.querySelector('img')?.scrollIntoView()).catch(() => undefined);
      await page.waitForTimeout(300);
      await shot('ui-06-installed-readme');
      const shown = images.filter((i) => i.shown).length;
      if (images.length < README_IMAGES || shown < images.length) {
        throw new Error(
          `the README shows ${shown} of ${images.length} images (expected ${README_IMAGES}): ${images.map((i) => `${i.alt} ${i.src}… ${i.shown ? 'shown' : 'broken'}`).join('; ')}`,
        );
      }
    });
  }).catch(() => undefined);
  for (const c of checks) console.log(`[ui] ${c.ok ? 'ok  ' : 'FAIL'} ${c.name} (${(c.ms / 1000).toFixed(1)} s)${c.ok ? '' : `: ${c.err.message}`}`);
  const failed = checks.filter((c) => !c.ok);
  if (checks.length === 0) return { passes: 0, failures: 1, failed: ['ui: the page never opened'] };
  return { passes: checks.length - failed.length, failures: failed.length, failed: failed.map((c) => `ui: ${c.name}: ${c.err.message}`) };
}

module.exports = { uiCheck };
