// Runs a function at most once per interval, on the leading edge and once more on the trailing edge: a burst
// of pokes costs one run now and one when the interval is over (the newest state wins, nothing is queued).

export class Throttle {
  private last = -Infinity;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly everyMs: number, private readonly run: () => void, private readonly now: () => number = Date.now) {}

  poke(): void {
    if (this.timer) return;
    const wait = this.last + this.everyMs - this.now();
    if (wait <= 0) this.fire();
    else this.timer = setTimeout(() => this.fire(), wait).unref();
  }

  /** Runs now if a trailing run is pending (before shutting down). */
  flush(): void {
    if (this.timer) this.fire();
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private fire(): void {
    this.cancel();
    this.last = this.now();
    this.run();
  }
}
