// Runs jobs keyed by what they make: concurrent asks for one key share its single run, and at most `limit` run at
// once (remuxing is CPU and disk: a burst of first requests for many videos queues instead of starving live media).
export class JobPool<T> {
  private readonly running = new Map<string, Promise<T>>();
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {
    if (!(limit >= 1)) throw new RangeError('limit must be >= 1');
  }

  /** The result of the run for `key`: the one under way, or a new one of `make`. */
  run(key: string, make: () => Promise<T>): Promise<T> {
    const current = this.running.get(key);
    if (current) return current;
    const job = this.slot().then(make).finally(() => {
      this.running.delete(key);
      this.active--;
      this.waiting.shift()?.();
    });
    this.running.set(key, job);
    return job;
  }

  /** jobs under way or queued */
  get size(): number {
    return this.running.size;
  }

  private slot(): Promise<void> {
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(() => { this.active++; resolve(); }));
  }
}
