// The segment being muxed, on its way out of the recorder: its bytes so far (copied out of the muxer's pooled
// blocks, see SegmentBytes) and its file (see SegmentFile). One at a time: a cut segment is finished before the
// blocks of its successor are taken.
import { join } from 'node:path';
import { segmentName } from './hls-paths';
import type { RecorderFs } from './recorder-fs';
import { SegmentBytes } from './segment-bytes';
import { SegmentFile } from './segment-file';
import type { WriteQueue } from './write-queue';

export interface OpenSegmentFile {
  index: number;
  bytes: SegmentBytes;
  file: SegmentFile;
}

export class OpenSegmentFiles {
  private open: OpenSegmentFile | null = null;
  /** size of the last segment taken: about how big the next one will be */
  private lastBytes = 0;

  constructor(private readonly dir: string, private readonly queue: WriteQueue, private readonly fs: RecorderFs, private readonly maxBytes: number) {}

  /** Copies a full block of segment `index` in, and queues it for the segment's file. */
  append(index: number, block: Buffer): void {
    const seg = this.of(index);
    seg.file.append(seg.bytes.append(block));
  }

  /** Segment `index` was cut: its bytes and file leave (made now if no block came before), to be finished or discarded. */
  take(index: number, bytes: number): OpenSegmentFile {
    const seg = this.of(index);
    this.open = null;
    this.lastBytes = bytes;
    return seg;
  }

  /** What the open segment's file will hold beyond what is stored (0 without one). */
  get unstoredBytes(): number {
    return this.open?.file.bytes ?? 0;
  }

  /** The open segment is lost: what was queued for its file is skipped, the temp file removed. */
  discard(): void {
    this.open?.file.discard();
    this.open = null;
  }

  private of(index: number): OpenSegmentFile {
    if (this.open?.index === index) return this.open;
    this.open?.file.discard(); // (never: a segment is always taken before the next one's blocks come)
    const file = new SegmentFile(index, join(this.dir, segmentName(index)), this.queue, this.fs);
    this.open = { index, bytes: new SegmentBytes(this.lastBytes, this.maxBytes), file };
    return this.open;
  }
}
