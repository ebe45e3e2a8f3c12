/**
 * Answers the extension's prompts and records its notifications, in place of a person: the
 * extension and these tests share one `vscode` API object, so replacing `vscode.window`'s prompt
 * functions (and recording `workbench.action.openSettings`) reaches the extension's own calls. Used
 * where a test checks what the prompts ask and check (validateInput) or what a notification offers.
 */
import * as vscode from 'vscode';

export interface Shown {
  readonly message: string;
  readonly items: readonly string[];
}

export interface PromptAnswers {
  /** The label to pick in a quick pick (undefined: dismiss). */
  pick?: (labels: readonly string[], options: vscode.QuickPickOptions | undefined) => string | undefined;
  /** The text to enter in an input box (undefined: dismiss). */
  input?: (options: vscode.InputBoxOptions) => string | undefined;
  /** The button to press on an error notification (default: none). */
  error?: (shown: Shown) => string | undefined;
  /** The button to press on an information notification (default: none). */
  info?: (shown: Shown) => string | undefined;
}

export interface WindowStub {
  readonly inputs: vscode.InputBoxOptions[];
  readonly picks: { labels: readonly string[]; options: vscode.QuickPickOptions | undefined }[];
  readonly errors: Shown[];
  readonly infos: Shown[];
  /** Settings the extension opened the Settings editor on. */
  readonly openedSettings: string[];
  restore(): void;
}

type Item = string | vscode.MessageItem | vscode.MessageOptions | vscode.QuickPickItem;
const label = (i: Item): string => (typeof i === 'string' ? i : 'title' in i ? i.title : 'label' in i ? i.label : '');

export function stubWindow(answers: PromptAnswers = {}): WindowStub {
  const w = vscode.window as unknown as Record<string, unknown>;
  const c = vscode.commands as unknown as Record<string, unknown>;
  const saved = {
    showQuickPick: w.showQuickPick,
    showInputBox: w.showInputBox,
    showErrorMessage: w.showErrorMessage,
    showInformationMessage: w.showInformationMessage,
    showWarningMessage: w.showWarningMessage,
    executeCommand: c.executeCommand,
  };
  const stub: WindowStub = {
    inputs: [],
    picks: [],
    errors: [],
    infos: [],
    openedSettings: [],
    restore: () => {
      Object.assign(w, {
        showQuickPick: saved.showQuickPick,
        showInputBox: saved.showInputBox,
        showErrorMessage: saved.showErrorMessage,
        showInformationMessage: saved.showInformationMessage,
        showWarningMessage: saved.showWarningMessage,
      });
      c.executeCommand = saved.executeCommand;
    },
  };
  const notification =
    (list: Shown[], answer: ((s: Shown) => string | undefined) | undefined) =>
    async (message: string, ...rest: Item[]): Promise<unknown> => {
      const items = rest.filter((i) => typeof i === 'string' || 'title' in i);
      const shown = { message, items: items.map(label) };
      list.push(shown);
      const pressed = answer?.(shown);
      return items.find((i) => label(i) === pressed);
    };
  w.showErrorMessage = notification(stub.errors, answers.error);
  w.showInformationMessage = notification(stub.infos, answers.info);
  w.showWarningMessage = notification(stub.infos, answers.info);
  w.showInputBox = async (options: vscode.InputBoxOptions = {}) => {
    stub.inputs.push(options);
    return answers.input?.(options);
  };
  w.showQuickPick = async (items: readonly Item[] | Thenable<readonly Item[]>, options?: vscode.QuickPickOptions) => {
    const list = await items;
    const labels = list.map(label);
    stub.picks.push({ labels, options });
    const chosen = answers.pick?.(labels, options);
    return list.find((i) => label(i) === chosen);
  };
  const execute = saved.executeCommand as (id: string, ...args: unknown[]) => Thenable<unknown>;
  c.executeCommand = (id: string, ...args: unknown[]) => {
    if (id === 'workbench.action.openSettings') {
      stub.openedSettings.push(String(args[0]));
      return Promise.resolve(undefined);
    }
    return execute.call(vscode.commands, id, ...args);
  };
  return stub;
}
