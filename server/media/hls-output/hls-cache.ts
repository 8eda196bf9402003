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
  /** the segment, or null once it is on disk and nobody watched lately (served from its file then) */
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
  lastRequestAt = -Infinity;
  /** names this cache in ETags: opaque, as the broadcast id would open the replay to a viewer whose ticket expired */
  private readonly tag = randomBytes(6).toString('base64url');

  constructor(readonly broadcastId: string, private readonly maxSegments: number, private readonly maxBytes = CACHE_MAX_BYTES) {}

  addSegment(index: number, body: Buffer, at = Date.now()): CachedSegment {
    const modifiedMs = Math.floor(at / 1000) * 1000;
    const seg: CachedSegment = {
      index, body, bytes: body.length, etag: `"${this.tag}-${index}-${body.length}"`,
      lastModified: new Date(modifiedMs).toUTCString(), modifiedMs,
    };
    this.drop(index);
    this.segments.set(index, seg);
    this.held += body.length;
    while (this.segments.size > this.maxSegments) this.drop(this.segments.keys().next().value!);
    this.trim();
    return seg;
  }

  /** The segment's file is in place: from now on its body may be let go. */
  landed(index: number): void {
    if (!this.segments.has(index)) return;
    this.onDisk.add(index);
    this.trim();
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
