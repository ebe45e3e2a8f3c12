/**
 * Creates the views of the Chaincode container and keeps them live from engine events:
 * Chaincodes (handler states, launches, debug sessions), Containers (Docker's event stream),
 * World State and Transactions (committed transactions), Blocks (each channel's chain on the peer),
 * Identities (each org's, and the calling one), Networks (the embedded peer, then each connection
 * to a Fabric network).
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { ledgerChannels, peerDataDir } from '../../engine/ledger/channelDirectories';
import type { Namespace } from '../../engine/ledger/types';
import type { Ctx } from '../ctx';
import { chaincodeNodes, ChaincodesInput, type WatchInfo } from './chaincodes/model';
import { DockerContainers } from './containers/dockerContainers';
import { containerNodes } from './containers/model';
import { UptimeRefresh } from './containers/uptimeRefresh';
import { NodeTreeProvider } from './nodeTreeProvider';
import { LedgerView, stoppedPeerNodes } from './stoppedPeer';
import { blockNodes } from './blocks/model';
import { networkNodes } from './networks/model';
import { transactionNodes } from './transactions/model';
import type { ViewNode } from './viewNode';
import { stateKeyNodes, WorldStateSelection } from './worldState/model';
import { identityNodes } from './identities/model';
import { currentIdentity } from '../identities/callingIdentity';
import { networkIdentities } from '../identities/networkIdentities';
import type { IdentityRef } from '../identities/identityRef';
import { chaincodeNameOf } from '../../engine/chaincodeId';

const STATE_KEY_LIMIT = 500;
const TRANSACTION_LIMIT = 200;
/** Docker's uptime text moves by the minute: a slow re-list keeps it true without flicker. */
const UPTIME_REFRESH_MS = 30_000;

export class ChaincodeViews implements vscode.Disposable {
  readonly chaincodes: NodeTreeProvider;
  readonly containers: NodeTreeProvider;
  readonly worldState: NodeTreeProvider;
  readonly transactions: NodeTreeProvider;
  readonly blocks: NodeTreeProvider;
  readonly identities: NodeTreeProvider;
  /** The embedded peer, then each connection to a Fabric network. */
  readonly networks: NodeTreeProvider;
  readonly docker: DockerContainers;
  private selection: WorldStateSelection | undefined;
  /** Clear Transactions hides what ran before (the ledger keeps its records). */
  private clearedAt = 0;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly worldStateView: vscode.TreeView<ViewNode>;
  private watchInfo: (() => ReadonlyMap<string, WatchInfo>) | undefined;

  constructor(private readonly ctx: Ctx) {
    this.chaincodes = new NodeTreeProvider(() => chaincodeNodes(this.chaincodesInput()));
    this.docker = new DockerContainers(() => ({ endpoint: ctx.config.engine.dockerEndpoint, tls: ctx.config.engine.dockerTls }), ctx.log);
    this.containers = new NodeTreeProvider(async () => containerNodes(await this.docker.list()));
    this.worldState = new NodeTreeProvider(() => this.stateNodes());
    this.transactions = new NodeTreeProvider(() => {
      const engine = ctx.engine.current;
      if (!engine) return this.stoppedPeer('transactions');
      return transactionNodes(engine.transactions.transactions({ limit: TRANSACTION_LIMIT }).filter((r) => r.startedAt > this.clearedAt));
    });
    this.blocks = new NodeTreeProvider(() => {
      const engine = ctx.engine.current;
      if (!engine) return this.stoppedPeer('blocks');
      // The caller's org's peer: the chain its Gateway delivers to client applications.
      return blockNodes(engine.peer.ledgers().map((l) => ({ channel: l.channel, height: l.blocks.height, validationCodes: (n) => l.blocks.validationCodes(n) })));
    });
    this.identities = new NodeTreeProvider(() => this.identityNodes());
    this.networks = new NodeTreeProvider(() => {
      // Connections of the last window session come back once the view shows (their changes refresh it).
      void ctx.networks.restoreSaved();
      const engine = ctx.engine.current;
      const port = engine?.gateway?.server.port;
      return networkNodes({ address: engine?.peer.address, gateway: port === undefined ? undefined : `localhost:${port}` }, ctx.networks.infos());
    });
    const view = (id: string, provider: NodeTreeProvider): vscode.TreeView<ViewNode> => {
      const v = vscode.window.createTreeView(id, { treeDataProvider: provider, showCollapseAll: id === 'chaincode.chaincodes' });
      this.disposables.push(v, provider);
      return v;
    };
    view('chaincode.chaincodes', this.chaincodes);
    const containersView = view('chaincode.containers', this.containers);
    const uptime = new UptimeRefresh(UPTIME_REFRESH_MS, () => void this.docker.refresh());
    const followUptime = (): void =>
      uptime.update(
        containersView.visible,
        this.docker.listed().some((c) => c.state === 'running' || c.state === 'exited'),
      );
    this.worldStateView = view('chaincode.worldState', this.worldState);
    view('chaincode.transactions', this.transactions);
    view('chaincode.blocks', this.blocks);
    view('chaincode.identities', this.identities);
    view('chaincode.networks', this.networks);
    this.disposables.push(
      ctx.networks.onDidChange(() => this.networks.refresh()),
      ctx.engine.onDidChangePeer(() => this.networks.refresh()),
      this.docker,
      ctx.onDidChangeChaincodes(() => this.chaincodes.refresh()),
      ctx.engine.onDidEndTransaction(() => {
        this.worldState.refresh();
        this.transactions.refresh();
        this.blocks.refresh();
      }),
      ctx.engine.onDidChangePeer(() => {
        this.worldState.refresh();
        this.transactions.refresh();
        this.blocks.refresh();
        this.identities.refresh();
      }),
      // The calling identity is marked: it follows chaincode.identity.
      ctx.config.onDidChange(() => this.identities.refresh()),
      ctx.engine.onDidChangeChaincode(() => this.docker.refresh()),
      this.docker.onDidChange(() => {
        this.containers.refresh();
        followUptime();
      }),
      containersView.onDidChangeVisibility(followUptime),
      uptime,
      // The Containers view follows the Docker endpoint and TLS settings at once (a new client, a new event stream).
      ctx.config.onDidChange(() => void this.docker.refresh()),
    );
  }

