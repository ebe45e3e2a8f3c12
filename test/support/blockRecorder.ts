/**
 * INTERIM, until the channel ledgers keep their blocks (the block store wired into ChannelLedger):
 * a real block store per channel, fed with each block the peer commits (a genesis block first,
 * then every committed block with its envelopes and validation codes, before the commit is
 * reported), and a second Gateway serving from those stores. The events and Deliver tests run
 * against it; once the ledgers have their blocks they use the engine's own Gateway instead.
 */
import * as path from 'path';
import type { Engine } from '../../src/engine/engine';
import type { BlockSource } from '../../src/engine/gateway/blockSource';
import { PeerGateway } from '../../src/engine/gateway/peerGateway';
import { buildBlock, buildGenesisBlock, txValidationCodeOf } from '../../src/engine/ledger/blocks/blockBuilder';
import { BlockStore } from '../../src/engine/ledger/blocks/blockStore';

export interface RecordedBlocks {
  readonly gateway: PeerGateway;
  readonly stores: ReadonlyMap<string, BlockStore>;
  close(): Promise<void>;
}

export async function recordBlocks(engine: Engine, dataDir: string): Promise<RecordedBlocks> {
  const stores = new Map<string, BlockStore>();
  for (const ledger of engine.peer.ledgers()) {
    const store = await BlockStore.open(path.join(dataDir, 'recorded-blocks', ledger.channel));
    if (store.height === 0) await store.append(buildGenesisBlock({ channelId: ledger.channel }));
    const commit = ledger.commitBlock.bind(ledger);
    ledger.commitBlock = async (requests) => {
      const committed = await commit(requests);
      const transactions = requests.map((r, i) => ({ envelope: r.envelope ?? Buffer.alloc(0), validationCode: txValidationCodeOf(committed.results[i]!.validation) }));
      await store.append(buildBlock({ number: committed.blockNum, previousHash: store.next.previousHash, transactions }));
      return committed;
    };
    stores.set(ledger.channel, store);
  }
  const org = engine.gateway?.org;
  if (!org) throw new Error('the engine has no Gateway');
  const gateway = await PeerGateway.start(engine.peer, engine.transactions, {
    port: 0,
    tls: org.tls,
    peerName: org.peerName,
    mspId: org.mspId,
    verifier: org.verifier,
    blocks: (channel): BlockSource | undefined => stores.get(channel),
  });
  return {
    gateway,
    stores,
    close: async () => {
      await gateway.stop();
      for (const s of stores.values()) await s.close();
    },
  };
}
