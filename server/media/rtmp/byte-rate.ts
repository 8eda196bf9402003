// Bits per second over the last few seconds, from a byte counter sampled once a second.
export const RATE_WINDOW_S = 5;

export class ByteRate {
  private readonly samples: number[] = [];

  sample(totalBytes: number): void {
    this.samples.push(totalBytes);
    if (this.samples.length > RATE_WINDOW_S + 1) this.samples.shift();
  }

  get bitsPerSecond(): number {
    const n = this.samples.length;
    if (n < 2) return 0;
    return Math.max(0, Math.round(((this.samples[n - 1]! - this.samples[0]!) * 8) / (n - 1)));
  }
}
