/**
 * Bytes the peer keeps for a long time (world state values, history, transaction records).
 * Node hands out small Buffers as slices of a shared 8 KiB pool, and one kept slice keeps its whole
 * pool alive: decoded messages and transient encodings share those pools, so keeping slices cost
 * 6.6 KB of memory per transaction record (66 MB for the 10,000 the peer keeps), and the garbage
 * collector's time with it. Node's advice for bytes kept indefinitely: copy them out of the pool.
 */
export function keptCopy(bytes: Uint8Array): Buffer {
  const copy = Buffer.allocUnsafeSlow(bytes.length);
  copy.set(bytes);
  return copy;
}
