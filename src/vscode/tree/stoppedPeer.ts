/**
 * What World State, Transactions and Blocks show while the embedded peer is stopped. Their data is the
 * ledger on disk, which only a running peer reads (it locks the directory), so the views say the
 * peer is stopped and offer to start it, instead of an empty "No state yet". No vscode here.
 */
import type { ViewNode } from './viewNode';

export type LedgerView = 'worldState' | 'transactions' | 'blocks';

/** One row that starts the peer; none when no ledger is on disk (the view's welcome says so). */
export function stoppedPeerNodes(view: LedgerView, channels: readonly string[]): ViewNode[] {
  if (channels.length === 0) return [];
  const n = channels.length;
  const list = channels.join(', ');
  const what = view === 'worldState' ? 'state' : view;
  return [
    {
      id: `peerStopped:${view}`,
      label: 'The peer is stopped',
      description: `Start Peer to see the ${what} of ${n === 1 ? `channel ${list}` : `${n} channels`}`,
      tooltip: `The ledger on disk holds ${n === 1 ? 'channel' : 'channels'} ${list}. The peer reads it when it starts (while a peer runs it has the ledger to itself). Click to start the peer.`,
      icon: { id: 'debug-start' },
      contextValue: 'stoppedPeer',
      command: { command: 'chaincode.startPeer', title: 'Start Peer' },
    },
  ];
}
