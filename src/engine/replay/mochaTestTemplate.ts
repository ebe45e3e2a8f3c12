/**
 * The mocha test "Export as test" writes for a Node or TypeScript chaincode (./testExport.ts). Plain
 * Node (assert, child_process): no dependency beyond mocha itself. The TypeScript flavour is the
 * same test with imports and the types a strict tsconfig asks for.
 */
import type { TestTemplateInput } from './testExport';

export function renderMochaTest(input: TestTemplateInput, typescript: boolean): string {
  const ts = (annotation: string): string => (typescript ? annotation : '');
  const list = input.transactions.map((t) => `  { submit: ${t.submit}, args: ${JSON.stringify(t.args)}, expect: ${JSON.stringify(t.expect)} }, // ${t.txId}`).join('\n');
  const imports = typescript
    ? [
        `import * as assert from 'assert';`,
        `import { spawn } from 'child_process';`,
        `import * as fs from 'fs';`,
        `import * as os from 'os';`,
        `import * as path from 'path';`,
        '',
        `interface Expected {`,
        `  status: number;`,
        `  message: string;`,
        `  payload: string;`,
        `  event: { name: string; payload: string } | null;`,
        `  validation: string;`,
        `}`,
        `interface ResultLine extends Expected {`,
        `  index: number;`,
        `  error?: string;`,
        `}`,
      ]
    : [
        `const assert = require('assert');`,
        `const { spawn } = require('child_process');`,
        `const fs = require('fs');`,
        `const os = require('os');`,
        `const path = require('path');`,
      ];
  return `${typescript ? '' : `'use strict';\n`}// Recorded with Chaincode Launcher: ${input.provenance.join('\n// ')}
// Each transaction runs again, in order, on this folder's chaincode against the launcher's embedded
// peer (a fresh ledger each run), and must answer as it did then: status, message, payload, event
// and validation. Run it with mocha. CHAINCODE_LAUNCHER chooses the launcher: the
// chaincode-launcher command, or its out/src/cli/main.js.
${imports.join('\n')}

const LAUNCHER = process.env.CHAINCODE_LAUNCHER || ${JSON.stringify(input.launcher)};
const CHAINCODE_FOLDER = path.resolve(__dirname, ${JSON.stringify(input.folderFromTest || '.')});
const CHAINCODE_NAME = ${JSON.stringify(input.chaincodeName)};
const CHANNEL = ${JSON.stringify(input.channel)};

const TRANSACTIONS${ts(': { submit: boolean; args: string[]; expect: Expected }[]')} = [
${list}
];

/** One launch of the chaincode running every transaction; the CLI's result lines by index. */
function runRecorded(dataDir${ts(': string')})${ts(': Promise<Map<number, ResultLine>>')} {
  const viaNode = LAUNCHER.endsWith('.js');
  const args = [...(viaNode ? [LAUNCHER] : []), 'launch', CHAINCODE_FOLDER, '--once', '--port', '0', '--name', CHAINCODE_NAME, '--channel', CHANNEL, '--data-dir', dataDir];
  for (const t of TRANSACTIONS) args.push(t.submit ? '--tx' : '--query', JSON.stringify(t.args));
  return new Promise((resolve, reject) => {
    const child = spawn(viaNode ? process.execPath : LAUNCHER, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d${ts(': Buffer')}) => (out += d));
    child.stderr.on('data', (d${ts(': Buffer')}) => (err += d));
    child.on('error', reject);
    child.on('close', (code${ts(': number | null')}) => {
      // 0: every transaction succeeded; 1: some failed, as recorded ones may have. Else nothing ran.
      if (code !== 0 && code !== 1) return reject(new Error(\`chaincode-launcher exited with \${code}:\\n\${err}\`));
      const lines = new Map${ts('<number, ResultLine>')}();
      for (const line of out.split('\\n')) {
        if (line.trim() === '') continue;
        const result${ts(': ResultLine')} = JSON.parse(line);
        lines.set(result.index, result);
      }
      resolve(lines);
    });
  });
}

describe(\`recorded transactions of \${CHAINCODE_NAME}\`, function () {
  this.timeout(300000);
  let dataDir${ts(': string')} = '';
  let lines${ts(': Map<number, ResultLine>')} = new Map();

  before(async function () {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'replay-'));
    lines = await runRecorded(dataDir);
  });

  after(function () {
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  TRANSACTIONS.forEach((t, index) => {
    it(\`\${index}: \${t.args.join(' ')}\`, function () {
      const line = lines.get(index);
      assert.ok(line, \`no result for transaction \${index}\`);
      assert.strictEqual(line.error, undefined, line.error);
      const event = line.event && { name: line.event.name, payload: line.event.payload };
      assert.deepStrictEqual({ status: line.status, message: line.message, payload: line.payload, event, validation: line.validation }, t.expect);
    });
  });
});
`;
}
