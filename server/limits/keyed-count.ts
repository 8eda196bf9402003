// Concurrent holders per key (an address, a room) under a cap: a connection counts from acquire() to
// its release. Keys at zero are forgotten, so a flood of addresses leaves nothing behind.

export class KeyedCount {
  private readonly counts = new Map<string, number>();

  constructor(private readonly cap: number) {}

  /** Counts one more holder of `key` and returns its release (idempotent), or null when `key` is at the cap. */
  acquire(key: string): (() => void) | null {
    const n = this.counts.get(key) ?? 0;
    if (n >= this.cap) return null;
    this.counts.set(key, n + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.counts.get(key) ?? 1) - 1;
      if (left <= 0) this.counts.delete(key);
      else this.counts.set(key, left);
    };
  }

  count(key: string): number {
    return this.counts.get(key) ?? 0;
  }

  /** Keys with at least one holder (memory the counter holds). */
  get size(): number {
    return this.counts.size;
  }
}
