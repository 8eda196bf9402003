// The segment being muxed, written as its blocks fill up (like nginx-rtmp writes fragments) under a temp
// name, and renamed to `<n>.ts` only when it is complete: players never see a partial segment. Every call
// only queues the work (WriteQueue); the bytes handed in must stay unchanged until it is done: the segment's
// own copy (see SegmentBytes), or the muxer's pooled blocks themselves, which go back to the pool once
// written (or skipped).
import type { FileHandle } from 'node:fs/promises';
import { releaseTsChunks } from '../hls';
import { tempName } from './atomic-write';
import type { RecorderFs } from './recorder-fs';
import type { WriteQueue } from './write-queue';

export class SegmentFile {
  private handle: FileHandle | null = null;
  private readonly tmp: string;
  /** given up (a loss, or discard()): queued writes are skipped, the temp file is removed */
  private dropped = false;
  /** bytes queued so far */
  bytes = 0;
  /** the blocks of the append job not started yet */
  private waiting: Buffer[] | null = null;

  constructor(readonly index: number, private readonly file: string, private readonly queue: WriteQueue, private readonly fs: RecorderFs) {
    this.tmp = tempName(file);
  }

  /**
   * Queues `bytes` to be appended. Blocks that arrive while a write is waiting join it, so a disk that lags
   * catches up in one big write instead of a job per block. A failure reaches the queue's onError with this
   * segment's index.
   */
  append(bytes: Buffer): void {
    this.bytes += bytes.length;
    if (this.waiting) {
      this.waiting.push(bytes);
      return;
    }
    const chunks = (this.waiting = [bytes]);
    this.queue.push(async () => {
      if (this.waiting === chunks) this.waiting = null; // later blocks start the next write
      try {
        if (this.dropped) return;
        this.handle ??= await this.fs.create(this.tmp);
        await this.fs.append(this.handle, chunks);
      } finally {
        releaseTsChunks(chunks); // pooled blocks only (a copy is not the pool's): nothing reads them again
      }
    }, this.index);
  }

  /** Queues the last bytes, then puts the file in place; `landed` runs once it is there. */
  finish(last: readonly Buffer[], landed: () => void): void {
    for (const bytes of last) if (bytes.length > 0) this.append(bytes);
    this.queue.push(async () => {
      if (this.dropped) return this.remove();
      try {
        if (!this.handle) this.handle = await this.fs.create(this.tmp); // an empty segment (never in practice)
        await this.close();
        await this.fs.rename(this.tmp, this.file);
      } catch (err) {
        await this.remove();
        throw err;
      }
      if (this.dropped) return this.fs.remove(this.file); // lost while it was being renamed: keep the disk as told
      landed();
    }, this.index);
  }

  /** Gives up on the segment: what is queued is skipped and the temp file removed. */
  discard(): void {
    if (this.dropped) return;
    this.dropped = true;
    this.queue.push(() => this.remove(), this.index);
  }

  get isDropped(): boolean {
    return this.dropped;
  }

  /** A temp file that cannot be removed is left (the startup recovery removes leftovers); it loses no recording. */
  private async remove(): Promise<void> {
    await this.close().catch(() => undefined);
    await this.fs.remove(this.tmp).catch(() => undefined);
  }

  private async close(): Promise<void> {
    const h = this.handle;
    this.handle = null;
    await h?.close();
  }
}
