// HTTP-FLV fan-out for one room: one hub subscription, however many viewers. Live tags are gathered for
// FLV_MERGE_MS and the same merged Buffer is written to every viewer, because fan-out costs per write call
// and per allocation, not per byte (research.md; the bench shows the garbage collector dominates otherwise).
// A room with only a few viewers gets every tag at once: there the writes cost nothing worth saving, and the
// merge window would be all of the delay the server adds per frame (bench (d)).
// A low-latency viewer (`?latency=low`: the host and guests watching each other while co-hosting) gets every tag
// at once whatever the viewer count: for it the delay matters more than the write calls.
// A joining viewer gets header, metadata, sequence headers and the current GOP at once, so its first video
// frame is a keyframe. A viewer that falls too far behind is dropped, never buffered without bound.
// The hub reuses a GOP's tag buffers once it ended (TagTap.onGopEnd), and a viewer's socket may hold what it was
// written for longer: what is written is always a copy (merged, or copied once for all), never a hub tag itself.
import { stripSetDataFrame } from './script-tag';
import { classifyTag } from './tag-kind';

/** Where a viewer's bytes go: an http.ServerResponse in production. */
export interface ByteSink {
  write(chunk: Buffer): boolean;
  end(): void;
  destroy(): void;
  readonly writableLength: number;
  readonly destroyed: boolean;
}

export interface FlvFanoutOptions {
  /** gather tags this long before writing them in one call (0 = write every tag) */
  mergeMs: number;
  /** unsent bytes above this drop the viewer */
  maxBufferedBytes: number;
  onBytes(n: number): void;
  onSlow(bufferedBytes: number): void;
  /** tags are merged only while at least this many watch (default MERGE_FROM_VIEWERS) */
  mergeFrom?: number;
}

export const MERGE_FROM_VIEWERS = 8;

/** A tag kept for the whole publish, in a buffer of its own (a view into a shared one would pin it, or be reused). */
const owned = (tag: Buffer): Buffer => (tag.byteOffset === 0 && tag.length === tag.buffer.byteLength ? tag : Buffer.from(tag));

export interface JoinOptions {
  /** every tag is written to this viewer as it comes, never held for the merge window */
  lowLatency?: boolean;
}

/** The GOP cache is dropped past these (an audio-only stream has no keyframes to reset it). */
const MAX_GOP_TAGS = 4096;
const MAX_GOP_BYTES = 16 * 1024 * 1024;
/** GOP tags a joiner may get one by one after the copied burst before it is copied again (about half a second) */
const BURST_TAIL_TAGS = 32;

export class FlvFanout {
  /** per viewer: how many of the pending tags it already got in its join burst */
  private readonly viewers = new Map<ByteSink, number>();
  /** low-latency viewers: written each tag at once, outside the merge (they never count towards mergeFrom) */
  private readonly immediate = new Set<ByteSink>();
  private header: Buffer | null = null;
  private meta: Buffer | null = null;
  private audioConfig: Buffer | null = null;
  private videoConfig: Buffer | null = null;
  private gop: Buffer[] = [];
  private gopBytes = 0;
  /**
   * The join burst so far, copied once and written to every joiner (1000 viewers joining within a second used
   * to cost 1000 copies of the GOP): header, metadata, sequence headers and the first `burstTags` GOP tags.
   */
  private burst: Buffer | null = null;
  private burstTags = 0;
  /** the GOP tags after the burst, copied once for all joiners until another tag comes */
  private tail: Buffer | null = null;
  /** GOP length when `tail` was copied */
  private tailTags = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private timer: NodeJS.Timeout | null = null;
  private detachHub: (() => void) | null = null;

  constructor(private readonly opts: FlvFanoutOptions) {}

  /** Hand over the hub subscription (made with this fan-out as its tap); the burst it delivered is cached. */
  attached(detach: () => void): void {
    this.detachHub = detach;
    this.pending = []; // the subscribe burst only primed the cache: no viewer needs it again
    this.pendingBytes = 0;
  }

