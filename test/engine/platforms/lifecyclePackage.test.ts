/**
 * Lifecycle packages as `peer lifecycle chaincode package` writes them, read back independently
 * (zlib, tar-stream, hand-parsed headers, GNU tar) and their IDs computed independently.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, cp, readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'node:test';
import { CcaasConnectionError } from '../../../src/engine/platforms/ccaasConnection';
import { createLifecyclePackage, defaultPackageFile, PackageError, packageId, writeLifecyclePackage } from '../../../src/engine/platforms/lifecyclePackage';
import { MetadataFileError } from '../../../src/engine/platforms/statedbMetadata';
import { PackageSourceError } from '../../../src/engine/platforms/packageSources';
import { SymlinkError } from '../../../src/engine/platforms/symlinks';
import { treesRemovedAfterTests, type TreeSpec } from './helpers';
import { readLifecyclePackage } from './lifecycleReader';

const tree = treesRemovedAfterTests();
const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

const PACKAGE_JSON = JSON.stringify({
  name: 'basic',
  version: '1.0.0',
  main: 'index.js',
  scripts: { start: 'fabric-chaincode-node start' },
  dependencies: { 'fabric-contract-api': '^2.5.0', 'fabric-shim': '^2.5.0' },
});
const INDEX = '{"index":{"fields":["owner",{"size":"desc"}]},"ddoc":"ownerDoc","name":"owner","type":"json"}';

/** A Node chaincode with everything Fabric leaves out, or we do, lying around. */
const NODE_CHAINCODE: TreeSpec = {
  'package.json': PACKAGE_JSON,
  'package-lock.json': '{"lockfileVersion":3}',
  'index.js': "module.exports.contracts = [require('./lib/contract')];\n",
  'lib/contract.js': 'module.exports = class {};\n',
  '.gitignore': 'dist/\n*.log\n',
  'debug.log': 'packaged: Fabric reads no ignore file',
  'META-INF/statedb/couchdb/indexes/owner.json': INDEX,
  'META-INF/statedb/couchdb/indexes/.DS_Store': 'hidden metadata: left out',
  'node_modules/fabric-shim/index.js': 'the peer installs dependencies itself',
  'lib/node_modules/nested/index.js': 'node_modules at any depth',
  '.git/HEAD': 'ref: refs/heads/main',
  'basic_1.0.0.tar.gz': 'an earlier package',
  'basic.tgz': 'npm pack output',
  '.chaincode/world/state': "the launcher's data",
  'tsconfig.tsbuildinfo': '{}',
};

const NODE_CODE_ENTRIES = [
  'src/.gitignore',
  'META-INF/statedb/couchdb/indexes/owner.json',
  'src/debug.log',
  'src/index.js',
  'src/lib/contract.js',
  'src/package-lock.json',
  'src/package.json',
];

