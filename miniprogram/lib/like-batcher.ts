// Like taps gathered into `like {count}` frames: at most one frame per window, each count 1–LIKE_MAX_PER_FRAME
// (the server drops like frames beyond LIKE_FRAMES_PER_SECOND, so every tap must not be a frame).
import { LIKE_MAX_PER_FRAME } from './chat-limits';

export class LikeBatcher {
  private count = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly windowMs: number, private readonly send: (count: number) => void) {}

  tap(): void {
    this.count += 1;
    if (this.timer === null) this.timer = setTimeout(() => this.flush(), this.windowMs);
  }

  get pending(): number { return this.count; }

  /** Drops unsent taps (the page went to the background or away). */
  cancel(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.count = 0;
  }

  private flush(): void {
    this.timer = null;
    const n = Math.min(this.count, LIKE_MAX_PER_FRAME);
    this.count -= n;
    if (n > 0) this.send(n);
    // what is left goes one window later, never sooner
    if (this.count > 0) this.timer = setTimeout(() => this.flush(), this.windowMs);
  }
}