  onTag(hubTag: Buffer): void {
    const kind = classifyTag(hubTag);
    const tag = kind === 'meta' ? stripSetDataFrame(hubTag) : hubTag;
    switch (kind) {
      case 'header': this.header = owned(tag); this.resetGop(); break;
      case 'meta': this.meta = owned(tag); this.burst = null; break;
      case 'audio-config': this.audioConfig = owned(tag); this.burst = null; break;
      case 'video-config': this.videoConfig = owned(tag); this.burst = null; break;
      case 'keyframe': this.resetGop(); this.addToGop(tag); break;
      default: this.addToGop(tag);
    }
    let sent = 0;
    if (this.immediate.size > 0) {
      const copy = Buffer.from(tag);
      for (const sink of this.immediate) sent += this.send(sink, copy);
    }
    if (sent) this.opts.onBytes(sent);
    this.pending.push(tag);
    this.pendingBytes += tag.length;
    if (this.opts.mergeMs === 0 || this.viewers.size < (this.opts.mergeFrom ?? MERGE_FROM_VIEWERS)) this.flush();
    else this.timer ??= setTimeout(() => { this.timer = null; this.flush(); }, this.opts.mergeMs);
  }

  join(sink: ByteSink, o: JoinOptions = {}): void {
    // the pending tags are in the GOP burst already: a merged viewer skips them in the next flush
    if (o.lowLatency) this.immediate.add(sink);
    else this.viewers.set(sink, this.pending.length);
    const burst = this.joinBurst();
    let sent = burst.length ? this.send(sink, burst) : 0;
    // GOP tags that came after the burst was copied: few, copied once for every joiner until the next tag
    if (this.gop.length > this.burstTags) sent += this.send(sink, this.burstTail());
    if (sent) this.opts.onBytes(sent);
  }

  /**
   * The hub's GOP ends and its tag buffers are reused after the next keyframe: the tags still pending get copies,
   * and the GOP cache starts again (the keyframe that follows starts it).
   */
  onGopEnd(): void {
    this.pending = this.pending.map((t) => Buffer.from(t));
    this.resetGop();
  }

  private burstTail(): Buffer {
    if (this.tail === null || this.tailTags !== this.gop.length) {
      this.tail = Buffer.concat(this.gop.slice(this.burstTags));
      this.tailTags = this.gop.length;
    }
    return this.tail;
  }

  /** The copied join burst, recopied only once the GOP has grown past it by more than a few tags. */
  private joinBurst(): Buffer {
    if (this.burst === null || this.gop.length - this.burstTags > BURST_TAIL_TAGS) {
      const parts = [this.header, this.meta, this.audioConfig, this.videoConfig, ...this.gop].filter((b): b is Buffer => b !== null);
      this.burst = Buffer.concat(parts);
      this.burstTags = this.gop.length;
    }
    return this.burst;
  }

  /** A viewer left; returns how many remain. */
  leave(sink: ByteSink): number {
    this.viewers.delete(sink);
    this.immediate.delete(sink);
    return this.size;
  }

  get size(): number {
    return this.viewers.size + this.immediate.size;
  }

  /** End every viewer's response (publisher gone, room ended, server stopping) and leave the hub. */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const sink of [...this.viewers.keys(), ...this.immediate]) if (!sink.destroyed) sink.end();
    this.viewers.clear();
    this.immediate.clear();
    this.detachHub?.();
    this.detachHub = null;
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const tags = this.pending;
    const merged = Buffer.concat(tags, this.pendingBytes); // (a copy even of one tag: see the top)
    this.pending = [];
    this.pendingBytes = 0;
    let sent = 0;
    for (const [sink, skip] of this.viewers) {
      if (skip === 0) sent += this.send(sink, merged);
      else {
        this.viewers.set(sink, 0);
        if (skip < tags.length) sent += this.send(sink, Buffer.concat(tags.slice(skip)));
      }
    }
    if (sent) this.opts.onBytes(sent);
  }

  private send(sink: ByteSink, chunk: Buffer): number {
    if (sink.destroyed) return 0;
    const buffered = sink.writableLength + chunk.length;
    if (buffered > this.opts.maxBufferedBytes) {
      this.viewers.delete(sink);
      this.immediate.delete(sink);
      sink.destroy();
      this.opts.onSlow(buffered);
      return 0;
    }
    sink.write(chunk);
    return chunk.length;
  }

  private resetGop(): void {
    this.gop = [];
    this.gopBytes = 0;
    this.burst = null;
    this.tail = null;
  }

  private addToGop(tag: Buffer): void {
    if (this.gop.length >= MAX_GOP_TAGS || this.gopBytes + tag.length > MAX_GOP_BYTES) this.resetGop();
    this.gop.push(tag);
    this.gopBytes += tag.length;
  }
}
