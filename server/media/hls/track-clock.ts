// TrackClock: what one track's timestamps say so far — its frame duration (learnt from consecutive DTS) and how
// many frames in a row did not advance its clock (a stalled publisher). Pure state for the Segmenter.

/** a DTS step larger than this (90 kHz) is a jump, not a frame */
const JUMP_TICKS = 90000;

export class TrackClock {
  /** the latest sane DTS step: how long a frame lasts */
  frameTicks: number;
  /** frames in a row whose DTS did not pass the one before */
  stalled = 0;
  private last: number | null = null;

  /** @param defaultFrameTicks the frame duration until two frames tell better */
  constructor(defaultFrameTicks: number) {
    this.frameTicks = defaultFrameTicks;
  }

  observe(dts: number): void {
    const d = this.last === null ? 0 : dts - this.last;
    if (d > 0 && d < JUMP_TICKS) this.frameTicks = d;
    this.stalled = d > 0 || this.last === null ? 0 : this.stalled + 1;
    this.last = dts;
  }

  /** A new publisher's clock: the next frame is not compared with the old one's. */
  forget(): void {
    this.last = null;
  }
}
