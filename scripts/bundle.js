// Bundles the extension (src/vscode/extension.ts and the engine it imports) into dist/extension.js
// with esbuild, and copies the Fabric .proto files the engine's codec loads at run time to dist/proto
// (the codec looks in path.join(__dirname, 'proto'), and __dirname is dist/ inside the bundle), and
// New Project's templates to dist/scaffold-templates (src/engine/scaffold/templates.ts looks there).
//   node scripts/bundle.js [--production] [--watch]
// No native module may end up in the bundle: dockerode → docker-modem → ssh2 tries `cpu-features`
// and its own `sshcrypto.node` inside try/catch, so both resolve to a module that throws and ssh2
// falls back to pure JavaScript. The build fails if any other `.node` file or native package slips in.
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const NATIVE_PACKAGES = ['cpu-features'];

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

function copyAssets() {
  for (const [from, to] of [['src/engine/wire/proto', 'dist/proto'], ['src/engine/scaffold/templates', 'dist/scaffold-templates']]) {
    fs.rmSync(path.join(root, to), { recursive: true, force: true });
    if (fs.existsSync(path.join(root, from))) fs.cpSync(path.join(root, from), path.join(root, to), { recursive: true });
  }
}

/** @type {import('esbuild').BuildOptions} */
const options = {
  entryPoints: [path.join(root, 'src/vscode/extension.ts')],
  outfile: path.join(root, 'dist/extension.js'),
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
  plugins: [noNativeModules],
};

async function main() {
  copyAssets();
  if (watch) {
    const ctx = await esbuild.context(options);
    await ctx.watch();
    console.log('bundle: watching');
    return;
  }
  const result = await esbuild.build(options);
  const inputs = Object.keys(result.metafile.inputs);
  const native = inputs.filter((p) => !p.startsWith('native-excluded:') && (p.endsWith('.node') || NATIVE_PACKAGES.some((n) => p.includes(`node_modules/${n}/`))));
  if (native.length) throw new Error(`native modules in the bundle: ${native.join(', ')}`);
  const size = fs.statSync(options.outfile).size;
  console.log(`bundle: dist/extension.js ${(size / 1024).toFixed(0)} KiB from ${inputs.length} modules${production ? ' (production)' : ''}`);
}

main().catch((err) => {
  console.error(err.message || err);
  process.exit(1);
});
