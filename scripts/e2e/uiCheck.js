// The UI check: what a person sees. Opens the workbench with the extension, opens the Chaincode
// sidebar and checks its views, saving screenshots under test-results/.
const path = require('path');
const { withPage, workbenchUrl } = require('./browser');

async function uiCheck({ csUrl, ws, repo, resultsDir }) {
  const checks = [];
  const check = async (name, fn) => {
    try {
      await fn();
      checks.push({ name, ok: true });
    } catch (err) {
      checks.push({ name, ok: false, err });
      throw err;
    }
  };
  await withPage(async (page) => {
    await page.goto(workbenchUrl(csUrl, ws, repo));
    await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    const activity = page.locator('.activitybar [aria-label^="Chaincode"]').first();
    await check('the Chaincode activity-bar item appears and opens the sidebar with its four views', async () => {
      await activity.waitFor({ timeout: 60_000 });
      await activity.click();
      const sidebar = page.locator('.part.sidebar');
      for (const title of ['Chaincodes', 'Containers', 'World State', 'Transactions']) {
        await sidebar.locator('.pane-header', { hasText: title }).first().waitFor({ timeout: 15_000 });
      }
      await sidebar.locator('.welcome-view-content', { hasText: 'No chaincode is running' }).first().waitFor({ timeout: 15_000 });
      await page.screenshot({ path: path.join(resultsDir, 'ui-01-sidebar.png') });
    });
    const sidebar = page.locator('.part.sidebar');
    const input = page.locator('.quick-input-widget input');
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
    await check('Launch Chaincode from the palette (defaults: dev mode, name and version from package.json) reaches the ready icon', async () => {
      await palette('Chaincode: Launch Chaincode');
      await answer('Launch Chaincode: mode');
      await answer('Launch Chaincode: name');
      await answer('Launch Chaincode: version');
      const row = sidebar.locator('.monaco-list-row', { hasText: 'asset-transfer:1.0.0' }).first();
      await row.locator('.codicon-pass-filled').waitFor({ timeout: 60_000 });
      await page.screenshot({ path: path.join(resultsDir, 'ui-02-launched-ready.png') });
    });
    await check('Invoke Transaction from the palette runs CreateAsset and the views show its write', async () => {
      await palette('Chaincode: Invoke Transaction');
      // functions come from the contract metadata when it answers, else the name is typed
      const picker = page.locator('.quick-input-widget', { hasText: 'Function' });
      await picker.waitFor({ state: 'visible', timeout: 15_000 });
      const fromMetadata = await page.locator('.quick-input-list .monaco-list-row', { hasText: 'CreateAsset' }).count();
      if (fromMetadata) {
        await input.fill('CreateAsset');
        await page.keyboard.press('Enter');
        for (const v of ['ui1', 'green', '7', 'Ana', '99']) await answer('CreateAsset', v);
      } else {
        await input.fill('CreateAsset');
        await page.keyboard.press('Enter');
        await answer('CreateAsset', 'ui1 green 7 Ana 99');
      }
      await answer('CreateAsset'); // transient data: none
      await page.locator('.notifications-toasts', { hasText: 'CreateAsset → 200' }).waitFor({ timeout: 30_000 });
      await sidebar.locator('.monaco-list-row', { hasText: 'ui1' }).first().waitFor({ timeout: 15_000 });
      await sidebar.locator('.monaco-list-row', { hasText: 'CreateAsset(ui1, green' }).first().waitFor({ timeout: 15_000 });
      // expand the chaincode row to show its handler
      await sidebar.locator('.monaco-list-row', { hasText: 'asset-transfer:1.0.0' }).first().click();
      await page.waitForTimeout(800);
      await page.screenshot({ path: path.join(resultsDir, 'ui-03-invoked-views-populated.png') });
    });
  }).catch(() => undefined);
  for (const c of checks) console.log(`[ui] ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}${c.ok ? '' : `: ${c.err.message}`}`);
  const failed = checks.filter((c) => !c.ok);
  if (checks.length === 0) return { passes: 0, failures: 1, failed: ['ui: the page never opened'] };
  return { passes: checks.length - failed.length, failures: failed.length, failed: failed.map((c) => `ui: ${c.name}: ${c.err.message}`) };
}

module.exports = { uiCheck };
