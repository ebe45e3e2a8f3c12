/**
 * The editor's connections to Fabric networks: each one a NetworkConnection (the Gateway client, in
 * dist/network.js) read from a network file, with what the Networks view shows of it: the chaincodes
 * defined on its channel and its recent blocks. Blocks are followed live from a Deliver stream
 * opened at connect (starting a few blocks back), and the definitions are asked again after each
 * block, since a block may commit a new one. Closed on Disconnect and when the extension stops.
 * The files connected are kept in the workspace's state: after a window reload they connect again
 * when the Networks view first shows (not at activation: that would load the Gateway client).
 */
import * as path from 'path';
import * as vscode from 'vscode';
import type { NetworkConnection, EventStream } from '../../engine/connection/networkConnection';
import type { BlockView } from '../../engine/ledger/blocks/blockReader';
import { networkBundle } from '../networkAssembly';
import { NETWORK_BLOCK_LIMIT, type NetworkBlockInfo, type NetworkInfo } from '../tree/networks/model';

/** The workspace-state key of the connected network files. */
export const SAVED_FILES_KEY = 'chaincode.networkFiles';

export interface ActiveNetwork {
  readonly id: string;
  readonly file: string;
  readonly connection: NetworkConnection;
}

interface Entry extends ActiveNetwork {
  info: NetworkInfo;
  blocks: EventStream<BlockView> | undefined;
  /** Definitions asked while an earlier ask runs are asked once more when it ends. */
  asking: Promise<void> | undefined;
  askAgain: boolean;
}

export class NetworkConnections implements vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** A connection came or went, or what is shown of one changed. */
  readonly onDidChange = this.changed.event;
  private next = 1;
  private restoring: Promise<void> | undefined;

  constructor(
    private readonly log: vscode.LogOutputChannel,
    /** Where the connected files are kept across window reloads (the workspace's state). */
    private readonly saved: vscode.Memento,
  ) {}

  private savedFiles(): string[] {
    return this.saved.get<string[]>(SAVED_FILES_KEY, []);
  }

  private async save(files: readonly string[]): Promise<void> {
    await this.saved.update(SAVED_FILES_KEY, [...new Set(files)]);
  }

  /**
   * Connects again, once, to the files connected before the window reloaded. One that no longer
   * connects is forgotten, with a warning that says why (Connect to Fabric Network… connects it again).
   */
  restoreSaved(): Promise<void> {
    this.restoring ??= (async () => {
      for (const file of this.savedFiles()) {
        if ([...this.entries.values()].some((e) => e.file === file)) continue;
        try {
          await this.connect(file);
        } catch (err) {
          await this.save(this.savedFiles().filter((f) => f !== file));
          this.log.warn(`could not connect again to the network of ${file}: ${(err as Error).message}`);
          void vscode.window.showWarningMessage(
            vscode.l10n.t(
              'Could not connect again to the network of {0}: {1}. Connect to Fabric Network… connects it when it is reachable.',
              path.basename(file),
              (err as Error).message,
            ),
          );
        }
      }
    })();
    return this.restoring;
  }

  /** Reads `file` and connects through the Gateway it names; errors name the file and field, or what the network refused. */
  async connect(file: string): Promise<ActiveNetwork> {
    const absolute = path.resolve(file);
    const connection = await networkBundle().connectNetwork(absolute);
    const id = `n${this.next++}`;
    const spec = connection.spec;
    const height = await connection.chainHeight().catch(() => 0);
    const entry: Entry = {
      id,
      file: absolute,
      connection,
      info: {
        id,
        label: path.basename(absolute),
        file: absolute,
        endpoint: spec.endpoint,
        channel: spec.channel,
        mspId: spec.identity.mspId,
        definitions: undefined,
        height,
        blocks: [],
      },
      blocks: undefined,
      asking: undefined,
      askAgain: false,
    };
    this.entries.set(id, entry);
    await this.save([...this.savedFiles(), absolute]);
    this.log.info(`connected to ${spec.endpoint} (channel ${spec.channel}, as ${spec.identity.mspId}) from ${absolute}`);
    this.changed.fire();
    void this.followBlocks(entry, Math.max(0, height - NETWORK_BLOCK_LIMIT));
    this.refreshDefinitions(id);
    return entry;
  }

  list(): readonly ActiveNetwork[] {
    return [...this.entries.values()];
  }

  get(id: string): ActiveNetwork | undefined {
    return this.entries.get(id);
  }

  /** What the Networks view shows of each connection. */
  infos(): NetworkInfo[] {
    return [...this.entries.values()].map((e) => e.info);
  }

  disconnect(id: string): boolean {
    const entry = this.entries.get(id);
    if (!entry) return false;
    this.entries.delete(id);
    this.close(entry);
    void this.save(this.savedFiles().filter((f) => f !== entry.file));
    this.log.info(`disconnected from ${entry.info.endpoint} (${entry.file})`);
    this.changed.fire();
    return true;
  }

  /** Asks `_lifecycle` for the channel's definitions again (after a deploy, a block, or Refresh). */
  refreshDefinitions(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    if (entry.asking) {
      entry.askAgain = true;
      return;
    }
    entry.asking = (async () => {
      do {
        entry.askAgain = false;
        try {
          const defs = await entry.connection.chaincodeDefinitions();
          this.update(entry, { definitions: defs.map((d) => ({ name: d.name, version: d.version, sequence: d.sequence, collections: d.collections })) });
        } catch (err) {
          this.update(entry, { definitions: { error: (err as Error).message } });
        }
      } while (entry.askAgain && this.entries.get(id) === entry);
      entry.asking = undefined;
    })();
  }

  /** Settles when the definitions being asked are in (tests wait on it). */
  async settled(id: string): Promise<void> {
    await this.entries.get(id)?.asking;
  }

  private async followBlocks(entry: Entry, startBlock: number): Promise<void> {
    try {
      entry.blocks = await entry.connection.blocks(startBlock);
      for await (const block of entry.blocks) {
        if (this.entries.get(entry.id) !== entry) break;
        const info: NetworkBlockInfo = { number: block.number, validationCodes: block.transactions.map((t) => t.validationCode) };
        const blocks = [...entry.info.blocks.filter((b) => b.number !== block.number), info].sort((a, b) => a.number - b.number).slice(-NETWORK_BLOCK_LIMIT);
        this.update(entry, { blocks, height: Math.max(entry.info.height, block.number + 1) });
        // A block may hold a new chaincode definition (a deploy from anywhere): the list follows it.
        if (block.number >= entry.info.height - 1) this.refreshDefinitions(entry.id);
      }
    } catch (err) {
      if (this.entries.get(entry.id) !== entry) return; // closed on purpose
      this.log.warn(`${entry.info.label}: stopped following blocks: ${(err as Error).message}`);
      this.update(entry, { blocksError: (err as Error).message });
    }
  }

  private update(entry: Entry, change: Partial<NetworkInfo>): void {
    entry.info = { ...entry.info, ...change };
    if (this.entries.get(entry.id) === entry) this.changed.fire();
  }

  private close(entry: Entry): void {
    entry.blocks?.close();
    entry.connection.close();
  }

  dispose(): void {
    for (const e of this.entries.values()) this.close(e);
    this.entries.clear();
    this.changed.dispose();
  }
}
