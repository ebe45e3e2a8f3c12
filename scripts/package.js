// `npm run package`: the .vsix users install (`code --install-extension chaincode-launcher-<version>.vsix`).
//   node scripts/package.js [--out FILE]
// 1. The production bundles (scripts/bundle.js: dist/extension.js, the lazily loaded dist/engine.js
//    and dist/network.js, dist/proto), each within its size budget.
// 2. The README the package carries, dist/README.md: README.md with its images inlined as data: URIs.
//    VS Code shows an installed extension's README in a webview whose content security policy allows
//    images from https: and data: only, so a relative image (media/…) never shows there, and vsce
//    would have to rewrite it to a URL of a public repository, which this project does not name.
//    Inlined, the screenshots show offline, from the .vsix itself.
// 3. vsce, with the flags that fit: no dependency scan (everything is bundled), links left as they are
//    (step 2 made the images absolute), no repository URL required.
// Checks the package's file list first: the bundles, the protos, the icon and the README must be in it.
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { bundle, checkBudgets, describe } = require('./bundle');

const root = path.join(__dirname, '..');
const PACKAGE_README = 'dist/README.md';
const IMAGE_TYPES = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp' };
const isRelative = (link) => !/^[a-z][a-z0-9+.-]*:/i.test(link) && !link.startsWith('#');

/** README.md with every relative image inlined; any other relative link is an error (it would be broken). */
function packageReadme(markdown) {
  const inlined = markdown.replace(/!\[([^\]]*)\]\(([^)\s]+)\)/g, (all, alt, link) => {
    if (!isRelative(link)) return all;
    const type = IMAGE_TYPES[path.extname(link).toLowerCase()];
    if (!type) throw new Error(`README.md: image ${link} cannot be inlined (${path.extname(link) || 'no extension'}; VS Code and vsce refuse SVG data URIs): use a PNG`);
    const file = path.join(root, link);
    if (!fs.existsSync(file)) throw new Error(`README.md: image ${link} does not exist`);
    return `![${alt}](data:${type};base64,${fs.readFileSync(file).toString('base64')})`;
  });
  const broken = [...inlined.matchAll(/(?<!!)\[[^\]]*\]\(([^)\s]+)\)|<img[^>]+src=["']([^"']+)["']/g)].map((m) => m[1] ?? m[2]).filter(isRelative);
  if (broken.length) throw new Error(`README.md: relative links would be broken in the installed extension: ${broken.join(', ')}`);
  return inlined;
}

async function checkFileList() {
  const { listFiles, PackageManager } = require('@vscode/vsce');
  const files = (await listFiles({ cwd: root, packageManager: PackageManager.None, readmePath: PACKAGE_README })).map((f) => f.split(path.sep).join('/'));
  const required = ['package.json', 'LICENSE', PACKAGE_README, 'dist/extension.js', 'dist/engine.js', 'dist/network.js', 'media/icon.png', 'media/chaincode.svg'];
  const missing = required.filter((f) => !files.includes(f));
  if (!files.some((f) => /^dist\/proto\/.+\.proto$/.test(f))) missing.push('dist/proto/**/*.proto');
  if (missing.length) throw new Error(`the .vsix would lack ${missing.join(', ')}: check .vscodeignore`);
  const unexpected = files.filter((f) => f.endsWith('.map') || f === 'README.md');
  if (unexpected.length) throw new Error(`the .vsix would hold ${unexpected.join(', ')}: check .vscodeignore`);
  return files;
}

async function main() {
  const args = process.argv.slice(2);
  const at = args.indexOf('--out');
  const sizes = await bundle({ production: true });
  console.log(`package: ${describe(sizes, path.join(root, 'dist'))}`);
  checkBudgets(sizes);
  fs.writeFileSync(path.join(root, PACKAGE_README), packageReadme(fs.readFileSync(path.join(root, 'README.md'), 'utf8')));
  const files = await checkFileList();
  console.log(`package: ${files.length} files`);
  const vsce = [require.resolve('@vscode/vsce/vsce'), 'package', '--no-dependencies', '--no-rewrite-relative-links', '--allow-missing-repository', '--readme-path', PACKAGE_README];
  if (at >= 0) vsce.push('--out', path.resolve(args[at + 1]));
  const r = spawnSync(process.execPath, vsce, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`vsce package failed (exit ${r.status ?? r.signal})`);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err.message || err);
    process.exit(1);
  });
}

module.exports = { packageReadme };
