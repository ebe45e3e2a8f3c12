// `npm ci` at the root also installs the example chaincode's own dependencies: net mode packages
// the example folder with its node_modules, and dev mode runs it in place.
const { spawnSync } = require('child_process');
const path = require('path');
const fs = require('fs');

const example = path.join(__dirname, '..', 'examples', 'asset-transfer');
if (!fs.existsSync(path.join(example, 'package-lock.json'))) process.exit(0);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const r = spawnSync(npm, ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: example, stdio: 'inherit' });
process.exit(r.status ?? 1);
