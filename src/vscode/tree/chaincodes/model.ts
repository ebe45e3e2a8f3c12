/**
 * The Chaincodes view's model: one row per chaincode (`name:version`, mode in the description), its
 * icon by handler state, and children for the handler state and since when, in-flight transactions,
 * the last error and the container. Merges what the launcher launched with every handler the peer
 * has (a dev-mode chaincode started by hand registers without a launch), and the chaincodes served
 * for a peer to dial (chaincode as a service, under the debugger), with the connections peers made.
 */
import type { ServedChaincodeInfo } from '../../../engine/ccaas/types';
import { isPeerSystemChaincode, shortChaincodeId } from '../../../engine/chaincodeId';
import type { LaunchMode, RunningChaincode } from '../../../engine/launch/types';
import { sourceLanguageOf } from '../../../engine/workspace/detect';
import type { HandlerInfo } from '../../../engine/peer/types';
import { clockTime, preview, ViewIcon, ViewNode } from '../viewNode';
import { shortTxId } from '../../../engine/txId';

export interface DebugInfo {
  readonly sessionName: string;
  readonly paused: boolean;
}

/** A watched chaincode (saves rebuild, restart, and re-run), as the row shows it. */
export interface WatchInfo {
  /** reloading: a save is being built, restarted and re-run; build failed: the last build's errors are in Problems. */
  readonly state: 'watching' | 'reloading' | 'build failed';
  /** What a save runs again: the pinned transactions (`TransferAsset(asset1, Alice)`), in order. */
  readonly pinned: readonly { readonly key: string; readonly label: string }[];
}

export interface ChaincodesInput {
  readonly peerAddress: string | undefined;
  readonly launched: readonly RunningChaincode[];
  readonly handlers: readonly HandlerInfo[];
  /** Debug sessions by chaincode id. */
  readonly debugging: ReadonlyMap<string, DebugInfo>;
  /** Chaincodes served for a peer to dial (by package ID). */
  readonly serving?: readonly ServedChaincodeInfo[];
  /** Watched chaincodes by id; undefined where the editor offers no watch (rows get no watch menus). */
  readonly watching?: ReadonlyMap<string, WatchInfo>;
  readonly now?: number;
}

/**
 * `waiting`: a dev-mode chaincode whose process is gone; the peer waits for it to register again.
 * `serving`: a chaincode server peers can dial, and no handler of the embedded peer is ready on it.
 */
export type ChaincodeState = 'launching' | 'waiting' | 'ready' | 'busy' | 'serving' | 'failed' | 'stopped';

export interface ChaincodeRow {
  readonly ccid: string;
  readonly mode: LaunchMode;
  readonly state: ChaincodeState;
  readonly handler?: HandlerInfo;
  readonly launched?: RunningChaincode;
  readonly debug?: DebugInfo;
  readonly serving?: ServedChaincodeInfo;
  /** on: watched; off: could be (launched from a folder); undefined: it cannot be. */
  readonly watch?: { readonly on: true; readonly info: WatchInfo } | { readonly on: false };
  /** The editor offers watch (rows without `watch` cannot be watched). */
  readonly watchOffered?: boolean;
}

