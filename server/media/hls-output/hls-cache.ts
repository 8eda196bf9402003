// The live HLS of one broadcast in memory, shared by every viewer: each finished segment as one immutable
// Buffer with its validators (ETag, Last-Modified) made once, and the live playlist. Requests are answered from
// here without a file read or a per-request copy of the body (nginx's sendfile, without the file). Bounded: the
// recorder drops what leaves the window (plus a few grace segments), no more than `maxSegments` are held, and
// past `maxBytes` the oldest bodies already on disk are let go (a publisher's huge segments are served from files).
import { randomBytes } from 'node:crypto';

const SIGNED_VERSIONS = 16;
/** segment bodies held per broadcast once they are on disk: ~25 s of a 5 Mbps stream, several windows of a phone's */
export const CACHE_MAX_BYTES = 16 * 1024 * 1024;

export interface CachedSegment {
  readonly index: number;
  /**
   * the segment, or null when it is served from its file: written while nobody watched (straight from the
   * muxer's blocks, never copied), or let go once on disk
   */
  body: Buffer | null;
  readonly bytes: number;
  readonly etag: string;
  /** HTTP date, and the same instant in ms rounded down to the second (what If-Modified-Since can name) */
  readonly lastModified: string;
  readonly modifiedMs: number;
}

export class HlsCache {
  private readonly segments = new Map<number, CachedSegment>();
  /** the playlist text cut at the end of each URI line: joined with a viewer's signature it is that viewer's text */
  private parts: string[] | null = null;
  /** signed texts of the current playlist version, by signature suffix (viewers of one ticket share one) */
  private signed = new Map<string, Buffer>();
  private held = 0;
  /** segments whose file is in place: their bodies may be let go */
  private readonly onDisk = new Set<number>();
  /** segments without a body whose file is not in place yet, and the requests waiting for it (made on demand) */
  private readonly writing = new Map<number, { wait: Promise<void>; done: () => void } | null>();
  lastRequestAt = -Infinity;
  /** names this cache in ETags: opaque, as the broadcast id would open the replay to a viewer whose ticket expired */
  private readonly tag = randomBytes(6).toString('base64url');

  constructor(readonly broadcastId: string, private readonly maxSegments: number, private readonly maxBytes = CACHE_MAX_BYTES) {}

  /** A finished segment: its bytes, or (body null) only its size while its file is being written. */
  addSegment(index: number, body: Buffer | null, at = Date.now(), bytes = body?.length ?? 0): CachedSegment {
    const modifiedMs = Math.floor(at / 1000) * 1000;
    const seg: CachedSegment = {
      index, body, bytes, etag: `"${this.tag}-${index}-${bytes}"`,
      lastModified: new Date(modifiedMs).toUTCString(), modifiedMs,
    };
    this.drop(index);
    this.segments.set(index, seg);
    this.held += body?.length ?? 0;
    if (!body) this.writing.set(index, null);
    while (this.segments.size > this.maxSegments) this.drop(this.segments.keys().next().value!);
    this.trim();
    return seg;
  }

  /** The segment's file is in place: from now on its body may be let go. */
  landed(index: number): void {
    if (!this.segments.has(index)) return;
    this.settle(index);
    this.onDisk.add(index);
    this.trim();
  }

  /**
   * Resolves once a segment held without its body is on disk (or gone from here); undefined when there is
   * nothing to wait for. A player that starts on a room nobody watched asks for a segment just cut.
   */
  whenLanded(index: number): Promise<void> | undefined {
    if (!this.writing.has(index)) return undefined;
    let w = this.writing.get(index);
    if (!w) {
      let done!: () => void;
      const wait = new Promise<void>((resolve) => { done = resolve; });
      this.writing.set(index, (w = { wait, done }));
    }
    return w.wait;
  }

  /** The segment's file will not be written (a disk failure): requests waiting for it go on (and find no file). */
  unwritten(index: number): void {
    this.settle(index);
  }

  private settle(index: number): void {
    this.writing.get(index)?.done();
    this.writing.delete(index);
  }

  /** Over maxBytes: the oldest bodies that are on disk go first (segments not yet written always stay). */
  private trim(): void {
    for (const index of this.onDisk) {
      if (this.held <= this.maxBytes) return;
      this.release(index);
    }
  }

  /** The segment left the window and its grace: forgotten. */
  drop(index: number): void {
    const seg = this.segments.get(index);
    if (!seg) return;
    this.held -= seg.body?.length ?? 0;
    this.segments.delete(index);
    this.onDisk.delete(index);
    this.settle(index);
  }

  /** The segment is on disk too: its body may go when nobody watches (the file serves the odd late request). */
  release(index: number): void {
    const seg = this.segments.get(index);
    this.onDisk.delete(index);
    if (!seg?.body) return;
    this.held -= seg.body.length;
    seg.body = null;
  }

  segment(index: number): CachedSegment | undefined {
    return this.segments.get(index);
  }

  /** A new live playlist (its URIs bare, e.g. `12.ts`). */
  setPlaylist(text: string): void {
    const parts: string[] = [];
    let from = 0;
    for (const m of text.matchAll(/^[^#\s][^\r\n]*$/gm)) {
      const end = m.index + m[0].length;
      parts.push(text.slice(from, end));
      from = end;
    }
    parts.push(text.slice(from));
    this.parts = parts;
    this.signed = new Map();
  }

  /** The playlist with `suffix` (the viewer's `?expires&sign`) after every URI; null before the first segment. */
  playlist(suffix: string): Buffer | null {
    if (!this.parts) return null;
    let text = this.signed.get(suffix);
    if (!text) {
      text = Buffer.from(this.parts.join(suffix));
      // a few tickets are in use at once; more distinct ones are built per request rather than held
      if (this.signed.size >= SIGNED_VERSIONS) this.signed.delete(this.signed.keys().next().value!);
      this.signed.set(suffix, text);
    }
    return text;
  }

  /** Segment bytes held in memory (stats, tests). */
  get heldBytes(): number {
    return this.held;
  }

  get size(): number {
    return this.segments.size;
  }
}
