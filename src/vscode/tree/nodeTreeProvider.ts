/**
 * One TreeDataProvider for every view: it renders ViewNodes (from the view models) as TreeItems and
 * refreshes when told to, coalescing bursts of engine events into one repaint.
 */
import * as vscode from 'vscode';
import type { ViewNode } from './viewNode';

export function toTreeItem(node: ViewNode): vscode.TreeItem {
  const collapsible =
    node.children === undefined || node.children.length === 0
      ? vscode.TreeItemCollapsibleState.None
      : node.expanded
        ? vscode.TreeItemCollapsibleState.Expanded
        : vscode.TreeItemCollapsibleState.Collapsed;
  const item = new vscode.TreeItem(node.label, collapsible);
  item.id = node.id;
  item.description = node.description;
  item.tooltip = node.tooltip;
  item.contextValue = node.contextValue;
  if (node.icon) item.iconPath = new vscode.ThemeIcon(node.icon.id, node.icon.color ? new vscode.ThemeColor(node.icon.color) : undefined);
  if (node.command) item.command = { command: node.command.command, title: node.command.title, arguments: node.command.arguments ? [...node.command.arguments] : undefined };
  return item;
}

export class NodeTreeProvider implements vscode.TreeDataProvider<ViewNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private timer: NodeJS.Timeout | undefined;
  private last: readonly ViewNode[] = [];

  constructor(
    private readonly roots: () => readonly ViewNode[] | Promise<readonly ViewNode[]>,
    private readonly delayMs = 100,
  ) {}

  /** Schedules a repaint (bursts of events within `delayMs` make one). */
  refresh(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.changed.fire();
    }, this.delayMs);
  }

  getTreeItem(node: ViewNode): vscode.TreeItem {
    return toTreeItem(node);
  }

  async getChildren(node?: ViewNode): Promise<ViewNode[]> {
    if (node) return [...(node.children ?? [])];
    this.last = await this.roots();
    return [...this.last];
  }

  /** The rows as last computed from the model (tests and commands read them). */
  async snapshot(): Promise<readonly ViewNode[]> {
    return this.roots();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.changed.dispose();
  }
}
