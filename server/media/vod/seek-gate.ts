// Seeks of one player: applied at most once per interval with the latest target winning (a scrubbing client sends
// dozens), and a flood past a per-minute budget reported so the player can be closed.
export class SeekGate {
  private last = 0;
  private wanted: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly stamps: number[] = [];

  constructor(private readonly intervalMs: number, private readonly perMinute: number, private readonly apply: (ms: number) => void) {}

  /** false: over the budget */
  request(ms: number): boolean {
    const now = Date.now();
    while (this.stamps.length > 0 && now - this.stamps[0]! > 60_000) this.stamps.shift();
    if (this.stamps.length >= this.perMinute) return false;
    this.stamps.push(now);
    this.wanted = ms;
    const due = this.last + this.intervalMs - now;
    if (due <= 0) this.fire();
    else this.timer ??= setTimeout(() => this.fire(), due);
    return true;
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.wanted = null;
  }

  private fire(): void {
    this.timer = null;
    const ms = this.wanted;
    this.wanted = null;
    if (ms === null) return;
    this.last = Date.now();
    this.apply(ms);
  }
}
