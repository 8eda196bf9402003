// Concurrent holders per key (an address, a room) under a cap: a connection counts from acquire() to
// its release. Keys at zero are forgotten, so a flood of addresses leaves nothing behind; they are swept in
// batches, since deleting and re-adding the one key every HLS request of a busy address uses costs a Map
// rehash each time (bench (e)).

/** Keys at zero kept before a sweep forgets them all. */
const SWEEP_AT = 256;

export class KeyedCount {
  private readonly counts = new Map<string, number>();
  private zeros = 0;

  constructor(private readonly cap: number) {}

  /** Counts one more holder of `key` and returns its release (idempotent), or null when `key` is at the cap. */
  acquire(key: string): (() => void) | null {
    if (!this.add(key)) return null;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.remove(key);
    };
  }

  /** acquire() without a release to allocate: true when counted; the caller owes exactly one remove(key). */
  add(key: string): boolean {
    const n = this.counts.get(key);
    if (n === undefined) {
      if (this.cap < 1) return false;
    } else {
      if (n >= this.cap) return false;
      if (n === 0) this.zeros--;
    }
    this.counts.set(key, (n ?? 0) + 1);
    return true;
  }

  remove(key: string): void {
    const n = this.counts.get(key);
    if (!n) return;
    this.counts.set(key, n - 1);
    if (n === 1 && ++this.zeros > SWEEP_AT) this.sweep();
  }

  count(key: string): number {
    return this.counts.get(key) ?? 0;
  }

  /** Keys with at least one holder. */
  get size(): number {
    return this.counts.size - this.zeros;
  }

  /** Keys held in memory: those with holders and at most SWEEP_AT at zero. */
  get keysHeld(): number {
    return this.counts.size;
  }

  private sweep(): void {
    for (const [key, n] of this.counts) if (n === 0) this.counts.delete(key);
    this.zeros = 0;
  }
}
