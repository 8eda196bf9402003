// One HTTP-FLV viewer: FLV tags from the hub are queued and written in merged batches, because the cost of
// fan-out is per write call, not per byte (research.md). The first burst (header, sequence headers, GOP)
// goes out at once so playback starts fast. A viewer that falls too far behind is dropped, never buffered
// without bound, so one slow phone cannot grow the server's memory or hold up the publisher.

import { stripSetDataFrame } from './script-tag';

const SCRIPT_TAG = 18;

/** Where a viewer's bytes go: an http.ServerResponse in production. */
export interface ByteSink {
  write(chunk: Buffer): boolean;
  end(): void;
  readonly writableLength: number;
  readonly destroyed: boolean;
}

export interface FlvViewerOptions {
  /** gather tags this long before writing them in one call (0 = write every tag) */
  mergeMs: number;
  /** queued + unsent bytes above this drop the viewer */
  maxBufferedBytes: number;
  onBytes(n: number): void;
  /** the viewer was dropped for being too slow */
  onSlow(bufferedBytes: number): void;
}

export class FlvViewer {
  private queue: Buffer[] = [];
  private queued = 0;
  private timer: NodeJS.Timeout | null = null;
  private started = false;
  private closed = false;

  constructor(private readonly sink: ByteSink, private readonly opts: FlvViewerOptions) {}

  /** A whole FLV tag (or the FLV header) from the hub. The hub hands each buffer to many viewers: never mutate it. */
  onTag(hubTag: Buffer): void {
    if (this.closed) return;
    const tag = hubTag[0] === SCRIPT_TAG ? stripSetDataFrame(hubTag) : hubTag;
    this.queue.push(tag);
    this.queued += tag.length;
    if (this.queued + this.sink.writableLength > this.opts.maxBufferedBytes) {
      this.opts.onSlow(this.queued + this.sink.writableLength);
      this.close();
      return;
    }
    if (!this.started) {
      // the initial burst arrives synchronously on attach: flush it on the next tick, as one write
      this.started = true;
      this.schedule(0);
    } else if (this.opts.mergeMs === 0) {
      this.flush();
    } else {
      this.schedule(this.opts.mergeMs);
    }
  }

  /** End the response (publisher gone, room ended, or server stopping). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.queue = [];
    this.queued = 0;
    if (!this.sink.destroyed) this.sink.end();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private schedule(ms: number): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
    }, ms);
  }

  private flush(): void {
    if (this.closed || this.queued === 0 || this.sink.destroyed) return;
    const chunk = this.queue.length === 1 ? this.queue[0]! : Buffer.concat(this.queue, this.queued);
    this.queue = [];
    this.queued = 0;
    this.sink.write(chunk);
    this.opts.onBytes(chunk.length);
  }
}
