/**
 * Writing a new project: names that follow Fabric's rule, every template rendered with no value
 * left unfilled, chaincode detection recognising what was written, and all-or-nothing writes.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { defaultProjectName, projectNameProblem, projectNames, ScaffoldError, SCAFFOLD_LANGUAGES, writeProject } from '../../../src/engine/scaffold';
import { detectChaincode } from '../../../src/engine/workspace/detect';
import { tempDir } from './projectRun';

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

describe('project names', () => {
  test("follow Fabric's chaincode name rule (core/chaincode/lifecycle/scc.go ChaincodeNameRegExp)", () => {
    for (const ok of ['mycc', 'my-assets', 'asset_transfer', 'A1', '1abc', 'a-b_c']) assert.equal(projectNameProblem(ok), undefined, ok);
    for (const bad of ['', '-a', 'a-', 'a--b', 'a.b', 'my cc', 'é', 'a_-b']) assert.match(projectNameProblem(bad) ?? '', /chaincode name/, JSON.stringify(bad));
    assert.throws(
      () => projectNames('a.b'),
      (err: Error) => err instanceof ScaffoldError && /not a valid chaincode name/.test(err.message),
    );
  });

  test('derive the contract class and the Java package, avoiding what the languages forbid', () => {
    assert.deepEqual(projectNames('my-assets'), { name: 'my-assets', contractClass: 'MyAssetsContract', javaPackage: 'org.example.my_assets' });
    assert.equal(projectNames('asset-contract').contractClass, 'AssetContract');
    assert.deepEqual(projectNames('1abc'), { name: '1abc', contractClass: 'Cc1abcContract', javaPackage: 'org.example.cc_1abc' });
    assert.equal(projectNames('new').javaPackage, 'org.example.cc_new', 'a Java keyword is no package name');
  });

  test("default to the folder's name, made valid", () => {
    assert.equal(defaultProjectName('/tmp/My Assets.v2'), 'My-Assets-v2');
    assert.equal(defaultProjectName('/tmp/assets'), 'assets');
  });
});

describe('writing a project', () => {
  for (const language of SCAFFOLD_LANGUAGES) {
    test(`${language}: every template is written with its values filled in, and detection finds a contract chaincode`, async () => {
      const root = tempDir('scaffold-write-');
      try {
        const project = await writeProject({ folder: path.join(root, 'fresh', 'my-assets'), language });
        assert.equal(project.name, 'my-assets');
        assert.equal(project.contractClass, 'MyAssetsContract');
        assert.deepEqual(filesUnder(project.folder), [...project.files].sort());
        assert.ok(project.files.includes('.gitignore') && project.files.includes('README.md'), project.files.join(', '));
        assert.ok(!project.files.some((f) => f.endsWith('.tmpl') || f.includes('__')), project.files.join(', '));
        assert.ok(!project.files.some((f) => f.includes('launch.json')), 'F5 needs no launch.json');
        for (const f of project.files) {
          const text = fs.readFileSync(path.join(project.folder, f), 'utf8');
          assert.doesNotMatch(text, /\{\{\w+\}\}/, `${f} has an unfilled value`);
        }
        const cc = detectChaincode(project.folder);
        assert.ok(cc, 'detected as chaincode');
        assert.equal(cc.name, 'my-assets');
        assert.equal(cc.contractApi, true);
        assert.equal(cc.language, { node: 'node', typescript: 'node', go: 'golang', java: 'java' }[language]);
        assert.equal(cc.typescript, language === 'typescript');
        const contract = project.files.find((f) => /assetContract\.(js|ts|go)$|MyAssetsContract\.java$/.test(f));
        assert.ok(contract, `a contract file in ${project.files.join(', ')}`);
        assert.match(fs.readFileSync(path.join(project.folder, contract), 'utf8'), /MyAssetsContract/, 'the contract is named after the project');
      } finally {
        fs.rmSync(root, { recursive: true, force: true });
      }
    });
  }

  test('pins what works with the embedded peer: class-transformer 0.4.0 for fabric-contract-api 2.5.8, a tidy go.sum', async () => {
    const root = tempDir('scaffold-pins-');
    try {
      for (const language of ['node', 'typescript'] as const) {
        const p = await writeProject({ folder: path.join(root, language), language, name: 'pins' });
        const pkg = JSON.parse(fs.readFileSync(path.join(p.folder, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; overrides: Record<string, string> };
        assert.equal(pkg.dependencies['fabric-contract-api'], '2.5.8');
        assert.equal(pkg.overrides['class-transformer'], '0.4.0');
      }
      const go = await writeProject({ folder: path.join(root, 'go'), language: 'go', name: 'pins' });
      assert.match(fs.readFileSync(path.join(go.folder, 'go.mod'), 'utf8'), /^module pins$/m);
      assert.match(fs.readFileSync(path.join(go.folder, 'go.sum'), 'utf8'), /^github\.com\/hyperledger\/fabric-contract-api-go\/v2 v2\.2\.0 h1:/m);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  test('refuses a folder that is not empty, naming what is in it, and leaves it untouched', async () => {
    const root = tempDir('scaffold-full-');
    try {
      fs.writeFileSync(path.join(root, 'notes.txt'), 'mine');
      await assert.rejects(
        writeProject({ folder: root, language: 'node', name: 'x' }),
        (err: Error) => err instanceof ScaffoldError && /is not empty \(it holds notes\.txt\)/.test(err.message),
      );
      assert.deepEqual(fs.readdirSync(root), ['notes.txt']);
      fs.writeFileSync(path.join(root, 'file'), '');
      await assert.rejects(writeProject({ folder: path.join(root, 'file'), language: 'node', name: 'x' }), /exists and is not a folder/);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  test('writes into an empty folder, or one holding only a fresh .git', async () => {
    const root = tempDir('scaffold-empty-');
    try {
      fs.mkdirSync(path.join(root, 'repo', '.git'), { recursive: true });
      const p = await writeProject({ folder: path.join(root, 'repo'), language: 'go', name: 'repo' });
      assert.ok(fs.existsSync(path.join(p.folder, 'go.mod')));
      assert.ok(fs.existsSync(path.join(p.folder, '.git')));
      assert.deepEqual(fs.readdirSync(root), ['repo'], 'no staging folder is left beside it');
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  test('writes nothing when it fails: a bad template, or a write that fails half-way', async () => {
    const root = tempDir('scaffold-fail-');
    try {
      // A template naming a value that does not exist fails before anything touches the disk.
      const templates = path.join(root, 'templates');
      fs.mkdirSync(path.join(templates, 'node'), { recursive: true });
      fs.writeFileSync(path.join(templates, 'node', 'a.txt.tmpl'), 'fine');
      fs.writeFileSync(path.join(templates, 'node', 'b.txt.tmpl'), '{{noSuchValue}}');
      await assert.rejects(writeProject({ folder: path.join(root, 'p1'), language: 'node', name: 'p' }, { templatesRoot: templates }), /unknown value "noSuchValue"/);
      assert.equal(fs.existsSync(path.join(root, 'p1')), false);
      // Two templates that become the same file: the second write fails after the first succeeded.
      fs.writeFileSync(path.join(templates, 'node', 'b.txt.tmpl'), 'fine');
      fs.mkdirSync(path.join(templates, 'node', '__name__'));
      fs.writeFileSync(path.join(templates, 'node', '__name__', 'c.tmpl'), '1');
      fs.mkdirSync(path.join(templates, 'node', 'p'));
      fs.writeFileSync(path.join(templates, 'node', 'p', 'c.tmpl'), '2');
      await assert.rejects(
        writeProject({ folder: path.join(root, 'p2'), language: 'node', name: 'p' }, { templatesRoot: templates }),
        (err: Error) => err instanceof ScaffoldError && /nothing was written/.test(err.message),
      );
      assert.deepEqual(fs.readdirSync(root), ['templates'], 'neither the project folder nor a staging folder is left');
      // An existing empty folder stays, empty.
      fs.mkdirSync(path.join(root, 'p3'));
      await assert.rejects(writeProject({ folder: path.join(root, 'p3'), language: 'node', name: 'p' }, { templatesRoot: templates }), /nothing was written/);
      assert.deepEqual(fs.readdirSync(path.join(root, 'p3')), []);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
