/**
 * A one-shot timer that can be paused and resumed: the execute timeout must not run out while a
 * debugger holds the chaincode at a breakpoint.
 */
export class PausableTimer {
  private handle: NodeJS.Timeout | null = null;
  private remainingMs: number;
  private startedAt = 0;
  private done = false;

  constructor(
    timeoutMs: number,
    private readonly onExpire: () => void,
    paused = false,
  ) {
    this.remainingMs = timeoutMs;
    if (!paused) this.resume();
  }

  pause(): void {
    if (this.handle === null || this.done) return;
    clearTimeout(this.handle);
    this.handle = null;
    this.remainingMs = Math.max(0, this.remainingMs - (Date.now() - this.startedAt));
  }

  resume(): void {
    if (this.handle !== null || this.done) return;
    this.startedAt = Date.now();
    this.handle = setTimeout(() => {
      this.done = true;
      this.handle = null;
      this.onExpire();
    }, this.remainingMs);
  }

  cancel(): void {
    this.done = true;
    if (this.handle !== null) clearTimeout(this.handle);
    this.handle = null;
  }
}
