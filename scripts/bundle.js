// Bundles the extension with esbuild into three files, and copies the Fabric .proto files the engine's
// codec loads at run time to dist/proto (the codec looks in path.join(__dirname, 'proto'), and
// __dirname is dist/ inside the bundles):
//   dist/extension.js  src/vscode/extension.ts: what activation loads (the editor layer, light);
//   dist/engine.js     src/vscode/engineBundle.ts: the embedded peer, launcher and Docker client,
//                      required by engineAssembly.ts the first time they are needed;
//   dist/network.js    src/vscode/networkBundle.ts: connections to Fabric networks and Deploy, with
//                      the Gateway client (@hyperledger/fabric-gateway, fabric-protos), required by
//                      networkAssembly.ts the first time the user connects or deploys.
// New Project's templates go to dist/scaffold-templates (src/engine/scaffold/templates.ts looks there).
//   node scripts/bundle.js [--production] [--watch] [--outdir DIR]
// Checks keep activation fast and the package small: the build fails if a heavy package (gRPC,
// protobufjs, dockerode, the Gateway client…) reaches dist/extension.js, or the Gateway client
// reaches dist/engine.js; a production build fails if what the editor loads to run the embedded
// peer (extension.js + engine.js) exceeds 2 MB, or dist/network.js exceeds 1.75 MB.
// No native module may end up in a bundle: dockerode → docker-modem → ssh2 tries `cpu-features`
// and its own `sshcrypto.node` inside try/catch, so both resolve to a module that throws and ssh2
// falls back to pure JavaScript. The build fails if any other `.node` file or native package slips in.
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const NATIVE_PACKAGES = ['cpu-features'];
/** Packages that belong in dist/engine.js only: each costs tens of milliseconds to load. */
const ENGINE_ONLY_PACKAGES = ['@grpc/grpc-js', '@grpc/proto-loader', 'protobufjs', 'dockerode', 'docker-modem', 'ssh2', '@peculiar/x509', 'reflect-metadata'];
/** Packages that belong in dist/network.js only: nobody who stays on the embedded peer pays for them. */
const NETWORK_ONLY_PACKAGES = ['@hyperledger/fabric-gateway', '@hyperledger/fabric-protos', 'google-protobuf'];
/** Production size caps: each budget is the sum of its bundles. */
const BUDGETS = [
  { name: 'the embedded peer (extension.js + engine.js)', bundles: ['extension.js', 'engine.js'], maxBytes: 2 * 1024 * 1024 },
  // @hyperledger/fabric-protos alone is ~830 KiB minified (every Fabric message, generated with google-protobuf).
  { name: 'networks (network.js)', bundles: ['network.js'], maxBytes: 1.75 * 1024 * 1024 },
];
/** The requires that load a lazy bundle at run time: from which module, to which file in dist/. */
const LAZY_BUNDLES = [
  { require: './engineBundle', importer: path.join('src', 'vscode', 'engineAssembly.ts'), file: './engine.js' },
  { require: './networkBundle', importer: path.join('src', 'vscode', 'networkAssembly.ts'), file: './network.js' },
];
/** name, entry, plugins, the packages it must not hold. */
const BUNDLES = [
  ['extension.js', 'src/vscode/extension.ts', 'lazy', [...ENGINE_ONLY_PACKAGES, ...NETWORK_ONLY_PACKAGES]],
  ['engine.js', 'src/vscode/engineBundle.ts', 'none', NETWORK_ONLY_PACKAGES],
  ['network.js', 'src/vscode/networkBundle.ts', 'none', []],
];

/** @type {import('esbuild').Plugin} */
const noNativeModules = {
  name: 'no-native-modules',
  setup(build) {
    const filter = new RegExp(`^(${NATIVE_PACKAGES.join('|')})$|\\.node$`);
    build.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'native-excluded' }));
    build.onLoad({ filter: /.*/, namespace: 'native-excluded' }, (args) => ({
      contents: `throw new Error(${JSON.stringify(`native module ${args.path} is not bundled (pure JavaScript only)`)});`,
      loader: 'js',
    }));
  },
};

/** In dist/extension.js, engineAssembly's `require('./engineBundle')` stays a require, of ./engine.js (networkAssembly's likewise). */
const lazyBundlesExternal = {
  name: 'lazy-bundles-external',
  setup(build) {
    build.onResolve({ filter: /^\.\/(engine|network)Bundle$/ }, (args) => {
      const lazy = LAZY_BUNDLES.find((l) => l.require === args.path && args.importer.endsWith(l.importer));
      return lazy ? { path: lazy.file, external: true } : undefined;
    });
  },
};
const pluginsOf = (kind) => (kind === 'lazy' ? [lazyBundlesExternal] : []);

