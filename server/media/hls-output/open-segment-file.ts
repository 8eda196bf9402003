// The segment being muxed, on its way out of the recorder, and its file (see SegmentFile). Its bytes are either
// copied out of the muxer's pooled blocks into a buffer of its own (SegmentBytes: what viewers are then served
// from memory), or, when nobody watches, the pooled blocks themselves are queued for the file and go back to
// the pool once written: no copy, no per-segment buffer. One at a time: a cut segment is finished before the
// blocks of its successor are taken.
import { join } from 'node:path';
import { releaseTsChunks } from '../hls';
import { segmentName } from './hls-paths';
import type { RecorderFs } from './recorder-fs';
import { SegmentBytes } from './segment-bytes';
import { SegmentFile } from './segment-file';
import type { WriteQueue } from './write-queue';

export interface OpenSegmentFile {
  index: number;
  /** the segment's own copy, or null when its blocks go straight to the file */
  bytes: SegmentBytes | null;
  file: SegmentFile;
}

export interface FinishedSegment {
  file: SegmentFile;
  /** the whole segment in memory, or null when it is only written */
  body: Buffer | null;
}

export class OpenSegmentFiles {
  private open: OpenSegmentFile | null = null;
  /** size of the last segment taken: about how big the next one will be */
  private lastBytes = 0;

  /** @param keepCopy asked as each segment opens: whether viewers are about (its bytes are then kept in memory) */
  constructor(
    private readonly dir: string, private readonly queue: WriteQueue, private readonly fs: RecorderFs,
    private readonly maxBytes: number, private readonly keepCopy: () => boolean,
  ) {}

  /** Queues a full pooled block of segment `index` for its file; the block is this object's from now on. */
  append(index: number, block: Buffer): void {
    const seg = this.of(index);
    if (!seg.bytes) return seg.file.append(block);
    seg.file.append(seg.bytes.append(block));
    releaseTsChunks([block]);
  }

  /** Segment `index` was cut: its bytes and file leave (made now if no block came before), to be finished or discarded. */
  take(index: number, bytes: number): OpenSegmentFile {
    const seg = this.of(index);
    this.open = null;
    this.lastBytes = bytes;
    return seg;
  }

  /** Queues a taken segment's last pooled chunks (this object's from now on), then puts its file in place. */
  finish(seg: OpenSegmentFile, chunks: readonly Buffer[], landed: () => void): FinishedSegment {
    if (!seg.bytes) {
      seg.file.finish(chunks, landed);
      return { file: seg.file, body: null };
    }
    seg.file.finish([seg.bytes.appendAll(chunks)], landed);
    releaseTsChunks(chunks);
    return { file: seg.file, body: seg.bytes.done() };
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
    this.open = { index, bytes: this.keepCopy() ? new SegmentBytes(this.lastBytes, this.maxBytes) : null, file };
    return this.open;
  }
}
