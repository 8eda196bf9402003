// Bits per second over a sliding window, from a byte counter sampled once a second.
export class RateMeter {
  private readonly samples: number[] = [];
  constructor(private readonly windowS = 5) {}

  /** Record the counter's current total (call once a second). */
  sample(totalBytes: number): void {
    this.samples.push(totalBytes);
    if (this.samples.length > this.windowS + 1) this.samples.shift();
  }

  get bitsPerSecond(): number {
    const n = this.samples.length;
    if (n < 2) return 0;
    return Math.max(0, Math.round(((this.samples[n - 1]! - this.samples[0]!) * 8) / (n - 1)));
  }
}
