/**
 * Read-only JSON documents under the `chaincode:` scheme: state keys (value and history),
 * transactions (read/write set, event), invocation results, what each endorsing peer computed when
 * their results differ, and blocks (decoded in the engine bundle). Content is rendered on open from the
 * engine's current data (documents/render.ts). They open in one editor group, titled with the
 * function and short txid; a key's history entries link to their transactions.
 */
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { engineBundle } from '../engineAssembly';
import { documentTitle, txIdMentions } from './historyLinks';
import { renderEndorserOutput, renderResult, renderStateKey, renderTransaction } from './render';
import type { EndorserOutput } from '../../engine/transactions/endorsers';
import { shortTxId } from '../../engine/txId';

export const SCHEME = 'chaincode';

export class ChaincodeDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  /** Results (not in the ledger's records when they failed early) and endorser outputs: the last few. */
  private readonly results = new Map<string, string>();
  private readonly registrations: vscode.Disposable[];

  constructor(private readonly ctx: Ctx) {
    this.registrations = [
      vscode.workspace.registerTextDocumentContentProvider(SCHEME, this),
      // A txid in a key's history refers to another document: a link, as a path or URL in a file is.
      vscode.languages.registerDocumentLinkProvider({ scheme: SCHEME, pattern: '/state/**' }, { provideDocumentLinks: (doc) => this.historyLinks(doc) }),
    ];
  }

  static stateKeyUri(channel: string, chaincode: string, key: string): vscode.Uri {
    const label = key.replaceAll('\u0000', '␀').replace(/[/\\]/g, '_').slice(0, 80) || 'key';
    return vscode.Uri.from({ scheme: SCHEME, path: `/state/${channel}/${chaincode}/${label}.json`, query: new URLSearchParams({ channel, chaincode, key }).toString() });
  }

  /** `fn`: the transaction's function, for the title (looked up in the ledger when not given). */
  transactionUri(txId: string, fn?: string): vscode.Uri {
    const name = fn ?? this.ctx.engine.current?.transactions.transaction(txId)?.fn ?? '';
    return vscode.Uri.from({ scheme: SCHEME, path: `/transactions/${documentTitle(name, txId)}`, query: new URLSearchParams({ txId }).toString() });
  }

  /** `caller`: who the transaction was sent as, for the document. */
  resultUri(fn: string, args: readonly string[], result: Parameters<typeof renderResult>[2], caller?: string): vscode.Uri {
    const id = result.txId;
    this.keep(id, renderResult(fn, args, result, caller));
    const uri = vscode.Uri.from({ scheme: SCHEME, path: `/results/${documentTitle(fn, id)}`, query: new URLSearchParams({ result: id }).toString() });
    this.changed.fire(uri);
    return uri;
  }

  /** One endorsing peer's output for transaction `txId` (a side of the non-determinism diff). */
  endorserUri(fn: string, txId: string, output: EndorserOutput): vscode.Uri {
    const id = `${txId}/${output.peer}`;
    this.keep(id, renderEndorserOutput(output));
    const title = documentTitle(fn, txId).replace(/\.json$/, ` ${output.peer}.json`);
    const uri = vscode.Uri.from({ scheme: SCHEME, path: `/endorsements/${title}`, query: new URLSearchParams({ result: id }).toString() });
    this.changed.fire(uri);
    return uri;
  }

  private keep(id: string, text: string): void {
    this.results.set(id, text);
    if (this.results.size > 20) this.results.delete(this.results.keys().next().value as string);
  }

  /** A document with the given content (a connected network's block), kept as results are. */
  givenUri(folder: string, title: string, content: string): vscode.Uri {
    const id = `${folder}/${title}`;
    this.keep(id, content);
    const uri = vscode.Uri.from({ scheme: SCHEME, path: `/${folder}/${title}`, query: new URLSearchParams({ result: id }).toString() });
    this.changed.fire(uri);
    return uri;
  }

  static blockUri(channel: string, number: number): vscode.Uri {
    return vscode.Uri.from({ scheme: SCHEME, path: `/blocks/${channel}/block-${number}.json`, query: new URLSearchParams({ channel, block: String(number) }).toString() });
  }

  provideTextDocumentContent(uri: vscode.Uri): string | Promise<string> {
    const q = new URLSearchParams(uri.query);
    const engine = this.ctx.engine.current;
    const result = q.get('result');
    if (result) return this.results.get(result) ?? '{}';
    if (!engine) return JSON.stringify({ error: vscode.l10n.t('The embedded peer is not running.') });
    const block = q.get('block');
    if (block !== null) return this.blockContent(q.get('channel') ?? '', Number(block));
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

  private async blockContent(channel: string, number: number): Promise<string> {
    const ledger = this.ctx.engine.current?.peer.ledgers().find((l) => l.channel === channel);
    if (!ledger) return JSON.stringify({ error: vscode.l10n.t('The peer has not joined channel {0}.', channel) });
    if (!Number.isInteger(number) || number < 0 || number >= ledger.blocks.height) {
      return JSON.stringify({ error: vscode.l10n.t('Channel {0} has no block {1} (its height is {2}).', channel, number, ledger.blocks.height) });
    }
    try {
      return JSON.stringify(engineBundle().blockToJson(await ledger.blocks.getBlock(number)), null, 2);
    } catch (err) {
      return JSON.stringify({ error: vscode.l10n.t('Block {0} of channel {1} could not be read: {2}', number, channel, (err as Error).message) });
    }
  }

  /**
   * Opens in the group that already holds one of our documents (shown or not), so results,
   * transactions and keys pile up in one group instead of one more each time; the first one opens
   * beside the code when `beside`, else in the active group.
   */
  async open(uri: vscode.Uri, options: { preview?: boolean; beside?: boolean } = {}): Promise<vscode.TextEditor> {
    this.changed.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    if (doc.languageId !== 'json') await vscode.languages.setTextDocumentLanguage(doc, 'json');
    const viewColumn = ChaincodeDocuments.ourGroup() ?? (options.beside ? vscode.ViewColumn.Beside : undefined);
    return vscode.window.showTextDocument(doc, { preview: options.preview ?? true, viewColumn });
  }

  /** The editor group holding a document of ours: the active one if it does, else the first. */
  static ourGroup(): vscode.ViewColumn | undefined {
    const holds = (g: vscode.TabGroup): boolean => g.tabs.some((t) => t.input instanceof vscode.TabInputText && t.input.uri.scheme === SCHEME);
    const groups = vscode.window.tabGroups;
    return (holds(groups.activeTabGroup) ? groups.activeTabGroup : groups.all.find(holds))?.viewColumn;
  }

  private historyLinks(doc: vscode.TextDocument): vscode.DocumentLink[] {
    return txIdMentions(doc.getText()).map((m) => {
      const link = new vscode.DocumentLink(new vscode.Range(doc.positionAt(m.offset), doc.positionAt(m.offset + m.length)), this.transactionUri(m.txId));
      link.tooltip = vscode.l10n.t('Open transaction {0}', shortTxId(m.txId));
      return link;
    });
  }

  dispose(): void {
    for (const r of this.registrations) r.dispose();
    this.changed.dispose();
  }
}
