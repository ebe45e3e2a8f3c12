/**
 * What the launcher reports about each chaincode it manages (Fabric's table of running chaincodes,
 * plus what the editor shows): status, runtime, last error, recent output. Events out on every change.
 */
import type { RuntimeEvent, VMKind } from '../container/types';
import type { Handler } from '../peer/handler';
import type { LaunchState } from '../peer/handlerRegistry';
import { Emitter } from '../util/events';
import type { ChaincodeDefinition, ChaincodeLog, ChaincodeStatus, ContainerInfo, ProcessInfo, RunningChaincode } from './types';
import { txIdInLine } from '../txId';

export interface TableEntry {
  definition: ChaincodeDefinition;
  status: ChaincodeStatus;
  since: number;
  vm?: VMKind;
  handler?: Handler;
  lastError?: string;
  container?: ContainerInfo;
  process?: ProcessInfo;
  recentLogs: string[];
  /** The launch this entry's launcher owns, until it is done. */
  launch?: LaunchState;
  /** The runtime of the current launch reported its start: from now on its exit ends the launch. */
  runtimeStarted: boolean;
  /** A launch state nobody launches: the peer takes the chaincode's REGISTER whenever it comes back. */
  reregistration?: LaunchState;
  /** Being stopped: its handler's end is expected. */
  stopping: boolean;
}

const RECENT_LOG_LINES = 20;

/** A stack trace's frames after its first two: they would push the error line itself (`SyntaxError: …`) out of the last lines. */
const STACK_FRAME = /^\s+at /;
function withoutDeepStackFrames(lines: readonly string[]): string[] {
  return lines.filter((line, i) => !STACK_FRAME.test(line) || !STACK_FRAME.test(lines[i - 1] ?? '') || !STACK_FRAME.test(lines[i - 2] ?? ''));
}

export class ChaincodeTable {
  private readonly entries = new Map<string, TableEntry>();
  private readonly changed = new Emitter<RunningChaincode>();
  private readonly logs = new Emitter<ChaincodeLog>();
  readonly onDidChangeChaincode = this.changed.event;
  readonly onLog = this.logs.event;

  get(ccid: string): TableEntry | undefined {
    return this.entries.get(ccid);
  }

  ids(): string[] {
    return [...this.entries.keys()];
  }

  /** A new launch of `definition`: a fresh entry (its output and runtime are the new launch's). */
  begin(ccid: string, definition: ChaincodeDefinition, status: ChaincodeStatus, handler?: Handler): TableEntry {
    const entry: TableEntry = { definition, status, since: Date.now(), handler, recentLogs: [], runtimeStarted: false, stopping: false };
    this.entries.set(ccid, entry);
    this.fire(ccid);
    return entry;
  }

  update(ccid: string, patch: Partial<Pick<TableEntry, 'status' | 'lastError' | 'handler'>>): void {
    const entry = this.entries.get(ccid);
    if (!entry) return;
    if (patch.status && patch.status !== entry.status) entry.since = Date.now();
    Object.assign(entry, patch);
    this.fire(ccid);
  }

  /** Reports the end of a chaincode (stopped), then forgets it. */
  remove(ccid: string, status: ChaincodeStatus): void {
    this.update(ccid, { status });
    this.entries.delete(ccid);
  }

  /** The error as the user should read it: with the chaincode's last output lines. */
  describe(ccid: string, cause: Error): string {
    const logs = withoutDeepStackFrames(this.entries.get(ccid)?.recentLogs ?? []);
    return logs.length ? `${cause.message}; last log lines:\n${logs.slice(-10).join('\n')}` : cause.message;
  }

  /** A runtime's output and state: logs out as ChaincodeLogs; status into the entry. */
  record(e: RuntimeEvent & { readonly vm: VMKind }): void {
    const entry = this.entries.get(e.ccid);
    if (e.kind === 'log') {
      // Blank lines (npm prints some) are worth nothing in an error message.
      if (entry && e.line.trim() !== '') {
        entry.recentLogs.push(e.line);
        if (entry.recentLogs.length > RECENT_LOG_LINES) entry.recentLogs.shift();
      }
      this.logs.fire({ ccid: e.ccid, stream: e.stream, line: e.line, txId: txIdInLine(e.line) });
      return;
    }
    if (e.kind !== 'status' || !entry || e.vm !== entry.vm) return;
    if (e.status === 'created' || e.status === 'running') entry.runtimeStarted = true;
    // A new container: what an error quotes is its output, not the image build's that came before.
    if (e.status === 'created') entry.recentLogs.length = 0;
    if (e.vm === 'docker') {
      entry.container = { name: entry.container?.name ?? e.ccid, id: e.containerId ?? entry.container?.id, image: e.image ?? entry.container?.image, status: e.status };
    } else if (e.vm === 'process') {
      entry.process = { pid: e.pid ?? entry.process?.pid, status: e.status };
    }
    this.fire(e.ccid);
  }

  snapshot(ccid: string): RunningChaincode | undefined {
    const e = this.entries.get(ccid);
    if (!e) return undefined;
    return {
      ccid,
      definition: e.definition,
      status: e.status,
      since: e.since,
      handlerId: e.handler?.id,
      container: e.container,
      process: e.process,
      lastError: e.lastError,
    };
  }

  all(): RunningChaincode[] {
    return this.ids().flatMap((ccid) => this.snapshot(ccid) ?? []);
  }

  dispose(): void {
    this.changed.dispose();
    this.logs.dispose();
  }

  private fire(ccid: string): void {
    const snapshot = this.snapshot(ccid);
    if (snapshot) this.changed.fire(snapshot);
  }
}
