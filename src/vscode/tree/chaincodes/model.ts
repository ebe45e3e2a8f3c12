/**
 * The Chaincodes view's model: one row per chaincode (`name:version`, mode in the description), its
 * icon by handler state, and children for the handler state and since when, in-flight transactions,
 * the last error and the container. Merges what the launcher launched with every handler the peer
 * has (a dev-mode chaincode started by hand registers without a launch).
 */
import type { LaunchMode, RunningChaincode } from '../../../engine/launch/types';
import type { HandlerInfo } from '../../../engine/peer/types';
import { clockTime, preview, shortTxId, ViewIcon, ViewNode } from '../viewNode';

export interface DebugInfo {
  readonly sessionName: string;
  readonly paused: boolean;
}

export interface ChaincodesInput {
  readonly peerAddress: string | undefined;
  readonly launched: readonly RunningChaincode[];
  readonly handlers: readonly HandlerInfo[];
  /** Debug sessions by chaincode id. */
  readonly debugging: ReadonlyMap<string, DebugInfo>;
  readonly now?: number;
}

/** `waiting`: a dev-mode chaincode whose process is gone; the peer waits for it to register again. */
export type ChaincodeState = 'launching' | 'waiting' | 'ready' | 'busy' | 'failed' | 'stopped';

export interface ChaincodeRow {
  readonly ccid: string;
  readonly mode: LaunchMode;
  readonly state: ChaincodeState;
  readonly handler?: HandlerInfo;
  readonly launched?: RunningChaincode;
  readonly debug?: DebugInfo;
}

const ICONS: Record<ChaincodeState, ViewIcon> = {
  launching: { id: 'loading~spin' },
  waiting: { id: 'debug-disconnect', color: 'problemsWarningIcon.foreground' },
  ready: { id: 'pass-filled', color: 'testing.iconPassed' },
  busy: { id: 'sync~spin', color: 'testing.iconPassed' },
  failed: { id: 'error', color: 'testing.iconFailed' },
  stopped: { id: 'circle-outline', color: 'disabledForeground' },
};

/** The newest handler per chaincode id wins (a restarted dev process gets a new handler). */
function latestHandlers(handlers: readonly HandlerInfo[]): Map<string, HandlerInfo> {
  const byId = new Map<string, HandlerInfo>();
  for (const h of handlers) {
    if (!h.chaincodeId) continue;
    const prev = byId.get(h.chaincodeId);
    const live = (x: HandlerInfo): boolean => x.state !== 'ended';
    if (!prev || (live(h) && !live(prev)) || (live(h) === live(prev) && h.since >= prev.since)) byId.set(h.chaincodeId, h);
  }
  return byId;
}

export function chaincodeState(launched: RunningChaincode | undefined, handler: HandlerInfo | undefined): ChaincodeState {
  if (handler?.state === 'ready') return handler.inFlight.length > 0 ? 'busy' : 'ready';
  if (launched?.status === 'failed') return 'failed';
  if (handler && (handler.state === 'created' || handler.state === 'established')) return 'launching';
  if (launched?.status === 'launching') return 'launching';
  if (launched?.status === 'waiting for registration') return 'waiting';
  if (launched?.status === 'ready' && !handler) return 'ready';
  return 'stopped';
}

export function chaincodeRows(input: ChaincodesInput): ChaincodeRow[] {
  const handlers = latestHandlers(input.handlers);
  const ids = new Set<string>([...input.launched.map((l) => l.ccid), ...handlers.keys()]);
  const rows: ChaincodeRow[] = [];
  for (const ccid of [...ids].sort()) {
    const launched = input.launched.find((l) => l.ccid === ccid);
    const handler = handlers.get(ccid);
    const debug = input.debugging.get(ccid);
    rows.push({ ccid, mode: launched?.definition.mode ?? 'dev', state: chaincodeState(launched, handler), handler, launched, debug });
  }
  return rows;
}

/**
 * `readyChaincode`, `launchingChaincode`…: menus treat busy as ready (`viewItem =~ /^ready/` would
 * not), and waiting for registration as launching (Stop and Restart apply; Invoke waits for it).
 */