describe('lifecycle package: the format (internal/peer/lifecycle/chaincode/package.go)', () => {
  test("a Node chaincode round trip: two bare entries, metadata in Fabric's field order, the code as the Node platform packages it", async () => {
    const dir = await tree(NODE_CHAINCODE);
    const pkg = await createLifecyclePackage({ folder: dir, metadataPath: 'chaincode/basic' });
    const read = await readLifecyclePackage(pkg.bytes);

    assert.deepEqual(
      read.outer.map((e) => e.name),
      ['metadata.json', 'code.tar.gz'],
    );
    for (const h of read.outerHeaders) {
      // writeBytesToPackage: Name, Size, Mode 0100644 and nothing else.
      assert.deepEqual(
        { mode: h.modeText, uid: h.uid, gid: h.gid, mtime: h.mtime, type: h.typeflag, magic: h.magic, uname: h.uname, gname: h.gname, prefix: h.prefix },
        { mode: '0100644', uid: 0, gid: 0, mtime: 0, type: '0', magic: 'ustar\u000000', uname: '', gname: '', prefix: '' },
        h.name,
      );
    }
    assert.equal(read.metadataText, '{"path":"chaincode/basic","type":"node","label":"basic_1.0.0"}');
    assert.equal(pkg.metadata, read.metadataText);

    assert.deepEqual(
      read.code.map((e) => e.name),
      NODE_CODE_ENTRIES,
    );
    assert.deepEqual(pkg.codeEntries, NODE_CODE_ENTRIES);
    for (const h of read.codeHeaders) {
      // WriteFileToPackage: the file's header with mode 0100644, uid/gid 500, zero times.
      assert.deepEqual(
        { mode: h.modeText, uid: h.uid, gid: h.gid, mtime: h.mtime, type: h.typeflag, uname: h.uname },
        { mode: '0100644', uid: 500, gid: 500, mtime: 0, type: '0', uname: '' },
        h.name,
      );
    }
    for (const entry of read.code) {
      const source = entry.name.startsWith('src/') ? entry.name.slice(4) : entry.name;
      assert.deepEqual(entry.body, await readFile(path.join(dir, source)), entry.name);
    }
    assert.equal(pkg.packageId, `basic_1.0.0:${sha256(pkg.bytes)}`);
  });

  test('GNU tar reads the file written, as a peer operator would', async () => {
    const dir = await tree(NODE_CHAINCODE);
    const out = path.join(await tree({}), 'basic.tar.gz');
    const pkg = await createLifecyclePackage({ folder: dir });
    await writeLifecyclePackage(pkg, out);
    const written = await readFile(out);
    assert.ok(written.equals(pkg.bytes));
    assert.equal(packageId(pkg.label, written), `basic_1.0.0:${execFileSync('sha256sum', [out], { encoding: 'utf8' }).split(' ')[0]}`);
    const listing = execFileSync('tar', ['--numeric-owner', '-tvzf', out], { encoding: 'utf8' }).trim().split('\n');
    assert.deepEqual(
      listing.map((line) => line.replace(/\s+/g, ' ').replace(/ \d+ 1970/, ' N 1970')),
      ['-rw-r--r-- 0/0 N 1970-01-01 00:00 metadata.json', '-rw-r--r-- 0/0 N 1970-01-01 00:00 code.tar.gz'],
    );
  });

  test('deterministic: the same content gives the same bytes and ID, wherever it is, whatever the mtimes and umask', async () => {
    const a = await tree(NODE_CHAINCODE);
    const b = path.join(await tree({}), 'copy');
    await cp(a, b, { recursive: true });
    await utimes(path.join(b, 'index.js'), new Date(2001, 1, 1), new Date(2001, 1, 1));
    await chmod(path.join(b, 'lib', 'contract.js'), 0o755); // Fabric writes every file as 0100644
    const [first, again, copy] = await Promise.all([
      createLifecyclePackage({ folder: a, metadataPath: 'cc' }),
      createLifecyclePackage({ folder: a, metadataPath: 'cc' }),
      createLifecyclePackage({ folder: b, metadataPath: 'cc' }),
    ]);
    assert.ok(first.bytes.equals(again.bytes));
    assert.ok(first.bytes.equals(copy.bytes));
    assert.equal(first.packageId, copy.packageId);
    await writeFile(path.join(b, 'index.js'), '// changed\n');
    assert.notEqual((await createLifecyclePackage({ folder: b, metadataPath: 'cc' })).packageId, first.packageId);
  });

  test('a package written into the folder is not part of the next one', async () => {
    const dir = await tree(NODE_CHAINCODE);
    const first = await createLifecyclePackage({ folder: dir });
    await writeLifecyclePackage(first, path.join(dir, `${first.label}.tar.gz`));
    const inside = path.join(dir, 'out.pkg');
    await writeLifecyclePackage(first, inside);
    const second = await createLifecyclePackage({ folder: dir, skip: [inside] });
    assert.ok(second.bytes.equals(first.bytes), 'same bytes: neither file went in');
  });

  test("metadata.json is Go's json.Marshal: compact, <, > and & escaped", async () => {
    const dir = await tree(NODE_CHAINCODE);
    const pkg = await createLifecyclePackage({ folder: dir, metadataPath: 'a&b/<c>', label: 'x.1+2-3_4' });
    assert.equal(pkg.metadata, '{"path":"a\\u0026b/\\u003cc\\u003e","type":"node","label":"x.1+2-3_4"}');
    assert.deepEqual(JSON.parse(pkg.metadata), { path: 'a&b/<c>', type: 'node', label: 'x.1+2-3_4' });
  });

  test('the default output is outside the folder', () => {
    assert.equal(defaultPackageFile('/w/cc', 'cc_1', '/w'), '/w/cc_1.tar.gz');
    assert.equal(defaultPackageFile('/w/cc', 'cc_1', '/w/cc'), '/w/cc_1.tar.gz');
    assert.equal(defaultPackageFile('/w/cc', 'cc_1', '/w/cc/lib'), '/w/cc_1.tar.gz');
    assert.equal(defaultPackageFile('/w/cc', 'cc_1', '/tmp'), '/tmp/cc_1.tar.gz');
    assert.equal(defaultPackageFile('/w/cc', 'cc_1', '/w/ccx'), '/w/ccx/cc_1.tar.gz');
  });
});

