/**
 * The plain description of a tree row that every view model produces. No vscode here, so the view
 * models (tree/<area>/model.ts) are unit-tested with node:test; tree/nodeTreeProvider.ts turns these
 * into vscode.TreeItems.
 */
export interface ViewIcon {
  /** A codicon id, e.g. `pass-filled`, `loading~spin`. */
  readonly id: string;
  /** A theme color id, e.g. `testing.iconPassed`. */
  readonly color?: string;
}

export interface ViewCommand {
  readonly command: string;
  readonly title: string;
  readonly arguments?: readonly unknown[];
}

export interface ViewNode {
  /** Stable across refreshes, so VS Code keeps selection and expansion. */
  readonly id: string;
  readonly label: string;
  readonly description?: string;
  readonly tooltip?: string;
  readonly icon?: ViewIcon;
  /** state + kind, e.g. `readyChaincode`, `runningContainer`: drives `when` clauses of menus. */
  readonly contextValue?: string;
  /** undefined: a leaf. */
  readonly children?: readonly ViewNode[];
  readonly expanded?: boolean;
  readonly command?: ViewCommand;
  /** What commands invoked on this row act on. */
  readonly target?: NodeTarget;
}

/** What a row stands for, handed to commands run from its context menu. */
export type NodeTarget =
  | { readonly kind: 'chaincode'; readonly chaincodeId: string }
  | { readonly kind: 'container'; readonly containerId: string; readonly chaincodeId: string }
  | { readonly kind: 'stateKey'; readonly channel: string; readonly chaincode: string; readonly key: string }
  | { readonly kind: 'transaction'; readonly txId: string }
  | { readonly kind: 'organization'; readonly mspId: string }
  | { readonly kind: 'identity'; readonly mspId: string; readonly name: string; readonly certFile: string; readonly keyFile: string }
  | { readonly kind: 'block'; readonly channel: string; readonly number: number }
  /** A row of the Networks view: the embedded peer (`embedded`) or a connection. */
  | { readonly kind: 'network'; readonly networkId: string }
  | { readonly kind: 'networkChaincode'; readonly networkId: string; readonly chaincode: string }
  | { readonly kind: 'networkBlock'; readonly networkId: string; readonly number: number };

/** Coarse wall-clock text for "since" labels: it does not change every second (no flicker). */
export function clockTime(epochMs: number, now = Date.now()): string {
  const d = new Date(epochMs);
  const pad = (n: number): string => String(n).padStart(2, '0');
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  const sameDay = new Date(now).toDateString() === d.toDateString();
  return sameDay ? time : `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${time}`;
}

/** One line, at most `max` characters, with an ellipsis when cut. */
export function preview(text: string, max = 60): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}
