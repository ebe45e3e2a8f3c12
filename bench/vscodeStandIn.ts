/**
 * A stand-in for the `vscode` module, for the activation benchmark only (bench/activation.ts): the
 * members the extension's `activate` touches, doing the least a real editor would (registrations
 * return disposables, events subscribe, settings read as unset so the defaults apply). Everything the
 * extension reaches for that is missing here fails loudly (`x is not a function`), so the bench never
 * measures an activation that silently skipped work. VS Code's own share of the work (the IPC behind
 * createTreeView and friends) is not in this figure: the e2e run reports what VS Code records.
 */
import * as path from 'path';

type Listener<T> = (e: T) => unknown;

export class Disposable {
  constructor(private readonly onDispose: () => void) {}
  static from(...items: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => items.forEach((d) => d.dispose()));
  }
  dispose(): void {
    this.onDispose();
  }
}

export class EventEmitter<T> {
  private listeners = new Set<Listener<T>>();
  readonly event = (listener: Listener<T>): Disposable => {
    this.listeners.add(listener);
    return new Disposable(() => this.listeners.delete(listener));
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

const noEvent = <T>(): ((l: Listener<T>) => Disposable) => new EventEmitter<T>().event;
const registered = (): Disposable => new Disposable(() => undefined);

export class Uri {
  private constructor(
    readonly scheme: string,
    readonly path: string,
    readonly query = '',
  ) {}
  static file(p: string): Uri {
    return new Uri('file', p);
  }
  static from(c: { scheme: string; path?: string; query?: string }): Uri {
    return new Uri(c.scheme, c.path ?? '', c.query ?? '');
  }
  static joinPath(base: Uri, ...segments: string[]): Uri {
    return new Uri(base.scheme, path.posix.join(base.path, ...segments), base.query);
  }
  get fsPath(): string {
    return this.path;
  }
  toString(): string {
    return `${this.scheme}://${this.path}${this.query ? `?${this.query}` : ''}`;
  }
}

export class ThemeIcon {
  constructor(
    readonly id: string,
    readonly color?: ThemeColor,
  ) {}
}
export class ThemeColor {
  constructor(readonly id: string) {}
}
export class TreeItem {
  constructor(
    readonly label: string,
    readonly collapsibleState?: number,
  ) {}
}
export const TreeItemCollapsibleState = { None: 0, Collapsed: 1, Expanded: 2 } as const;
export const StatusBarAlignment = { Left: 1, Right: 2 } as const;
export const DiagnosticSeverity = { Error: 0, Warning: 1, Information: 2, Hint: 3 } as const;
export const ViewColumn = { Active: -1, Beside: -2, One: 1 } as const;
export const ProgressLocation = { SourceControl: 1, Window: 10, Notification: 15 } as const;
export const DebugConfigurationProviderTriggerKind = { Initial: 1, Dynamic: 2 } as const;

export const l10n = {
  t(message: string, ...args: unknown[]): string {
    return message.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)]));
  },
};

function logChannel(name: string): Record<string, unknown> {
  const lines: string[] = [];
  const write = (level: string) => (message: string) => void lines.push(`[${level}] ${message}`);
  return {
    name,
    lines,
    logLevel: 2,
    onDidChangeLogLevel: noEvent(),
    trace: write('trace'),
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    append: (text: string) => void lines.push(text),
    appendLine: (text: string) => void lines.push(text),
    replace: () => undefined,
    clear: () => undefined,
    show: () => undefined,
    hide: () => undefined,
    dispose: () => undefined,
  };
}

/** The workspace the benchmark pretends is open (the extension scans it for chaincode at activation). */
const folders: { uri: Uri; name: string; index: number }[] = [];
export function openWorkspaceFolder(folder: string): void {
  folders.push({ uri: Uri.file(folder), name: path.basename(folder), index: folders.length });
}

export const window = {
  activeTextEditor: undefined,
  visibleTextEditors: [],
  createOutputChannel: (name: string) => logChannel(name),
  createTreeView: () => ({
    description: undefined as string | undefined,
    visible: true,
    reveal: async () => undefined,
    onDidChangeVisibility: noEvent(),
    dispose: () => undefined,
  }),
  createStatusBarItem: () => ({ text: '', tooltip: '', name: '', command: '', show: () => undefined, hide: () => undefined, dispose: () => undefined }),
  onDidChangeActiveTextEditor: noEvent(),
};

export const workspace = {
  get workspaceFolders() {
    return folders.length ? folders : undefined;
  },
  getWorkspaceFolder: (uri: Uri) => folders.find((f) => uri.path.startsWith(f.uri.path)),
  getConfiguration: () => ({ get: () => undefined, has: () => false, inspect: () => undefined, update: async () => undefined }),
  registerTextDocumentContentProvider: registered,
  onDidChangeConfiguration: noEvent(),
  onDidChangeWorkspaceFolders: noEvent(),
  onDidCreateFiles: noEvent(),
  onDidDeleteFiles: noEvent(),
  onDidRenameFiles: noEvent(),
};

export const commands = {
  registerCommand: registered,
  executeCommand: async () => undefined,
};

export const debug = {
  activeDebugSession: undefined,
  registerDebugConfigurationProvider: registered,
  registerDebugAdapterTrackerFactory: registered,
  registerDebugAdapterDescriptorFactory: registered,
  onDidStartDebugSession: noEvent(),
  onDidTerminateDebugSession: noEvent(),
  onDidChangeActiveDebugSession: noEvent(),
  onDidReceiveDebugSessionCustomEvent: noEvent(),
};

export const extensions = { getExtension: () => undefined };
export const languages = {
  registerDocumentLinkProvider: registered,
  createDiagnosticCollection: () => ({ set: () => undefined, delete: () => undefined, clear: () => undefined, dispose: () => undefined }),
};
