/**
 * The extension's own log (a LogOutputChannel) and one output channel per chaincode, fed with its
 * process output (dev mode), its debuggee's output (F5) or its container's logs (net mode); lines are
 * tagged with the transaction id where the shim prints one.
 */
import * as vscode from 'vscode';
import { stripAnsi } from '../engine/util/lines';
import { txIdInLine } from '../engine/txId';
import { tagLine } from './logTags';

export class ChaincodeLogs implements vscode.Disposable {
  private readonly channels = new Map<string, vscode.OutputChannel>();
  /** The last lines per chaincode, for error messages and tests. */
  private readonly recent = new Map<string, string[]>();

  constructor(readonly log: vscode.LogOutputChannel) {}

  channel(ccid: string): vscode.OutputChannel {
    let ch = this.channels.get(ccid);
    if (!ch) {
      ch = vscode.window.createOutputChannel(vscode.l10n.t('Chaincode {0}', ccid));
      this.channels.set(ccid, ch);
    }
    return ch;
  }

  /** Appends text (maybe several lines) from a chaincode; `txId` when the engine already knows it. */
  append(ccid: string, text: string, options: { txId?: string; inFlight?: readonly string[] } = {}): void {
    const ch = this.channel(ccid);
    const lines = stripAnsi(text)
      .replace(/\r?\n$/, '')
      .split(/\r?\n/);
    const recent = this.recent.get(ccid) ?? [];
    for (const line of lines) {
      const tagged = tagLine(line, options.txId ?? txIdInLine(line, options.inFlight));
      ch.appendLine(tagged);
      recent.push(tagged);
    }
    this.recent.set(ccid, recent.slice(-200));
  }

  recentLines(ccid: string, count = 20): string[] {
    return (this.recent.get(ccid) ?? []).slice(-count);
  }

  show(ccid: string): void {
    this.channel(ccid).show(true);
  }

  dispose(): void {
    for (const ch of this.channels.values()) ch.dispose();
    this.channels.clear();
  }
}
