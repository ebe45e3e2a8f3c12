/**
 * The Transactions view's model: recent invocations, newest first, with function, arguments, status,
 * duration and who called; a row opens the transaction's read set, write set and event; Re-run runs
 * it again.
 */
import type { TransactionRecord } from '../../../engine/ledger/types';
import { callerLabel } from '../../identities/identityRef';
import { clockTime, preview, ViewNode } from '../viewNode';

export type TransactionOutcome = 'committed' | 'query' | 'failed' | 'invalid';

export function transactionOutcome(r: TransactionRecord): TransactionOutcome {
  if (r.status === 0 || r.status >= 400) return 'failed';
  if (r.kind === 'query') return 'query';
  return r.validation === 'VALID' ? 'committed' : 'invalid';
}

const ICON: Record<TransactionOutcome, ViewNode['icon']> = {
  committed: { id: 'pass', color: 'testing.iconPassed' },
  query: { id: 'search', color: 'testing.iconPassed' },
  failed: { id: 'error', color: 'testing.iconFailed' },
  invalid: { id: 'warning', color: 'problemsWarningIcon.foreground' },
};

export function transactionLabel(r: TransactionRecord): string {
  return `${r.fn || '(no function)'}(${preview(r.args.join(', '), 50)})`;
}

export function transactionDescription(r: TransactionRecord, now = Date.now()): string {
  const outcome = transactionOutcome(r);
  const status = outcome === 'invalid' ? r.validation : String(r.status || 'no answer');
  return `${status} · ${r.durationMs} ms · ${r.chaincode} · ${callerLabel(r.creator)} · ${clockTime(r.startedAt, now)}`;
}

export function transactionNodes(records: readonly TransactionRecord[], now = Date.now()): ViewNode[] {
  return [...records]
    .sort((a, b) => b.startedAt - a.startedAt)
    .map((r) => {
      const target = { kind: 'transaction' as const, txId: r.txId };
      const outcome = transactionOutcome(r);
      return {
        id: `tx:${r.txId}`,
        label: transactionLabel(r),
        description: transactionDescription(r, now),
        tooltip: [
          `${r.kind} ${r.fn} on ${r.channel}/${r.chaincode}`,
          `tx ${r.txId}`,
          `called by ${callerLabel(r.creator)} (${r.creator.subject})`,
          `status ${r.status}${r.message ? `: ${r.message}` : ''} · ${r.validation}${r.blockNum !== null ? ` · block ${r.blockNum}` : ''}`,
          `${r.rwset.reads.length} reads, ${r.rwset.writes.length} writes${r.event ? `, event ${r.event.eventName}` : ''}`,
        ].join('\n'),
        icon: ICON[outcome],
        contextValue: `${outcome}Transaction`,
        target,
        command: { command: 'chaincode.openTransaction', title: 'Open Transaction', arguments: [target] },
      } satisfies ViewNode;
    });
}
