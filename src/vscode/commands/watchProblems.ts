/**
 * A chaincode build's diagnostics in the Problems view (one DiagnosticCollection, `chaincode`): each
 * build of a folder replaces what the last build of that folder reported, so a fixed error goes
 * away with the next save. Fed by Launch and Restart (their build first) and by the watch.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { BuildDiagnostic } from '../../engine/watch/buildDiagnostics';
import type { BuildOutcome } from '../../engine/watch/typescriptBuild';

const SEVERITY: Record<BuildDiagnostic['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  message: vscode.DiagnosticSeverity.Information,
};

export class BuildProblems implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('chaincode');
  /** The files each folder's last build reported on. */
  private readonly byFolder = new Map<string, vscode.Uri[]>();

  /** Shows `outcome`'s diagnostics for `folder`, in place of its previous build's. */
  show(folder: string, outcome: Pick<BuildOutcome, 'diagnostics' | 'commandLine'>): void {
    this.clear(folder);
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const d of outcome.diagnostics) {
      // A diagnostic about the build as a whole (a tsconfig option) shows on the project's tsconfig.
      const file = d.file ?? projectFile(folder);
      const line = Math.max(0, (d.line ?? 1) - 1);
      const column = Math.max(0, (d.column ?? 1) - 1);
      const diagnostic = new vscode.Diagnostic(new vscode.Range(line, column, line, column + 1), d.message, SEVERITY[d.severity]);
      diagnostic.source = outcome.commandLine.startsWith('npm') ? 'npm run build' : 'tsc';
      diagnostic.code = d.code;
      byFile.set(file, [...(byFile.get(file) ?? []), diagnostic]);
    }
    const uris: vscode.Uri[] = [];
    for (const [file, diagnostics] of byFile) {
      const uri = vscode.Uri.file(file);
      this.collection.set(uri, diagnostics);
      uris.push(uri);
    }
    this.byFolder.set(path.resolve(folder), uris);
  }

  clear(folder: string): void {
    for (const uri of this.byFolder.get(path.resolve(folder)) ?? []) this.collection.delete(uri);
    this.byFolder.delete(path.resolve(folder));
  }

  dispose(): void {
    this.collection.dispose();
  }
}

function projectFile(folder: string): string {
  const tsconfig = path.join(folder, 'tsconfig.json');
  return fs.existsSync(tsconfig) ? tsconfig : path.join(folder, 'package.json');
}

let shared: BuildProblems | undefined;

/** The one collection of the extension (created on first use, disposed with the extension). */
export function buildProblems(context: vscode.ExtensionContext): BuildProblems {
  if (!shared) {
    const created = new BuildProblems();
    shared = created;
    context.subscriptions.push(created, { dispose: () => (shared = shared === created ? undefined : shared) });
  }
  return shared;
}
