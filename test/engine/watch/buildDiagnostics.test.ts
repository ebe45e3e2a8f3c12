/** tsc's diagnostics read off its output (`--pretty false`, as it prints when its output is a pipe). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'path';
import { diagnosticText, parseDiagnostics } from '../../../src/engine/watch/buildDiagnostics';

describe('build diagnostics', () => {
  test('reads located and global diagnostics, message chains, and skips everything else', () => {
    const cwd = path.join(path.sep, 'work', 'cc');
    const lines = [
      '',
      '> cc@1.0.0 build',
      '> tsc',
      '',
      'src/assetContract.ts(28,35): error TS1109: Expression expected.',
      "src/index.ts(3,7): error TS2322: Type 'string' is not assignable to type 'number'.",
      "  Types of property 'x' are incompatible.",
      "    Type 'string' is not assignable to type 'number'.",
      "error TS5083: Cannot read file '/work/cc/tsconfig.base.json'.",
      "lib/old.ts(1,1): warning TS6385: 'x' is deprecated.",
      '7:24:36 AM - Found 3 errors. Watching for file changes.',
    ];
    const found = parseDiagnostics(lines, cwd);
    assert.deepEqual(found, [
      { file: path.join(cwd, 'src', 'assetContract.ts'), line: 28, column: 35, severity: 'error', code: 'TS1109', message: 'Expression expected.' },
      {
        file: path.join(cwd, 'src', 'index.ts'),
        line: 3,
        column: 7,
        severity: 'error',
        code: 'TS2322',
        message: "Type 'string' is not assignable to type 'number'.\nTypes of property 'x' are incompatible.\nType 'string' is not assignable to type 'number'.",
      },
      { severity: 'error', code: 'TS5083', message: "Cannot read file '/work/cc/tsconfig.base.json'." },
      { file: path.join(cwd, 'lib', 'old.ts'), line: 1, column: 1, severity: 'warning', code: 'TS6385', message: "'x' is deprecated." },
    ]);
    assert.equal(diagnosticText(found[0], cwd), 'src/assetContract.ts:28:35 - error TS1109: Expression expected.');
    assert.equal(diagnosticText(found[2], cwd), "error TS5083: Cannot read file '/work/cc/tsconfig.base.json'.");
  });
});
