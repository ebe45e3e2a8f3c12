/**
 * The command palette offers only commands that work from it: one that acts on a tree row and has
 * no picker of its own (Re-run Transaction, Open Key) is hidden there (`when: false`), since run from
 * the palette it could only fail.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { describe, it } from 'node:test';

const REPO = path.resolve(__dirname, '..', '..', '..');

interface Manifest {
  contributes: {
    commands: { command: string }[];
    menus: { commandPalette: { command: string; when?: string }[]; 'view/item/context': { command: string }[] };
  };
}

/** Commands whose handler needs the row they were run on (viewCommands.ts: rerunTransaction, openStateKey). */
const NEED_A_ROW = ['chaincode.rerunTransaction', 'chaincode.openStateKey'];

describe('command palette', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as Manifest;
  const hidden = new Set(manifest.contributes.menus.commandPalette.filter((m) => m.when === 'false').map((m) => m.command));

  it('hides the commands that need a tree row', () => {
    for (const id of NEED_A_ROW) {
      assert.ok(
        manifest.contributes.commands.some((c) => c.command === id),
        `${id} is contributed`,
      );
      assert.ok(
        manifest.contributes.menus['view/item/context'].some((m) => m.command === id),
        `${id} is on a row's menu`,
      );
      assert.ok(hidden.has(id), `${id} is hidden from the palette`);
    }
  });
});
