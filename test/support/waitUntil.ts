/**
 * Waiting for a state instead of for a while: a test that sleeps a fixed time and then asserts
 * assumes an idle machine; on a loaded one (CI: 2 cores, two test files at once) the state comes
 * later. Bounded, so a state that never comes fails with what was awaited instead of hanging.
 */
export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string, pollMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