describe("lifecycle package: chaincode as a service (fabric-samples' ccaas packages)", () => {
  test('metadata {"type":"ccaas","label"}, code.tar.gz holding connection.json and the folder\'s CouchDB indexes', async () => {
    const dir = await tree(NODE_CHAINCODE);
    const pkg = await createLifecyclePackage({ type: 'ccaas', folder: dir, connection: { address: '{{.peername}}_basic:9999' } });
    const read = await readLifecyclePackage(pkg.bytes);
    assert.equal(read.metadataText, '{"type":"ccaas","label":"basic_1.0.0"}');
    assert.deepEqual(
      read.code.map((e) => e.name),
      ['connection.json', 'META-INF/statedb/couchdb/indexes/owner.json'],
    );
    assert.equal(read.code[0].body.toString(), '{\n  "address": "{{.peername}}_basic:9999",\n  "dial_timeout": "10s",\n  "tls_required": false\n}\n');
    assert.equal(pkg.packageId, `basic_1.0.0:${sha256(pkg.bytes)}`);
  });

  test('with TLS: the PEM fields, client authentication only with a client key and certificate', async () => {
    const dir = await tree(NODE_CHAINCODE);
    const pem = (kind: string): string => `-----BEGIN ${kind}-----\nMIIB\n-----END ${kind}-----\n`;
    const connection = (client?: { key: string; cert: string }) => ({
      address: 'cc.example.com:7052',
      dialTimeout: '1m30s',
      tls: { rootCert: pem('CERTIFICATE'), ...(client ? { client } : {}) },
    });
    const json = async (client?: { key: string; cert: string }): Promise<Record<string, unknown>> => {
      const pkg = await createLifecyclePackage({ type: 'ccaas', folder: dir, connection: connection(client) });
      return JSON.parse((await readLifecyclePackage(pkg.bytes)).code[0].body.toString()) as Record<string, unknown>;
    };
    const mutual = await json({ key: pem('PRIVATE KEY'), cert: pem('CERTIFICATE') });
    assert.deepEqual(Object.keys(mutual), ['address', 'dial_timeout', 'tls_required', 'client_auth_required', 'client_key', 'client_cert', 'root_cert']);
    assert.deepEqual(
      [mutual.tls_required, mutual.client_auth_required, mutual.client_key, mutual.root_cert, mutual.dial_timeout],
      [true, true, pem('PRIVATE KEY'), pem('CERTIFICATE'), '1m30s'],
    );
    const serverOnly = await json();
    assert.deepEqual([serverOnly.tls_required, serverOnly.client_auth_required, 'client_key' in serverOnly], [true, false, false]);
  });
});

