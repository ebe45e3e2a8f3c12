/**
 * Tracks whether a debuggee is paused from the debug adapter's messages, so the peer can hold that
 * chaincode's execute timeout while it is. A `continued` event can arrive just before the first
 * `stopped`, and on continue the response and the `continued` event come in either order: so this is
 * a state (paused or running), and only its changes are reported. No vscode here.
 */
export interface DapMessage {
  readonly type?: string;
  readonly event?: string;
  readonly command?: string;
  readonly success?: boolean;
  readonly body?: { readonly allThreadsContinued?: boolean; readonly reason?: string };
}

export class PauseState {
  private paused = false;

  constructor(private readonly onChange: (paused: boolean) => void) {}

  get isPaused(): boolean {
    return this.paused;
  }

  /** Feed every message the adapter sends (events and responses). */
  fromAdapter(m: DapMessage): void {
    if (m.type === 'event' && m.event === 'stopped') this.set(true);
    else if (m.type === 'event' && (m.event === 'continued' || m.event === 'terminated' || m.event === 'exited')) this.set(false);
    else if (m.type === 'response' && m.success && ['continue', 'next', 'stepIn', 'stepOut', 'reverseContinue', 'stepBack'].includes(m.command ?? '')) this.set(false);
  }

  /** The session ended (adapter exit, tracker disposal): whatever held the timeout lets go. */
  end(): void {
    this.set(false);
  }

  private set(paused: boolean): void {
    if (paused === this.paused) return;
    this.paused = paused;
    this.onChange(paused);
  }
}
