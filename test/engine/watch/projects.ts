/**
 * Chaincode folders a watch test edits: a copy of the example (../replay/exampleCopy.ts), and a
 * TypeScript contract project written by New Project's templates with the repository's node_modules
 * linked (its compiler, fabric-contract-api and the type declarations the template names), so no
 * install runs.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { writeProject } from '../../../src/engine/scaffold';
import { REPO_ROOT } from '../../support/nodeChaincode';
import { editFile } from '../replay/exampleCopy';

export interface TypeScriptProject {
  readonly folder: string;
  readonly name: string;
  /** src/assetContract.ts */
  readonly contract: string;
  /** Rewrites the contract with `edit` applied; throws when it changed nothing. */
  edit(edit: (source: string) => string): void;
  remove(): void;
}

export async function typeScriptProject(name = 'watchts'): Promise<TypeScriptProject> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'watch-ts-'));
  const project = await writeProject({ folder: path.join(root, name), language: 'typescript', name });
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(project.folder, 'node_modules'), 'dir');
  const contract = path.join(project.folder, 'src', 'assetContract.ts');
  return {
    folder: project.folder,
    name,
    contract,
    edit: (edit) => editFile(contract, edit),
    remove: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}

/** The template's ReadAsset return line, and the line number it is on (1-based). */
export const TS_READ_RETURN = "return Buffer.from(bytes).toString('utf8');";

export function lineOf(file: string, text: string): number {
  const i = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(text));
  if (i < 0) throw new Error(`${text} is not in ${file}`);
  return i + 1;
}