  chaincodesInput(): ChaincodesInput {
    const peer = this.ctx.engine.current?.peer;
    return {
      peerAddress: peer?.address,
      launched: this.ctx.running(),
      handlers: this.ctx.handlers(),
      debugging: this.ctx.debugSessions.snapshot(),
      watching: this.watchInfo?.(),
      serving: this.ctx.served.list(),
    };
  }

  /** The Chaincodes view shows which chaincodes are watched (commands/watchChaincodes.ts), live. */
  followWatch(watch: { info(): ReadonlyMap<string, WatchInfo>; readonly onDidChange: vscode.Event<void> }): void {
    this.watchInfo = () => watch.info();
    this.disposables.push(watch.onDidChange(() => this.chaincodes.refresh()));
    this.chaincodes.refresh();
  }

  /** The namespace the World State view shows: the chosen one, else the most recently used one. */
  currentSelection(): WorldStateSelection | undefined {
    const engine = this.ctx.engine.current;
    if (!engine) return undefined;
    const namespaces = engine.peer.ledgers().flatMap((l) => l.state.namespaces());
    const has = (n: Namespace | undefined): boolean => !!n && namespaces.some((x) => x.channel === n.channel && x.chaincode === n.chaincode);
    if (has(this.selection)) return this.selection;
    const last = engine.transactions.transactions({ limit: 1 })[0];
    const fromLast = last ? { channel: last.channel, chaincode: chaincodeNameOf(last.chaincode) } : undefined;
    if (has(fromLast)) return fromLast;
    return namespaces[0];
  }

  select(selection: WorldStateSelection): void {
    this.selection = selection;
    this.worldState.refresh();
  }

  clearTransactions(): void {
    this.clearedAt = Date.now();
    this.transactions.refresh();
  }

  /** While the peer is stopped: a row to start it, when a ledger is on disk. */
  private stoppedPeer(view: LedgerView): ViewNode[] {
    const engine = this.ctx.config.engine;
    return stoppedPeerNodes(view, ledgerChannels(peerDataDir(path.resolve(engine.dataDir), engine.orgs[0])));
  }

  private stateNodes(): ViewNode[] {
    const peer = this.ctx.engine.current?.peer;
    const sel = this.currentSelection();
    this.worldStateView.description = sel ? `${sel.channel} · ${sel.chaincode}` : undefined;
    if (!peer) return this.stoppedPeer('worldState');
    if (!sel) return [];
    return stateKeyNodes(sel, peer.ledger(sel.channel).state.entries(sel, '', { limit: STATE_KEY_LIMIT + 1 }), STATE_KEY_LIMIT);
  }

  /** Each org with its identities, while the peer runs (its organisations are the running network's). */
  private async identityNodes(): Promise<ViewNode[]> {
    const engine = this.ctx.engine.current;
    if (!engine) return [];
    let current: IdentityRef;
    try {
      current = currentIdentity(this.ctx);
    } catch {
      current = { mspId: '', name: '' }; // a setting that does not parse marks none (the status bar says why)
    }
    return identityNodes({ orgs: await networkIdentities(engine), current });
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
