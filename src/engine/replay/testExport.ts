/**
 * "Export as test": a recorded sequence written as a test for the contract's own test runner (mocha
 * for Node and TypeScript, `go test` for Go). The test runs the real chaincode of its folder against
 * the real embedded peer, through the launcher's CLI (`chaincode-launcher launch <folder> --once
 * --tx …`, one launch on a fresh ledger), and expects each transaction to answer as it did when
 * recorded: status, message, payload and event as the CLI prints them, and its validation.
 * Nothing here needs the engine running, and nothing here is heavy: the editor loads it directly.
 */
import { isUtf8 } from 'buffer';
import * as fs from 'fs';
import * as path from 'path';
import type { TransactionRecord } from '../ledger/types';
import type { SourceLanguage } from '../platforms/types';
import { renderGoTest } from './goTestTemplate';
import { renderMochaTest } from './mochaTestTemplate';
import { isBinaryArgument } from './recordedValues';
import { chaincodeNameOf } from '../chaincodeId';
import { shortTxId } from '../txId';

/** Tests are exported as mocha (Node, TypeScript) or go tests. */
export type TestLanguage = Exclude<SourceLanguage, 'java'>;

/** What each exported transaction must answer: the CLI's result line, as it was recorded. */
export interface ExpectedResult {
  readonly status: number;
  readonly message: string;
  /** As the CLI prints bytes: UTF-8 text, or `base64:` and base64. */
  readonly payload: string;
  readonly event: { readonly name: string; readonly payload: string } | null;
  readonly validation: string;
}

export interface ExportedTransaction {
  /** --tx (committed when it succeeds) or --query (evaluated). */
  readonly submit: boolean;
  readonly args: readonly string[];
  readonly txId: string;
  readonly expect: ExpectedResult;
}

/** What a template needs to write one test file. */
export interface TestTemplateInput {
  readonly chaincodeName: string;
  readonly channel: string;
  /** How the test starts the CLI: a .js file runs with node, anything else runs as a command. */
  readonly launcher: string;
  /** The chaincode folder relative to the test file's directory ('' when the same). */
  readonly folderFromTest: string;
  readonly transactions: readonly ExportedTransaction[];
  /** Header lines: where the transactions came from, and which were left out and why. */
  readonly provenance: readonly string[];
}

export interface TestExportRequest {
  readonly language: TestLanguage;
  /** The chaincode's folder (where package.json or go.mod is). */
  readonly folder: string;
  /** Where the test goes; default: defaultTestFile. */
  readonly testFile?: string;
  /** The chaincode whose transactions are exported; others' are left out. */
  readonly chaincodeName: string;
  readonly channel: string;
  /** The recorded sequence, oldest first (see recordedSequence). */
  readonly sequence: readonly TransactionRecord[];
  readonly launcher: string;
  readonly now?: Date;
}

export class TestExportError extends Error {
  override readonly name = 'TestExportError';
}

/** Where a test goes by default: `test/replay-<time>.test.js|ts` (Node, TypeScript); `replay_<time>_test.go` beside go.mod. */
export function defaultTestFile(folder: string, language: TestLanguage, now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/\.\d+Z$/, '')
    .replace(/[-:]/g, '')
    .replace('T', '-');
  if (language === 'golang') return path.join(folder, `replay_${stamp.replace('-', '_')}_test.go`);
  return path.join(folder, 'test', `replay-${stamp}.test.${language === 'typescript' ? 'ts' : 'js'}`);
}

/** The test file's text for a recorded sequence. */
export function renderTest(request: TestExportRequest): { readonly file: string; readonly text: string; readonly count: number } {
  const now = request.now ?? new Date();
  const file = path.resolve(request.testFile ?? defaultTestFile(request.folder, request.language, now));
  const left: string[] = [];
  const transactions: ExportedTransaction[] = [];
  for (const r of request.sequence) {
    const why = leftOutBecause(r, request.chaincodeName);
    if (why) left.push(`${r.fn}(${r.args.join(', ')}) ${shortTxId(r.txId)}: ${why}`);
    else transactions.push(exportedTransaction(r));
  }
  if (transactions.length === 0) {
    throw new TestExportError(
      `no recorded transaction of chaincode ${request.chaincodeName} on channel ${request.channel} can be exported${left.length ? ` (${left.join('; ')})` : ''}`,
    );
  }
  const input: TestTemplateInput = {
    chaincodeName: request.chaincodeName,
    channel: request.channel,
    launcher: request.launcher,
    folderFromTest: path.relative(path.dirname(file), path.resolve(request.folder)),
    transactions,
    provenance: [
      `${transactions.length} transaction${transactions.length === 1 ? '' : 's'} of chaincode ${request.chaincodeName}, recorded on channel ${request.channel}, exported ${now.toISOString()}.`,
      ...left.map((l) => `Left out: ${l}.`),
    ],
  };
  const text = request.language === 'golang' ? renderGoTest(input, goPackageOf(request.folder)) : renderMochaTest(input, request.language === 'typescript');
  return { file, text, count: transactions.length };
}

/** Renders the test and writes it (creating its directory); returns where and how many transactions. */
export async function exportTest(request: TestExportRequest): Promise<{ readonly file: string; readonly count: number }> {
  const { file, text, count } = renderTest(request);
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  await fs.promises.writeFile(file, text);
  return { file, count };
}

function leftOutBecause(r: TransactionRecord, chaincodeName: string): string | null {
  if (chaincodeNameOf(r.chaincode) !== chaincodeName) return `it ran on chaincode ${r.chaincode}`;
  if (r.kind === 'init') return 'an init, which the CLI does not send';
  if (r.blockNum !== null && r.validation !== 'VALID') return `it was ordered but ${r.validation}, which one transaction at a time cannot reproduce`;
  if ([r.fn, ...r.args].some(isBinaryArgument)) return 'an argument is bytes that are not text, which the CLI cannot pass';
  return null;
}

function exportedTransaction(r: TransactionRecord): ExportedTransaction {
  return {
    submit: r.kind !== 'query',
    args: [r.fn, ...r.args],
    txId: r.txId,
    expect: {
      status: r.status,
      message: r.message,
      payload: printedBytes(r.payload),
      event: r.event ? { name: r.event.eventName, payload: printedBytes(r.event.payload) } : null,
      validation: r.validation,
    },
  };
}

/** Bytes as the CLI prints them (its README): UTF-8 text, else (or when the text starts with the marker) `base64:` and base64. */
function printedBytes(bytes: Buffer): string {
  const text = isUtf8(bytes) ? bytes.toString('utf8') : undefined;
  return text !== undefined && !text.startsWith('base64:') ? text : `base64:${bytes.toString('base64')}`;
}

/** The Go package of the folder's sources (a chaincode's is usually main). */
function goPackageOf(folder: string): string {
  for (const name of fs.readdirSync(folder).sort()) {
    if (!name.endsWith('.go') || name.endsWith('_test.go')) continue;
    const match = /^\s*package\s+([A-Za-z_][A-Za-z0-9_]*)/m.exec(fs.readFileSync(path.join(folder, name), 'utf8'));
    if (match) return match[1];
  }
  throw new TestExportError(`${folder} has no Go source to place a test beside`);
}