const ICONS: Record<ChaincodeState, ViewIcon> = {
  launching: { id: 'loading~spin' },
  waiting: { id: 'debug-disconnect', color: 'problemsWarningIcon.foreground' },
  ready: { id: 'pass-filled', color: 'testing.iconPassed' },
  busy: { id: 'sync~spin', color: 'testing.iconPassed' },
  serving: { id: 'radio-tower', color: 'testing.iconPassed' },
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

export function chaincodeState(launched: RunningChaincode | undefined, handler: HandlerInfo | undefined, serving?: ServedChaincodeInfo): ChaincodeState {
  if (handler?.state === 'ready') return handler.inFlight.length > 0 ? 'busy' : 'ready';
  if (launched?.status === 'failed') return 'failed';
  if (handler && (handler.state === 'created' || handler.state === 'established')) return 'launching';
  if (launched?.status === 'launching') return 'launching';
  if (launched?.status === 'waiting for registration') return 'waiting';
  if (launched?.status === 'ready' && !handler) return 'ready';
  if (serving?.status === 'serving') return 'serving';
  if (serving?.status === 'starting') return 'launching';
  return 'stopped';
}

export function chaincodeRows(input: ChaincodesInput): ChaincodeRow[] {
  const handlers = latestHandlers(input.handlers);
  const serving = input.serving ?? [];
  const ids = new Set<string>([...input.launched.map((l) => l.ccid), ...handlers.keys(), ...serving.map((s) => s.packageId)].filter((ccid) => !isPeerSystemChaincode(ccid)));
  const rows: ChaincodeRow[] = [];
  for (const ccid of [...ids].sort()) {
    const launched = input.launched.find((l) => l.ccid === ccid);
    const handler = handlers.get(ccid);
    const debug = input.debugging.get(ccid);
    const served = serving.find((s) => s.packageId === ccid);
    const info = input.watching?.get(ccid);
    const watchable = !!input.watching && !!launched?.definition.path && (launched.definition.mode === 'dev' || launched.definition.mode === 'net');
    const watch = info ? { on: true as const, info } : watchable ? { on: false as const } : undefined;
    rows.push({
      ccid,
      mode: launched?.definition.mode ?? (served ? 'external' : 'dev'),
      state: chaincodeState(launched, handler, served),
      handler,
      launched,
      debug,
      watch,
      watchOffered: !!input.watching,
      ...(served ? { serving: served } : {}),
    });
  }
  return rows;
}

/**
 * `readyChaincode`, `launchingChaincode`…: menus treat busy as ready (`viewItem =~ /^ready/` would
 * not), and waiting for registration as launching (Stop and Restart apply; Invoke waits for it).
 * The eye's menus: a watched chaincode adds ` watching`; one that cannot be watched (started by
 * hand, a system chaincode) ` noWatch`, where the editor offers watch at all.
 */
export function chaincodeContextValue(state: ChaincodeState, watch?: ChaincodeRow['watch'], watchOffered = false): string {
  const asMenus: Partial<Record<ChaincodeState, ChaincodeState>> = { busy: 'ready', waiting: 'launching' };
  const suffix = watch?.on ? ' watching' : !watch && watchOffered ? ' noWatch' : '';
  return `${asMenus[state] ?? state}Chaincode${suffix}`;
}

function watchNodes(base: string, watch: Extract<ChaincodeRow['watch'], { on: true }>): ViewNode[] {
  const { state, pinned } = watch.info;
  const what = pinned.length ? `the ${pinned.length === 1 ? 'pinned transaction' : `${pinned.length} pinned transactions`}` : 'the last transaction';
  const label: Record<WatchInfo['state'], string> = {
    watching: 'Watching: a save restarts it',
    reloading: 'Watching: reloading…',
    'build failed': 'Watching: the build failed (see Problems)',
  };
  const icon: Record<WatchInfo['state'], ViewIcon> = { watching: { id: 'eye' }, reloading: { id: 'sync~spin' }, 'build failed': { id: 'error', color: 'testing.iconFailed' } };
  return [
    {
      id: `${base}/watch`,
      label: label[state],
      description: `and runs ${what} again`,
      tooltip:
        'A saved change rebuilds the chaincode (TypeScript), restarts it, runs the transaction again on the kept world state, and opens the difference from the previous run.',
      icon: icon[state],
    },
    ...pinned.map((p) => ({ id: `${base}/pin/${p.key}`, label: p.label, description: 'pinned: runs again on save', icon: { id: 'pinned' }, contextValue: 'pinnedTransaction' })),
  ];
}

function stateLabel(state: ChaincodeState, debug: DebugInfo | undefined): string {
  const text: Record<ChaincodeState, string> = {
    launching: 'starting',
    waiting: 'waiting for registration',
    ready: 'ready',
    busy: 'busy',
    serving: 'serving',
    failed: 'failed',
    stopped: 'stopped',
  };
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
      id: `${base}/handler`,
      label: `Handler ${h.id}: ${h.state}${reason}`,
      description: `since ${clockTime(h.since, now)}`,
      tooltip: `${h.connection} stream from ${h.remote || 'unknown'}`,
      icon: { id: 'plug' },
    });
    for (const tx of h.inFlight) {
      children.push({
        id: `${base}/tx/${tx.txId}`,
        label: `${tx.fn || '(no function)'}`,
        description: `tx ${shortTxId(tx.txId)} · ${tx.channel} · since ${clockTime(tx.startedAt, now)}`,
        tooltip: tx.txId,
        icon: { id: 'sync~spin' },
        contextValue: 'inFlightTransaction',
      });
    }
  } else if (row.state !== 'stopped' && !(row.serving && !row.launched)) {
    children.push({ id: `${base}/handler`, label: 'Handler: waiting for the chaincode to register', icon: { id: 'plug' } });
  }
  if (row.serving) children.push(...servingNodes(base, row.serving, now));
  const lastError = row.launched?.lastError ?? h?.lastError ?? row.serving?.lastError ?? undefined;
  if (lastError) {
    children.push({ id: `${base}/error`, label: `Last error: ${preview(lastError, 80)}`, tooltip: lastError, icon: { id: 'warning', color: 'problemsWarningIcon.foreground' } });
  }
  const c = row.launched?.container;
  if (c) {
    // The launcher names the container by chaincode id until Docker reports it: show Docker's short id.
    const name = c.id && c.name === row.ccid ? c.id.slice(0, 12) : c.name;
    children.push({
      id: `${base}/container`,
      label: `Container ${name}`,
      description: [c.status, c.image && preview(c.image, 40)].filter(Boolean).join(' · '),
      tooltip: [c.image && `image: ${c.image}`, c.id && `id: ${c.id}`].filter(Boolean).join('\n'),
      icon: { id: 'package' },
      target: { kind: 'container', containerId: c.id ?? c.name, chaincodeId: row.ccid },
      contextValue: `${c.status === 'running' ? 'running' : 'exited'}Container`,
    });
  }
  const p = row.launched?.process;
  if (p) {
    children.push({ id: `${base}/process`, label: `Process ${p.pid ?? ''}`.trim(), description: p.status, icon: { id: 'terminal' } });
  }
  if (row.watch?.on) children.push(...watchNodes(base, row.watch));
  const folder = row.launched && row.mode !== 'system' ? row.launched.definition.path : (row.serving?.folder ?? '');
  if (folder) {
    children.push({ id: `${base}/folder`, label: 'Folder', description: folder, icon: { id: 'folder' } });
  }
  const mode = row.launched ? `${row.mode} · ${sourceLanguageOf(row.launched.definition)}` : row.serving ? `ccaas · ${row.serving.language}` : row.mode;
  const peers = row.serving?.status === 'serving' ? ` · ${plural(row.serving.connections.length, 'peer connection')}` : '';
  return {
    id: base,
    // A package ID's hash would fill the row: its first digits, the whole id in the tooltip.
    label: shortChaincodeId(row.ccid),
    description: `${mode} · ${stateLabel(row.state, row.debug)}${peers}${row.watch?.on ? ' · watching' : ''}`,
    tooltip: `${row.ccid} (${row.mode} mode): ${stateLabel(row.state, row.debug)}${lastError ? `\nLast error: ${lastError}` : ''}`,
    icon: ICONS[row.state],
    contextValue: chaincodeContextValue(row.state, row.watch, row.watchOffered),
    children,
    // Failed: why; served: the peers' connections.
    expanded: row.state === 'failed' || row.serving !== undefined,
    target: { kind: 'chaincode', chaincodeId: row.ccid },
  };
}

