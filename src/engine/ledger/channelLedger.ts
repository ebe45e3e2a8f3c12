/**
 * One channel's ledger on one peer, as Fabric keeps it (core/ledger/kvledger): the world state and
 * the transaction records of the channel, in `<peer data>/ledgers/<channel>/`. Each channel has its
 * own blocks and heights; nothing is shared between channels.
 */
import * as path from 'path';
import type { CommitRequest } from './blockPlan';
import { channelLedgerDir } from './channelDirectories';
import type { Durability } from './logFile';
import { WorldState, type BlockCommitted } from './worldState';

export interface ChannelLedgerOptions {
  readonly durability?: Durability;
  /** Whether other work waits for the event loop (a commit's I/O then leaves it). */
  readonly othersWaiting?: () => boolean;
}

/** Fabric's channel name rule (common/configtx/validator.go: channelAllowedChars, maxLength 249). */
const CHANNEL_NAME = /^[a-z][a-z0-9.-]{0,248}$/;

export class InvalidChannelNameError extends Error {
  override readonly name = 'InvalidChannelNameError';
  constructor(readonly channel: string) {
    super(
      `bad channel name '${channel}': channel names must contain only lowercase letters, digits, dots and dashes, start with a letter, and be shorter than 250 characters`,
    );
  }
}

export function checkChannelName(channel: string): void {
  if (!CHANNEL_NAME.test(channel)) throw new InvalidChannelNameError(channel);
}

export class ChannelLedger {
  private constructor(
    readonly channel: string,
    readonly state: WorldState,
  ) {}

  /** Opens (creating when new) the ledger of `channel` under a peer's data directory. */
  static async open(peerDataDir: string, channel: string, options: ChannelLedgerOptions = {}): Promise<ChannelLedger> {
    checkChannelName(channel);
    const dir = channelLedgerDir(peerDataDir, channel);
    const state = await WorldState.open(path.join(dir, 'state'), { durability: options.durability, othersWaiting: options.othersWaiting });
    return new ChannelLedger(channel, state);
  }

  /** The chain's height: the number of the last committed block (0 before the first). */
  get height(): number {
    return this.state.height;
  }

  commitBlock(requests: readonly CommitRequest[]): Promise<BlockCommitted> {
    return this.state.commitBlock(requests);
  }

  close(): Promise<void> {
    return this.state.close();
  }
}
