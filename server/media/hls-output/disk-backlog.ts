// The finished segments of one recorder whose files are not in place yet, and what their number says: from
// HOLD_BYTES behind, the publisher is held (its socket not read) until the disk is under RELEASE_BYTES; at
// MAX_SEGMENTS or MAX_BYTES behind the disk is too slow to keep, and the recording pauses like after a write error.
import type { SegmentFile } from './segment-file';

const MAX_SEGMENTS = 8;
const MAX_BYTES = 32 * 1024 * 1024;
const HOLD_BYTES = 4 * 1024 * 1024;
const RELEASE_BYTES = 1024 * 1024;

export class DiskBacklog {
  private readonly waiting = new Map<number, { file: SegmentFile; bytes: number }>();
  private behind = 0;
  private holding = false;

  /** @param onHold told true when the publisher should be held, false when it may go on */
  constructor(private readonly onHold?: (hold: boolean) => void) {}

  /** Why a finished segment of `bytes` cannot be queued too, or null. */
  refusal(bytes: number): string | null {
    if (this.waiting.size < MAX_SEGMENTS && this.behind + bytes <= MAX_BYTES) return null;
    return `the disk is too slow: ${this.waiting.size} segments (${this.behind} bytes) wait to be written`;
  }

  add(index: number, file: SegmentFile, bytes: number): void {
    this.waiting.set(index, { file, bytes });
    this.behind += bytes;
    this.check();
  }

  /** The segment's file is in place. */
  landed(index: number): void {
    this.behind -= this.waiting.get(index)?.bytes ?? 0;
    this.waiting.delete(index);
    this.check();
  }

  /** Gives up the waiting segments from `from` on (all with -Infinity); returns their indexes. */
  drop(from: number): number[] {
    const lost: number[] = [];
    for (const [index, { file }] of this.waiting) {
      if (index < from) continue;
      file.discard();
      lost.push(index);
      this.landed(index);
    }
    return lost;
  }

  private check(): void {
    if (this.holding ? this.behind > RELEASE_BYTES : this.behind < HOLD_BYTES) return;
    this.holding = !this.holding;
    this.onHold?.(this.holding);
  }
}
