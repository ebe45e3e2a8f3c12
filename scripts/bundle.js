// Bundles the extension with esbuild into two files, and copies the Fabric .proto files the engine's
// codec loads at run time to dist/proto (the codec looks in path.join(__dirname, 'proto'), and
// __dirname is dist/ inside the bundles):
//   dist/extension.js  src/vscode/extension.ts: what activation loads (the editor layer, light);
//   dist/engine.js     src/vscode/engineBundle.ts: the embedded peer, launcher and Docker client,
//                      required by engineAssembly.ts the first time they are needed.
// New Project's templates go to dist/scaffold-templates (src/engine/scaffold/templates.ts looks there).
//   node scripts/bundle.js [--production] [--watch] [--outdir DIR]
// Two checks keep activation fast and the package small: the build fails if a heavy package (gRPC,
// protobufjs, dockerode…) reaches dist/extension.js, and a production build fails if the bundles
// together exceed 2 MB.
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
const MAX_PRODUCTION_BYTES = 2 * 1024 * 1024;
/** The require in engineAssembly.ts that loads the engine bundle at run time. */
const ENGINE_BUNDLE_REQUIRE = /^\.\/engineBundle$/;

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

/** In dist/extension.js, engineAssembly's `require('./engineBundle')` stays a require, of ./engine.js. */
const engineBundleExternal = {
  name: 'engine-bundle-external',
  setup(build) {
    build.onResolve({ filter: ENGINE_BUNDLE_REQUIRE }, (args) =>
      args.importer.endsWith(path.join('src', 'vscode', 'engineAssembly.ts')) ? { path: './engine.js', external: true } : undefined,
    );
  },
};

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

function check(name, result, { lightweight }) {
  const inputs = Object.keys(result.metafile.inputs);
  const native = inputs.filter((p) => !p.startsWith('native-excluded:') && (p.endsWith('.node') || NATIVE_PACKAGES.some((n) => p.includes(`node_modules/${n}/`))));
  if (native.length) throw new Error(`native modules in ${name}: ${native.join(', ')}`);
  if (lightweight) {
    const heavy = [...new Set(inputs.filter((p) => p.includes('node_modules/')).map(packageOf))].filter((p) => ENGINE_ONLY_PACKAGES.includes(p));
    if (heavy.length) {
      throw new Error(
        `${name} must stay light (it is loaded at activation), but it includes ${heavy.join(', ')}: ` +
          'import engine modules that need them as types only, or reach them through engineAssembly.ts (dist/engine.js)',
      );
    }
  }
  return inputs.length;
}

/**
 * Builds both bundles into `outdir` and returns their sizes.
 * @param {{ production?: boolean, outdir?: string }} o
 */
async function bundle({ production = false, outdir = path.join(root, 'dist') } = {}) {
  fs.mkdirSync(outdir, { recursive: true });
  copyAssets(outdir);
  const built = [];
  for (const [name, entry, plugins, lightweight] of [
    ['extension.js', 'src/vscode/extension.ts', [engineBundleExternal], true],
    ['engine.js', 'src/vscode/engineBundle.ts', [], false],
  ]) {
    const outfile = path.join(outdir, name);
    if (production) fs.rmSync(`${outfile}.map`, { force: true }); // no stale source map beside a minified file
    const result = await esbuild.build(options(entry, outfile, production, plugins));
    const modules = check(name, result, { lightweight });
    built.push({ name, bytes: fs.statSync(outfile).size, modules });
  }
  const total = built.reduce((sum, b) => sum + b.bytes, 0);
  return { built, total, production };
}

function describe({ built, total, production }, outdir) {
  const rel = path.relative(root, outdir) || '.';
  const parts = built.map((b) => `${rel}/${b.name} ${(b.bytes / 1024).toFixed(0)} KiB (${b.modules} modules)`);
  return `bundle: ${parts.join(', ')}; ${(total / 1024).toFixed(0)} KiB together${production ? ' (production)' : ''}`;
}

async function main() {
  const args = process.argv.slice(2);
  const production = args.includes('--production');
  const at = args.indexOf('--outdir');
  const outdir = at >= 0 ? path.resolve(args[at + 1]) : path.join(root, 'dist');
  if (args.includes('--watch')) {
    copyAssets(outdir);
    for (const [name, entry, plugins] of [
      ['extension.js', 'src/vscode/extension.ts', [engineBundleExternal]],
      ['engine.js', 'src/vscode/engineBundle.ts', []],
    ]) {
      const ctx = await esbuild.context(options(entry, path.join(outdir, name), production, plugins));
      await ctx.watch();
    }
    console.log('bundle: watching');
    return;
  }
  const sizes = await bundle({ production, outdir });
  console.log(describe(sizes, outdir));
  if (production && sizes.total > MAX_PRODUCTION_BYTES) {
    throw new Error(
      `bundle: ${(sizes.total / 1024 / 1024).toFixed(2)} MB is over the 2 MB limit for the production bundles: ` +
        'find what grew (esbuild --analyze, or the metafile) before raising it',
    );
  }
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err.message || err);
    process.exit(1);
  });
}

module.exports = { bundle, MAX_PRODUCTION_BYTES };
