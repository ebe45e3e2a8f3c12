/**
 * Where the editor finds Delve: the setting first (a path, `~/…`, or a name on PATH), else PATH,
 * GOBIN, GOPATH/bin, the extension's tools folder and the repository's `.cache/go-tools`, in that
 * order; and the message when it is nowhere. Also: the version "Install Delve" installs is the one CI
 * installs.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { DELVE_PACKAGE, DELVE_VERSION, DelveNotFoundError, DelveSearch, locateDelve, locateGo, withFolderOnPath } from '../../../../src/vscode/debug/delve/discovery';
import { delveInstallStep } from '../../../../src/vscode/debug/delve/install';
import { repoRoot } from '../../../support/toolchains';

/** A folder with an executable `dlv` (a shell script) in it. */
function dlvIn(dir: string, name = 'dlv'): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  fs.writeFileSync(file, '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  return file;
}

function layout(): { root: string; search: (extra?: Partial<DelveSearch>) => DelveSearch } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cc-delve-find-'));
  const search = (extra: Partial<DelveSearch> = {}): DelveSearch => ({
    env: { PATH: path.join(root, 'path'), GOBIN: path.join(root, 'gobin'), GOPATH: path.join(root, 'gopath') },
    extensionTools: path.join(root, 'ext-tools'),
    extensionPath: path.join(root, 'ext'),
    home: path.join(root, 'home'),
    ...extra,
  });
  return { root, search };
}

describe('Delve discovery', () => {
  it("searches PATH, then GOBIN, GOPATH/bin, the extension's tools folder, the repository's .cache/go-tools", () => {
    const { root, search } = layout();
    assert.throws(() => locateDelve(search()), DelveNotFoundError);
    const repo = dlvIn(path.join(root, 'ext', '.cache', 'go-tools'));
    assert.deepEqual(locateDelve(search()), { path: repo, source: 'repository' });
    const ext = dlvIn(path.join(root, 'ext-tools'));
    assert.deepEqual(locateDelve(search()), { path: ext, source: 'extension' });
    const gopath = dlvIn(path.join(root, 'gopath', 'bin'));
    assert.deepEqual(locateDelve(search()), { path: gopath, source: 'GOPATH' });
    const gobin = dlvIn(path.join(root, 'gobin'));
    assert.deepEqual(locateDelve(search()), { path: gobin, source: 'GOBIN' });
    const onPath = dlvIn(path.join(root, 'path'));
    assert.deepEqual(locateDelve(search()), { path: onPath, source: 'PATH' });
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('GOPATH unset: ~/go/bin, as `go install` does', () => {
    const { root, search } = layout();
    const dlv = dlvIn(path.join(root, 'home', 'go', 'bin'));
    assert.deepEqual(locateDelve(search({ env: { PATH: '' } })), { path: dlv, source: 'GOPATH' });
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('a file that is not executable is no Delve', () => {
    const { root, search } = layout();
    const file = dlvIn(path.join(root, 'path'));
    fs.chmodSync(file, 0o644);
    assert.throws(() => locateDelve(search()), DelveNotFoundError);
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('the setting wins over every folder: a path, ~/…, or a command name on PATH', () => {
    const { root, search } = layout();
    dlvIn(path.join(root, 'path'));
    const own = dlvIn(path.join(root, 'mine'), 'dlv-dev');
    assert.deepEqual(locateDelve(search({ setting: own })), { path: own, source: 'setting' });
    const inHome = dlvIn(path.join(root, 'home', 'bin'));
    assert.deepEqual(locateDelve(search({ setting: '~/bin/dlv' })), { path: inHome, source: 'setting' });
    const named = dlvIn(path.join(root, 'path'), 'dlv-1.27');
    assert.deepEqual(locateDelve(search({ setting: 'dlv-1.27' })), { path: named, source: 'setting' });
    assert.deepEqual(locateDelve(search({ setting: '  ' })).source, 'PATH', 'a blank setting means: search');
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('a setting naming no executable is an error about the setting (no fallback to PATH)', () => {
    const { root, search } = layout();
    dlvIn(path.join(root, 'path'));
    const missing = path.join(root, 'nowhere', 'dlv');
    assert.throws(
      () => locateDelve(search({ setting: missing })),
      (e: unknown) => {
        assert.ok(e instanceof DelveNotFoundError);
        assert.equal(e.badSetting, missing);
        assert.match(e.message, /chaincode\.go\.delvePath is ".*nowhere\/dlv", which is not an executable file/);
        return true;
      },
    );
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('nowhere: the message says where it looked and the command that installs it', () => {
    const { root, search } = layout();
    assert.throws(
      () => locateDelve(search()),
      (e: unknown) => {
        assert.ok(e instanceof DelveNotFoundError);
        assert.equal(e.name, 'DelveNotFoundError');
        assert.equal(e.badSetting, undefined);
        assert.ok(e.message.includes(path.join(root, 'gopath', 'bin')), e.message);
        assert.ok(e.message.includes(`go install ${DELVE_PACKAGE}@${DELVE_VERSION}`), e.message);
        assert.match(e.message, /chaincode\.go\.delvePath/);
        return true;
      },
    );
    fs.rmSync(root, { recursive: true, force: true });
  });
});

describe('the Go toolchain Delve builds with', () => {
  it('go on PATH, else GOROOT/bin; its folder goes first on the PATH Delve gets', () => {
    const { root } = layout();
    const goroot = path.join(root, 'goroot');
    const go = dlvIn(path.join(goroot, 'bin'), 'go');
    const onPath = dlvIn(path.join(root, 'path'), 'go');
    assert.equal(locateGo({ PATH: path.join(root, 'path'), GOROOT: goroot }), onPath);
    assert.equal(locateGo({ PATH: path.join(root, 'elsewhere'), GOROOT: goroot }), go, "an editor started from a desktop may lack the shell's PATH");
    const env = withFolderOnPath({ PATH: '/usr/bin:/bin', HOME: '/h' }, go);
    assert.deepEqual(env, { PATH: `${path.join(goroot, 'bin')}:/usr/bin:/bin`, HOME: '/h' });
    assert.equal(withFolderOnPath(env, go), env, 'already there: unchanged');
    fs.rmSync(root, { recursive: true, force: true });
  });
});

describe('Delve install', () => {
  it('go install of the pinned version into GOBIN, the version CI installs (.ci/fixtures.sh)', () => {
    assert.deepEqual(delveInstallStep('/tools', '/usr/local/go/bin/go'), {
      command: '/usr/local/go/bin/go',
      args: ['install', `${DELVE_PACKAGE}@${DELVE_VERSION}`],
      env: { GOBIN: '/tools' },
    });
    const script = fs.readFileSync(path.join(repoRoot(), '.ci', 'fixtures.sh'), 'utf8');
    assert.equal(/^DELVE_VERSION=(\S+)$/m.exec(script)?.[1], DELVE_VERSION);
    assert.ok(script.includes(DELVE_PACKAGE), '.ci/fixtures.sh installs the same package');
  });
});