function copyAssets(outdir) {
  for (const [from, to] of [
    ['src/engine/wire/proto', 'proto'],
    ['src/engine/scaffold/templates', 'scaffold-templates'],
  ]) {
    fs.rmSync(path.join(outdir, to), { recursive: true, force: true });
    if (fs.existsSync(path.join(root, from))) fs.cpSync(path.join(root, from), path.join(outdir, to), { recursive: true });
  }
}

/** @returns {import('esbuild').BuildOptions} */
function options(entry, outfile, production, plugins) {
  return {
    entryPoints: [path.join(root, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode'],
    sourcemap: production ? false : 'linked',
    minify: production,
    keepNames: true,
    metafile: true,
    logLevel: 'warning',
    plugins: [noNativeModules, ...plugins],
  };
}

const packageOf = (input) => {
  const parts = input.split('node_modules/').pop().split('/');
  return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
};

function check(name, result, excluded) {
  const inputs = Object.keys(result.metafile.inputs);
  const native = inputs.filter((p) => !p.startsWith('native-excluded:') && (p.endsWith('.node') || NATIVE_PACKAGES.some((n) => p.includes(`node_modules/${n}/`))));
  if (native.length) throw new Error(`native modules in ${name}: ${native.join(', ')}`);
  const heavy = [...new Set(inputs.filter((p) => p.includes('node_modules/')).map(packageOf))].filter((p) => excluded.includes(p));
  if (heavy.length) {
    const where = name === 'extension.js' ? 'it is loaded at activation' : 'it is loaded to run the embedded peer';
    throw new Error(
      `${name} must stay light (${where}), but it includes ${heavy.join(', ')}: import the modules that need them as types only, ` +
        'or reach them through engineAssembly.ts (dist/engine.js) or networkAssembly.ts (dist/network.js)',
    );
  }
  return inputs.length;
}

/** Each budget's bytes and cap, and whether it is over. */
function budgets({ built }) {
  return BUDGETS.map((b) => {
    const bytes = built.filter((x) => b.bundles.includes(x.name)).reduce((sum, x) => sum + x.bytes, 0);
    return { ...b, bytes, over: bytes > b.maxBytes };
  });
}

const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;

/** Throws when a production build is over a budget. */
function checkBudgets(sizes) {
  const over = budgets(sizes).filter((b) => b.over);
  if (over.length) {
    throw new Error(
      `bundle: over the limit for the production bundles: ${over.map((b) => `${b.name} ${mb(b.bytes)} of ${mb(b.maxBytes)}`).join('; ')}: ` +
        'find what grew (esbuild --analyze, or the metafile) before raising it',
    );
  }
}

/**
 * Builds the bundles into `outdir` and returns their sizes.
 * @param {{ production?: boolean, outdir?: string }} o
 */
async function bundle({ production = false, outdir = path.join(root, 'dist') } = {}) {
  fs.mkdirSync(outdir, { recursive: true });
  copyAssets(outdir);
  const built = [];
  for (const [name, entry, plugins, excluded] of BUNDLES) {
    const outfile = path.join(outdir, name);
    if (production) fs.rmSync(`${outfile}.map`, { force: true }); // no stale source map beside a minified file
    const result = await esbuild.build(options(entry, outfile, production, pluginsOf(plugins)));
    const modules = check(name, result, excluded);
    built.push({ name, bytes: fs.statSync(outfile).size, modules });
  }
  const total = built.reduce((sum, b) => sum + b.bytes, 0);
  return { built, total, production };
}

function describe(sizes, outdir) {
  const rel = path.relative(root, outdir) || '.';
  const parts = sizes.built.map((b) => `${rel}/${b.name} ${(b.bytes / 1024).toFixed(0)} KiB (${b.modules} modules)`);
  const caps = budgets(sizes).map((b) => `${b.name} ${mb(b.bytes)} of ${mb(b.maxBytes)}`);
  return `bundle: ${parts.join(', ')}${sizes.production ? ` (production); ${caps.join(', ')}` : ''}`;
}

async function main() {
  const args = process.argv.slice(2);
  const production = args.includes('--production');
  const at = args.indexOf('--outdir');
  const outdir = at >= 0 ? path.resolve(args[at + 1]) : path.join(root, 'dist');
  if (args.includes('--watch')) {
    copyAssets(outdir);
    for (const [name, entry, plugins] of BUNDLES) {
      const ctx = await esbuild.context(options(entry, path.join(outdir, name), production, pluginsOf(plugins)));
      await ctx.watch();
    }
    console.log('bundle: watching');
    return;
  }
  const sizes = await bundle({ production, outdir });
  console.log(describe(sizes, outdir));
  if (production) checkBudgets(sizes);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err.message || err);
    process.exit(1);
  });
}

module.exports = { bundle, budgets, checkBudgets, describe };
