/**
 * Readers waiting for the next block at the chain's head (Deliver and ChaincodeEvents streams
 * that have caught up). Each wait ends when a block is appended, the store closes, or the
 * reader's signal aborts; an aborted wait leaves nothing behind.
 */
export class BlockWaiters {
  private readonly waiting = new Set<() => void>();

  /** Resolves at the next wakeAll, or when `signal` aborts (at once if it already has). */
  next(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = (): void => {
        this.waiting.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      this.waiting.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  wakeAll(): void {
    for (const done of [...this.waiting]) done();
  }

  get size(): number {
    return this.waiting.size;
  }
}
