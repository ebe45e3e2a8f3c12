// Copies non-TypeScript assets tsc does not emit next to the compiled code: the Fabric .proto files,
// New Project's templates, and the TypeScript contract fixture's package.json (fabric-chaincode-node
// reads it from the module path).
const fs = require('fs');
const path = require('path');
const root = path.join(__dirname, '..');
fs.cpSync(path.join(root, 'src/engine/wire/proto'), path.join(root, 'out/src/engine/wire/proto'), { recursive: true });
// A fresh copy: a template deleted from src/ must not linger in out/.
fs.rmSync(path.join(root, 'out/src/engine/scaffold/templates'), { recursive: true, force: true });
fs.cpSync(path.join(root, 'src/engine/scaffold/templates'), path.join(root, 'out/src/engine/scaffold/templates'), { recursive: true });
fs.copyFileSync(path.join(root, 'test/fixtures/node/contract-ts/package.json'), path.join(root, 'out/test/fixtures/node/contract-ts/package.json'));
