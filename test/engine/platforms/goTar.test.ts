/**
 * The lifecycle packages' tar layers, byte for byte against Go's archive/tar (the writer Fabric's
 * `peer` uses) given the same headers, through a small Go program (test/fixtures/go/tarwriter).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, test } from 'node:test';
import { goTar, type GoTarEntry } from '../../../src/engine/platforms/goTar';
import { fixtureSkip, repoRoot, requireFixture } from '../../support/toolchains';
import { goToolchain, readTar } from './helpers';

const go = goToolchain('the reference tar writer is a Go program');

/** What Go's archive/tar writes for these entries (headers built as Fabric builds them). */
function goReference(entries: readonly GoTarEntry[]): Buffer {
  const input = entries.map((e) => ({
    name: e.name,
    mode: e.mode,
    uid: e.uid ?? 0,
    gid: e.gid ?? 0,
    dir: e.type === 'directory',
    body: (e.body ?? Buffer.alloc(0)).toString('base64'),
  }));
  return execFileSync(requireFixture(go), ['run', '.'], {
    cwd: path.join(repoRoot(), 'test', 'fixtures', 'go', 'tarwriter'),
    input: JSON.stringify(input),
    env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '', GOWORK: 'off' },
    maxBuffer: 1 << 24,
  });
}

const file = (name: string, body: string, owner = 500): GoTarEntry => ({ name, mode: 0o100644, uid: owner, gid: owner, body: Buffer.from(body) });

const CASES: Record<string, GoTarEntry[]> = {
  "the lifecycle package's two bare entries (package.go writeBytesToPackage)": [
    { name: 'metadata.json', mode: 0o100644, body: Buffer.from('{"path":"cc","type":"node","label":"cc_1"}') },
    { name: 'code.tar.gz', mode: 0o100644, body: Buffer.alloc(1500, 7) },
  ],
  "a platform's files and folders (WriteFileToPackage; the Go platform's folder entries)": [
    { name: 'src/', type: 'directory', mode: 0o100755, uid: 500, gid: 500 },
    { name: 'src/lib/', type: 'directory', mode: 0o100755, uid: 500, gid: 500 },
    file('META-INF/statedb/couchdb/indexes/owner.json', '{"index":{"fields":["owner"]}}'),
    file('src/empty.txt', ''),
    file('src/block.bin', 'x'.repeat(512)),
    file('src/lib/util.js', 'module.exports = 1;\n'),
  ],
  'names of exactly 100 bytes, and longer ones split into the USTAR prefix': [
    file(`src/${'a'.repeat(96)}`, '1'),
    file(`src/${'d'.repeat(120)}/${'f'.repeat(90)}.go`, '2'),
    { name: `src/${'d'.repeat(140)}/`, type: 'directory', mode: 0o100755, uid: 500, gid: 500 },
  ],
  'names USTAR cannot hold go through a PAX path record': [
    file(`src/${'n'.repeat(120)}.js`, 'no slash to split at'),
    file(`src/${'p'.repeat(160)}/x.js`, 'prefix too long'),
    file('src/café/menu.txt', 'not ASCII'),
    file(`src/${'é'.repeat(60)}`, 'not ASCII and cut'),
  ],
};

describe('goTar: what Go archive/tar writes', () => {
  test('every entry reads back with its name, mode (type bits kept), owner, zero mtime and content', async () => {
    const entries = Object.values(CASES).flat();
    const { entries: read } = await readTar(Readable.from([goTar(entries)]));
    assert.deepEqual(
      read.map((e) => [e.name, e.mode, e.uid, e.gid, e.mtime, e.body.toString('base64')]),
      entries.map((e) => [e.name.replace(/\/$/, e.type === 'directory' ? '/' : ''), e.mode, e.uid ?? 0, e.gid ?? 0, 0, (e.body ?? Buffer.alloc(0)).toString('base64')]),
    );
  });

  describe('byte for byte against Go', { skip: fixtureSkip(go) }, () => {
    for (const [what, entries] of Object.entries(CASES)) {
      test(what, () => {
        const ours = goTar(entries);
        const go = goReference(entries);
        assert.equal(ours.length, go.length, 'same length');
        const first = ours.findIndex((byte, i) => byte !== go[i]);
        assert.equal(first, -1, `first difference at byte ${first} (block ${Math.floor(first / 512)}, offset ${first % 512})`);
      });
    }
  });
});
