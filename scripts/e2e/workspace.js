// The workspace the end-to-end tests open: a fresh copy of the example chaincode
// (examples/asset-transfer, or a small fallback fixture while it does not exist), with its
// node_modules linked rather than copied. Tests may write into it (.vscode/launch.json…).
const fs = require('fs');
const path = require('path');

function prepareWorkspace(repo, wsRoot) {
  const candidates = [path.join(repo, 'examples', 'asset-transfer'), path.join(repo, 'test', 'vscode-host', 'fixtures', 'asset-transfer-mini')];
  const src = candidates.find((c) => fs.existsSync(path.join(c, 'package.json')));
  if (!src) throw new Error(`no example chaincode found (looked in ${candidates.join(', ')})`);
  const dest = path.join(wsRoot, path.basename(src));
  fs.mkdirSync(dest, { recursive: true });
  for (const entry of fs.readdirSync(src)) {
    if (entry === 'node_modules') {
      fs.symlinkSync(path.join(src, entry), path.join(dest, entry), 'dir');
    } else {
      fs.cpSync(path.join(src, entry), path.join(dest, entry), { recursive: true });
    }
  }
  return dest;
}

module.exports = { prepareWorkspace };
