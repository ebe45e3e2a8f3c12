/**
 * One-at-a-time execution per key, with entries that live only while someone holds or waits for
 * the key (Fabric's ref-counted `refCountedLock` in `core/container/controller.go`): a long-running
 * peer launching thousands of chaincode ids must not keep a lock per id forever.
 */
interface Entry {
  refs: number;
  /** Settles when the latest holder/waiter releases; the next one chains on it. */
  tail: Promise<void>;
}

export class KeyedMutex {
  private readonly entries = new Map<string, Entry>();

  /** Runs `work` once every earlier holder of `key` has finished (FIFO), then releases. */
  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { refs: 0, tail: Promise.resolve() };
      this.entries.set(key, entry);
    }
    entry.refs++;
    const previous = entry.tail;
    let release!: () => void;
    entry.tail = new Promise<void>((resolve) => (release = resolve));
    try {
      await previous;
      return await work();
    } finally {
      release();
      entry.refs--;
      if (entry.refs === 0) this.entries.delete(key);
    }
  }

  /** Number of keys currently held or waited for (0 when idle: no leak). */
  get size(): number {
    return this.entries.size;
  }
}
