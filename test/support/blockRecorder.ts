/**
 * INTERIM, until the channel ledgers keep their blocks (the block store wired into ChannelLedger):
 * gives each of the engine's ledgers a real block store, fed with each block the peer commits (a
 * genesis block first, then every committed block with its envelopes and validation codes, before
 * the commit is reported), where the Gateway looks for it (`ledger.blocks`, gateway/ledgerBlocks.ts).
 */
import * as path from 'path';
import type { Engine } from '../../src/engine/engine';
import { buildBlock, buildGenesisBlock, txValidationCodeOf } from '../../src/engine/ledger/blocks/blockBuilder';
import { BlockStore } from '../../src/engine/ledger/blocks/blockStore';

export interface RecordedBlocks {
  readonly stores: ReadonlyMap<string, BlockStore>;
  close(): Promise<void>;
}

export async function recordBlocks(engine: Engine, dataDir: string): Promise<RecordedBlocks> {
  const stores = new Map<string, BlockStore>();
  for (const ledger of engine.peer.ledgers()) {
    if ((ledger as { blocks?: unknown }).blocks) continue; // the ledger keeps its own
    const store = await BlockStore.open(path.join(dataDir, 'recorded-blocks', ledger.channel));
    if (store.height === 0) await store.append(buildGenesisBlock({ channelId: ledger.channel }));
    const commit = ledger.commitBlock.bind(ledger);
    ledger.commitBlock = async (requests) => {
      const committed = await commit(requests);
      const transactions = requests.map((r, i) => ({ envelope: r.envelope ?? Buffer.alloc(0), validationCode: txValidationCodeOf(committed.results[i]!.validation) }));
      await store.append(buildBlock({ number: committed.blockNum, previousHash: store.next.previousHash, transactions }));
      return committed;
    };
    Object.assign(ledger, { blocks: store });
    stores.set(ledger.channel, store);
  }
  return {
    stores,
    close: async () => {
      for (const s of stores.values()) await s.close();
    },
  };
}
