/**
 * An editable copy of the example chaincode (examples/asset-transfer) in a temporary folder, its
 * node_modules linked, so a test can change the chaincode's code as a developer would.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EXAMPLE_CHAINCODE } from '../../support/nodeChaincode';

export interface ExampleCopy {
  readonly folder: string;
  /** Rewrites lib/assetTransfer.js with `edit` applied; throws when it changed nothing. */
  edit(edit: (source: string) => string): void;
  remove(): void;
}

export function copyExample(label = 'example'): ExampleCopy {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `replay-${label}-`));
  const folder = path.join(root, 'asset-transfer');
  fs.mkdirSync(folder);
  for (const name of ['index.js', 'lib', 'package.json']) fs.cpSync(path.join(EXAMPLE_CHAINCODE, name), path.join(folder, name), { recursive: true });
  fs.symlinkSync(path.join(EXAMPLE_CHAINCODE, 'node_modules'), path.join(folder, 'node_modules'), 'dir');
  return {
    folder,
    edit: (edit) => editFile(path.join(folder, 'lib', 'assetTransfer.js'), edit),
    remove: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}

/** Rewrites `file` with `edit` applied; throws when it changed nothing. */
export function editFile(file: string, edit: (source: string) => string): void {
  const before = fs.readFileSync(file, 'utf8');
  const after = edit(before);
  if (after === before) throw new Error('the edit changed nothing');
  fs.writeFileSync(file, after);
}

/** The example's TransferAsset, changed: new owners in capitals, and another event name. */
export function shoutingTransfer(source: string): string {
  return source.replace('asset.Owner = newOwner;', 'asset.Owner = newOwner.toUpperCase();').replace("setEvent('AssetTransferred'", "setEvent('AssetMoved'");
}
