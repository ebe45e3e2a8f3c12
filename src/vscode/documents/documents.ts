/**
 * Read-only JSON documents under the `chaincode:` scheme: state keys (value and history),
 * transactions (read/write set, event) and invocation results. Content is rendered on open from the
 * engine's current data (documents/render.ts).
 */
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { renderResult, renderStateKey, renderTransaction } from './render';

export const SCHEME = 'chaincode';

export class ChaincodeDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  /** Results are not in the ledger's records when they failed early; keep the last few here. */
  private readonly results = new Map<string, string>();
  private readonly registration: vscode.Disposable;

  constructor(private readonly ctx: Ctx) {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(SCHEME, this);
  }

  static stateKeyUri(channel: string, chaincode: string, key: string): vscode.Uri {
    const label = key.replace(/\u0000/g, '␀').replace(/[/\\]/g, '_').slice(0, 80) || 'key';
    return vscode.Uri.from({ scheme: SCHEME, path: `/state/${channel}/${chaincode}/${label}.json`, query: new URLSearchParams({ channel, chaincode, key }).toString() });
  }

  static transactionUri(txId: string): vscode.Uri {
    return vscode.Uri.from({ scheme: SCHEME, path: `/transactions/${txId.slice(0, 8)}.json`, query: new URLSearchParams({ txId }).toString() });
  }

  resultUri(fn: string, args: readonly string[], result: Parameters<typeof renderResult>[2]): vscode.Uri {
    const id = result.txId;
    this.results.set(id, renderResult(fn, args, result));
    if (this.results.size > 20) this.results.delete(this.results.keys().next().value as string);
    const uri = vscode.Uri.from({ scheme: SCHEME, path: `/results/${fn || 'result'}-${id.slice(0, 8)}.json`, query: new URLSearchParams({ result: id }).toString() });
    this.changed.fire(uri);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const q = new URLSearchParams(uri.query);
    const engine = this.ctx.engine.current;
    const result = q.get('result');
    if (result) return this.results.get(result) ?? '{}';
    if (!engine) return JSON.stringify({ error: vscode.l10n.t('The embedded peer is not running.') });
    const txId = q.get('txId');
    if (txId) {
      const r = engine.transactions.transaction(txId);
      return r ? renderTransaction(r) : JSON.stringify({ error: vscode.l10n.t('Transaction {0} is not in the ledger.', txId) });
    }
    const channel = q.get('channel') ?? '';
    const chaincode = q.get('chaincode') ?? '';
    const key = q.get('key') ?? '';
    const ns = { channel, chaincode };
    const ledger = engine.peer.ledgers().find((l) => l.channel === channel);
    if (!ledger) return JSON.stringify({ error: vscode.l10n.t('The peer has not joined channel {0}.', channel) });
    return renderStateKey(channel, chaincode, key, ledger.state.getState(ns, key), ledger.state.getHistory(ns, key));
  }

  async open(uri: vscode.Uri, options: { preview?: boolean; beside?: boolean } = {}): Promise<vscode.TextEditor> {
    this.changed.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(doc, 'json');
    // Beside: in the group already showing one of our documents, rather than one more group each time.
    const ours = options.beside ? vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme === SCHEME && e.viewColumn !== undefined) : undefined;
    const viewColumn = options.beside ? (ours?.viewColumn ?? vscode.ViewColumn.Beside) : undefined;
    return vscode.window.showTextDocument(doc, { preview: options.preview ?? true, viewColumn });
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}
