/**
 * Follows one started container: its stdout/stderr as lines (demultiplexed from Docker's attach
 * stream) and its exit. Owns the two long-lived requests (attach, wait) so they can be ended
 * deterministically: nothing keeps a socket or a listener open after the container is gone.
 */
import type Dockerode from 'dockerode';
import { LineSplitter } from '../../util/lines';

/** How long the exit waits for the log stream to drain, so the last lines come before 'exited'. */
const LOG_DRAIN_MS = 2000;

export interface WatchCallbacks {
  line(stream: 'stdout' | 'stderr', text: string): void;
  /** Called once, after the last log line, unless the watch was disposed first. */
  exited(exitCode: number, detail: string | undefined): void;
}

export class ContainerWatch {
  private readonly abort = new AbortController();
  private logs: (NodeJS.ReadableStream & { destroy?: () => void }) | undefined;
  private logsEnded: Promise<void> = Promise.resolve();
  private exit: Promise<void> | undefined;

  constructor(
    private readonly docker: Dockerode,
    readonly containerId: string,
    private readonly callbacks: WatchCallbacks,
  ) {}

  /** Attaches to the (not yet started) container: every line from its first one on. */
  async attach(): Promise<void> {
    const container = this.docker.getContainer(this.containerId);
    const stream = await container.attach({
      stream: true,
      stdout: true,
      stderr: true,
      // Attached before start, so there is no history to replay; with logs: true Docker can deliver
      // a fast container's first lines twice (once replayed, once streamed).
      logs: false,
      abortSignal: this.abort.signal,
    });
    this.logs = stream;
    const out = new LineSplitter((line) => this.callbacks.line('stdout', line));
    const err = new LineSplitter((line) => this.callbacks.line('stderr', line));
    this.logsEnded = new Promise<void>((resolve) => {
      const finish = (): void => {
        out.flush();
        err.flush();
        resolve();
      };
      stream.once('end', finish);
      stream.once('close', finish);
      stream.once('error', finish);
    });
    // Tty is off, so Docker multiplexes both streams with 8-byte frame headers.
    this.docker.modem.demuxStream(stream, out.writable(), err.writable());
  }

  /** Starts waiting for the exit (call after the container started). */
  watchExit(): void {
    const container = this.docker.getContainer(this.containerId);
    this.exit = (async () => {
      let exitCode: number;
      let detail: string | undefined;
      try {
        const result = (await container.wait({ abortSignal: this.abort.signal })) as {
          StatusCode?: number;
          Error?: { Message?: string } | null;
        };
        exitCode = result.StatusCode ?? -1;
        detail = result.Error?.Message || undefined;
      } catch (err) {
        if (this.abort.signal.aborted) return;
        exitCode = -1;
        detail = `lost track of the container: ${err instanceof Error ? err.message : String(err)}`;
      }
      await Promise.race([this.logsEnded, delay(LOG_DRAIN_MS)]);
      if (this.abort.signal.aborted) return;
      this.closeLogs();
      this.callbacks.exited(exitCode, detail);
    })();
  }

  /** Resolves once the exit was reported (or at once if the container was never started). */
  async exited(timeoutMs: number): Promise<void> {
    if (this.exit) await Promise.race([this.exit, delay(timeoutMs)]);
  }

  /** Ends both requests; no further callbacks. */
  dispose(): void {
    this.abort.abort();
    this.closeLogs();
  }

  private closeLogs(): void {
    this.logs?.destroy?.();
    this.logs = undefined;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
