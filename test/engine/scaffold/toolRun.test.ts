/**
 * Running an install tool: its output line by line, its failure carrying the last lines, a missing
 * tool named, and a cancel that ends the tool and everything it started.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ToolCancelledError, ToolFailedError } from '../../../src/engine/scaffold';
import { runTool } from '../../../src/engine/scaffold/toolRun';
import { isAlive } from '../../../src/engine/util/processes';

const node = (script: string) => ({ command: process.execPath, args: ['-e', script] });

async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end && !check()) await new Promise((r) => setTimeout(r, 50));
  return check();
}

describe('running an install tool', () => {
  test('reports each output line as it comes, without colour codes or progress redraws', async () => {
    const lines: string[] = [];
    await runTool(node('console.log("one\\n\\x1b[1mtwo\\x1b[0m"); console.error("a\\rprogress 50%\\rthree"); process.stdout.write("last")'), process.cwd(), {
      onLine: (l) => lines.push(`${l.stream}:${l.line}`),
    });
    assert.deepEqual(lines.sort(), ['stderr:three', 'stdout:last', 'stdout:one', 'stdout:two']);
  });

  test('a failure carries the exit code and the last 20 output lines', async () => {
    const err = await runTool(node('for (let i = 1; i <= 30; i++) console.log("line " + i); process.exit(3)'), process.cwd()).then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(err instanceof ToolFailedError, String(err));
    assert.equal(err.exitCode, 3);
    assert.deepEqual(
      err.lastLines,
      Array.from({ length: 20 }, (_, i) => `line ${i + 11}`),
    );
    assert.match(err.message, /failed in .* \(exit code 3\); its last output lines:\nline 11\n/);
  });

  test('a tool that is not installed is named', async () => {
    await assert.rejects(
      runTool({ command: 'no-such-tool-here', args: ['install'] }, process.cwd()),
      (err: Error) => err instanceof ToolFailedError && /no-such-tool-here was not found on PATH/.test(err.message),
    );
  });

  test('aborting ends the tool and the processes it started, and rejects as cancelled', async () => {
    const lines: string[] = [];
    const abort = new AbortController();
    // A tool that starts a child of its own (as npm and Maven do) and prints its pid.
    const running = runTool({ command: 'sh', args: ['-c', 'sleep 600 & echo child $!; wait'] }, process.cwd(), { signal: abort.signal, onLine: (l) => lines.push(l.line) });
    assert.ok(await until(() => lines.some((l) => /^child \d+$/.test(l)), 5000), lines.join('\n'));
    const child = Number(/^child (\d+)$/.exec(lines.find((l) => l.startsWith('child ')) ?? '')?.[1]);
    abort.abort();
    await assert.rejects(running, (err: Error) => err instanceof ToolCancelledError && /was cancelled/.test(err.message));
    assert.ok(await until(() => !isAlive(child), 5000), "the tool's own child was stopped too");
    const again = new AbortController();
    again.abort();
    await assert.rejects(runTool(node(''), process.cwd(), { signal: again.signal }), ToolCancelledError);
  });
});
