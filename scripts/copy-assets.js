// Copies non-TypeScript assets tsc does not emit (the Fabric .proto files) next to the compiled code.
const fs = require('fs');
const path = require('path');
const root = path.join(__dirname, '..');
fs.cpSync(path.join(root, 'src/engine/wire/proto'), path.join(root, 'out/src/engine/wire/proto'), { recursive: true });
