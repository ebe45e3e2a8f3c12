/**
 * The activation time VS Code's extension host records for this extension (loaded from the
 * development folder, whose dist/ holds the bundles the e2e run just packaged): the performance marks
 * it sets around loading the extension's main module and around calling `activate`. Printed for the
 * record, next to the bench's `activationMs` (bench/activation.ts); on a shared machine a timing is no
 * assertion.
 */
import * as assert from 'assert';
import { EXTENSION_ID, extensionApi } from './support';

interface PerformanceMarks {
  getMarks(): { name: string; startTime: number }[];
}

describe('activation time', () => {
  it('VS Code marks loading the bundle and calling activate (figures printed)', async function () {
    await extensionApi();
    const marks = (globalThis as { MonacoPerformanceMarks?: PerformanceMarks }).MonacoPerformanceMarks?.getMarks();
    if (!marks) this.skip(); // a VS Code without the extension host's performance marks
    const at = (step: string): number => {
      const mark = marks.find((m) => m.name === `code/extHost/${step}/${EXTENSION_ID}`);
      assert.ok(mark, `VS Code's mark code/extHost/${step}/${EXTENSION_ID}`);
      return mark.startTime;
    };
    const loadMs = at('didLoadExtensionCode') - at('willLoadExtensionCode');
    const activateMs = at('didActivateExtension') - at('willActivateExtension');
    assert.ok(loadMs >= 0 && activateMs >= 0, 'the marks are in order');
    console.log(`[activation] VS Code's extension host: loading dist/extension.js ${loadMs} ms, activate() ${activateMs} ms (Date.now() marks, 1 ms resolution)`);
  });
});
