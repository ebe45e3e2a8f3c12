/**
 * Which chaincodes are under a debugger, and whether each is paused. Watches every debug adapter
 * (`'*'`: js-debug rewrites `node` to `pwa-node`, and its `stopped` events come from a child session
 * whose configuration is bare, so the chaincode id is read from the parent's) and holds the
 * chaincode's execute timeout in the peer while its debuggee is stopped. Also forwards the debuggee's
 * output to the chaincode's output channel.
 */
import * as vscode from 'vscode';
import { CHAINCODE_ID_FIELD } from './chaincodeDebug';
import { DapMessage, PauseState } from './pauseState';

export interface TimeoutHolder {
  pauseExecuteTimeout(ccid: string): void;
  resumeExecuteTimeout(ccid: string): void;
}

export function chaincodeIdOfSession(session: vscode.DebugSession): string | undefined {
  const own: unknown = session.configuration[CHAINCODE_ID_FIELD];
  if (typeof own === 'string') return own;
  const parent: unknown = session.parentSession?.configuration[CHAINCODE_ID_FIELD];
  return typeof parent === 'string' ? parent : undefined;
}

interface Entry {
  readonly root: vscode.DebugSession;
  readonly pausedSessions: Set<string>;
}

export class DebugSessions implements vscode.Disposable {
  private readonly byChaincode = new Map<string, Entry>();
  private readonly changed = new vscode.EventEmitter<string>();
  readonly onDidChange = this.changed.event;
  private readonly ended = new vscode.EventEmitter<string>();
  /** A chaincode's root debug session ended. */
  readonly onDidEndSession = this.ended.event;
  private readonly ending = new vscode.EventEmitter<string>();
  /**
   * The user is ending a chaincode's debug session (VS Code asks the adapter to terminate or
   * disconnect, not to restart): stopping the chaincode first makes the view show it stopped, not
   * failed or waiting for registration.
   */
  readonly onWillEndSession = this.ending.event;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly timeouts: () => TimeoutHolder | undefined,
    private readonly output: (ccid: string, text: string) => void,
  ) {
    this.disposables.push(
      vscode.debug.registerDebugAdapterTrackerFactory('*', { createDebugAdapterTracker: (s) => this.tracker(s) }),
      vscode.debug.onDidStartDebugSession((s) => {
        const ccid: unknown = s.configuration[CHAINCODE_ID_FIELD];
        if (typeof ccid !== 'string' || s.parentSession) return;
        this.byChaincode.set(ccid, { root: s, pausedSessions: new Set() });
        this.changed.fire(ccid);
      }),
      vscode.debug.onDidTerminateDebugSession((s) => {
        const ccid: unknown = s.configuration[CHAINCODE_ID_FIELD];
        if (typeof ccid !== 'string' || this.byChaincode.get(ccid)?.root.id !== s.id) return;
        this.byChaincode.delete(ccid);
        this.timeouts()?.resumeExecuteTimeout(ccid);
        this.changed.fire(ccid);
        this.ended.fire(ccid);
      }),
    );
  }

  /** Chaincode ids under a debugger, with their pause state. */
  snapshot(): Map<string, { sessionName: string; paused: boolean }> {
    const out = new Map<string, { sessionName: string; paused: boolean }>();
    for (const [ccid, e] of this.byChaincode) out.set(ccid, { sessionName: e.root.name, paused: e.pausedSessions.size > 0 });
    return out;
  }

  session(ccid: string): vscode.DebugSession | undefined {
    return this.byChaincode.get(ccid)?.root;
  }

  isPaused(ccid: string): boolean {
    return (this.byChaincode.get(ccid)?.pausedSessions.size ?? 0) > 0;
  }

  private tracker(session: vscode.DebugSession): vscode.DebugAdapterTracker | undefined {
    const ccid = chaincodeIdOfSession(session);
    if (!ccid) return undefined;
    this.trackedSessions.set(session.id, session);
    const state = new PauseState((paused) => this.setPaused(ccid, session.id, paused));
    // VS Code also disconnects a session whose debuggee ended by itself (after 'terminated'), and one
    // it restarts (`restart: true`, the chaincode comes back): neither is the user ending it.
    let ended = false;
    return {
      onWillReceiveMessage: (m: DapMessage & { arguments?: { restart?: boolean } }) => {
        if (m.type === 'request' && (m.command === 'disconnect' || m.command === 'terminate') && !ended && m.arguments?.restart !== true) this.ending.fire(ccid);
      },
      onDidSendMessage: (m: DapMessage & { body?: { output?: string; category?: string } }) => {
        if (m.type === 'event' && (m.event === 'terminated' || m.event === 'exited')) ended = true;
        state.fromAdapter(m);
        if (m.type === 'event' && m.event === 'output' && m.body?.output && m.body.category !== 'telemetry') {
          // js-debug reports the process's output on the child session only.
          this.output(ccid, m.body.output);
        }
      },
      onExit: () => state.end(),
      onWillStopSession: () => {
        state.end();
        this.trackedSessions.delete(session.id);
      },
    };
  }

  private readonly trackedSessions = new Map<string, vscode.DebugSession>();

  private sessionById(id: string): vscode.DebugSession | undefined {
    return this.trackedSessions.get(id);
  }

  private setPaused(ccid: string, sessionId: string, paused: boolean): void {
    let entry = this.byChaincode.get(ccid);
    if (!entry) {
      // a child session can report before onDidStartDebugSession of its root was seen
      const session = this.sessionById(sessionId);
      if (!session) return;
      entry = { root: session.parentSession ?? session, pausedSessions: new Set() };
      this.byChaincode.set(ccid, entry);
    }
    const before = entry.pausedSessions.size > 0;
    if (paused) entry.pausedSessions.add(sessionId);
    else entry.pausedSessions.delete(sessionId);
    const after = entry.pausedSessions.size > 0;
    if (before === after) return;
    const holder = this.timeouts();
    if (after) holder?.pauseExecuteTimeout(ccid);
    else holder?.resumeExecuteTimeout(ccid);
    this.changed.fire(ccid);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.changed.dispose();
    this.ended.dispose();
    this.ending.dispose();
  }
}
