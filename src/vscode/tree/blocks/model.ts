/**
 * The Blocks view's model: each channel the peer has joined, with its height, and its blocks newest
 * first (how many transactions, how many of them valid); a block opens as readable JSON.
 */
import { TxValidationCode } from '../../../engine/wire/messages';
import type { NodeTarget, ViewNode } from '../viewNode';

/** What the view needs of a channel's block store (BlockStore has it). */
export interface ChannelBlocks {
  readonly channel: string;
  readonly height: number;
  /** The validation code of each transaction of block `n`, as the committing peer recorded them. */
  validationCodes(n: number): readonly number[];
}

/** The newest blocks shown per channel; older ones open from the Open Block command. */
export const BLOCK_LIMIT = 100;

export function blockDescription(codes: readonly number[]): string {
  if (codes.length === 0) return 'no transactions';
  const valid = codes.filter((c) => c === TxValidationCode.VALID).length;
  const txs = `${codes.length} ${codes.length === 1 ? 'transaction' : 'transactions'}`;
  return valid === codes.length ? txs : `${txs}, ${codes.length - valid} invalid`;
}

/** One block's row, for the embedded peer's channels and a network's alike: the target and command open it. */
export function blockRow(id: string, number: number, codes: readonly number[], contextValue: string, target: NodeTarget, command: string): ViewNode {
  return {
    id,
    label: number === 0 ? 'Block 0 (genesis)' : `Block ${number}`,
    description: blockDescription(codes),
    icon: codes.every((code) => code === TxValidationCode.VALID) ? { id: 'package' } : { id: 'warning', color: 'problemsWarningIcon.foreground' },
    contextValue,
    target,
    command: { command, title: 'Open Block', arguments: [target] },
  };
}

export function blockNodes(channels: readonly ChannelBlocks[]): ViewNode[] {
  return channels.map((c) => {
    const first = Math.max(0, c.height - BLOCK_LIMIT);
    const blocks: ViewNode[] = [];
    for (let n = c.height - 1; n >= first; n--) {
      blocks.push(blockRow(`block:${c.channel}/${n}`, n, c.validationCodes(n), 'block', { kind: 'block', channel: c.channel, number: n }, 'chaincode.openBlock'));
    }
    return {
      id: `blocks:${c.channel}`,
      label: c.channel,
      description: `height ${c.height}`,
      icon: { id: 'database' },
      contextValue: 'channelBlocks',
      children: blocks,
      expanded: true,
    } satisfies ViewNode;
  });
}