const TLS_TEXT: Readonly<Record<ServedChaincodeInfo['tls'], string>> = { off: 'plaintext', tls: 'TLS', mutual: 'TLS, client certificates required' };

/** Where peers dial, and each connection a peer made (Fabric's peer opens one per Connect stream). */
function servingNodes(base: string, s: ServedChaincodeInfo, now: number): ViewNode[] {
  const nodes: ViewNode[] = [
    {
      id: `${base}/serving`,
      label: s.status === 'stopped' ? `Served on ${s.address}` : `Serving on ${s.address}`,
      description: TLS_TEXT[s.tls],
      icon: { id: 'radio-tower' },
      tooltip: `Peers dial ${s.address} (connection.json's address); the chaincode registers as ${s.packageId}.`,
    },
  ];
  for (const c of s.connections) {
    nodes.push({
      id: `${base}/connection/${c.id}`,
      label: `Peer connection from ${c.remote}`,
      description: `since ${clockTime(c.since, now)}`,
      icon: { id: 'plug' },
      tooltip: c.clientSubject ? `client certificate: ${c.clientSubject}` : `a protos.Chaincode/Connect stream from ${c.remote}`,
    });
  }
  if (s.status === 'serving' && s.connections.length === 0) nodes.push({ id: `${base}/connection/none`, label: 'No peer connected yet', icon: { id: 'plug' } });
  if (s.pid !== undefined) nodes.push({ id: `${base}/serverProcess`, label: `Process ${s.pid}`, description: s.status, icon: { id: 'terminal' } });
  return nodes;
}

function plural(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

export function chaincodeNodes(input: ChaincodesInput): ViewNode[] {
  const now = input.now ?? Date.now();
  return chaincodeRows(input).map((row) => chaincodeNode(row, now));
}

/** The status bar's numbers. */
export function readyCount(input: ChaincodesInput): number {
  return chaincodeRows(input).filter((r) => r.state === 'ready' || r.state === 'busy').length;
}