describe('lifecycle package: bad inputs are refused before anything is written', () => {
  const refuses = async (request: Parameters<typeof createLifecyclePackage>[0], error: new (...args: never[]) => Error, message: RegExp): Promise<void> => {
    const before = await readdir(request.folder).catch(() => []);
    await assert.rejects(createLifecyclePackage(request), (err: Error) => {
      assert.ok(err instanceof error, `${err.name}: ${err.message}`);
      assert.match(err.message, message);
      return true;
    });
    assert.deepEqual(await readdir(request.folder).catch(() => []), before, 'nothing written into the folder');
  };

  test('a folder that is not a chaincode', async () => {
    await refuses(
      { folder: await tree({ 'README.md': 'notes', 'package.json': '{"name":"web-app"}' }) },
      PackageError,
      /is not a chaincode folder: it has no package\.json depending on fabric-shim or fabric-contract-api/,
    );
    await refuses({ folder: path.join(await tree({}), 'missing') }, PackageError, /is not a folder/);
  });

  test("a label Fabric refuses, with Fabric's message (persistence.ValidateLabel)", async () => {
    const folder = await tree(NODE_CHAINCODE);
    for (const label of ['', '_x', 'a b', 'a:b', 'é']) {
      await refuses(
        { folder, label },
        PackageError,
        new RegExp(`^invalid label '${label}'\\. Label must be non-empty, can only consist of alphanumerics, symbols from '\\.\\+-_', and can only begin with alphanumerics$`),
      );
    }
  });

  test('a chaincode-as-a-service address or timeout the peer could not use', async () => {
    const folder = await tree(NODE_CHAINCODE);
    for (const address of ['', 'host', ':9999', 'host:0', 'host:65536', 'host:port']) {
      await refuses({ type: 'ccaas', folder, connection: { address } }, CcaasConnectionError, /address must be HOST:PORT/);
    }
    await refuses({ type: 'ccaas', folder, connection: { address: 'h:1', dialTimeout: '10' } }, CcaasConnectionError, /dial timeout must be a duration/);
    await refuses({ type: 'ccaas', folder, connection: { address: 'h:1', tls: { rootCert: 'not pem' } } }, CcaasConnectionError, /root certificate is not PEM/);
  });

  test('a Node chaincode the peer could not start: no start script, no entry point', async () => {
    const noStart = JSON.stringify({ ...JSON.parse(PACKAGE_JSON), scripts: {} });
    await refuses({ folder: await tree({ ...NODE_CHAINCODE, 'package.json': noStart }) }, PackageSourceError, /has no start script: a peer starts Node chaincode with npm start/);
    const { ['index.js']: _, ...noMain } = NODE_CHAINCODE;
    await refuses({ folder: await tree(noMain) }, PackageSourceError, /^index\.js, package\.json's main, is missing in .*: the peer would have nothing to run/);
  });

  test("metadata Fabric refuses, with Fabric's messages (ccmetadata.ValidateMetadataFile)", async () => {
    const cases: [string, string, RegExp][] = [
      ['META-INF/notes.txt', 'x', /^metadata file path must begin with META-INF\/statedb, found: META-INF\/$/],
      ['META-INF/statedb/couchdb/indexes/bad.json', '{"index":', /^Index metadata file \[META-INF\/statedb\/couchdb\/indexes\/bad\.json\] is not a valid JSON$/],
      ['META-INF/statedb/couchdb/indexes/bad.json', '{"ddoc":"d"}', /is not a valid index definition: Index definition must include a "fields" definition$/],
      ['META-INF/statedb/couchdb/indexes/bad.json', '{"index":{"fields":[{"a":"up"}]}}', /Sort must be either "asc" or "desc"\. {2}"up" was found\.$/],
      ['META-INF/statedb/leveldb/indexes/x.json', INDEX, /^database name \[leveldb\] is not supported, valid options: \[couchdb\]$/],
    ];
    for (const [file, content, message] of cases) await refuses({ folder: await tree({ ...NODE_CHAINCODE, [file]: content }) }, MetadataFileError, message);
  });

  test('links Fabric cannot package: to a folder, or to nothing', async () => {
    await refuses(
      { folder: await tree({ ...NODE_CHAINCODE, shared: { symlink: '/usr/lib' } }) },
      SymlinkError,
      /^shared is a symbolic link to a folder: Fabric's packaging cannot package it/,
    );
    await refuses(
      { folder: await tree({ ...NODE_CHAINCODE, 'config.json': { symlink: '/nonexistent/ccl' } }) },
      SymlinkError,
      /^config\.json is a symbolic link to \/nonexistent\/ccl, a path that does not exist/,
    );
  });
});