export function chaincodeContextValue(state: ChaincodeState): string {
  const asMenus: Partial<Record<ChaincodeState, ChaincodeState>> = { busy: 'ready', waiting: 'launching' };
  return `${asMenus[state] ?? state}Chaincode`;
}

function stateLabel(state: ChaincodeState, debug: DebugInfo | undefined): string {
  const text: Record<ChaincodeState, string> = { launching: 'starting', waiting: 'waiting for registration', ready: 'ready', busy: 'busy', failed: 'failed', stopped: 'stopped' };
  if (debug) return `${text[state]} · ${debug.paused ? 'paused in debugger' : 'debugging'}`;
  return text[state];
}

export function chaincodeNode(row: ChaincodeRow, now = Date.now()): ViewNode {
  const base = `chaincode:${row.ccid}`;
  const children: ViewNode[] = [];
  const h = row.handler;
  if (h) {
    const reason = h.state === 'ended' && h.endReason ? ` (${h.endReason})` : '';
    children.push({
      id: `${base}/handler`, label: `Handler ${h.id}: ${h.state}${reason}`, description: `since ${clockTime(h.since, now)}`,
      tooltip: `${h.connection} stream from ${h.remote || 'unknown'}`, icon: { id: 'plug' },
    });
    for (const tx of h.inFlight) {
      children.push({
        id: `${base}/tx/${tx.txId}`, label: `${tx.fn || '(no function)'}`, description: `tx ${shortTxId(tx.txId)} · ${tx.channel} · since ${clockTime(tx.startedAt, now)}`,
        tooltip: tx.txId, icon: { id: 'sync~spin' }, contextValue: 'inFlightTransaction',
      });
    }
  } else if (row.state !== 'stopped') {
    children.push({ id: `${base}/handler`, label: 'Handler: waiting for the chaincode to register', icon: { id: 'plug' } });
  }
  const lastError = row.launched?.lastError ?? h?.lastError ?? undefined;
  if (lastError) {
    children.push({ id: `${base}/error`, label: `Last error: ${preview(lastError, 80)}`, tooltip: lastError, icon: { id: 'warning', color: 'problemsWarningIcon.foreground' } });
  }
  const c = row.launched?.container;
  if (c) {
    // The launcher names the container by chaincode id until Docker reports it: show Docker's short id.
    const name = c.id && c.name === row.ccid ? c.id.slice(0, 12) : c.name;
    children.push({
      id: `${base}/container`, label: `Container ${name}`, description: [c.status, c.image && preview(c.image, 40)].filter(Boolean).join(' · '),
      tooltip: [c.image && `image: ${c.image}`, c.id && `id: ${c.id}`].filter(Boolean).join('\n'), icon: { id: 'package' },
      target: { kind: 'container', containerId: c.id ?? c.name, chaincodeId: row.ccid }, contextValue: `${c.status === 'running' ? 'running' : 'exited'}Container`,
    });
  }
  const p = row.launched?.process;
  if (p) {
    children.push({ id: `${base}/process`, label: `Process ${p.pid ?? ''}`.trim(), description: p.status, icon: { id: 'terminal' } });
  }
  const folder = row.launched && row.mode !== 'system' ? row.launched.definition.path : '';
  if (folder) {
    children.push({ id: `${base}/folder`, label: 'Folder', description: folder, icon: { id: 'folder' } });
  }
  const mode = row.launched ? `${row.mode} · ${row.launched.definition.language}` : row.mode;
  return {
    id: base,
    label: row.ccid,
    description: `${mode} · ${stateLabel(row.state, row.debug)}`,
    tooltip: `${row.ccid} (${row.mode} mode): ${stateLabel(row.state, row.debug)}${lastError ? `\nLast error: ${lastError}` : ''}`,
    icon: ICONS[row.state],
    contextValue: chaincodeContextValue(row.state),
    children,
    expanded: row.state === 'failed',
    target: { kind: 'chaincode', chaincodeId: row.ccid },
  };
}

export function chaincodeNodes(input: ChaincodesInput): ViewNode[] {
  const now = input.now ?? Date.now();
  return chaincodeRows(input).map((row) => chaincodeNode(row, now));
}

/** The status bar's numbers. */
export function readyCount(input: ChaincodesInput): number {
  return chaincodeRows(input).filter((r) => r.state === 'ready' || r.state === 'busy').length;
}
