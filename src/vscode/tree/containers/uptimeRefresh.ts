/**
 * A slow timer for the Containers view: Docker's events say when a container starts or stops, not
 * that its uptime moved on, so the list is re-read every `intervalMs`, only while the view is visible
 * and shows containers whose "Up …"/"… ago" text changes. No vscode here.
 */
export class UptimeRefresh {
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly intervalMs: number,
    private readonly tick: () => void,
  ) {}

  get active(): boolean {
    return this.timer !== undefined;
  }

  update(visible: boolean, hasContainers: boolean): void {
    const want = visible && hasContainers;
    if (want && !this.timer) this.timer = setInterval(this.tick, this.intervalMs);
    else if (!want && this.timer) this.dispose();
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
